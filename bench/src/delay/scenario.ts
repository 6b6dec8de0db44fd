/**
 * Delay queues, ns per spike.
 * - push: `DelaySystem` copying a population's spike list into the next slot of its ring (latency 10 ticks,
 *   i.e. a 1 ms delay), for 8 spikes per tick (coba at 4000 neurons) and 800 (a population 100× larger).
 *   Baseline: a ring of Int32Array slots, head advanced, indices copied.
 * - read: `CommSystem` for two half projections reading the E slice [0, 3200) and the I slice [3200, 4000)
 *   of the previous tick's spikes (einet's `halfMg` shape), each delivering with `One2One` (one add per
 *   spike), so the time is the queue lookup, the slice search and the dispatch. Baseline: the slot of the
 *   ring, two binary searches, one add per spike.
 */
import { createWorld, type PopulationData, type World } from '@spikecs/ecs-core'
import {
  COBA,
  CommSystem,
  DelaySystem,
  EventJitFPHomoLinear,
  Expon,
  FullProjAlignPost,
  HalfProjAlignPost,
  LifRef,
  One2One,
  addPopulation,
  addProjection,
  fromQueue,
  planOf,
} from '@spikecs/systems'
import { spikeSets } from '../lib/fixtures.js'
import type { MicroScenario } from '../lib/micro.js'

const N = 4000,
  N_E = 3200,
  LATENCY = 10

/** A ring of `length` spike lists, as a hand-written simulator would keep one. */
interface Ring {
  readonly slots: Int32Array[]
  readonly counts: Int32Array
  head: number
}

function ring(length: number, size: number): Ring {
  return { slots: Array.from({ length }, () => new Int32Array(size)), counts: new Int32Array(length), head: 0 }
}

function pushPlain(r: Ring, spikes: Int32Array, n: number): void {
  const head = r.head + 1 === r.slots.length ? 0 : r.head + 1
  const slot = r.slots[head]
  for (let k = 0; k < n; k++) slot[k] = spikes[k]
  r.counts[head] = n
  r.head = head
}

/** First position in idx[from..to) holding a value ≥ x. */
function firstAtLeast(idx: Int32Array, from: number, to: number, x: number): number {
  while (from < to) {
    const m = (from + to) >>> 1
    if (idx[m] < x) from = m + 1
    else to = m
  }
  return from
}

function pushWorld(spikes: Int32Array): { world: World; pop: PopulationData } {
  const world = createWorld({ seed: 1 })
  const pop = addPopulation(world, 'P', LifRef({ size: N * 100 }))
  addProjection(
    world,
    'out',
    FullProjAlignPost({
      pre: pop,
      post: pop,
      delay: LATENCY * 0.1,
      comm: EventJitFPHomoLinear({ prob: 1e-4, weight: 0 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  planOf(world)
  pop.spikes.array.set(spikes)
  pop.nSpikes = spikes.length
  return { world, pop }
}

function pushScenario(nSpikes: number): MicroScenario {
  const spikes = spikeSets(N * 100, nSpikes, 1, 11)[0]
  const { world } = pushWorld(spikes)
  const r = ring(LATENCY, N * 100)
  return {
    id: `delay-push-${nSpikes}`,
    title: `delay push, ${nSpikes} spikes per tick, ring of ${LATENCY} slots`,
    unit: 'spike',
    baseline: { name: 'plain Int32Array ring', units: nSpikes, fn: () => pushPlain(r, spikes, nSpikes) },
    cases: [{ name: 'DelaySystem', units: nSpikes, info: { spikes: nSpikes }, fn: () => DelaySystem(world) }],
    check: () => {
      const w = pushWorld(spikes)
      const q = w.pop.queue!
      for (let t = 0; t < 3; t++) DelaySystem(w.world)
      const slot = q.slots[q.head]
      for (let k = 0; k < nSpikes; k++) if (slot[k] !== spikes[k]) return 'DelaySystem did not store the spike list'
      return q.counts[q.head] === nSpikes ? null : 'DelaySystem stored a wrong count'
    },
  }
}

function readScenario(): MicroScenario {
  const spikes = spikeSets(N, 8, 1, 13)[0]
  const world = createWorld({ seed: 1 })
  const pop = addPopulation(world, 'N', LifRef({ size: N }))
  const postE = addPopulation(world, 'PE', LifRef({ size: N_E }))
  const postI = addPopulation(world, 'PI', LifRef({ size: N - N_E }))
  const half = (name: string, post: PopulationData, start: number, end: number, w: number) =>
    addProjection(
      world,
      name,
      HalfProjAlignPost({
        source: fromQueue(pop, { start, end }),
        post,
        comm: One2One({ weight: w }),
        syn: Expon({ tau: 5 }),
        out: COBA({ E: 0 }),
      }),
    )
  const pe = half('E', postE, 0, N_E, 0.6)
  const pi = half('I', postI, N_E, N, 6.7)
  planOf(world)
  pop.spikes.array.set(spikes)
  pop.nSpikes = spikes.length
  DelaySystem(world) // the spikes now sit in the slot both projections read (latency 1)
  const gE = pe.state.cols.g.array as Float32Array,
    gI = pi.state.cols.g.array as Float32Array

  const r = ring(1, N)
  pushPlain(r, spikes, spikes.length)
  const plainE = new Float32Array(N_E),
    plainI = new Float32Array(N - N_E)
  const readPlain = () => {
    const idx = r.slots[r.head],
      n = r.counts[r.head]
    const split = firstAtLeast(idx, 0, n, N_E)
    for (let q = 0; q < split; q++) plainE[idx[q]] += 0.6
    const end = firstAtLeast(idx, split, n, N)
    for (let q = split; q < end; q++) plainI[idx[q] - N_E] += 6.7
  }
  return {
    id: 'delay-read',
    title: 'delay read, 2 half projections on queue slices (E, I), 8 spikes, One2One delivery',
    unit: 'spike',
    baseline: { name: 'plain ring slot + 2 binary searches + adds', units: spikes.length, fn: readPlain },
    cases: [{ name: 'CommSystem (queue slices, One2One)', units: spikes.length, fn: () => CommSystem(world) }],
    check: () => {
      const e0 = Float32Array.from(gE),
        i0 = Float32Array.from(gI)
      CommSystem(world)
      let added = 0
      for (let k = 0; k < gE.length; k++) if (gE[k] !== e0[k]) added++
      for (let k = 0; k < gI.length; k++) if (gI[k] !== i0[k]) added++
      return added === spikes.length ? null : `CommSystem changed ${added} states for ${spikes.length} spikes`
    },
  }
}

export function delayScenarios(): MicroScenario[] {
  return [pushScenario(8), pushScenario(800), readScenario()]
}
