/**
 * `pnpm bench:stdp`: the cost of plasticity (`STDP_Song2000`), two ways.
 *
 * 1. Per event, in one process, interleaved rounds: 2000 Poisson inputs (20 Hz) onto 500 `Lif` neurons through
 *    stored rows (p = 0.2, 200 000 synapses, weights 10⁻⁶ so the posts' firing is set by their constant input),
 *    as a static `FullProjAlignPostMg`, as `STDP_Song2000`, and without any projection (the baseline). With the
 *    posts silent, (t_plastic − t_none)/events against (t_static − t_none)/events is the cost per plastic
 *    synaptic event beside a static one; with the posts firing, the plastic extra over the silent case per
 *    column synapse visited (post spikes × in-degree) is the cost per post-spike synapse.
 * 2. `song2000` for 100 s (`spikecs run song2000 --json`, its `simSeconds`, and the whole process) against
 *    Brian2 2.5.1 cpp_standalone running the same example (the anchor script, copied into a temporary folder
 *    with `device._last_run_time` printed), paired rounds.
 *
 * Options: `--rounds N` (default 3), `--skip-brian2`, `--only events|song2000`. Env `SPIKECS_ANCHORS`, `SPIKECS_PYTHON` as bench:peers.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createWorld } from '@spikecs/ecs-core'
import {
  addInput,
  addPopulation,
  addProjection,
  run,
  synapticEvents,
  EventCSRLinear,
  Expon,
  CUBA,
  FixedProb,
  FullProjAlignPostMg,
  Lif,
  PoissonGroup,
  STDP_Song2000,
} from '@spikecs/systems'
import { runChild } from './lib/child.js'
import { machine, machineLine, sig, table, writeResults } from './lib/report.js'
import { median, pairedRatios, spread } from './lib/stats.js'

const args = process.argv.slice(2)
const rounds = Number(args[args.indexOf('--rounds') + 1] || 3) || 3
const skipBrian2 = args.includes('--skip-brian2')
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : 'all'
const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '../..')

type Kind = 'none' | 'static' | 'plastic'

/** One measured run: wall seconds of `ms` simulated, events delivered, post spikes × in-degree visited. */
function measure(kind: Kind, firing: boolean, ms: number): { s: number; events: number; columnSynapses: number } {
  const world = createWorld({ dtMs: 0.1, seed: 5, kernel: 'wasm' })
  const pre = addPopulation(world, 'pre', PoissonGroup({ size: 2000, rateHz: 20 }))
  const post = addPopulation(world, 'post', Lif({ size: 500, vRest: -60, vTh: -50, vReset: -60, tau: 10, v0: -60 }))
  addInput(world, post, firing ? 10.5 : 5) // above threshold: ~30 Hz regular firing; below: silent
  const p = { pre, post, comm: EventCSRLinear({ conn: FixedProb({ prob: 0.2 }), weight: 1e-6 }), syn: Expon({ tau: 5 }), out: CUBA() }
  if (kind === 'static') addProjection(world, 'P', FullProjAlignPostMg(p))
  if (kind === 'plastic') addProjection(world, 'P', STDP_Song2000({ ...p, tauS: 20, tauT: 20, A1: 1e-8, A2: 1e-8, wMin: 0, wMax: 1 }))
  run(world, 20) // warm-up (plan, JIT)
  let postSpikes = 0
  const t0 = performance.now()
  const ticks = Math.round(ms / 0.1)
  for (let k = 0; k < ticks; k++) {
    run(world, 0.1)
    postSpikes += post.nSpikes
  }
  const s = (performance.now() - t0) / 1000
  return { s, events: synapticEvents(world), columnSynapses: postSpikes * 2000 * 0.2 }
}

function perEvent() {
  const ms = 5000
  const rows: Record<string, number[]> = {}
  const push = (k: string, v: number) => {
    rows[k] ??= []
    rows[k].push(v)
  }
  for (let r = 0; r < rounds; r++) {
    for (const firing of [false, true]) {
      const none = measure('none', firing, ms)
      const st = measure('static', firing, ms)
      const pl = measure('plastic', firing, ms)
      const tag = firing ? 'firing' : 'silent'
      push(`no projection, s (${tag})`, none.s)
      push(`static, s (${tag})`, st.s)
      push(`plastic, s (${tag})`, pl.s)
      push(`static: ns per event (${tag})`, ((st.s - none.s) / st.events) * 1e9)
      push(`plastic: ns per event (${tag})`, ((pl.s - none.s) / pl.events) * 1e9)
      if (firing) push('post spikes × in-degree', pl.columnSynapses)
      else push('events', pl.events)
    }
  }
  // The plastic extra over static with silent posts, per event: depression of the row, pre trace.
  rows['plastic − static: ns per event (silent posts)'] = rows['plastic, s (silent)'].map(
    (p, k) => ((p - rows['static, s (silent)'][k]) / rows.events[k]) * 1e9,
  )
  // What firing posts add to the plastic extra, per synapse of a spiking post's column (potentiation).
  rows['plastic − static: ns per post-spike synapse'] = rows['plastic, s (firing)'].map((p, k) => {
    const extraFiring = p - rows['static, s (firing)'][k]
    const extraSilent = rows['plastic, s (silent)'][k] - rows['static, s (silent)'][k]
    return ((extraFiring - extraSilent) / rows['post spikes × in-degree'][k]) * 1e9
  })
  return rows
}

async function song2000Paired() {
  const anchors = process.env.SPIKECS_ANCHORS ?? resolve(repo, '../shared/anchors')
  const python = process.env.SPIKECS_PYTHON ?? '/usr/bin/python3'
  const tmp = mkdtempSync(join(tmpdir(), 'spikecs-stdp-'))
  const script = join(tmp, 'song2000_timed.py')
  const src = readFileSync(join(anchors, 'song2000_brian2.py'), 'utf8')
  writeFileSync(script, src.replace('"wall_s": time.time() - t0', '"wall_s": time.time() - t0, "t_run": device._last_run_time'))
  const cli = join(repo, 'packages/cli/dist/main.js')
  const out: { spikecsSim: number[]; spikecsWhole: number[]; brianRun: number[]; brianWhole: number[] } = {
    spikecsSim: [],
    spikecsWhole: [],
    brianRun: [],
    brianWhole: [],
  }
  // One Brian2 run first compiles the standalone project (not counted); later runs reuse it.
  if (!skipBrian2) await runChild(python, [script, '1', join(tmp, 'b2')], { timeoutMs: 600_000 })
  for (let r = 0; r < rounds; r++) {
    const s = await runChild(process.execPath, [cli, 'run', 'song2000', '--seed', '1', '--json', '--no-checker'], { timeoutMs: 600_000 })
    out.spikecsSim.push(Number(s.json?.simSeconds))
    out.spikecsWhole.push(s.wallSeconds)
    if (skipBrian2) continue
    const b = await runChild(python, [script, '1', join(tmp, 'b2')], { timeoutMs: 600_000 })
    out.brianRun.push(Number(b.json?.t_run))
    out.brianWhole.push(b.wallSeconds)
  }
  return out
}

const m = machine()
console.error('per-event costs …')
const events = only === 'song2000' ? {} : perEvent()
console.error('song2000 against Brian2 …')
const paired = only === 'events' ? { spikecsSim: [], spikecsWhole: [], brianRun: [], brianWhole: [] } : await song2000Paired()
const evRows = Object.entries(events).map(([k, xs]) => [k, sig(median(xs)), `${sig(Math.min(...xs))}–${sig(Math.max(...xs))}`])
const simRatio = paired.brianRun.length ? pairedRatios(paired.spikecsSim, paired.brianRun) : []
const wholeRatio = paired.brianWhole.length ? pairedRatios(paired.spikecsWhole, paired.brianWhole) : []
const sRows = [
  ['spikecs simSeconds (100 s)', sig(median(paired.spikecsSim)), paired.spikecsSim.map((x) => sig(x)).join(', ')],
  ['spikecs whole process', sig(median(paired.spikecsWhole)), paired.spikecsWhole.map((x) => sig(x)).join(', ')],
  [
    'Brian2 device._last_run_time',
    paired.brianRun.length ? sig(median(paired.brianRun)) : '—',
    paired.brianRun.map((x) => sig(x)).join(', '),
  ],
  [
    'Brian2 whole process (warm)',
    paired.brianWhole.length ? sig(median(paired.brianWhole)) : '—',
    paired.brianWhole.map((x) => sig(x)).join(', '),
  ],
  ['ratio sim (spikecs / Brian2)', simRatio.length ? sig(median(simRatio)) : '—', simRatio.map((x) => sig(x)).join(', ')],
  ['ratio whole (spikecs / Brian2)', wholeRatio.length ? sig(median(wholeRatio)) : '—', wholeRatio.map((x) => sig(x)).join(', ')],
]
const md = [
  `# STDP benchmark (${rounds} rounds)`,
  '',
  machineLine(m),
  '',
  '## Per event: 2000 Poisson inputs → 500 Lif, p = 0.2 (200 000 synapses), 5 s per run',
  '',
  table(['figure', 'median', 'range'], evRows),
  '',
  '## song2000, 100 s, seed 1, paired with Brian2 2.5.1 standalone',
  '',
  table(['figure', 'median (s or ratio)', 'rounds'], sRows),
  '',
].join('\n')
const files = writeResults(
  'stdp',
  { machine: m, rounds, events, paired, simRatio, wholeRatio, spreadSim: simRatio.length ? spread(simRatio) : null },
  md,
)
console.log(md)
console.error(`written: ${files.json}, ${files.md}`)
