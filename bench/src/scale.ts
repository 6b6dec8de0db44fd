/**
 * `pnpm bench:scale`: coba at N = 4 000 … 1 000 000 neurons with 80 inputs per neuron (`scale` K = N/4000,
 * p = 0.02/K), each size and form in its own process (so that the peak RSS, read in the child from
 * `process.resourceUsage().maxRSS`, is that size's alone). On-the-fly connectivity at every size, stored
 * rows up to 256 000; kernel wasm everywhere and js at the small sizes. The biological time shrinks with N so
 * the sweep takes minutes. No spike monitor (a small counter gives the rates), so memory is the network's.
 * Results: `bench/results/<date>-scale.json` and `latest-scale.md`.
 *
 *   pnpm bench:scale [--quick] [--max-n 256000] [--repeats 3]
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runChild } from './lib/child.js'
import { benchRoot, machine, machineLine, sig, table, writeResults } from './lib/report.js'
import { median, spread, type Spread } from './lib/stats.js'
import type { PresetRunResult } from './network/run-preset.js'

const { values: a } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, 'max-n': { type: 'string' }, repeats: { type: 'string' } },
})
const quick = a.quick!
const maxN = Number(a['max-n'] ?? (quick ? 64000 : 1_000_000))
const repeats = Number(a.repeats ?? (quick ? 1 : 3))
const log = (s: string) => process.stderr.write(`${s}\n`)
const child = join(benchRoot, 'dist', 'network', 'child.js')

/** Biological ms simulated per size: ~1–10 s of simulation each on this machine. */
const durationMs: Record<number, number> = { 4000: 1000, 16000: 500, 64000: 200, 256000: 100, 1000000: 100 }

interface ScaleConfig {
  readonly n: number
  readonly conn: 'jit' | 'csr'
  readonly kernel: 'wasm' | 'js'
  readonly ms: number
  /** Runs of this configuration (small sizes are cheap: repeat them for a median). */
  readonly runs: number
}

const configs: ScaleConfig[] = []
for (const n of [4000, 16000, 64000, 256000, 1000000]) {
  if (n > maxN) continue
  const ms = quick ? Math.max(50, durationMs[n] / 5) : durationMs[n]
  const runs = n <= 16000 ? repeats : 1
  configs.push({ n, conn: 'jit', kernel: 'wasm', ms, runs })
  if (n <= 256000) configs.push({ n, conn: 'csr', kernel: 'wasm', ms, runs })
  if (n <= 16000) {
    configs.push({ n, conn: 'jit', kernel: 'js', ms, runs })
    configs.push({ n, conn: 'csr', kernel: 'js', ms, runs })
  }
}

interface ScaleRecord {
  readonly config: ScaleConfig
  readonly runs: PresetRunResult[]
  readonly wallSeconds: number[]
  readonly errors: string[]
}

const m = machine()
const t0 = Date.now()
const floor = await runChild(process.execPath, [child, '--floor'], { timeoutMs: 60_000 })
const floorMiB = floor.error === null ? Number(floor.json?.peakRssMiB) : NaN

const records: ScaleRecord[] = configs.map((config) => ({ config, runs: [], wallSeconds: [], errors: [] }))
const maxRuns = Math.max(...configs.map((c) => c.runs))
for (let r = 0; r < maxRuns; r++) {
  for (const rec of records) {
    const c = rec.config
    if (r >= c.runs) continue
    log(`scale N=${c.n} ${c.conn} ${c.kernel} ${c.ms} ms (run ${r + 1}/${c.runs}) …`)
    const res = await runChild(
      process.execPath,
      [
        // 4 GiB of heap: the stored rows of 256 000 neurons (20 M synapses) are built through JS arrays.
        '--max-old-space-size=4096',
        child,
        '--preset',
        'coba',
        '--conn',
        c.conn,
        '--kernel',
        c.kernel,
        '--scale',
        String(c.n / 4000),
        '--ms',
        String(c.ms),
        '--breakdown-ms',
        String(c.ms / 5),
      ],
      { timeoutMs: 15 * 60_000 },
    )
    if (res.error !== null) {
      rec.errors.push(res.error)
      log(`  failed: ${res.error}`)
    } else {
      rec.runs.push(res.json as unknown as PresetRunResult)
      rec.wallSeconds.push(res.wallSeconds)
    }
  }
}

interface ScaleSummary {
  readonly config: ScaleConfig
  readonly synapses: number
  readonly synapsesExact: boolean
  readonly secondsPerBioSecond: Spread
  /** CPU seconds during `run()` per biological second: the figure least touched by other processes. */
  readonly cpuPerBioSecond: number
  readonly nsPerNeuronTick: Spread
  /** The same from CPU time. */
  readonly cpuNsPerNeuronTick: number
  readonly neuronNsPerNeuronTick: number
  readonly commNsPerEvent: number
  readonly buildSeconds: number
  readonly peakRssMiB: number
  readonly rates: Record<string, number>
  /** ns per neuron-tick (all systems, wall; CPU) ÷ that of the same form at N = 4000. */
  readonly vs4k: number
  readonly cpuVs4k: number
  readonly errors: string[]
}

const base = new Map<string, number>()
const cpuBase = new Map<string, number>()
const summaries: ScaleSummary[] = records.map((rec) => {
  const runs = rec.runs
  const nsNt = spread(runs.map((x) => x.nsPerNeuronTick))
  const form = `${rec.config.conn} ${rec.config.kernel}`
  const cpuNs = median(runs.map((x) => (x.simCpuSeconds * 1e9) / (x.n * x.ticks)))
  if (rec.config.n === 4000) {
    base.set(form, nsNt.median)
    cpuBase.set(form, cpuNs)
  }
  const rates: Record<string, number> = {}
  for (const g of Object.keys(runs[0]?.rates ?? {})) rates[g] = median(runs.map((x) => x.rates[g]))
  return {
    config: rec.config,
    synapses: runs[0]?.synapses ?? NaN,
    synapsesExact: runs[0]?.synapsesExact ?? false,
    secondsPerBioSecond: spread(runs.map((x) => x.secondsPerBioSecond)),
    nsPerNeuronTick: nsNt,
    cpuNsPerNeuronTick: cpuNs,
    cpuPerBioSecond: median(runs.map((x) => x.simCpuSeconds / (x.durationMs / 1000))),
    neuronNsPerNeuronTick: median(runs.map((x) => x.perUnit?.neuronNsPerNeuronTick ?? NaN)),
    commNsPerEvent: median(runs.map((x) => x.perUnit?.commNsPerEvent ?? NaN)),
    buildSeconds: median(runs.map((x) => x.buildSeconds)),
    peakRssMiB: median(runs.map((x) => x.peakRssMiB)),
    rates,
    vs4k: nsNt.median / (base.get(form) ?? NaN),
    cpuVs4k: cpuNs / (cpuBase.get(form) ?? NaN),
    errors: rec.errors,
  }
})

const rows = summaries.map((s) => {
  const c = s.config
  if (s.secondsPerBioSecond.n === 0)
    return [String(c.n), c.conn, c.kernel, `${c.ms}`, `failed: ${s.errors[0] ?? ''}`, '', '', '', '', '', '', '', '', '']
  const range = s.secondsPerBioSecond.n > 1 ? ` [${sig(s.secondsPerBioSecond.min)}–${sig(s.secondsPerBioSecond.max)}]` : ''
  return [
    c.n.toLocaleString('en-US'),
    c.conn,
    c.kernel,
    String(c.ms),
    `${sig(s.secondsPerBioSecond.median)}${range}`,
    sig(s.cpuPerBioSecond),
    `${sig(s.nsPerNeuronTick.median)} (${sig(s.cpuNsPerNeuronTick)})`,
    `${sig(s.vs4k)}× (${sig(s.cpuVs4k)}×)`,
    sig(s.neuronNsPerNeuronTick),
    sig(s.commNsPerEvent),
    sig(s.buildSeconds),
    `${sig(s.peakRssMiB)} (${sig((s.peakRssMiB * 2 ** 20) / 1e6)} MB)`,
    `${(s.synapses / 1e6).toFixed(2)} M${s.synapsesExact ? '' : ' (expected)'}`,
    Object.entries(s.rates)
      .map(([g, v]) => `${g} ${v.toFixed(1)}`)
      .join(', '),
  ]
})
const md = [
  `## spikecs scaling (\`pnpm bench:scale\`${quick ? ' --quick' : ''}): coba, 80 inputs per neuron`,
  '',
  `Machine: ${machineLine(m)}. Shared and noisy; sizes ≤ 16 000: median [min–max] of ${repeats} runs, larger: one run.`,
  `Peak RSS of a Node process that only loaded spikecs: ${sig(floorMiB)} MiB. No spike monitor.`,
  '',
  table(
    [
      'N',
      'conn',
      'kernel',
      'bio ms',
      'sim s per bio s',
      'CPU s per bio s',
      'ns per neuron-tick, all systems: wall (CPU)',
      'vs N = 4000: wall (CPU)',
      'NeuronSystem ns per neuron-tick',
      'CommSystem ns per event',
      'build s',
      'peak RSS MiB',
      'synapses',
      'rates Hz',
    ],
    rows,
  ),
  '',
].join('\n')
// Quick or partial runs never replace the full results.
const paths = writeResults(
  quick || maxN < 1_000_000 || repeats < 3 ? 'scale-partial' : 'scale',
  { suite: 'scale', machine: m, quick, floorMiB, seconds: (Date.now() - t0) / 1000, summaries, runs: records },
  md,
)
process.stdout.write(`${md}\n`)
log(`results: ${paths.json}, ${paths.md} (${Math.round((Date.now() - t0) / 1000)} s)`)
