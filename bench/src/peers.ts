/**
 * `pnpm bench:peers`: spikecs beside reference implementations of the same network (C, plain JS, Brian2; the
 * folder SPIKECS_ANCHORS), in one invocation, on one workload — coba, 4000 neurons, 1 s of biological time, seed 1:
 * - spikecs: kernel wasm and js, stored (csr) and on-the-fly (jit) connectivity, the time of `run()` alone;
 * - the C reference (`coba_ref.c`, built here with gcc -O3 -march=native -ffast-math, float32), csr and jit,
 *   its own `t_sim_s`;
 * - the plain JS reference (`coba_ref.mjs`), csr and jit, its own `t_sim_s`;
 * - Brian2 standalone (`coba_brian2.py --mode standalone`), when `import brian2` works, its own `t_sim`
 *   (`device._last_run_time`); its first run generates and compiles C++ (~20 s) and is not counted.
 * Each round runs every program once, in an order rotated from round to round (A B C … then B C … A), and a
 * ratio is taken between runs of the same round; the tables give the median and min–max over rounds, for the
 * programs' own simulation timers and for whole processes (spawn to exit: wall time, and CPU time of the
 * process tree, which other processes on a shared machine disturb least). Rates show that the workloads
 * match (the references spike on V > V_th and hold 49 ticks; spikecs on V ≥ V_th and holds 50: a few % apart).
 * The anchors folder is `$SPIKECS_ANCHORS`, by default `<repo>/../shared/anchors`.
 *
 *   pnpm bench:peers [--rounds 5] [--quick]
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { runChild, type ChildResult } from './lib/child.js'
import { benchRoot, machine, machineLine, rangeText, ratioText, repoRoot, sig, table, writeResults } from './lib/report.js'
import { median, pairedRatios, spread, type Spread } from './lib/stats.js'

const { values: a } = parseArgs({
  options: { rounds: { type: 'string' }, quick: { type: 'boolean', default: false }, 'keep-tmp': { type: 'boolean', default: false } },
})
const quick = a.quick!
const rounds = Number(a.rounds ?? (quick ? 2 : 5))
const log = (s: string) => process.stderr.write(`${s}\n`)
const SEED = 1,
  N = 4000,
  T_MS = 1000

const anchors = resolve(process.env.SPIKECS_ANCHORS ?? join(repoRoot, '..', 'shared', 'anchors'))
const missing = ['coba_ref.c', 'coba_ref.mjs'].filter((f) => !existsSync(join(anchors, f)))
if (missing.length > 0) {
  process.stderr.write(
    `bench:peers: the reference implementations are not at ${anchors} (missing ${missing.join(', ')}).\n` +
      'Set SPIKECS_ANCHORS to the folder holding coba_ref.c, coba_ref.mjs and coba_brian2.py ' +
      '(by default ../shared/anchors next to the repository).\n',
  )
  process.exit(1)
}
const python = process.env.SPIKECS_PYTHON ?? '/usr/bin/python3'
const tmp = mkdtempSync(join(os.tmpdir(), 'spikecs-peers-'))
const home = join(tmp, 'home')
mkdirSync(home)

/** A program of the comparison: how to run it and where its simulation time is in its JSON line. */
interface Program {
  readonly id: string
  readonly label: string
  readonly conn: 'csr' | 'jit'
  readonly cmd: string
  readonly args: readonly string[]
  readonly env?: NodeJS.ProcessEnv
  readonly simKey: string
  readonly timeoutMs: number
}

const programs: Program[] = []
const notes: string[] = []
for (const kernel of ['wasm', 'js'] as const) {
  for (const conn of ['csr', 'jit'] as const) {
    programs.push({
      id: `spikecs-${kernel}-${conn}`,
      label: `spikecs, kernel ${kernel}`,
      conn,
      cmd: process.execPath,
      args: [
        join(benchRoot, 'dist', 'network', 'child.js'),
        '--preset',
        'coba',
        '--conn',
        conn,
        '--kernel',
        kernel,
        '--ms',
        String(T_MS),
        '--seed',
        String(SEED),
        '--record',
      ],
      simKey: 'simSeconds',
      timeoutMs: 180_000,
    })
  }
}

// The C reference, float32, built into the temporary folder.
const cBin = join(tmp, 'coba_ref')
const gcc = spawnSync('gcc', ['-O3', '-march=native', '-ffast-math', '-o', cBin, join(anchors, 'coba_ref.c'), '-lm'], { encoding: 'utf8' })
if (gcc.status === 0) {
  for (const conn of ['csr', 'jit'] as const) {
    programs.push({
      id: `c-${conn}`,
      label: 'C reference (gcc -O3 -march=native -ffast-math, float32)',
      conn,
      cmd: cBin,
      args: ['--mode', conn, '--N', String(N), '--seed', String(SEED)],
      simKey: 't_sim_s',
      timeoutMs: 120_000,
    })
  }
} else {
  notes.push(
    `C reference not built (gcc: ` +
      `${gcc.error?.message ?? gcc.stderr.trim().split('\n').slice(-2).join(' ')}); install gcc ` +
      `(apt-get install -y gcc).`,
  )
}

for (const conn of ['csr', 'jit'] as const) {
  programs.push({
    id: `js-${conn}`,
    label: 'plain JS reference (Float32Array)',
    conn,
    cmd: process.execPath,
    args: [join(anchors, 'coba_ref.mjs'), '--mode', conn, '--N', String(N), '--seed', String(SEED)],
    simKey: 't_sim_s',
    timeoutMs: 180_000,
  })
}

// Brian2 standalone, when Debian's python3-brian (or another Brian2) is importable.
const brianProbe = spawnSync(python, ['-c', 'import brian2'], { encoding: 'utf8', env: { ...process.env, HOME: home } })
const brianArgs = [
  join(anchors, 'coba_brian2.py'),
  '--mode',
  'standalone',
  '--N',
  String(N),
  '--seed',
  String(SEED),
  '--outdir',
  join(tmp, 'brian'),
  '--cython-cache',
  join(tmp, 'cython'),
]
const brianEnv = { ...process.env, HOME: home }
let brianCompile: number | null = null
if (brianProbe.status === 0 && existsSync(join(anchors, 'coba_brian2.py'))) {
  log('Brian2: first standalone run (generates and compiles the C++ project; not counted) …')
  const warm = await runChild(python, brianArgs, { timeoutMs: 15 * 60_000, env: brianEnv })
  if (warm.error === null) {
    brianCompile = Number(warm.json?.t_codegen_compile)
    programs.push({
      id: 'brian2-standalone',
      label: 'Brian2 cpp_standalone (1 thread)',
      conn: 'csr',
      cmd: python,
      args: brianArgs,
      env: brianEnv,
      simKey: 't_sim',
      timeoutMs: 300_000,
    })
  } else notes.push(`Brian2 standalone failed on its first run: ${warm.error}`)
} else {
  notes.push(
    `Brian2 is not installed for ${python} (\`import brian2\` failed): \`apt-get install -y python3-brian\` (Debian) adds it; then rerun.`,
  )
}
for (const n of notes) log(n)

// --- paired rounds --------------------------------------------------------------------------------------

interface Run {
  readonly sim: number
  readonly wall: number
  readonly cpu: number
  readonly rates: Record<string, number>
  readonly json: Record<string, unknown>
}
const runs = new Map<string, (Run | null)[]>(programs.map((p) => [p.id, []]))
const errors = new Map<string, string[]>(programs.map((p) => [p.id, []]))

function toRun(p: Program, r: ChildResult): Run | null {
  if (r.error !== null || r.json === null) return null
  const j = r.json
  const rates = p.id.startsWith('spikecs') ? (j.rates as Record<string, number>) : { E: Number(j.rate_E), I: Number(j.rate_I) }
  return { sim: Number(j[p.simKey]), wall: r.wallSeconds, cpu: r.cpuSeconds ?? NaN, rates, json: j }
}

const t0 = Date.now()
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < programs.length; k++) {
    const p = programs[(k + r) % programs.length]
    log(`round ${r + 1}/${rounds}: ${p.id} …`)
    const res = await runChild(p.cmd, p.args, { timeoutMs: p.timeoutMs, env: p.env, cwd: tmp, cpu: true })
    const run = toRun(p, res)
    if (run === null) {
      errors.get(p.id)!.push(res.error ?? 'no result')
      log(`  failed: ${res.error}`)
    }
    runs.get(p.id)![r] = run
  }
}

// --- ratios ---------------------------------------------------------------------------------------------

/** Per round a/b where both ran; the spread over rounds. */
function roundRatios(aId: string, bId: string, field: 'sim' | 'wall' | 'cpu'): Spread | null {
  const A = runs.get(aId),
    B = runs.get(bId)
  if (!A || !B) return null
  const xs: number[] = [],
    ys: number[] = []
  for (let r = 0; r < rounds; r++) {
    const x = A[r],
      y = B[r]
    if (x && y && Number.isFinite(x[field]) && Number.isFinite(y[field])) {
      xs.push(x[field])
      ys.push(y[field])
    }
  }
  return xs.length ? spread(pairedRatios(xs, ys)) : null
}

interface PeerSummary {
  readonly id: string
  readonly label: string
  readonly conn: string
  readonly sim: Spread
  readonly wall: Spread
  readonly cpu: Spread
  readonly rates: Record<string, number>
  /** spikecs (kernel wasm, same conn) ÷ this program, per round. */
  readonly wasmOver: { sim: Spread | null; wall: Spread | null; cpu: Spread | null }
  /** spikecs (kernel js, same conn) ÷ this program, per round. */
  readonly jsOver: { sim: Spread | null; wall: Spread | null }
  readonly errors: string[]
}

const summaries: PeerSummary[] = programs.map((p) => {
  const ok = (runs.get(p.id) ?? []).filter((x): x is Run => x !== null && x !== undefined)
  const rates: Record<string, number> = {}
  for (const g of Object.keys(ok[0]?.rates ?? {})) rates[g] = median(ok.map((x) => x.rates[g]))
  const w = `spikecs-wasm-${p.conn}`,
    j = `spikecs-js-${p.conn}`
  return {
    id: p.id,
    label: p.label,
    conn: p.conn,
    sim: spread(ok.map((x) => x.sim)),
    wall: spread(ok.map((x) => x.wall)),
    cpu: spread(ok.map((x) => x.cpu).filter(Number.isFinite)),
    rates,
    wasmOver: { sim: roundRatios(w, p.id, 'sim'), wall: roundRatios(w, p.id, 'wall'), cpu: roundRatios(w, p.id, 'cpu') },
    jsOver: { sim: roundRatios(j, p.id, 'sim'), wall: roundRatios(j, p.id, 'wall') },
    errors: errors.get(p.id) ?? [],
  }
})

const byId = new Map(summaries.map((s) => [s.id, s]))
const r = (s: Spread | null | undefined) => (s?.n ? ratioText(s) : '–')
const rows = summaries.map((s) => [
  s.label,
  s.conn,
  s.sim.n ? rangeText(s.sim) : `failed: ${s.errors[0] ?? ''}`,
  s.wall.n ? rangeText(s.wall) : '–',
  s.cpu.n ? rangeText(s.cpu) : '–',
  Object.entries(s.rates)
    .map(([g, v]) => `${g} ${v.toFixed(2)}`)
    .join(', '),
  r(s.wasmOver.sim),
  r(s.wasmOver.wall),
  r(s.wasmOver.cpu),
  r(s.jsOver.sim),
])

interface Target {
  readonly what: string
  readonly ratio: Spread | null
  readonly limit: number
}
const targets: Target[] = [
  { what: 'spikecs wasm csr ÷ C float32 CSR (sim)', ratio: byId.get('c-csr')?.wasmOver.sim ?? null, limit: 2 },
  { what: 'spikecs wasm jit ÷ C float32 JIT (sim)', ratio: byId.get('c-jit')?.wasmOver.sim ?? null, limit: 1.5 },
  { what: 'spikecs wasm csr ÷ Brian2 standalone (sim)', ratio: byId.get('brian2-standalone')?.wasmOver.sim ?? null, limit: 0.5 },
]
const targetRows = targets.map((t) => [
  t.what,
  t.ratio?.n ? ratioText(t.ratio) : 'not measured',
  `≤ ${t.limit}`,
  t.ratio?.n ? (t.ratio.median <= t.limit ? 'met (median)' : 'not met') : '–',
])

const m = machine()
const md = [
  '## spikecs and the reference implementations (`pnpm bench:peers`)',
  '',
  `Workload: coba, N = ${N}, 1 s biological, dt 0.1 ms, seed ${SEED}, float32. ${rounds} rounds, ` +
    `each program once per round in a rotated order; ratios per round, median [min–max].`,
  `Machine: ${machineLine(m)}. Shared and noisy: the paired ratios are the figures to read.`,
  brianCompile !== null ? `Brian2's first run (code generation and compilation, not counted): ${sig(brianCompile)} s.` : '',
  ...notes.map((n) => `Note: ${n}`),
  '',
  table(
    [
      'program',
      'conn',
      'sim s (own timer), median [min–max]',
      'whole process wall s',
      'whole process CPU s',
      'rates Hz',
      'spikecs wasm ÷ it: sim',
      'whole wall',
      'whole CPU',
      'spikecs js ÷ it: sim',
    ],
    rows,
  ),
  '',
  "Performance targets (spikecs time as a multiple of the peer's, same connectivity):",
  '',
  table(['ratio', 'measured', 'target', ''], targetRows),
  '',
]
  .filter((x, i, all) => x !== '' || all[i - 1] !== '')
  .join('\n')

// Quick runs never replace the full results.
const paths = writeResults(
  quick || rounds < 5 ? 'peers-partial' : 'peers',
  {
    suite: 'peers',
    machine: m,
    anchors: 'SPIKECS_ANCHORS or <repo>/../shared/anchors',
    rounds,
    seed: SEED,
    n: N,
    durationMs: T_MS,
    brianCompileSeconds: brianCompile,
    notes,
    seconds: (Date.now() - t0) / 1000,
    summaries,
    runs: Object.fromEntries(
      [...runs].map(([id, list]) => [id, list.map((x) => x && { sim: x.sim, wall: x.wall, cpu: x.cpu, rates: x.rates, out: x.json })]),
    ),
    errors: Object.fromEntries(errors),
  },
  md,
)
process.stdout.write(`${md}\n`)
log(`results: ${paths.json}, ${paths.md} (${Math.round((Date.now() - t0) / 1000)} s)`)
if (!a['keep-tmp']) rmSync(tmp, { recursive: true, force: true })
