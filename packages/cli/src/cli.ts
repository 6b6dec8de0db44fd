/**
 * The `spikecs` command as a function of its arguments and output streams, returning the exit code:
 * 0 success, 2 a usage error (nothing was built or run), 1 a failure while running.
 */
import { createRequire } from 'node:module'
import { SpikecsError } from '@spikecs/ecs-core'
import cliProgress from 'cli-progress'
import { parseCommand, UsageError } from './args.js'
import { listing, summary, usage } from './format.js'
import { executeRun, type RunHooks } from './run.js'

export interface CliIO {
  readonly stdout: { write(s: string): unknown }
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean }
}

function version(): string {
  const require = createRequire(import.meta.url)
  return (require('../package.json') as { version: string }).version
}

export function cli(argv: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): number {
  let command
  try {
    command = parseCommand(argv)
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`spikecs: ${e.message}\n\n${usage()}\n`)
      return 2
    }
    throw e
  }
  switch (command.kind) {
    case 'help':
      io.stdout.write(usage() + '\n')
      return 0
    case 'version':
      io.stdout.write(version() + '\n')
      return 0
    case 'list':
      io.stdout.write(listing() + '\n')
      return 0
    case 'run':
      break
  }
  const req = command.request
  const hooks: RunHooks = {}
  let bar: cliProgress.SingleBar | null = null
  if (!req.quiet && io.stderr.isTTY === true) {
    bar = new cliProgress.SingleBar({
      stream: io.stderr, format: `${req.preset} {bar} {percentage}% | {value}/{total} ticks | {eta}s left`, hideCursor: true,
    }, cliProgress.Presets.shades_classic)
    hooks.onProgress = (done, total) => {
      if (done === total || done % Math.max(1, Math.floor(total / 100)) === 0) {
        if (bar !== null && !barStarted) {
          bar.start(total, 0)
          barStarted = true
        }
        bar?.update(done)
      }
    }
  }
  let barStarted = false
  let result
  try {
    result = executeRun(req, hooks)
  } catch (e) {
    if (bar !== null && barStarted) bar.stop()
    if (e instanceof SpikecsError) {
      // Refused by the preset or the engine while building (nothing has run when the tick is still 0).
      io.stderr.write(`spikecs: ${e.message}\n`)
      return 2
    }
    io.stderr.write(`spikecs: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`)
    return 1
  }
  if (bar !== null && barStarted) bar.stop()
  if (req.json) {
    io.stdout.write(JSON.stringify(result) + '\n')
  } else if (!req.quiet) {
    io.stdout.write(summary(result) + '\n')
  }
  return 0
}
