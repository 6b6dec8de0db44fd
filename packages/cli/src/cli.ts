/**
 * The `spikecs` command as a function of its arguments and output streams, returning the exit code:
 * 0 success, 2 a usage error (one line and a hint; nothing was built or run), 1 a failure while running or
 * while writing a file at the end (the run's record is printed first).
 */
import { createRequire } from 'node:module'
import { SpikecsError } from '@spikecs/ecs-core'
import cliProgress from 'cli-progress'
import { parseCommand } from './args.js'
import { exportCli } from './export.js'
import { listing, summary, usage } from './format.js'
import { describeFailure } from './failure.js'
import { finishRun, prepareRun, writeOutputs, type RunHooks } from './run.js'
import type { CliIO } from './io.js'
import { UsageError } from './usage-error.js'

function version(): string {
  const require = createRequire(import.meta.url)
  return (require('../package.json') as { version: string }).version
}

export function cli(argv: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): number {
  if (argv[0] === 'export') return exportCli(argv.slice(1), io)
  let command: ReturnType<typeof parseCommand>
  try {
    command = parseCommand(argv)
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`spikecs: ${e.message}\n${e.hint ? "Run 'spikecs --help' for usage.\n" : ''}`)
      return 2
    }
    throw e
  }
  switch (command.kind) {
    case 'help':
      io.stdout.write(`${usage()}\n`)
      return 0
    case 'version':
      io.stdout.write(`${version()}\n`)
      return 0
    case 'list':
      io.stdout.write(`${listing()}\n`)
      return 0
    case 'run':
      break
  }
  const req = command.request
  const hooks: RunHooks = {}
  // The bar appears on a terminal only, once the network is built and the first ticks have run.
  let bar: cliProgress.SingleBar | null = null
  if (!req.quiet && io.stderr.isTTY === true) {
    hooks.onProgress = (done, total) => {
      if (bar === null) {
        bar = new cliProgress.SingleBar(
          { stream: io.stderr, hideCursor: true, format: `${req.preset} {bar} {percentage}% | {value}/{total} ticks | ETA {eta}s` },
          cliProgress.Presets.shades_classic,
        )
        bar.start(total, 0)
      }
      bar.update(done)
    }
  }
  const stopBar = () => (bar as cliProgress.SingleBar | null)?.stop()
  let prep: ReturnType<typeof prepareRun>
  try {
    prep = prepareRun(req)
  } catch (e) {
    if (e instanceof SpikecsError) {
      // Refused by the preset or the engine while building: nothing has run.
      io.stderr.write(`spikecs: ${e.message}\n`)
      return 2
    }
    io.stderr.write(`spikecs: ${describeFailure(e)}\n`)
    return 1
  }
  let result: ReturnType<typeof finishRun>
  try {
    result = finishRun(prep, hooks)
  } catch (e) {
    stopBar()
    io.stderr.write(`spikecs: ${describeFailure(e)}\n`)
    return 1
  }
  stopBar()
  // The record first: if a file cannot be written below, the run's numbers are not lost with it.
  if (req.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`)
  } else if (!req.quiet) {
    io.stdout.write(`${summary(result)}\n`)
  }
  const failures = writeOutputs(prep)
  for (const f of failures) io.stderr.write(`spikecs: ${f}\n`)
  return failures.length > 0 ? 1 : 0
}
