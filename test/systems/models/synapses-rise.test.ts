// Alpha and DualExpon align-post synapses: exact responses to a unit increment (Mg and non-Mg), peak times and
// values, merging, and the fused kernel against the unfused systems bit for bit.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type Dtype } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addStateProbe,
  addSpikeMonitor,
  probeData,
  spikeData,
  run,
  isFused,
  planOf,
  Lif,
  LifRef,
  LifRefLTC,
  SpikeTimeGroup,
  PoissonGroup,
  One2One,
  EventJitFPHomoLinear,
  Alpha,
  DualExpon,
  DualExponV2,
  Expon,
  COBA,
  CUBA,
  FullProjAlignPost,
  FullProjAlignPostMg,
  type SynapseDesc,
} from '@spikecs/systems'
import { assertSameArray, assertSameRecord } from '../../support/compare.js'

const dt = 0.1

/** The bound conductance of one synapse after a unit increment from a spike emitted in tick 0 (delivered in tick 1). */
function response(syn: SynapseDesc, mg: boolean, ticks: number): number[] {
  const world = createWorld({ dtMs: dt, dtype: 'float64' })
  const pre = addPopulation(world, 'pre', SpikeTimeGroup({ size: 1, indices: [0], times: [0] }))
  const post = addPopulation(world, 'post', Lif({ size: 1, vTh: 1e9, vReset: -1e9 }))
  const proj = addProjection(
    world,
    'p',
    (mg ? FullProjAlignPostMg : FullProjAlignPost)({ pre, comm: One2One({ weight: 1 }), syn, out: CUBA(), post }),
  )
  const probe = addStateProbe(world, proj, 'g', [0])
  run(world, ticks * dt)
  return Array.from(probeData(probe).values)
}
const argmax = (x: number[]) => x.indexOf(Math.max(...x))

test('Alpha (τ 2 ms): non-Mg samples are exactly (t/τ)·e^(−t/τ) from the delivery tick, peak 1/e at τ; Mg is one tick earlier', () => {
  const tau = 2
  const g = response(Alpha({ tauDecay: tau }), false, 120)
  assert.is(g[0], 0)
  assert.is(g[1], 0, 'the increment enters h in tick 1; g has not moved yet')
  for (let j = 0; j + 1 < g.length; j++) {
    const t = j * dt
    const want = (t / tau) * Math.exp(-t / tau)
    assert.ok(Math.abs(g[j + 1] - want) < 1e-12, `tick ${j + 1}: ${g[j + 1]} vs ${want}`)
  }
  assert.is(argmax(g), 1 + tau / dt)
  assert.ok(Math.abs(Math.max(...g) - 1 / Math.E) < 1e-12)
  const gm = response(Alpha({ tauDecay: tau }), true, 120)
  for (let k = 1; k + 1 < g.length; k++) assert.ok(Math.abs(gm[k] - g[k + 1]) < 1e-12, `Mg tick ${k}`)
  assert.is(argmax(gm), tau / dt)
})

test(
  'DualExpon (τd 10, τr 1): samples are A·(e^(−t/τd) − e^(−t/τr)) as in BrainPy; by default the ' +
    'peak at t* = τd·τr/(τd−τr)·ln(τd/τr) is 1',
  () => {
    const td = 10,
      tr = 1
    const tStar = ((td * tr) / (td - tr)) * Math.log(td / tr) // 2.558 ms
    // BrainPy's default A: the inverse of e^(−t/τd) − e^(−t/τr) at its peak, written out from t*.
    const A = 1 / (Math.exp(-tStar / td) - Math.exp(-tStar / tr))
    const g = response(DualExpon({ tauDecay: td, tauRise: tr }), false, 200)
    for (let j = 0; j + 1 < g.length; j++) {
      const t = j * dt
      const want = A * (Math.exp(-t / td) - Math.exp(-t / tr))
      assert.ok(Math.abs(g[j + 1] - want) < 1e-12, `tick ${j + 1}: ${g[j + 1]} vs ${want}`)
    }
    // On the 0.1 ms grid the sampled peak is the grid point nearest t*, within the curvature's reach of 1.
    const j = argmax(g) - 1
    assert.ok(j === Math.floor(tStar / dt) || j === Math.ceil(tStar / dt), `peak sample at ${j * dt} ms, t* = ${tStar}`)
    assert.ok(Math.max(...g) <= 1 + 1e-12 && Math.max(...g) > 1 - 1e-3, `peak ${Math.max(...g)}`)
    // An explicit A is the amplitude of the difference of exponentials: A = 1 gives e^(−t/τd) − e^(−t/τr),
    // whose peak is 1/A_default = 0.697 for (10, 1) — the same as DualExponV2 with A = 1.
    const g1 = response(DualExpon({ tauDecay: td, tauRise: tr, A: 1 }), false, 200)
    for (let k = 0; k + 1 < g1.length; k++) {
      const t = k * dt
      assert.ok(Math.abs(g1[k + 1] - (Math.exp(-t / td) - Math.exp(-t / tr))) < 1e-12, `A = 1, tick ${k + 1}`)
    }
    const v2 = response(DualExponV2({ tauDecay: td, tauRise: tr, A: 1 }), false, 200)
    assert.ok(Math.abs(Math.max(...g1) - Math.max(...v2)) < 1e-3, `peaks ${Math.max(...g1)} vs ${Math.max(...v2)}`)
    assert.ok(Math.abs(Math.max(...g1) - 1 / A) < 1e-4, `peak ${Math.max(...g1)} vs ${1 / A}`)
    // (10, 0.5): A = 1 peaks at 0.7384 (the response BrainPy computes), not at K·0.7384 = 0.389 as an ODE coefficient would give.
    const h = response(DualExpon({ tauDecay: 10, tauRise: 0.5, A: 1 }), false, 200)
    const tp = ((10 * 0.5) / 9.5) * Math.log(20)
    const peak = Math.exp(-tp / 10) - Math.exp(-tp / 0.5)
    assert.ok(Math.abs(Math.max(...h) - peak) < 2e-3, `peak ${Math.max(...h)} vs ${peak}`)
    // Mg: one tick earlier.
    const gm = response(DualExpon({ tauDecay: td, tauRise: tr }), true, 200)
    for (let k = 1; k + 1 < g.length; k++) assert.ok(Math.abs(gm[k] - g[k + 1]) < 1e-12)
  },
)

test('merging: equal Alpha/DualExpon descriptions share one state (and sum both increments); other τ, A or kind do not', () => {
  const build = (a: SynapseDesc, b: SynapseDesc) => {
    const world = createWorld({ dtype: 'float64' })
    const pre = addPopulation(world, 'pre', SpikeTimeGroup({ size: 3, indices: [0, 1, 2], times: [0, 0, 0] }))
    const post = addPopulation(world, 'post', Lif({ size: 3, vTh: 1e9, vReset: -1e9 }))
    const p1 = addProjection(world, 'p1', FullProjAlignPostMg({ pre, comm: One2One({ weight: 1 }), syn: a, out: COBA({ E: 0 }), post }))
    const p2 = addProjection(world, 'p2', FullProjAlignPostMg({ pre, comm: One2One({ weight: 1 }), syn: b, out: COBA({ E: 0 }), post }))
    return { world, p1, p2, post }
  }
  const same: [SynapseDesc, SynapseDesc][] = [
    [Alpha({ tauDecay: 5 }), Alpha({ tauDecay: 5.0 })],
    [DualExpon({ tauDecay: 10, tauRise: 1 }), DualExpon({ tauRise: 1, tauDecay: 20 / 2 })],
    [DualExpon({ tauDecay: 8, tauRise: 2, A: 3 }), DualExpon({ A: 3, tauRise: 2, tauDecay: 8 })],
  ]
  for (const [a, b] of same) {
    const x = build(a, b)
    assert.is(x.p1.state, x.p2.state)
    assert.is(x.post.states.length, 1)
    run(x.world, 1)
    const single = build(a, Expon({ tau: 5 }))
    run(single.world, 1)
    assert.ok(Math.abs(x.p1.state.cond.array[0] - 2 * single.p1.state.cond.array[0]) < 1e-15, 'both increments reach the shared h')
  }
  const different: [SynapseDesc, SynapseDesc][] = [
    [Alpha({ tauDecay: 5 }), Alpha({ tauDecay: 6 })],
    [DualExpon({ tauDecay: 10, tauRise: 1 }), DualExpon({ tauDecay: 10, tauRise: 2 })],
    [DualExpon({ tauDecay: 10, tauRise: 1 }), DualExpon({ tauDecay: 10, tauRise: 1, A: 1 })],
    [Alpha({ tauDecay: 10 }), DualExpon({ tauDecay: 10, tauRise: 1 })],
  ]
  for (const [a, b] of different) {
    const x = build(a, b)
    assert.is.not(x.p1.state, x.p2.state)
    assert.is(x.post.states.length, 2)
  }
})

function mixedNet(dtype: Dtype, fuse: boolean) {
  const world = createWorld({ dtMs: dt, seed: 5, dtype, fuse })
  const src = addPopulation(world, 'src', PoissonGroup({ size: 200, rateHz: 40 }))
  const post = addPopulation(world, 'post', LifRef({ size: 60, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 2, v0: -58 }))
  const ltc = addPopulation(world, 'ltc', LifRefLTC({ size: 40, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 2, v0: -58 }))
  for (const [target, tag] of [
    [post, 'a'],
    [ltc, 'b'],
  ] as const) {
    const jit = (w: number) => EventJitFPHomoLinear({ prob: 0.2, weight: w })
    addProjection(
      world,
      `${tag}1`,
      FullProjAlignPost({ pre: src, comm: jit(0.9), syn: Alpha({ tauDecay: 3 }), out: COBA({ E: 0 }), post: target }),
    )
    addProjection(
      world,
      `${tag}2`,
      FullProjAlignPostMg({ pre: src, comm: jit(0.5), syn: DualExpon({ tauDecay: 8, tauRise: 1.5 }), out: COBA({ E: 0 }), post: target }),
    )
    addProjection(
      world,
      `${tag}3`,
      FullProjAlignPostMg({ pre: src, comm: jit(1.2), syn: Alpha({ tauDecay: 6 }), out: COBA({ E: -80 }), post: target }),
    )
    addProjection(
      world,
      `${tag}4`,
      FullProjAlignPost({ pre: src, comm: jit(2), syn: DualExpon({ tauDecay: 5, tauRise: 0.5 }), out: CUBA(), post: target }),
    )
    addProjection(
      world,
      `${tag}5`,
      FullProjAlignPost({ pre: src, comm: jit(0.3), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post: target }),
    )
  }
  const mon = addSpikeMonitor(world, [post, ltc])
  return { world, post, ltc, mon }
}

for (const dtype of ['float32', 'float64'] as const) {
  test(`fused kernels with Alpha and DualExpon states (Mg and non-Mg) equal the unfused systems bit for bit (${dtype})`, () => {
    const a = mixedNet(dtype, true),
      b = mixedNet(dtype, false)
    assert.ok(isFused(a.world, a.post) && isFused(a.world, a.ltc) && !isFused(b.world, b.post))
    assert.is(planOf(a.world).states.length, 0)
    run(a.world, 150)
    run(b.world, 150)
    const sa = spikeData(a.mon),
      sb = spikeData(b.mon)
    assert.ok(sa.ticks.length > 100, `the network must fire (${sa.ticks.length} spikes)`)
    assertSameRecord(sa, sb, 'spikes (fused vs unfused)')
    for (const name of ['post', 'ltc'] as const) assertSameArray(a[name].state.V.array, b[name].state.V.array, `V of ${name}`)
    const cols = (w: typeof a.world) =>
      w.components.SynapseState.list.flatMap((s) => [s.cond.array, ...Object.values(s.cols).map((c) => c.array)]).map((x) => Array.from(x))
    assert.equal(cols(a.world), cols(b.world))
  })
}

test('refused: DualExpon with equal time constants (use Alpha); Alpha with τ ≤ 0', () => {
  const world = createWorld()
  const pre = addPopulation(world, 'pre', LifRef({ size: 2 }))
  const post = addPopulation(world, 'post', LifRef({ size: 2 }))
  assert.throws(
    () =>
      addProjection(
        world,
        'p',
        FullProjAlignPost({ pre, comm: One2One({ weight: 1 }), syn: DualExpon({ tauDecay: 4, tauRise: 4 }), out: CUBA(), post }),
      ),
    new RegExp(
      String.raw`^projection 'p' \(FullProjAlignPost\) synapse DualExpon: tauRise must differ from ` +
        String.raw`tauDecay \(4\); use Alpha for equal time constants \(got 4\)$`,
    ),
  )
  assert.throws(
    () =>
      addProjection(world, 'q', FullProjAlignPost({ pre, comm: One2One({ weight: 1 }), syn: Alpha({ tauDecay: 0 }), out: CUBA(), post })),
    /^projection 'q' \(FullProjAlignPost\) synapse Alpha: tauDecay must be > 0 ms \(got 0\)$/,
  )
})

test.run()
