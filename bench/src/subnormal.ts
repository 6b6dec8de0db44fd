/**
 * `pnpm bench:subnormal`: what the flush to zero of synapse states saves (the rule: models/synapses.ts,
 * `flushLimit`). A silent network — 4000 `LifRefLTC` neurons held below threshold, two `Expon` COBA states
 * (τ 5 ms non-Mg and τ 10 ms Mg) — runs for 10 s of biological time with its states either started at 10^−3
 * (as a burst would leave them; they decay towards zero) or at exactly 0. Without the flush, a float32
 * state decaying by a ≈ 0.98–0.99 per tick enters the subnormal range within a second and stays there for
 * good (g·a rounds back to the same subnormal); with it, the state is 0 from 2^−100 on. The ratio
 * decaying ÷ zero, per kernel, is the cost of decaying states:
 * - `wasm`: the SIMD neuron kernel as built; `wasm without flush`: the same module text generated with
 *   `flush: false` (compiled here with wabt and given to the world in place of the built module);
 * - `js`, `js unfused`: the fused TypeScript kernel and `AlignPostSystem`'s own advance kernels.
 * Each round runs every configuration once, in alternation, in this one process; the table gives the median
 * [min–max] over the rounds of the whole run (0–10 s) and of its steady part (1–10 s).
 * Results: `bench/results/<date>-subnormal.json` and `latest-subnormal.md`.
 *
 *   pnpm bench:subnormal [--rounds 5] [--seconds 10] [--kernels wasm,wasm without flush,js,js unfused]
 */
import { parseArgs } from 'node:util'
import { createWorld, type World } from '@spikecs/ecs-core'
import {
  COBA,
  Expon,
  FullProjAlignPost,
  FullProjAlignPostMg,
  LifRefLTC,
  addInput,
  addPopulation,
  addProjection,
  EventJitFPHomoLinear,
  planOf,
  run,
} from '@spikecs/systems'
import wabtInit from 'wabt'
import { machine, machineLine, sig, table, writeResults } from './lib/report.js'
import { median, spread } from './lib/stats.js'

const { values: a } = parseArgs({ options: { rounds: { type: 'string' }, seconds: { type: 'string' }, kernels: { type: 'string' } } })
const rounds = Number(a.rounds ?? 5)
const seconds = Number(a.seconds ?? 10)
const N = 4000
const log = (s: string) => process.stderr.write(`${s}\n`)

type Kernel = 'wasm' | 'wasm without flush' | 'js' | 'js unfused'
type Start = 'decaying' | 'zero'
const kernels = (a.kernels?.split(',') ?? ['wasm', 'wasm without flush', 'js', 'js unfused']) as Kernel[]

// The kernel module without the flush, compiled from the generator the build uses (one per memory kind).
const generator = new URL('../../packages/systems/wasm/lif-kernels.mjs', import.meta.url).href
const { lifModuleText } = (await import(generator)) as { lifModuleText: (shared: boolean, o: { flush: boolean }) => string }
const wabt = await wabtInit()
const noFlush = new Map<boolean, WebAssembly.Module>()
function moduleWithoutFlush(shared: boolean): WebAssembly.Module {
  let m = noFlush.get(shared)
  if (m === undefined) {
    const wat = wabt.parseWat('no-flush.wat', lifModuleText(shared, { flush: false }), { simd: true, threads: true })
    m = new WebAssembly.Module(wat.toBinary({}).buffer as BufferSource)
    wat.destroy()
    noFlush.set(shared, m)
  }
  return m
}

/** The silent network; its states set to `g0` (the value a burst would leave). */
function silentWorld(kernel: Kernel, g0: number): World {
  const wasm = kernel.startsWith('wasm')
  const world = createWorld({ seed: 1, kernel: wasm ? 'wasm' : 'js', fuse: kernel !== 'js unfused' })
  // V → vRest + iExt = −55 mV < vTh: no neuron ever fires, so the states only decay.
  const pop = addPopulation(world, 'N', LifRefLTC({ size: N, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }))
  const comm = EventJitFPHomoLinear({ prob: 0.02, weight: 0.6 })
  addProjection(world, 'exc', FullProjAlignPost({ pre: pop, post: pop, comm, syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }))
  addProjection(world, 'inh', FullProjAlignPostMg({ pre: pop, post: pop, comm, syn: Expon({ tau: 10 }), out: COBA({ E: -80 }) }))
  addInput(world, pop, 5)
  if (kernel === 'wasm without flush') {
    // The world instantiates its kernel module once and keeps the exports in this cache entry.
    const arena = world.arena!
    world.caches.set('wasm:lif', new WebAssembly.Instance(moduleWithoutFlush(arena.shared), { env: { memory: arena.memory } }).exports)
  }
  planOf(world)
  for (const s of pop.states) s.cols.g.array.fill(g0)
  return world
}

/** Seconds of wall time for [0, 1 s) and [1 s, end) of one run; checks the network stayed silent and where the states ended. */
function timeRun(kernel: Kernel, start: Start): { first: number; steady: number } {
  const world = silentWorld(kernel, start === 'zero' ? 0 : 1e-3)
  const t0 = performance.now()
  run(world, 1000)
  const t1 = performance.now()
  run(world, (seconds - 1) * 1000)
  const t2 = performance.now()
  const pop = world.components.Population.list[0]
  if ((pop.state.lastSpike.array as Int32Array).some((t) => t >= 0)) throw new Error(`${kernel} ${start}: a neuron fired`)
  const g = pop.states[0].cols.g.array[0]
  const subnormal = g > 0 && g < 2 ** -126
  if (start === 'decaying' && subnormal !== (kernel === 'wasm without flush')) {
    throw new Error(`${kernel}: the state ended at ${g}, ${subnormal ? 'subnormal' : 'not subnormal'}`)
  }
  return { first: (t1 - t0) / 1000, steady: (t2 - t1) / 1000 }
}

const starts: Start[] = ['decaying', 'zero']
const times: Record<string, { total: number[]; steady: number[] }> = {}
for (let r = 0; r < rounds; r++) {
  for (const k of kernels) {
    for (const s of starts) {
      const t = timeRun(k, s)
      const key = `${k}|${s}`
      times[key] ??= { total: [], steady: [] }
      times[key].total.push(t.first + t.steady)
      times[key].steady.push(t.steady)
      log(`round ${r + 1}/${rounds} ${k} ${s}: ${sig(t.first + t.steady, 3)} s (steady ${sig(t.steady, 3)} s)`)
    }
  }
}

const fmt = (xs: number[]) => {
  const s = spread(xs)
  return `${sig(s.median, 3)} [${sig(s.min, 3)}–${sig(s.max, 3)}]`
}
const rows: string[][] = []
const ratios: Record<string, { total: number[]; steady: number[] }> = {}
for (const k of kernels) {
  const d = times[`${k}|decaying`],
    z = times[`${k}|zero`]
  // Paired by round: each round ran the two starts back to back.
  const rt = d.total.map((x, i) => x / z.total[i]),
    rs = d.steady.map((x, i) => x / z.steady[i])
  ratios[k] = { total: rt, steady: rs }
  rows.push([k, fmt(d.total), fmt(z.total), fmt(rt), fmt(rs)])
}
const m = machine()
const md = [
  `# Decaying float32 synapse states (${seconds} s biological, ${N} silent neurons, 2 Expon states, ${rounds} rounds)`,
  '',
  machineLine(m),
  '',
  table(['kernel', 'states decaying from 10^-3 (s)', 'states at 0 (s)', 'ratio, whole run', 'ratio, 1 s to end'], rows),
  '',
  `Median ratio (whole run): ${kernels.map((k) => `${k} ${sig(median(ratios[k].total), 3)}`).join(', ')}.`,
].join('\n')
console.log(md)
const paths = writeResults('subnormal', { machine: m, seconds, n: N, rounds, times, ratios }, md)
log(`wrote ${paths.json} and ${paths.md}`)
