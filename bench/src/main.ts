/**
 * `pnpm bench`: the per-system microbenchmarks (each beside a plain typed-array loop in the same process,
 * reported as a ratio) and the end-to-end runs of `coba` and `einet` (halfMg) at 4000 neurons for 1 s of
 * biological time. Every scenario and every run is a child process; results go to
 * `bench/results/<date>-bench.json` and `bench/results/latest-bench.md` (also printed).
 *
 *   pnpm bench [--quick] [--only micro|e2e|<scenario-id prefix>,…] [--processes 3] [--rounds 2] [--max-time 0.3]
 *              [--e2e-rounds 3]
 */
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runChild } from './lib/child.js'
import { summarizeScenario, type CaseResult, type ScenarioRaw, type ScenarioResult } from './lib/micro.js'
import { benchRoot, iqrText, machine, machineLine, ratioText, sig, table, writeResults } from './lib/report.js'
import { median, pairedRatios, spread, type Spread } from './lib/stats.js'
import type { PresetRunResult } from './network/run-preset.js'
import { scenarioIds } from './scenarios.js'

const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    processes: { type: 'string' },
    rounds: { type: 'string' },
    'max-time': { type: 'string' },
    'e2e-rounds': { type: 'string' },
  },
})
const quick = a.quick!
/** Each scenario runs in `processes` fresh processes of `rounds` rounds each. */
const processes = Number(a.processes ?? (quick ? 1 : 3))
const rounds = Number(a.rounds ?? 2)
const maxTime = Number(a['max-time'] ?? (quick ? 0.12 : 0.3))
const e2eRounds = Number(a['e2e-rounds'] ?? (quick ? 1 : 3))
const e2eMs = quick ? 200 : 1000
const only =
  a.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean) ?? null
const wanted = (id: string) => only === null || only.some((p) => id.startsWith(p))
const dist = join(benchRoot, 'dist')
const log = (s: string) => process.stderr.write(`${s}\n`)

// --- microbenchmarks ------------------------------------------------------------------------------------

interface MicroRecord {
  readonly id: string
  readonly result: ScenarioResult | null
  readonly error: string | null
}

async function micro(): Promise<MicroRecord[]> {
  const out: MicroRecord[] = []
  for (const id of scenarioIds.filter((id) => only === null || wanted('micro') || wanted(id))) {
    const raws: ScenarioRaw[] = []
    const errors: string[] = []
    for (let p = 0; p < processes; p++) {
      log(`micro ${id} (process ${p + 1}/${processes}) …`)
      const r = await runChild(
        process.execPath,
        [join(dist, 'micro-child.js'), '--scenario', id, '--rounds', String(rounds), '--max-time', String(maxTime)],
        { timeoutMs: 60_000 + rounds * 200_000 * maxTime },
      )
      if (r.error === null) raws.push(r.json as unknown as ScenarioRaw)
      else {
        errors.push(r.error)
        log(`  failed: ${r.error}`)
      }
    }
    out.push({ id, result: raws.length ? summarizeScenario(raws) : null, error: errors[0] ?? null })
  }
  return out
}

function caseRow(s: ScenarioResult, c: CaseResult, isBase: boolean): string[] {
  return [
    isBase ? `${s.title} (per ${s.unit})` : '',
    c.name,
    iqrText(c.nsPerUnit),
    isBase ? '1 (baseline)' : ratioText(c.ratio as Spread),
    sig(c.rme, 2),
  ]
}

function microTable(records: readonly MicroRecord[]): string {
  const rows: string[][] = []
  for (const r of records) {
    if (r.result === null) {
      rows.push([r.id, `failed: ${r.error}`, '', '', ''])
      continue
    }
    const s = r.result
    rows.push(caseRow(s, s.baseline, true))
    for (const c of s.cases) rows.push(caseRow(s, c, false))
    if (s.check !== null) rows.push(['', `check failed: ${s.check}`, '', '', ''])
  }
  return table(
    ['scenario (unit)', 'case', 'ns per unit, median [IQR]', 'ratio to the plain loop, median [min–max over rounds]', 'rme %'],
    rows,
  )
}

// --- end to end -----------------------------------------------------------------------------------------

interface E2eConfig {
  readonly preset: 'coba' | 'einet'
  readonly variant: string
  readonly conn: 'csr' | 'jit'
  readonly kernel: 'js' | 'wasm'
}

const e2eConfigs: E2eConfig[] = []
for (const [preset, variant] of [
  ['coba', 'default'],
  ['einet', 'halfMg'],
] as const) {
  for (const conn of ['csr', 'jit'] as const) {
    for (const kernel of ['wasm', 'js'] as const) e2eConfigs.push({ preset, variant, conn, kernel })
  }
}
const key = (c: E2eConfig) => `${c.preset} ${c.variant} ${c.conn} ${c.kernel}`

interface E2eRecord {
  readonly config: E2eConfig
  readonly runs: PresetRunResult[]
  readonly errors: string[]
}

async function e2e(): Promise<E2eRecord[]> {
  const recs = e2eConfigs.map((config) => ({ config, runs: [] as PresetRunResult[], errors: [] as string[] }))
  for (let r = 0; r < e2eRounds; r++) {
    // Every configuration once per round, the order rotated from round to round.
    for (let k = 0; k < recs.length; k++) {
      const rec = recs[(k + r) % recs.length]
      const c = rec.config
      log(`e2e round ${r + 1}/${e2eRounds}: ${key(c)} …`)
      const res = await runChild(
        process.execPath,
        [
          join(dist, 'network', 'child.js'),
          '--preset',
          c.preset,
          '--variant',
          c.variant,
          '--conn',
          c.conn,
          '--kernel',
          c.kernel,
          '--ms',
          String(e2eMs),
          '--record',
          '--breakdown-ms',
          String(e2eMs / 5),
        ],
        { timeoutMs: 120_000 },
      )
      if (res.error !== null) {
        rec.errors.push(res.error)
        log(`  failed: ${res.error}`)
      } else rec.runs.push(res.json as unknown as PresetRunResult)
    }
  }
  return recs
}

interface E2eSummary {
  readonly config: E2eConfig
  readonly n: number
  readonly secondsPerBioSecond: Spread
  /** CPU seconds of the process during `run()` per biological second (see PresetRunResult.simCpuSeconds). */
  readonly cpuPerBioSecond: Spread
  readonly ticksPerSecond: Spread
  readonly buildSeconds: Spread
  readonly nsPerNeuronTick: Spread
  readonly rates: Record<string, number>
  readonly events: number
  /** Median µs per tick per system (breakdown stretch). */
  readonly systemsUs: Record<string, number>
  /** Median over rounds of js time ÷ wasm time of the same round (js rows only). */
  readonly jsOverWasm: Spread | null
  readonly errors: string[]
}

function summarize(recs: readonly E2eRecord[]): E2eSummary[] {
  const byKey = new Map(recs.map((r) => [key(r.config), r]))
  return recs.map((r) => {
    const runs = r.runs
    const systemsUs: Record<string, number> = {}
    for (const name of Object.keys(runs[0]?.systems ?? {})) {
      systemsUs[name] = median(runs.map((x) => (x.systems?.[name] ?? NaN) / 1000))
    }
    const rates: Record<string, number> = {}
    for (const g of Object.keys(runs[0]?.rates ?? {})) rates[g] = median(runs.map((x) => x.rates[g]))
    let jsOverWasm: Spread | null = null
    if (r.config.kernel === 'js') {
      const twin = byKey.get(key({ ...r.config, kernel: 'wasm' }))
      if (twin && twin.runs.length > 0) {
        jsOverWasm = spread(
          pairedRatios(
            runs.map((x) => x.simSeconds),
            twin.runs.map((x) => x.simSeconds),
          ),
        )
      }
    }
    return {
      config: r.config,
      n: runs[0]?.n ?? 0,
      secondsPerBioSecond: spread(runs.map((x) => x.secondsPerBioSecond)),
      cpuPerBioSecond: spread(runs.map((x) => x.simCpuSeconds / (x.durationMs / 1000))),
      ticksPerSecond: spread(runs.map((x) => x.ticksPerSecond)),
      buildSeconds: spread(runs.map((x) => x.buildSeconds)),
      nsPerNeuronTick: spread(runs.map((x) => x.nsPerNeuronTick)),
      rates,
      events: median(runs.map((x) => x.events)),
      systemsUs,
      jsOverWasm,
      errors: r.errors,
    }
  })
}

const SYSTEMS = [
  'DelaySystem',
  'CommSystem',
  'AlignPostSystem',
  'OutputSystem',
  'NeuronSystem',
  'MonitorSystem',
  'CheckerSystem',
  'ClockSystem',
]

function e2eTables(sums: readonly E2eSummary[]): string {
  const main = table(
    [
      'preset (variant)',
      'conn',
      'kernel',
      'sim s per bio s, median [min–max]',
      'CPU s per bio s',
      'ticks per s',
      'build s',
      'ns per neuron-tick (all systems)',
      'rates Hz',
      'js ÷ wasm',
    ],
    sums.map((s) => [
      `${s.config.preset} (${s.config.variant})`,
      s.config.conn,
      s.config.kernel,
      s.secondsPerBioSecond.n
        ? `${sig(s.secondsPerBioSecond.median)} [${sig(s.secondsPerBioSecond.min)}–${sig(s.secondsPerBioSecond.max)}]`
        : `failed: ${s.errors[0] ?? ''}`,
      sig(s.cpuPerBioSecond.median),
      sig(s.ticksPerSecond.median),
      sig(s.buildSeconds.median),
      sig(s.nsPerNeuronTick.median),
      Object.entries(s.rates)
        .map(([g, v]) => `${g} ${v.toFixed(2)}`)
        .join(', '),
      s.jsOverWasm ? ratioText(s.jsOverWasm) : '',
    ]),
  )
  const where = table(
    ['preset (variant)', 'conn', 'kernel', ...SYSTEMS.map((s) => s.replace('System', '')), 'sum µs per tick'],
    sums
      .filter((s) => Object.keys(s.systemsUs).length > 0)
      .map((s) => {
        const total = SYSTEMS.reduce((acc, k) => acc + (s.systemsUs[k] ?? 0), 0)
        return [
          `${s.config.preset} (${s.config.variant})`,
          s.config.conn,
          s.config.kernel,
          ...SYSTEMS.map((k) => `${sig(s.systemsUs[k] ?? 0, 2)} (${Math.round((100 * (s.systemsUs[k] ?? 0)) / total)} %)`),
          sig(total),
        ]
      }),
  )
  return (
    `${main}\n\nWhere a tick's time goes (µs per tick and share, median over rounds; a clock around ` +
    `each system, its own cost subtracted; fused populations do slots 3–5 inside ` +
    `NeuronSystem):\n\n${where}`
  )
}

// --- main -------------------------------------------------------------------------------------------------

const m = machine()
const t0 = Date.now()
const microRecords = only === null || scenarioIds.some(wanted) || wanted('micro') ? await micro() : []
const e2eRecords = only === null || wanted('e2e') ? await e2e() : []
const e2eSums = summarize(e2eRecords)

const md = [
  `## spikecs benchmarks (\`pnpm bench\`${quick ? ' --quick' : ''})`,
  '',
  `Machine: ${machineLine(m)}. Shared and noisy: read the ratios (paired within a round), not absolute times.`,
  '',
  microRecords.length
    ? `### Per system, beside a plain Float32Array loop in the same process (${processes} processes × ` +
      `${rounds} rounds × ${maxTime} s per case; ratio < 1: faster than the plain ` +
      `loop)\n\n${microTable(microRecords)}\n`
    : '',
  e2eSums.length
    ? `### End to end, 4000 neurons, ${e2eMs / 1000} s biological (${e2eRounds} rounds, each run its ` +
      `own process; spike monitor on)\n\n${e2eTables(e2eSums)}\n`
    : '',
].join('\n')

// Quick or partial runs never replace the full results.
const paths = writeResults(
  quick || only !== null ? 'bench-partial' : 'bench',
  {
    suite: 'bench',
    machine: m,
    quick,
    options: { processes, rounds, maxTime, e2eRounds, e2eMs },
    seconds: (Date.now() - t0) / 1000,
    micro: microRecords,
    e2e: e2eSums,
    e2eRuns: e2eRecords,
  },
  md,
)
process.stdout.write(`${md}\n`)
log(`results: ${paths.json}, ${paths.md} (${Math.round((Date.now() - t0) / 1000)} s)`)
