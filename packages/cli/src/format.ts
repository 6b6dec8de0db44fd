/** Human-readable texts of the CLI: usage, the preset listing and the run summary. */
import { presets } from '@spikecs/presets'
import { RUN_FLAGS } from './args.js'
import type { RunResult } from './run.js'

/** The presets whose default duration is not 1000 ms, as ` (name: N ms, …)`, or nothing. */
function ownDurations(): string {
  const own = Object.entries(presets).filter(([, e]) => e.def.defaultDurationMs !== undefined && e.def.defaultDurationMs !== 1000)
  return own.length === 0 ? '' : ` (${own.map(([name, e]) => `${name}: ${e.def.defaultDurationMs} ms`).join(', ')})`
}

export function usage(): string {
  return [
    'usage: spikecs run [preset] [--variant V] [--duration MS] [--dt MS] [--seed N] [--scale K]',
    '                   [--conn jit|csr] [--dtype float32|float64] [--kernel wasm|js] [--threads N|auto]',
    '                   [--set NAME=VALUE]...',
    '                   [--raster FILE.svg|FILE.png] [--weights FILE.svg|FILE.png] [--save-state FILE]',
    '                   [--resume FILE] [--no-checker] [--json] [--quiet]',
    '       spikecs export pynn [preset] [--conn exact|statistical] [--out FILE.py] …   (spikecs export --help)',
    '       spikecs list      presets, variants and parameters with defaults',
    '       spikecs help      (also -h, --help); spikecs --version',
    '',
    `presets: ${Object.keys(presets).join(', ')} (default coba); duration defaults to 1000 ms${ownDurations()},`,
    '  dt to 0.1 ms, seed to 1',
    '--weights FILE: the learnt weights of a plastic preset (song2000), histogram and a few synapses over time',
    `flags: ${RUN_FLAGS.join(' ')}`,
    '--scale K: nE = round(3200·K), nI = round(800·K), p = 0.02/K, weights unchanged; --set wins over --scale',
    '--threads N|auto: threads running the tick (default auto: the cores when the network is large enough to gain);',
    '  the spikes are the same for any count',
    '--json prints one JSON object (the run record) as the last line of stdout',
    '--save-state FILE writes the state after the run; --resume FILE continues from it (same arguments otherwise)',
    'values may begin with a dash (--seed -1 is read as a value); output paths are checked before the run',
  ].join('\n')
}

export function listing(): string {
  const out: string[] = []
  for (const [name, { def }] of Object.entries(presets)) {
    out.push(`${name}: ${def.summary}`)
    out.push(`  variants (--variant; default ${def.defaultVariant}):`)
    for (const v of def.variants) out.push(`    ${v.padEnd(8)} ${def.variantDocs[v]}`)
    out.push(`  connectivity (--conn): ${def.connectivities.join(', ')} (default ${def.defaultConn})`)
    out.push('  parameters (--set NAME=VALUE):')
    for (const p of def.params) {
      const scaled = p.scaled === 'times' ? '×K' : p.scaled === 'over' ? '/K' : ''
      const unit = p.unit === 'neurons' ? '' : p.unit
      out.push(`    ${p.name.padEnd(7)} ${String(p.default).padStart(6)} ${scaled.padEnd(2)} ${unit.padEnd(6)} ${p.doc}`)
    }
    out.push('')
  }
  return out.join('\n')
}

function fmt(x: number | null, digits: number): string {
  return x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits)
}

export function summary(r: RunResult): string {
  const sizes = Object.entries(r.sizes)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  const rows: [string, string][] = [
    ['neurons', `${r.n} (${sizes})`],
    ['synapses', `${Math.round(r.synapses)}${r.synapsesExact ? '' : ' (expected; on-the-fly connectivity)'}`],
    ['ticks', `${r.ticks} (${r.durationMs} ms at dt ${r.dtMs} ms)`],
    ...Object.entries(r.rates).map(([k, hz]) => [`rate ${k}`, `${fmt(hz, 2)} Hz`] as [string, string]),
    ['CV ISI (mean)', `${fmt(r.cvIsi, 3)} (over ${r.cvNeurons} neurons with >= 3 spikes)`],
    ['spikes', String(r.spikes)],
    ['synaptic events', String(r.events)],
    ['spike hash', `sha256 ${r.spikeHash}`],
    ['build', `${fmt(r.buildSeconds, 3)} s`],
    ['simulation', `${fmt(r.simSeconds, 3)} s`],
    ['ticks/s', fmt(r.ticksPerSecond, 0)],
    ['real-time factor', `${fmt(r.realTimeFactor, 2)} (biological s per wall s)`],
  ]
  if (r.raster !== null) rows.push(['raster', r.raster])
  const head =
    `spikecs run ${r.preset} --variant ${r.variant} --conn ${r.conn} --dtype ${r.dtype} --kernel ${r.kernel} ` +
    `--threads ${r.threads} --seed ${r.seed}` +
    (r.scale !== 1 ? ` --scale ${r.scale}` : '')
  return [head, ...rows.map(([k, v]) => `  ${k.padEnd(17)} ${v}`)].join('\n')
}
