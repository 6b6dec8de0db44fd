/**
 * `spikecs export pynn [preset] …`: builds a preset and writes it as a runnable PyNN script (see
 * `exportPyNN` in @spikecs/presets), with its connection lists in a `.npz` file next to the script when
 * they are large. Exit codes as for `run`: 0 written, 2 a usage error or a network PyNN cannot express
 * (nothing written), 1 an unexpected failure.
 */
import { writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { SpikecsError } from '@spikecs/ecs-core'
import { buildPreset, exportPyNN, PYNN_SIMULATORS, type PyNNSimulator } from '@spikecs/presets'
import { numberFlag, parseFlags, presetSelection, PRESET_OPTIONS, type PresetSelection } from './args.js'
import { describeFailure } from './failure.js'
import { checkOutputPath } from './paths.js'
import type { CliIO } from './io.js'
import { UsageError } from './usage-error.js'

export const EXPORT_FLAGS = [
  '--variant V',
  '--set NAME=VALUE',
  '--scale K',
  '--seed N',
  '--dt MS',
  '--dtype float32|float64',
  '--conn exact|statistical',
  '--duration MS',
  '--simulator brian2|nest|neuron|spiNNaker',
  '--resistance MOHM',
  '--out FILE.py',
  '--quiet',
  '--help',
] as const

export function exportUsage(): string {
  return [
    'usage: spikecs export pynn [preset] [--variant V] [--set NAME=VALUE]... [--scale K] [--seed N] [--dt MS]',
    '                           [--dtype float32|float64] [--conn exact|statistical] [--duration MS]',
    '                           [--simulator brian2|nest|neuron|spiNNaker] [--resistance MOHM] [--out FILE.py] [--quiet]',
    '',
    'Writes a PyNN 0.10 script that builds the preset network and prints its rates as one JSON line;',
    'run it with `python3 FILE.py [brian2|nest|neuron|spiNNaker]`, on K MPI processes `mpirun -np K python3 FILE.py neuron`.',
    '--conn exact (default): the realised connections (FromListConnector; FILE.npz next to the script when large);',
    '       statistical: PyNN connectors drawing a new matrix with the same law (FixedProbabilityConnector…)',
    "--simulator: the script's default simulator (brian2); --resistance: membrane resistance of the unit",
    '       conversion in MOhm (100); --duration defaults to 1000 ms. Without --out the script goes to stdout.',
  ].join('\n')
}

/** A fully checked `spikecs export pynn`. */
export interface ExportRequest extends PresetSelection {
  readonly conn: 'exact' | 'statistical'
  readonly simulator: PyNNSimulator
  readonly resistanceMOhm: number
  readonly out: string | null
  readonly quiet: boolean
}

/** Parses the arguments after `export`; null means help was asked for. */
export function parseExport(argv: readonly string[]): ExportRequest | null {
  const parsed = parseFlags(
    argv,
    {
      ...PRESET_OPTIONS,
      conn: { type: 'string' },
      simulator: { type: 'string' },
      resistance: { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    EXPORT_FLAGS,
  )
  const { values: v, positionals } = parsed
  if (v.help) return null
  const format = positionals[0]
  if (format !== 'pynn') {
    throw new UsageError(
      format === undefined
        ? 'export needs a format: spikecs export pynn [preset] …'
        : `unknown export format ${JSON.stringify(format)} (valid formats: pynn)`,
    )
  }
  if (positionals.length > 2) throw new UsageError(`export pynn takes at most one preset (got ${positionals.slice(1).join(' ')})`)
  const sel = presetSelection(positionals[1], v)
  const conn = v.conn ?? 'exact'
  if (conn !== 'exact' && conn !== 'statistical') {
    throw new UsageError(`--conn must be exact or statistical for export (got ${JSON.stringify(conn)})`)
  }
  const simulator = (v.simulator ?? 'brian2') as PyNNSimulator
  if (!PYNN_SIMULATORS.includes(simulator)) {
    throw new UsageError(`--simulator must be one of ${PYNN_SIMULATORS.join(', ')} (got ${JSON.stringify(v.simulator)})`)
  }
  const resistanceMOhm = numberFlag('resistance', v.resistance, 100, 'positive')
  if (v.out !== undefined && !/\.py$/.test(v.out)) throw new UsageError(`--out must name a .py file (got ${JSON.stringify(v.out)})`)
  if (v.out !== undefined) checkOutputPath('--out', v.out)
  return { ...sel, conn, simulator, resistanceMOhm, out: v.out ?? null, quiet: v.quiet === true }
}

/** `spikecs export …` as a function of its arguments and output streams; returns the exit code. */
export function exportCli(argv: readonly string[], io: CliIO): number {
  let req: ExportRequest | null
  try {
    req = parseExport(argv)
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`spikecs: ${e.message}\n${e.hint ? "Run 'spikecs export --help' for usage.\n" : ''}`)
      return 2
    }
    throw e
  }
  if (req === null) {
    io.stdout.write(`${exportUsage()}\n`)
    return 0
  }
  try {
    const t0 = performance.now()
    const net = buildPreset(req.preset, {
      ...req.set,
      variant: req.variant,
      seed: req.seed,
      dtype: req.dtype,
      dtMs: req.dtMs,
      scale: req.scale,
      record: false,
    })
    const t1 = performance.now()
    const scriptName = req.out === null ? 'net.py' : basename(req.out)
    const dataFile = scriptName.replace(/\.py$/, '.npz')
    const command = [
      'spikecs export pynn',
      req.preset,
      `--variant ${req.variant}`,
      `--seed ${req.seed}`,
      ...(req.scale !== 1 ? [`--scale ${req.scale}`] : []),
      ...Object.entries(req.set).map(([k, x]) => `--set ${k}=${x}`),
      `--conn ${req.conn}`,
      `--duration ${req.durationMs}`,
    ].join(' ')
    const ex = exportPyNN(net.world, {
      durationMs: req.durationMs,
      conn: req.conn,
      simulator: req.simulator,
      resistanceMOhm: req.resistanceMOhm,
      groups: net.groups,
      scriptName,
      dataFile,
      data: req.out === null ? 'inline' : 'auto',
      title: `spikecs ${net.preset} network (variant ${req.variant}, seed ${req.seed}) for PyNN: ${command}`,
    })
    const t2 = performance.now()
    if (req.out === null) {
      io.stdout.write(ex.script)
    } else {
      writeFileSync(req.out, ex.script)
      if (ex.data !== null && ex.dataFile !== null) writeFileSync(join(dirname(req.out), ex.dataFile), ex.data)
    }
    if (!req.quiet) {
      const files =
        req.out === null
          ? 'stdout'
          : ex.dataFile !== null
            ? `${req.out} and ${join(dirname(req.out), ex.dataFile)} (${(ex.data!.length / 1e6).toFixed(1)} MB)`
            : req.out
      io.stderr.write(
        `spikecs: wrote ${files}: ${net.world.nNeurons} neurons, ` +
          `${ex.synapsesExact ? '' : 'about '}${Math.round(ex.synapses)} synapses (${req.conn}), ` +
          `${req.durationMs} ms for ${req.simulator}; ` +
          `build ${((t1 - t0) / 1000).toFixed(2)} s, export ${((t2 - t1) / 1000).toFixed(2)} s\n`,
      )
    }
    return 0
  } catch (e) {
    if (e instanceof SpikecsError) {
      io.stderr.write(`spikecs: export pynn: ${e.message}\n`)
      return 2
    }
    io.stderr.write(`spikecs: export pynn: ${describeFailure(e)}\n`)
    return 1
  }
}
