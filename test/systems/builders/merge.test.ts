// Merging of Mg projections: equal (synapse, output, label) descriptions onto one post share one state and
// one output; any difference, or a non-Mg projection, gets its own.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, mergeKey } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  run,
  planOf,
  LifRef,
  One2One,
  Expon,
  DualExponV2,
  DualExpon,
  Alpha,
  COBA,
  CUBA,
  MgBlock,
  FullProjAlignPostMg,
  FullProjAlignPost,
  type SynapseDesc,
  type OutputDesc,
} from '@spikecs/systems'

function twoProjections(
  a: { syn: SynapseDesc; out: OutputDesc; label?: string | null },
  b: { syn: SynapseDesc; out: OutputDesc; label?: string | null },
  mg = true,
) {
  const world = createWorld()
  const pre = addPopulation(world, 'pre', LifRef({ size: 10 }))
  const post = addPopulation(world, 'post', LifRef({ size: 10 }))
  const make = mg ? FullProjAlignPostMg : FullProjAlignPost
  const p1 = addProjection(world, 'p1', make({ pre, comm: One2One({ weight: 1 }), syn: a.syn, out: a.out, outLabel: a.label, post }))
  const p2 = addProjection(world, 'p2', make({ pre, comm: One2One({ weight: 1 }), syn: b.syn, out: b.out, outLabel: b.label, post }))
  return { world, p1, p2, post }
}

test('equal descriptions merge: one state, one output, one g vector decayed once per tick', () => {
  const { world, p1, p2, post } = twoProjections(
    { syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) },
    { syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) },
  )
  assert.is(p1.state, p2.state)
  assert.is(p1.output, p2.output)
  assert.is(post.states.length, 1)
  assert.is(post.outputs.length, 1)
  assert.is(world.components.SynapseState.list.length, 1)
  assert.is(world.components.Output.list.length, 1)
})

const merges = (
  a: { syn: SynapseDesc; out: OutputDesc; label?: string | null },
  b: { syn: SynapseDesc; out: OutputDesc; label?: string | null },
) => {
  const x = twoProjections(a, b)
  return x.p1.state === x.p2.state
}

test('keys are structural: defaults resolved, parameter order irrelevant, numbers compared as numbers', () => {
  const coba = COBA({ E: 0 })
  // A parameter left out is its default: Expon τ 8 ms; Alpha τ 10 ms; DualExponV2 and DualExpon τd 10, τr 1 ms and
  // A the unit-peak value τd/(τd − τr)·(τr/τd)^(τr/(τr − τd)) (docs/models.md), evaluated here as a double;
  // MgBlock E 0, ccMg 1.2, α 0.062, β 3.57, V_offset 0.
  assert.ok(merges({ syn: Expon(), out: coba }, { syn: Expon({ tau: 8 }), out: coba }))
  const tauD = 10,
    tauR = 1
  const A = (tauD / (tauD - tauR)) * (tauR / tauD) ** (tauR / (tauR - tauD))
  assert.ok(merges({ syn: DualExponV2(), out: coba }, { syn: DualExponV2({ tauDecay: 10, tauRise: 1, A }), out: coba }))
  assert.ok(merges({ syn: DualExpon(), out: coba }, { syn: DualExpon({ tauRise: 1, A, tauDecay: 10 }), out: coba }))
  assert.ok(merges({ syn: Alpha(), out: coba }, { syn: Alpha({ tauDecay: 10 }), out: coba }))
  assert.ok(
    merges({ syn: Expon(), out: MgBlock() }, { syn: Expon(), out: MgBlock({ vOffset: 0, beta: 3.57, alpha: 0.062, ccMg: 1.2, E: 0 }) }),
  )
  // A different value of a defaulted parameter does not merge.
  assert.not.ok(merges({ syn: Expon(), out: coba }, { syn: Expon({ tau: 8.000001 }), out: coba }))
  assert.not.ok(merges({ syn: DualExponV2(), out: coba }, { syn: DualExponV2({ A: 1 }), out: coba }))
  assert.not.ok(merges({ syn: Expon(), out: MgBlock() }, { syn: Expon(), out: MgBlock({ ccMg: 1 }) }))
  // Numbers, not their text: 10/2 is 5 and −0 is 0; 0.1 + 0.2 is not 0.3.
  assert.ok(merges({ syn: Expon({ tau: 10 / 2 }), out: COBA({ E: -0 }) }, { syn: Expon({ tau: 5 }), out: coba }))
  assert.not.ok(merges({ syn: Expon({ tau: 0.1 + 0.2 }), out: coba }, { syn: Expon({ tau: 0.3 }), out: coba }))
  const k1 = mergeKey(3, null, { kind: 'Expon', params: { tau: 5, x: 1 } }, { kind: 'COBA', params: { E: 0 } })
  const k2 = mergeKey(3, null, { kind: 'Expon', params: { x: 1, tau: 5 } }, { kind: 'COBA', params: { E: 0 } })
  assert.is(k1, k2)
})

test('different kinds, outputs or labels never merge, even with equal parameters', () => {
  const coba = COBA({ E: 0 })
  // Synapse kinds with the same parameter values.
  assert.not.ok(
    merges({ syn: DualExponV2({ tauDecay: 10, tauRise: 1 }), out: coba }, { syn: DualExpon({ tauDecay: 10, tauRise: 1 }), out: coba }),
  )
  assert.not.ok(merges({ syn: Alpha({ tauDecay: 5 }), out: coba }, { syn: Expon({ tau: 5 }), out: coba }))
  // Output kinds: MgBlock without magnesium computes what COBA computes, but is another output.
  assert.not.ok(merges({ syn: Expon(), out: coba }, { syn: Expon(), out: MgBlock({ E: 0, ccMg: 0 }) }))
  assert.not.ok(merges({ syn: Expon(), out: coba }, { syn: Expon(), out: CUBA() }))
  // Labels: null, 'a' and 'b' are three keys; equal labels merge.
  assert.not.ok(merges({ syn: Expon(), out: coba, label: 'a' }, { syn: Expon(), out: coba }))
  assert.not.ok(merges({ syn: Expon(), out: coba, label: 'a' }, { syn: Expon(), out: coba, label: 'b' }))
  assert.ok(merges({ syn: Expon(), out: coba, label: 'a' }, { syn: Expon(), out: coba, label: 'a' }))
})

test('a different label, tau, E, synapse kind or post does not merge', () => {
  const cases = [
    twoProjections({ syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), label: 'dend' }, { syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }),
    twoProjections({ syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }, { syn: Expon({ tau: 6 }), out: COBA({ E: 0 }) }),
    twoProjections({ syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }, { syn: Expon({ tau: 5 }), out: COBA({ E: -80 }) }),
    twoProjections({ syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }, { syn: DualExponV2({ tauDecay: 5, tauRise: 1 }), out: COBA({ E: 0 }) }),
  ]
  for (const c of cases) {
    assert.is.not(c.p1.state, c.p2.state)
    assert.is(c.post.states.length, 2)
    assert.is(c.post.outputs.length, 2)
  }
  const world = createWorld()
  const pre = addPopulation(world, 'pre', LifRef({ size: 4 }))
  const a = addPopulation(world, 'a', LifRef({ size: 4 }))
  const b = addPopulation(world, 'b', LifRef({ size: 4 }))
  const pa = addProjection(
    world,
    'pa',
    FullProjAlignPostMg({ pre, comm: One2One({ weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post: a }),
  )
  const pb = addProjection(
    world,
    'pb',
    FullProjAlignPostMg({ pre, comm: One2One({ weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post: b }),
  )
  assert.is.not(pa.state, pb.state)
})

test('non-Mg projections never share state, even with identical descriptions', () => {
  const { p1, p2, post } = twoProjections(
    { syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) },
    { syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) },
    false,
  )
  assert.is.not(p1.state, p2.state)
  assert.is(post.states.length, 2)
})

test("a merged state receives both projections' increments and decays once per tick", () => {
  // pre spikes at tick 0 (V0 above threshold); both projections deliver Δ = 1 in tick 1; g_1 = (0 + 2)·a.
  for (const fuse of [true, false]) {
    const world = createWorld({ dtype: 'float64', fuse })
    const pre = addPopulation(world, 'pre', LifRef({ size: 1, vTh: 20, v0: 25, tauRef: 100 }))
    const post = addPopulation(world, 'post', LifRef({ size: 1 }))
    const p1 = addProjection(
      world,
      'p1',
      FullProjAlignPostMg({ pre, comm: One2One({ weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post }),
    )
    addProjection(
      world,
      'p2',
      FullProjAlignPostMg({ pre, comm: One2One({ weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post }),
    )
    assert.is(planOf(world).states.length, fuse ? 0 : 1, 'one state to advance (inside the fused kernel when fused)')
    run(world, 0.2)
    const a = Math.exp(-0.1 / 5)
    assert.ok(Math.abs(p1.state.cond.array[0] - 2 * a) < 1e-15)
    run(world, 0.1)
    assert.ok(Math.abs(p1.state.cond.array[0] - 2 * a * a) < 1e-15)
  }
})

test('merged states under a world without fusion: AlignPostSystem advances each merged state once', () => {
  const world = createWorld({ fuse: false })
  const pre = addPopulation(world, 'pre', LifRef({ size: 5 }))
  const post = addPopulation(world, 'post', LifRef({ size: 5 }))
  for (let k = 0; k < 4; k++)
    addProjection(
      world,
      `p${k}`,
      FullProjAlignPostMg({ pre, comm: One2One({ weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post }),
    )
  addInput(world, pre, 30)
  assert.is(planOf(world).states.length, 1)
  assert.is(planOf(world).outputs.length, 1)
})

test.run()
