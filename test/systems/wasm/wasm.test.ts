// The WebAssembly SIMD kernel (kernel: 'wasm', float32) against the TypeScript reference kernel: exact on
// hand-derived single-neuron timing, within float32 rounding on short runs, statistically on long runs, and
// deterministic on its own.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, Stream } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addSpikeMonitor,
  addStateProbe,
  spikeData,
  probeData,
  run,
  planOf,
  stateOf,
  Lif,
  LifRef,
  LifRefLTC,
  LifLTC,
  normal,
  One2One,
  Expon,
  DualExponV2,
  COBA,
  CUBA,
  EventCSRLinear,
  FixedProb,
  FromList,
  FullProjAlignPost,
  FullProjAlignPostMg,
  HalfProjAlignPostMg,
  fromQueue,
  EventJitFPHomoLinear,
  synapticEvents,
  DelaySystem,
  CommSystem,
  ClockSystem,
  describePlan,
  PoissonGroup,
} from '@spikecs/systems'
import { assertSameArray, assertSameRecord } from '../../support/compare.js'

test('single neurons: first spike tick and every ISI equal the hand-derived values (see neuron.test.ts)', () => {
  for (const make of [LifRef, LifRefLTC]) {
    const world = createWorld({ kernel: 'wasm' })
    const pop = addPopulation(world, 'n', make({ size: 5, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }))
    addInput(world, pop, 20)
    const mon = addSpikeMonitor(world, pop)
    run(world, 200)
    assert.ok(planOf(world).neurons[0].wasm !== null, 'runs on the WebAssembly kernel')
    const { ticks, indices } = spikeData(mon)
    for (let k = 0; k < ticks.length; k++) assert.is(ticks[k], 138 + 189 * Math.floor(k / 5), `spike ${k}`)
    assert.equal(Array.from(indices.subarray(0, 5)), [0, 1, 2, 3, 4])
  }
})

test('a neuron whose V lands exactly on V_th spikes (V >= V_th, not >), LTC and non-LTC', () => {
  // As in neuron.test.ts: with τ = 1 µs the step's factor is below 1e-37 (e^(−100) as a float32, or the clamped
  // e^(−87) of the LTC exponential), so V becomes V_rest + I = −60 + 10 = −50 = V_th exactly, in float32 too.
  for (const make of [Lif, LifLTC]) {
    const world = createWorld({ kernel: 'wasm' })
    const pop = addPopulation(world, 'n', make({ size: 6, vRest: -60, vTh: -50, vReset: -70, tau: 1e-3, v0: -60 }))
    addInput(world, pop, 10)
    const mon = addSpikeMonitor(world, pop)
    run(world, 0.1)
    assert.ok(planOf(world).neurons[0].wasm !== null, 'runs on the WebAssembly kernel')
    assert.equal(
      Array.from(spikeData(mon).indices),
      [0, 1, 2, 3, 4, 5],
      `${make.name}: every neuron spikes in tick 0 (a full and a partial chunk of 4)`,
    )
    assert.equal(Array.from(pop.state.V.array), [-70, -70, -70, -70, -70, -70])
  }
})

function ei(kernel: 'js' | 'wasm', mg: boolean, conn: 'csr' | 'jit') {
  const world = createWorld({ seed: 9, kernel })
  const par = { vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: normal(-55, 2) }
  const E = addPopulation(world, 'E', LifRefLTC({ size: 1600, ...par }))
  const I = addPopulation(world, 'I', LifRef({ size: 400, ...par }))
  const make = mg ? FullProjAlignPostMg : FullProjAlignPost
  const comm = (w: number) =>
    conn === 'jit' ? EventJitFPHomoLinear({ prob: 0.04, weight: w }) : EventCSRLinear({ conn: FixedProb({ prob: 0.04 }), weight: w })
  for (const [name, pre, post, w, tau, Er] of [
    ['E2E', E, E, 0.6, 5, 0],
    ['E2I', E, I, 0.6, 5, 0],
    ['I2E', I, E, 6.7, 10, -80],
    ['I2I', I, I, 6.7, 10, -80],
  ] as const) {
    addProjection(world, name, make({ pre, comm: comm(w), syn: Expon({ tau }), out: COBA({ E: Er }), post }))
  }
  addInput(world, E, 20)
  addInput(world, I, 20)
  const mon = addSpikeMonitor(world, [E, I])
  const probe = addStateProbe(world, E, 'V', [0, 1, 2, 3, 4, 5, 6, 7])
  return { world, mon, probe, E, I }
}

test('short runs: the first 30 ms of spikes agree, V within float32 rounding (LTC and non-LTC, Mg and non-Mg)', () => {
  for (const mg of [false, true]) {
    const a = ei('js', mg, 'csr'),
      b = ei('wasm', mg, 'csr')
    assert.ok(planOf(b.world).neurons.every((t) => t.wasm !== null))
    run(a.world, 30)
    run(b.world, 30)
    const sa = spikeData(a.mon),
      sb = spikeData(b.mon)
    assert.ok(sa.ticks.length > 500)
    assertSameRecord(sb, sa, 'spikes (wasm vs js)')
    const va = probeData(a.probe).values,
      vb = probeData(b.probe).values
    let worst = 0
    for (let k = 0; k < va.length; k++) worst = Math.max(worst, Math.abs(va[k] - vb[k]))
    assert.ok(worst < 1e-3, `max |ΔV| ${worst} mV`)
  }
})

test('long runs: rates of the two kernels agree within 5 % (1 s, E and I)', () => {
  const rates = (['js', 'wasm'] as const).map((k) => {
    const x = ei(k, false, 'jit')
    run(x.world, 1000)
    const { indices } = spikeData(x.mon)
    let e = 0
    for (let i = 0; i < indices.length; i++) if (indices[i] < 1600) e++
    return [e / 1600, (indices.length - e) / 400]
  })
  for (let p = 0; p < 2; p++) {
    assert.ok(rates[0][p] > 5, `active network (${rates[0][p]} Hz)`)
    assert.ok(Math.abs(rates[1][p] / rates[0][p] - 1) < 0.05, `${rates[1][p]} vs ${rates[0][p]} Hz`)
  }
})

test('deterministic on its own: same seed, identical spikes and V bytes', () => {
  const a = ei('wasm', false, 'jit'),
    b = ei('wasm', false, 'jit')
  run(a.world, 200)
  run(b.world, 200)
  assertSameRecord(spikeData(a.mon), spikeData(b.mon), 'spikes of two runs')
  assertSameArray(stateOf(a.E, 'V'), stateOf(b.E, 'V'), 'V of two runs')
})

test('CUBA, merged states, per-neuron inputs and many states: a small network follows the reference closely', () => {
  const build = (kernel: 'js' | 'wasm') => {
    const world = createWorld({ seed: 4, kernel })
    const s = new Stream(5)
    const A = addPopulation(world, 'A', Lif({ size: 37, vRest: -60, vTh: -50, vReset: -65, tau: 10, v0: normal(-58, 3) }))
    const B = addPopulation(world, 'B', LifLTC({ size: 23, vRest: -60, vTh: -50, vReset: -65, tau: 15, v0: normal(-58, 3) }))
    addInput(
      world,
      A,
      Array.from({ length: 37 }, () => 9 + 4 * s.uniform()),
    )
    addInput(world, B, 12)
    const list = (nPre: number, nPost: number) => {
      const pre: number[] = [],
        post: number[] = []
      for (let i = 0; i < nPre; i++)
        for (let j = 0; j < nPost; j++)
          if (s.uniform() < 0.2) {
            pre.push(i)
            post.push(j)
          }
      return FromList({ pre, post })
    }
    addProjection(
      world,
      'AA',
      FullProjAlignPostMg({
        pre: A,
        comm: EventCSRLinear({ conn: list(37, 37), weight: 0.4 }),
        syn: Expon({ tau: 5 }),
        out: COBA({ E: 0 }),
        post: A,
      }),
    )
    addProjection(
      world,
      'BA',
      FullProjAlignPostMg({
        pre: B,
        delay: 0.3,
        comm: EventCSRLinear({ conn: list(23, 37), weight: 0.3 }),
        syn: Expon({ tau: 5 }),
        out: COBA({ E: 0 }),
        post: A,
      }),
    )
    addProjection(
      world,
      'BAc',
      FullProjAlignPost({
        pre: B,
        comm: EventCSRLinear({ conn: list(23, 37), weight: -0.8 }),
        syn: Expon({ tau: 8 }),
        out: CUBA(),
        post: A,
      }),
    )
    addProjection(
      world,
      'AB',
      HalfProjAlignPostMg({
        source: fromQueue(A, { start: 5, end: 30 }),
        comm: EventCSRLinear({ conn: list(25, 23), weight: 0.5 }),
        syn: Expon({ tau: 3 }),
        out: COBA({ E: 10 }),
        post: B,
      }),
    )
    addProjection(
      world,
      'BB',
      FullProjAlignPost({ pre: B, comm: One2One({ weight: 1.1 }), syn: Expon({ tau: 12 }), out: COBA({ E: -75 }), post: B }),
    )
    const mon = addSpikeMonitor(world, [A, B])
    return { world, mon }
  }
  const a = build('js'),
    b = build('wasm')
  assert.ok(planOf(b.world).neurons.every((t) => t.wasm !== null))
  run(a.world, 30)
  run(b.world, 30)
  assert.ok(spikeData(a.mon).ticks.length > 100)
  assertSameRecord(spikeData(b.mon), spikeData(a.mon), 'spikes (wasm vs js)')
})

test(
  'the LIF fused kernel where it applies, the kernels generated from the records elsewhere; ' +
    'float64, fuse: false and spike sources run TypeScript',
  () => {
    const world = createWorld({ kernel: 'wasm' })
    const A = addPopulation(world, 'A', LifRef({ size: 8 }))
    const B = addPopulation(world, 'B', LifRef({ size: 8 }))
    addProjection(
      world,
      'AB',
      FullProjAlignPost({
        pre: A,
        comm: One2One({ weight: 1 }),
        syn: DualExponV2({ tauDecay: 5, tauRise: 1 }),
        out: COBA({ E: 0 }),
        post: B,
      }),
    )
    addProjection(
      world,
      'BA',
      FullProjAlignPost({ pre: B, comm: One2One({ weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post: A }),
    )
    const tasks = planOf(world).neurons
    assert.is(tasks[0].wasm?.kind, 'lif')
    assert.is(tasks[1].wasm?.kind, 'model')
    assert.equal(
      describePlan(world).map((p) => p.kernel),
      ['wasm-fused', 'wasm'],
    )
    const unfused = createWorld({ kernel: 'wasm', fuse: false })
    addPopulation(unfused, 'x', LifRef({ size: 4 }))
    addPopulation(unfused, 'src', PoissonGroup({ size: 4, rateHz: 10 }))
    assert.ok(
      planOf(unfused).neurons.every((t) => t.wasm === null && !t.fused),
      'fuse: false runs the TypeScript kernels slot by slot',
    )
    assert.equal(
      describePlan(unfused).map((p) => [p.kernel, p.note]),
      [
        ['unfused', 'fuse: false runs the TypeScript kernels slot by slot'],
        ['source', ''],
      ],
    )
    assert.is(createWorld({ kernel: 'wasm', dtype: 'float64' }).kernel, 'wasm')
    const w64 = createWorld({ kernel: 'wasm', dtype: 'float64' })
    addPopulation(w64, 'x', LifRef({ size: 4 }))
    assert.ok(planOf(w64).neurons[0].wasm === null, 'float64 worlds use the TypeScript kernels')
  },
)

test('comm kernels: synapse states after 60 ticks of random spikes are bit-identical to the TypeScript kernels', () => {
  const build = (kernel: 'js' | 'wasm') => {
    const world = createWorld({ seed: 17, kernel })
    const P = addPopulation(world, 'P', LifRef({ size: 700 }))
    const Q = addPopulation(world, 'Q', LifRef({ size: 300 }))
    const R = addPopulation(world, 'R', LifRef({ size: 70000 }))
    const S = addPopulation(world, 'S', LifRef({ size: 20000 }))
    const s = new Stream(3)
    const pre: number[] = [],
      post: number[] = [],
      w: number[] = []
    for (let i = 0; i < 700; i++)
      for (let j = 0; j < 300; j++)
        if (s.uniform() < 0.05) {
          pre.push(i)
          post.push(j)
          w.push(s.uniform())
        }
    const projs = [
      addProjection(
        world,
        'jit',
        FullProjAlignPost({
          pre: P,
          comm: EventJitFPHomoLinear({ prob: 0.1, weight: 0.37, includeSelf: false }),
          syn: Expon({ tau: 5 }),
          out: COBA({ E: 0 }),
          post: P,
        }),
      ),
      addProjection(
        world,
        'csr',
        FullProjAlignPost({
          pre: P,
          delay: 0.2,
          comm: EventCSRLinear({ conn: FixedProb({ prob: 0.05 }), weight: 0.61 }),
          syn: Expon({ tau: 7 }),
          out: COBA({ E: 0 }),
          post: Q,
        }),
      ),
      addProjection(
        world,
        'list',
        FullProjAlignPostMg({
          pre: P,
          comm: EventCSRLinear({ conn: FromList({ pre, post, weight: w }) }),
          syn: Expon({ tau: 9 }),
          out: CUBA(),
          post: Q,
        }),
      ),
      // 70000 posts at p = 80/70000: the log-mode gap sampler and the post-ordered (blocked) delivery.
      addProjection(
        world,
        'big',
        FullProjAlignPost({
          pre: P,
          comm: EventJitFPHomoLinear({ prob: 80 / 70000, weight: 0.37 }),
          syn: Expon({ tau: 5 }),
          out: COBA({ E: 0 }),
          post: R,
        }),
      ),
      // 20000 posts at p = 0.001: the log-mode sampler with direct delivery, onto another population and onto
      // its own population without self-connections.
      addProjection(
        world,
        'mid',
        FullProjAlignPost({
          pre: P,
          comm: EventJitFPHomoLinear({ prob: 0.001, weight: 0.29 }),
          syn: Expon({ tau: 5 }),
          out: COBA({ E: 0 }),
          post: S,
        }),
      ),
      addProjection(
        world,
        'selfS',
        FullProjAlignPost({
          pre: S,
          comm: EventJitFPHomoLinear({ prob: 0.001, weight: 0.43, includeSelf: false }),
          syn: Expon({ tau: 6 }),
          out: COBA({ E: 0 }),
          post: S,
        }),
      ),
      addProjection(
        world,
        'dual',
        HalfProjAlignPostMg({
          source: fromQueue(P, { start: 100, end: 600 }),
          comm: EventCSRLinear({ conn: FixedProb({ prob: 0.05 }), weight: 0.2 }),
          syn: DualExponV2({ tauDecay: 6, tauRise: 2 }),
          out: COBA({ E: 0 }),
          post: Q,
        }),
      ),
    ]
    // Random spikes of P written straight into its spike list, before DelaySystem pushes them; every 20th
    // tick all of P fires (56 000 events into 5 blocks of R: each block's bucket fills and is added early).
    const rnd = new Stream(8)
    const drive = (t: number) => {
      let n = 0
      for (let i = 0; i < 700; i++) if (t % 20 === 7 || rnd.uniform() < 0.03) P.spikes.array[n++] = i
      P.nSpikes = n
      n = 0
      for (let i = 0; i < 20000; i++) if (rnd.uniform() < 0.01) S.spikes.array[n++] = i
      S.nSpikes = n
    }
    return { world, projs, drive }
  }
  const a = build('js'),
    b = build('wasm')
  const plan = planOf(b.world)
  assert.equal(
    plan.comm.map((t) => t.wasm?.kind ?? null),
    ['jit_homo', 'csr_homo', 'csr_weights', 'jit_homo_sorted', 'jit_homo', 'jit_homo', 'csr_homo'],
  )
  for (const x of [a, b]) {
    for (let t = 0; t < 60; t++) {
      x.drive(t)
      DelaySystem(x.world)
      CommSystem(x.world)
      ClockSystem(x.world)
    }
  }
  for (let k = 0; k < a.projs.length; k++) {
    for (const name of Object.keys(a.projs[k].state.cols)) {
      const ga = a.projs[k].state.cols[name].array,
        gb = b.projs[k].state.cols[name].array
      assert.ok(
        ga.some((v) => v !== 0),
        `${a.projs[k].name}.${name} received events`,
      )
      assert.equal(Array.from(gb), Array.from(ga), `${a.projs[k].name}.${name}`)
    }
  }
  assert.is(synapticEvents(b.world), synapticEvents(a.world))
})

test.run()
