/**
 * `pnpm bench:threads`: coba (float32, WebAssembly kernels) on 1 and 2 threads, paired round by round (each
 * round runs both thread counts back to back, in alternating order, each in its own process), at 4000 neurons
 * with stored rows, 256 000 with stored and on-the-fly rows and 1 000 000 on the fly; a sweep of sizes for the
 * break-even of `threads: 'auto'`; and the machine's streaming memory bandwidth with 1 and 2 threads
 * (stream-child.ts), the ceiling of what a second thread can add to a memory-bound tick. Every pair must give
 * the same spike checksum. Per-phase timers (a separate stretch after each 2-thread run) say where the tick's
 * time goes: staging on the main thread, comm and neuron kernels and waits on each thread.
 * The sweep also runs `threads: 'auto'` (the count `run` measured as faster, threads/auto.ts) and reports what
 * it chose. With the anchors folder (`$SPIKECS_ANCHORS`, by default ../shared/anchors), each round also runs the
 * single-threaded C reference (csr, float32) at 4000 and 256 000 neurons and Brian2 standalone with 2 OpenMP
 * threads at 64 000, for the ratios of spikecs on 2 threads to them in the same round.
 * Results: `bench/results/<date>-threads.json` and `latest-threads.md`.
 *
 *   pnpm bench:threads [--quick] [--rounds 3] [--no-sweep] [--sweep-only] [--no-peers]
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { runChild } from './lib/child.js'
import { benchRoot, machine, machineLine, repoRoot, sig, table, writeResults } from './lib/report.js'
import { spread, type Spread } from './lib/stats.js'

const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'no-sweep': { type: 'boolean', default: false },
    'sweep-only': { type: 'boolean', default: false },
    'no-peers': { type: 'boolean', default: false },
  },
})
const quick = a.quick!
const rounds = Number(a.rounds ?? (quick ? 1 : 3))
const log = (s: string) => process.stderr.write(`${s}\n`)
const child = join(benchRoot, 'dist', 'threads-child.js')
const streamChild = join(benchRoot, 'dist', 'stream-child.js')

interface Config {
  readonly n: number
  readonly conn: 'csr' | 'jit'
  readonly ms: number
  readonly sweep: boolean
}

/** Biological ms per size: a few seconds of simulation each on this machine. */
function msFor(n: number): number {
  const ms = n <= 4000 ? 1000 : n <= 32000 ? 400 : n <= 128000 ? 200 : n <= 256000 ? 100 : 50
  return quick ? Math.max(20, ms / 5) : ms
}

const configs: Config[] = []
if (!a['sweep-only']) {
  configs.push({ n: 4000, conn: 'csr', ms: msFor(4000), sweep: false })
  configs.push({ n: 256000, conn: 'csr', ms: msFor(256000), sweep: false })
  configs.push({ n: 256000, conn: 'jit', ms: msFor(256000), sweep: false })
  configs.push({ n: 1000000, conn: 'jit', ms: msFor(1000000), sweep: false })
}
if (!a['no-sweep']) {
  for (const n of [8000, 16000, 32000, 64000, 128000]) {
    for (const conn of ['jit', 'csr'] as const) configs.push({ n, conn, ms: msFor(n), sweep: true })
  }
}

interface Run {
  readonly usPerTick: number
  readonly checksum: number
  readonly spikes: number
  readonly events: number
  readonly timers: { ticks: number; wallMs: number; threads: Record<string, number>[] } | null
}

interface Record1 {
  readonly config: Config
  readonly t1: Run[]
  readonly t2: Run[]
  /** Per round: the compute probe's 2 ÷ 1 ratio just before the pair (how free the second core was). */
  readonly probe: number[]
  /** Sweep only: `threads: 'auto'` (its measured choice in `auto`). */
  readonly auto: (Run & { threads: number })[]
  readonly errors: string[]
}

async function runOne(c: Config, threads: number | 'auto'): Promise<Run | string> {
  const res = await runChild(
    process.execPath,
    [
      '--max-old-space-size=4096',
      child,
      '--conn',
      c.conn,
      '--scale',
      String(c.n / 4000),
      '--ms',
      String(c.ms),
      '--threads',
      String(threads),
      '--timers-ms',
      threads !== 'auto' && threads > 1 ? String(Math.max(10, c.ms / 5)) : '0',
    ],
    { timeoutMs: 900_000 },
  )
  if (res.error !== null || res.json === null || typeof res.json.error === 'string') {
    return String(res.json?.error ?? res.error ?? 'no result')
  }
  return res.json as unknown as Run
}

const m = machine()
const t0 = Date.now()

log('stream triad and compute probe, 1 and 2 threads …')
const streams: { gbps1: number; gbps2: number; ratio: number; computeRatio: number }[] = []
for (let r = 0; r < (quick ? 1 : 3); r++) {
  const s = await runChild(process.execPath, [streamChild, '--reps', quick ? '4' : '10'], { timeoutMs: 300_000 })
  if (s.json !== null) streams.push(s.json as never)
}

// --- The anchors: C reference (csr, float32, one thread) and Brian2 standalone on 2 OpenMP threads -------------
interface Peer {
  readonly id: string
  readonly n: number
  readonly ms: number
  readonly cmd: string
  readonly args: readonly string[]
  readonly env?: NodeJS.ProcessEnv
  readonly simKey: string
  readonly usPerTick: number[]
  readonly errors: string[]
}
const peers: Peer[] = []
const peerNotes: string[] = []
const anchors = resolve(process.env.SPIKECS_ANCHORS ?? join(repoRoot, '..', 'shared', 'anchors'))
if (!a['no-peers'] && !a['sweep-only'] && existsSync(join(anchors, 'coba_ref.c'))) {
  const tmp = mkdtempSync(join(os.tmpdir(), 'spikecs-threads-'))
  const cBin = join(tmp, 'coba_ref')
  const gcc = spawnSync('gcc', ['-O3', '-march=native', '-ffast-math', '-o', cBin, join(anchors, 'coba_ref.c'), '-lm'], {
    encoding: 'utf8',
  })
  if (gcc.status === 0) {
    for (const n of [4000, 256000]) {
      const ms = msFor(n)
      const args = ['--mode', 'csr', '--N', String(n), '--T', String(ms), '--seed', '1']
      peers.push({ id: `c-csr-${n}`, n, ms, cmd: cBin, args, simKey: 't_sim_s', usPerTick: [], errors: [] })
    }
  } else peerNotes.push('C reference not built (gcc failed).')
  const python = process.env.SPIKECS_PYTHON ?? '/usr/bin/python3'
  const home = join(tmp, 'home')
  mkdirSync(home)
  const env = { ...process.env, HOME: home }
  if (spawnSync(python, ['-c', 'import brian2'], { env }).status === 0 && existsSync(join(anchors, 'coba_brian2.py'))) {
    const n = 64000
    const ms = msFor(n)
    const args = [join(anchors, 'coba_brian2.py'), '--mode', 'standalone', '--N', String(n), '--T', String(ms), '--seed', '1']
    const all = [...args, '--threads', '2', '--outdir', join(tmp, 'brian'), '--cython-cache', join(tmp, 'cython')]
    log('Brian2 standalone, 2 threads: first run (code generation and compilation, not counted) …')
    const warm = await runChild(python, all, { timeoutMs: 15 * 60_000, env })
    if (warm.error === null)
      peers.push({ id: 'brian2-2threads-64000', n, ms, cmd: python, args: all, env, simKey: 't_sim', usPerTick: [], errors: [] })
    else peerNotes.push(`Brian2 standalone failed on its first run: ${warm.error.split('\n')[0]}`)
  } else peerNotes.push(`Brian2 is not importable by ${python}.`)
}

/**
 * The compute probe (stream-child --compute-only): 2 ÷ 1 thread throughput of in-cache arithmetic now. Other
 * jobs on the machine take the second core away; a pair is run when the probe says it is free (at least
 * QUIET) or after GATE_TRIES probes, and the pair keeps the probe's value so the tables can tell them apart.
 */
const QUIET = 1.4
const GATE_TRIES = quick ? 1 : 8
async function probe(): Promise<number> {
  const s = await runChild(process.execPath, [streamChild, '--compute-only', '--reps', '3'], { timeoutMs: 60_000 })
  return Number(s.json?.computeRatio ?? Number.NaN)
}
async function gate(): Promise<number> {
  let r = Number.NaN
  for (let k = 0; k < GATE_TRIES; k++) {
    r = await probe()
    if (r >= QUIET) return r
    await new Promise((ok) => setTimeout(ok, 3000))
  }
  return r
}

const records: Record1[] = configs.map((config) => ({ config, t1: [], t2: [], probe: [], auto: [], errors: [] }))
for (let r = 0; r < rounds; r++) {
  for (const rec of records) {
    const c = rec.config
    log(`threads N=${c.n} ${c.conn} ${c.ms} ms (round ${r + 1}/${rounds}) …`)
    rec.probe.push(await gate())
    for (const T of r % 2 === 0 ? [1, 2] : [2, 1]) {
      const out = await runOne(c, T)
      if (typeof out === 'string') rec.errors.push(`${T} threads: ${out.split('\n')[0]}`)
      else (T === 1 ? rec.t1 : rec.t2).push(out)
    }
    if (c.sweep) {
      const out = await runOne(c, 'auto')
      if (typeof out === 'string') rec.errors.push(`auto: ${out.split('\n')[0]}`)
      else rec.auto.push(out as Run & { threads: number })
    }
  }
  for (const p of peers) {
    log(`${p.id} (round ${r + 1}/${rounds}) …`)
    if (p.id.startsWith('brian2')) await gate()
    const res = await runChild(p.cmd, p.args, { timeoutMs: 600_000, env: p.env })
    const sim = Number(res.json?.[p.simKey])
    if (res.error !== null || !(sim > 0)) p.errors.push(String(res.error ?? 'no simulation time'))
    else p.usPerTick.push((sim * 1e6) / (p.ms * 10))
  }
}

const fmt = (s: Spread, d = 0) => `${s.median.toFixed(d)} [${s.min.toFixed(d)}–${s.max.toFixed(d)}]`
/** Per-round speed-up of 2 threads over 1 (the pairs of each round). */
function ratios(rec: Record1): number[] {
  const k = Math.min(rec.t1.length, rec.t2.length)
  return Array.from({ length: k }, (_, i) => rec.t1[i].usPerTick / rec.t2[i].usPerTick)
}
function same(rec: Record1): string {
  const all = [...rec.t1, ...rec.t2]
  if (all.length === 0) return '—'
  return all.every((x) => x.checksum === all[0].checksum && x.events === all[0].events) ? 'yes' : 'NO'
}
/** Median over rounds of each timer of one thread, in µs per phase. */
function phaseCosts(rec: Record1): string {
  const runs = rec.t2.filter((x) => x.timers !== null)
  if (runs.length === 0) return '—'
  const per = (t: number, key: string) =>
    spread(runs.map((x) => ((x.timers?.threads[t]?.[key] ?? 0) * 1000) / (x.timers?.threads[t]?.phases || 1))).median
  const tick = spread(runs.map((x) => ((x.timers?.wallMs ?? 0) * 1000) / (x.timers?.ticks || 1))).median
  const parts = (t: number, keys: readonly string[]) => keys.map((k) => `${k} ${per(t, k).toFixed(1)}`).join(', ')
  const main = `main: ${parts(0, ['stage', 'rows', 'barrier', 'comm', 'neurons', 'wait', 'gather'])}`
  const worker = `worker: ${parts(1, ['rows', 'barrier', 'comm', 'neurons'])}, idle ${per(1, 'wait').toFixed(1)}`
  return `tick ${tick.toFixed(1)} µs; ${main}; ${worker}`
}

const main = records.filter((r) => !r.config.sweep)
const sweep = records.filter((r) => r.config.sweep || (r.config.n === 4000 && r.config.conn === 'csr'))
const rowOf = (rec: Record1): string[] => {
  const c = rec.config
  const r = ratios(rec)
  return [
    String(c.n),
    c.conn,
    String(c.ms),
    rec.t1.length ? fmt(spread(rec.t1.map((x) => x.usPerTick))) : '—',
    rec.t2.length ? fmt(spread(rec.t2.map((x) => x.usPerTick))) : '—',
    r.length ? fmt(spread(r), 2) : '—',
    quietOf(rec),
    same(rec),
  ]
}
/** The speed-up over the rounds whose probe said the second core was free, and how many they were. */
function quietOf(rec: Record1): string {
  const r = ratios(rec).filter((_, i) => rec.probe[i] >= QUIET)
  return r.length ? `${fmt(spread(r), 2)} (${r.length} of ${ratios(rec).length})` : `— (0 of ${ratios(rec).length})`
}
const head = [
  'N',
  'conn',
  'bio ms',
  '1 thread µs/tick',
  '2 threads µs/tick',
  'speed-up (1 ÷ 2)',
  `speed-up, rounds with probe ≥ ${QUIET}`,
  'same spikes',
]
/** Sweep rows: what `threads: 'auto'` chose in each round, and its time against the faster of 1 and 2 threads. */
const sweepRowOf = (rec: Record1): string[] => {
  const chose = rec.auto.map((x) => String(x.threads)).join(' ')
  const k = Math.min(rec.auto.length, rec.t1.length, rec.t2.length)
  const vsBest = Array.from({ length: k }, (_, i) => rec.auto[i].usPerTick / Math.min(rec.t1[i].usPerTick, rec.t2[i].usPerTick))
  return [...rowOf(rec), chose || '—', vsBest.length ? fmt(spread(vsBest), 2) : '—']
}
const sweepHead = [...head, 'auto chose (per round)', 'auto ÷ faster of 1, 2']
const streamSpread = streams.length ? spread(streams.map((s) => s.ratio)) : null
const computeSpread = streams.length ? spread(streams.map((s) => s.computeRatio)) : null
/** spikecs on 2 threads ÷ a peer, per round (the spikecs record of the same size, stored rows). */
const peerRows = peers.map((p) => {
  const rec = records.find((r) => r.config.n === p.n && r.config.conn === 'csr')
  const k = rec === undefined ? 0 : Math.min(rec.t2.length, p.usPerTick.length)
  const ratio = Array.from({ length: k }, (_, i) => (rec as Record1).t2[i].usPerTick / p.usPerTick[i])
  const ratio1 = Array.from({ length: Math.min(k, rec?.t1.length ?? 0) }, (_, i) => (rec as Record1).t1[i].usPerTick / p.usPerTick[i])
  return [
    p.id,
    String(p.n),
    p.usPerTick.length ? fmt(spread(p.usPerTick), 1) : '—',
    ratio.length ? fmt(spread(ratio), 2) : '—',
    ratio1.length ? fmt(spread(ratio1), 2) : '—',
  ]
})
const md = [
  '# Threads: coba on 1 and 2 threads',
  '',
  machineLine(m),
  '',
  `float32, WebAssembly kernels, seed 1; ${rounds} paired round(s), median [min–max]; each run in its own process.`,
  '',
  streamSpread
    ? `Streaming bandwidth (triad, 3 × 64 MiB): 1 thread ${sig(spread(streams.map((s) => s.gbps1)).median, 3)} GB/s, ` +
      `2 threads ${sig(spread(streams.map((s) => s.gbps2)).median, 3)} GB/s, ratio ${fmt(streamSpread, 2)}. ` +
      `Compute probe (in-cache float32 multiply-adds) 2 ÷ 1 thread: ${fmt(computeSpread as Spread, 2)}.`
    : 'Streaming bandwidth: not measured.',
  `Before each pair the compute probe runs (2 ÷ 1 thread, in-cache arithmetic; other jobs on the machine take the second core ` +
    `away): per round ${records.map((r) => r.probe.map((x) => x.toFixed(2)).join('/')).join(', ')}.`,
  '',
  table(head, main.map(rowOf)),
  '',
  'Where the 2-thread tick goes (µs per phase, medians; "wait": the main thread waiting for the worker, "idle": the',
  'worker waiting for the next phase, which includes the serial part of the tick on the main thread):',
  '',
  ...main.map((rec) => `- N=${rec.config.n} ${rec.config.conn}: ${phaseCosts(rec)}`),
  '',
  peers.length > 0 ? '## Against the anchors (same rounds; spikecs on 2 and on 1 thread ÷ the peer, per round)\n' : '',
  peers.length > 0 ? table(['peer', 'N', 'peer µs/tick', 'spikecs 2 threads ÷ peer', 'spikecs 1 thread ÷ peer'], peerRows) : '',
  ...peerNotes.map((n) => `- ${n}`),
  '',
  sweep.length > 1 ? '## Sweep (break-even of `threads: auto`)\n' : '',
  sweep.length > 1
    ? table(
        sweepHead,
        sweep.map((r) => (r.config.sweep ? sweepRowOf(r) : [...rowOf(r), '—', '—'])),
      )
    : '',
  '',
  ...records.flatMap((r) => r.errors.map((e) => `- error N=${r.config.n} ${r.config.conn}: ${e}`)),
].join('\n')
// The record names each peer's program and options, not this machine's paths or environment.
const shortPath = (x: string): string =>
  x.startsWith(anchors) ? `<anchors>${x.slice(anchors.length)}` : x.startsWith(os.tmpdir()) ? '<tmp>' : x
const peerRecords = peers.map(({ env: _env, cmd, args, ...rest }) => ({ ...rest, cmd: shortPath(cmd), args: args.map(shortPath) }))
const paths = writeResults(
  'threads',
  { machine: m, seconds: (Date.now() - t0) / 1000, streams, records, peers: peerRecords, quiet: QUIET },
  md,
)
process.stdout.write(`${md}\n`)
log(`wrote ${paths.json} and ${paths.md}`)
