/**
 * Child processes: each measured program runs in its own process (fresh JIT state, its own peak RSS, no
 * garbage left by another case), with a timeout, and reports one JSON line on stdout. A failing or hanging
 * child yields a record with `error` instead of throwing, so one broken case never aborts a suite.
 */
import { spawn } from 'node:child_process'

export interface ChildResult {
  /** The last stdout line that parsed as a JSON object, or null. */
  readonly json: Record<string, unknown> | null
  /** Wall-clock seconds from spawn to exit, as the parent saw them (the whole-process time). */
  readonly wallSeconds: number
  readonly code: number | null
  readonly error: string | null
  readonly stderr: string
}

export interface ChildOptions {
  readonly timeoutMs: number
  readonly cwd?: string
  readonly env?: NodeJS.ProcessEnv
}

/** Runs `cmd args…`, returning its last JSON line; never rejects. */
export function runChild(cmd: string, args: readonly string[], o: ChildOptions): Promise<ChildResult> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint()
    let out = ''
    let err = ''
    let timedOut = false
    let child
    try {
      child = spawn(cmd, args, { cwd: o.cwd, env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (e) {
      resolve({ json: null, wallSeconds: 0, code: null, error: `cannot start ${cmd}: ${(e as Error).message}`, stderr: '' })
      return
    }
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, o.timeoutMs)
    child.stdout.on('data', (d: Buffer) => { out += d })
    child.stderr.on('data', (d: Buffer) => { err += d })
    const finish = (code: number | null, startError: string | null) => {
      clearTimeout(timer)
      const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9
      const json = lastJsonLine(out)
      let error = startError
      if (error === null && timedOut) error = `timed out after ${o.timeoutMs / 1000} s`
      else if (error === null && code !== 0) error = `exit code ${code}: ${tail(err)}`
      else if (error === null && json === null) error = `no JSON line on stdout: ${tail(out + err)}`
      else if (error === null && typeof json?.error === 'string') error = json.error
      resolve({ json, wallSeconds, code, error, stderr: err })
    }
    child.on('error', (e) => finish(null, `cannot start ${cmd}: ${e.message}`))
    child.on('close', (code) => finish(code, null))
  })
}

function lastJsonLine(text: string): Record<string, unknown> | null {
  const lines = text.split('\n')
  for (let k = lines.length - 1; k >= 0; k--) {
    const s = lines[k].trim()
    if (!s.startsWith('{')) continue
    try {
      const v = JSON.parse(s)
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
    } catch {
      // not JSON: keep looking upwards
    }
  }
  return null
}

function tail(s: string): string {
  const t = s.trim().split('\n').slice(-3).join(' / ')
  return t.length > 300 ? t.slice(-300) : t
}

/** Prints one JSON line (the protocol between children and their parent). */
export function emit(record: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(record) + '\n')
}
