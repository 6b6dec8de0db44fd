// Determinism beyond the docs EINet (determinism.test.ts): an E/I COBA network with stored (CSR) connectivity,
// multi-tick delays (Mg and non-Mg on one queue) and a spike-buffer input drawn from a world stream, in float32
// and float64. Same seed, dtype and kernel → identical spikes: across runs, between run(), step() in a user's
// loop and the systems called one by one, fused or not, and whether or not unrelated populations and
// projections were added before or after — including one that reads the same presynaptic queue with a longer
// delay (so the ring is longer) and one of a different comm kind.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, streamFor, type Dtype, type PopulationData, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addSpikeMonitor,
  addSpikeBuffer,
  pushSpike,
  insertSystem,
  spikeData,
  run,
  step,
  DelaySystem,
  CommSystem,
  AlignPostSystem,
  OutputSystem,
  NeuronSystem,
  MonitorSystem,
  CheckerSystem,
  ClockSystem,
  LifRef,
  LifRefLTC,
  normal,
  fromQueue,
  EventCSRLinear,
  EventJitFPHomoLinear,
  FixedProb,
  All2All,
  Expon,
  DualExponV2,
  COBA,
  CUBA,
  FullProjAlignPost,
  FullProjAlignPostMg,
  HalfProjAlignPostMg,
} from '@spikecs/systems'
import { assertSameArray } from '../support/compare.js'

interface Options {
  seed?: number
  dtype?: Dtype
  fuse?: boolean
  extraBefore?: boolean
  extraAfter?: boolean
}

/** Unrelated entities: their own populations, plus readers of E's queue that feed only them. */
function unrelated(world: World, tag: string, E: PopulationData | null): void {
  const Z = addPopulation(world, `Z${tag}`, LifRef({ size: 50, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 2, v0: normal(-55, 3) }))
  addInput(world, Z, 12)
  addProjection(
    world,
    `Z2Z${tag}`,
    FullProjAlignPostMg({
      pre: Z,
      comm: EventJitFPHomoLinear({ prob: 0.3, weight: 0.5 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
      post: Z,
    }),
  )
  if (E !== null) {
    addProjection(
      world,
      `E2Z${tag}`,
      FullProjAlignPost({
        pre: E,
        delay: 3.0,
        comm: EventCSRLinear({ conn: FixedProb({ prob: 0.05 }), weight: 0.2 }),
        syn: DualExponV2(),
        out: CUBA(),
        post: Z,
      }),
    )
    addProjection(
      world,
      `E2Zall${tag}`,
      HalfProjAlignPostMg({
        source: fromQueue(E, { start: 100, end: 200, latency: 7 }),
        comm: All2All({ weight: 0.01 }),
        syn: Expon({ tau: 2 }),
        out: CUBA(),
        post: Z,
      }),
    )
  }
}

/** E (800) and I (200) LifRefLTC with CSR Bernoulli rows, delays of 0.1, 0.5 and 1.5 ms, and a Poisson-like drive. */
function network(o: Options = {}) {
  const world = createWorld({ seed: o.seed ?? 11, dtype: o.dtype ?? 'float32', fuse: o.fuse ?? true })
  if (o.extraBefore) unrelated(world, 'b', null)
  const p = { vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: normal(-55, 2) }
  const E = addPopulation(world, 'E', LifRefLTC({ size: 800, ...p }))
  const I = addPopulation(world, 'I', LifRefLTC({ size: 200, ...p }))
  const csr = (prob: number, weight: number) => EventCSRLinear({ conn: FixedProb({ prob }), weight })
  addProjection(
    world,
    'E2E',
    FullProjAlignPostMg({ pre: E, delay: 1.5, comm: csr(0.05, 0.6), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post: E }),
  )
  addProjection(
    world,
    'E2I',
    FullProjAlignPost({ pre: E, delay: 0.5, comm: csr(0.05, 0.6), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post: I }),
  )
  addProjection(
    world,
    'I2E',
    FullProjAlignPostMg({ pre: I, delay: 0.1, comm: csr(0.1, 6.7), syn: Expon({ tau: 10 }), out: COBA({ E: -80 }), post: E }),
  )
  addProjection(world, 'I2I', FullProjAlignPost({ pre: I, comm: csr(0.1, 6.7), syn: Expon({ tau: 10 }), out: COBA({ E: -80 }), post: I }))
  const drive = addSpikeBuffer(world, 'drive', 800)
  addProjection(
    world,
    'drive2E',
    HalfProjAlignPostMg({
      source: drive,
      comm: EventJitFPHomoLinear({ prob: 0.01, weight: 2 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
      post: E,
    }),
  )
  insertSystem(
    world,
    (w) => {
      const s = streamFor(w, 'drive')
      for (let i = 0; i < 800; i++) if (s.uniform() < 0.002) pushSpike(drive, i)
    },
    { before: CommSystem },
  )
  addInput(world, E, 19)
  addInput(world, I, 19)
  if (o.extraAfter) unrelated(world, 'a', E)
  const monE = addSpikeMonitor(world, E),
    monI = addSpikeMonitor(world, I)
  return { world, E, I, monE, monI }
}
type Net = ReturnType<typeof network>

/** Spikes as (tick, population-local index) per population, independent of where the population starts. */
function trains(n: Net): { ticks: Int32Array; local: Int32Array }[] {
  return (
    [
      [n.monE, n.E],
      [n.monI, n.I],
    ] as const
  ).map(([m, pop]) => {
    const { ticks, indices } = spikeData(m)
    return { ticks, local: indices.map((g) => g - pop.start) }
  })
}

function assertSameTrains(a: Net, b: Net, what: string): void {
  const ta = trains(a),
    tb = trains(b)
  ta.forEach((t, k) => {
    assertSameArray(tb[k].ticks, t.ticks, `${what}: ${k === 0 ? 'E' : 'I'} ticks`)
    assertSameArray(tb[k].local, t.local, `${what}: ${k === 0 ? 'E' : 'I'} indices`)
  })
}

const TICKS = 1500

for (const dtype of ['float32', 'float64'] as const) {
  test(`CSR, delays and a spike buffer (${dtype}): same seed, same spikes; another seed, other spikes`, () => {
    const a = network({ dtype }),
      b = network({ dtype }),
      c = network({ dtype, seed: 12 })
    for (const n of [a, b, c]) run(n.world, TICKS * 0.1)
    const count = a.monE.count + a.monI.count
    assert.ok(count > 3000, `${count} spikes`)
    assert.ok(spikeData(a.monI).ticks.length > 500, 'I fires')
    assertSameTrains(a, b, 'same seed')
    const ta = trains(a)[0],
      tc = trains(c)[0]
    assert.ok(ta.ticks.length !== tc.ticks.length || ta.local.some((x, k) => x !== tc.local[k]), 'seed 12 differs from seed 11')
  })

  test(`CSR, delays and a spike buffer (${dtype}): run() = step() in a loop = the systems called one by one = unfused`, () => {
    const ref = network({ dtype })
    run(ref.world, TICKS * 0.1)
    const stepped = network({ dtype })
    for (let t = 0; t < TICKS; t++) step(stepped.world)
    assertSameTrains(ref, stepped, 'step()')
    // By hand: the drive system first (it was inserted before CommSystem), then the documented order.
    const byHand = network({ dtype })
    const drive = byHand.world.pipeline[1]
    for (let t = 0; t < TICKS; t++) {
      DelaySystem(byHand.world)
      drive(byHand.world)
      CommSystem(byHand.world)
      AlignPostSystem(byHand.world)
      OutputSystem(byHand.world)
      NeuronSystem(byHand.world)
      MonitorSystem(byHand.world)
      CheckerSystem(byHand.world)
      ClockSystem(byHand.world)
    }
    assertSameTrains(ref, byHand, 'systems by hand')
    const unfused = network({ dtype, fuse: false })
    run(unfused.world, TICKS * 0.1)
    assertSameTrains(ref, unfused, 'unfused')
  })

  test(`CSR, delays and a spike buffer (${dtype}): unrelated populations and projections, before or after, change nothing`, () => {
    const ref = network({ dtype })
    run(ref.world, TICKS * 0.1)
    for (const o of [{ extraBefore: true }, { extraAfter: true }, { extraBefore: true, extraAfter: true }]) {
      const n = network({ dtype, ...o })
      run(n.world, TICKS * 0.1)
      if (o.extraAfter) assert.ok((n.E.queue?.length ?? 0) === 30, "the unrelated reader lengthened E's ring to 30 ticks")
      assertSameTrains(ref, n, JSON.stringify(o))
    }
  })
}

test.run()
