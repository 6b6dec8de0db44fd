/**
 * Output paths are checked before anything is built, so a long run cannot end by failing to write its
 * result: the folder must exist and be writable, and the path must not be a folder or a read-only file.
 * Nothing is created by the check.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { UsageError } from './usage-error.js'

/** The status of `path`; null when it does not exist (nor a folder on its way); the error code otherwise. */
function stat(path: string): Stats | null | string {
  try {
    return statSync(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e)
    return code === 'ENOENT' || code === 'ENOTDIR' ? null : code
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/** Throws a one-line `UsageError` naming `option` and `path` when a file cannot be written at `path`. */
export function checkOutputPath(option: string, path: string): void {
  const fail = (why: string): never => {
    throw new UsageError(`${option} ${JSON.stringify(path)}: ${why}`, { hint: false })
  }
  if (path === '') fail('needs a file name')
  const abs = resolve(path)
  const st = stat(abs)
  if (typeof st === 'string') fail(`cannot be checked (${st})`)
  if (st !== null) {
    if ((st as Stats).isDirectory()) fail('is a folder, not a file')
    if (!writable(abs)) fail('exists and is not writable')
    return
  }
  const dir = dirname(abs)
  const ds = stat(dir)
  if (ds === null) fail(`folder ${dir} does not exist`)
  if (typeof ds === 'string') fail(`folder ${dir} cannot be checked (${ds})`)
  if (!(ds as Stats).isDirectory()) fail(`${dir} is not a folder`)
  if (!writable(dir)) fail(`folder ${dir} is not writable`)
}
