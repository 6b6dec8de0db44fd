// Synapse states decaying towards zero: every kernel flushes a propagated state value whose magnitude is
// below 2^−100 to 0 (the rule of models/synapses.ts), so the WebAssembly and TypeScript kernels, fused and
// unfused, hold the same states bit for bit through one burst and 10 s of silence, and a silent network's
// states end at exactly 0 instead of staying in the subnormal range.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type Dtype, type PopulationData, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  run,
  SpikeTimeGroup,
  LifRefLTC,
  Expon,
  DualExponV2,
  Alpha,
  DualExpon,
  COBA,
  CUBA,
  FullProjAlignPost,
  FullProjAlignPostMg,
  EventJitFPHomoLinear,
  type SynapseDesc,
} from '@spikecs/systems'
import { assertSameArray } from '../../support/compare.js'

const BURST_TICK = 10

/**
 * 40 source neurons fire once, in tick 10; 200 silent LifRefLTC neurons receive them through `syns` (each a
 * synapse description, merged or not, with a COBA or CUBA output). Weights are small: no post neuron fires.
 */
function burstWorld(
  syns: readonly [SynapseDesc, boolean, 'COBA' | 'CUBA'][],
  kernel: 'js' | 'wasm',
  dtype: Dtype,
  fuse = true,
): { world: World; post: PopulationData } {
  const world = createWorld({ seed: 3, kernel, dtype, fuse })
  const src = addPopulation(
    world,
    'src',
    SpikeTimeGroup({ size: 40, indices: Array.from({ length: 40 }, (_, i) => i), times: new Array(40).fill(BURST_TICK * 0.1) }),
  )
  const post = addPopulation(world, 'post', LifRefLTC({ size: 200, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }))
  syns.forEach(([syn, merged, out], k) => {
    const Proj = merged ? FullProjAlignPostMg : FullProjAlignPost
    addProjection(
      world,
      `p${k}`,
      Proj({
        pre: src,
        post,
        comm: EventJitFPHomoLinear({ prob: 0.3, weight: 0.01 }),
        syn,
        out: out === 'COBA' ? COBA({ E: k === 0 ? 0 : -80 }) : CUBA(),
      }),
    )
  })
  addInput(world, post, 2)
  return { world, post }
}

/** Every synapse column of `post` (states and bound conductances), copied. */
function stateOf(post: PopulationData): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {}
  post.states.forEach((s, j) => {
    for (const [k, c] of Object.entries(s.cols)) out[`${j}.${k}`] = Float64Array.from(c.array)
    out[`${j}.cond`] = Float64Array.from(s.cond.array)
  })
  return out
}

function assertSameStates(a: Record<string, Float64Array>, b: Record<string, Float64Array>, what: string): void {
  assert.equal(Object.keys(a), Object.keys(b))
  for (const k of Object.keys(a)) assertSameArray(a[k], b[k], `${what} ${k}`)
}

const EXPON_SYNS: [SynapseDesc, boolean, 'COBA' | 'CUBA'][] = [
  [Expon({ tau: 5 }), false, 'COBA'],
  [Expon({ tau: 10 }), true, 'COBA'],
  [Expon({ tau: 2 }), false, 'CUBA'],
  [Expon({ tau: 8 }), true, 'CUBA'],
]

test('kernel wasm and kernel js (float32): identical synapse states after a burst and through 10 s of silence', () => {
  const w = burstWorld(EXPON_SYNS, 'wasm', 'float32'),
    j = burstWorld(EXPON_SYNS, 'js', 'float32')
  let sawSubnormalRange = false
  for (let s = 0; s < 100; s++) {
    run(w.world, 100)
    run(j.world, 100)
    const a = stateOf(w.post),
      b = stateOf(j.post)
    assertSameStates(a, b, `after ${(s + 1) * 100} ms:`)
    for (const k of Object.keys(b)) if (b[k].some((x) => x !== 0 && Math.abs(x) < 2 ** -90)) sawSubnormalRange = true
  }
  assert.ok(sawSubnormalRange, 'the states must pass within 2^-90 of zero during the run')
  for (const [k, x] of Object.entries(stateOf(j.post)))
    assert.ok(
      x.every((v) => v === 0),
      `${k} ends at exactly 0`,
    )
})

/** The rule written out for one non-Mg Expon state in float32: g ← fround(g·a), and 0 once |g| < 2^−100. */
function flushTick(g0: number, a: number): number {
  let g = Math.fround(g0),
    k = 0
  while (g !== 0) {
    g = Math.fround(g * a)
    if (Math.abs(g) < 2 ** -100) g = 0
    k++
  }
  return k
}

test('the state reaches 0 in the tick the rule predicts (one Expon state, float32, every kernel)', () => {
  for (const [kernel, fuse] of [
    ['wasm', true],
    ['js', true],
    ['js', false],
  ] as const) {
    const { world, post } = burstWorld([[Expon({ tau: 5 }), false, 'COBA']], kernel, 'float32', fuse)
    run(world, (BURST_TICK + 2) * 0.1) // through the delivery tick (the burst of tick 10 arrives in tick 11)
    const s = post.states[0]
    const g = s.cols.g.array
    const j = g.findIndex((x) => x > 0)
    assert.ok(j >= 0)
    const ticks = flushTick(g[j], s.derived[0]) // the stored value is already decayed once; count the rest
    let k = 0
    while (g[j] !== 0 && k < 20000) {
      run(world, 0.1)
      k++
    }
    assert.is(k, ticks, `${kernel}${fuse ? '' : ' unfused'}: ticks until the state is 0`)
  }
})

test('float32 boundary: g·a that rounds to 2^−100 is kept, g·a that rounds below it is flushed (every kernel)', () => {
  // The rule compares the stored float32 value with 2^−100. A product of two float32 numbers is exact in double.
  // Search decay factors a = fl(e^(−dt/τ)) and float32 states g for g·a in the upper half of the last float32
  // interval below 2^−100 (it rounds up to 2^−100: kept) and for g·a in its lower half (it rounds down: flushed).
  const L = 2 ** -100,
    half = 2 ** -125 // the float32 below 2^−100 is 2^−100 − 2^−124
  const search = (lo: number, hi: number) => {
    for (let k = 0; k < 1000; k++) {
      const tau = 5 + k / 64,
        a = Math.fround(Math.exp(-0.1 / tau))
      for (let g = Math.fround((L / a) * (1 - 2 ** -21)); g < (L / a) * (1 + 2 ** -21); g = Math.fround(g * (1 + 2 ** -24))) {
        if (g * a > lo && g * a < hi) return { tau, a, g }
      }
    }
    throw new Error('no decay factor found')
  }
  const keep = search(L - half, L),
    drop = search(L - 2 * half, L - half)
  assert.is(Math.fround(keep.g * keep.a), L)
  assert.is(Math.fround(drop.g * drop.a), L - 2 * half)
  for (const [kernel, fuse] of [
    ['wasm', true],
    ['js', true],
    ['js', false],
  ] as const) {
    const world = createWorld({ kernel, fuse })
    const pre = addPopulation(world, 'pre', LifRefLTC({ size: 1 }))
    const post = addPopulation(world, 'post', LifRefLTC({ size: 4 }))
    for (const [name, x] of [
      ['keep', keep],
      ['drop', drop],
    ] as const) {
      addProjection(
        world,
        name,
        FullProjAlignPost({
          pre,
          post,
          comm: EventJitFPHomoLinear({ prob: 1, weight: 1 }),
          syn: Expon({ tau: x.tau }),
          out: COBA({ E: 0 }),
        }),
      )
    }
    const [sk, sd] = post.states
    assert.equal([sk.derived[0], sd.derived[0]], [keep.a, drop.a])
    sk.cols.g.array.set([keep.g, -keep.g, keep.g, -keep.g])
    sd.cols.g.array.set([drop.g, -drop.g, drop.g, -drop.g])
    run(world, 0.1) // non-Mg: cond ← g; g ← fl(g·a), flushed
    const what = `${kernel}${fuse ? '' : ' unfused'}`
    assert.equal(Array.from(sk.cond.array), [keep.g, -keep.g, keep.g, -keep.g], `${what}: cond`)
    assert.equal(Array.from(sk.cols.g.array), [L, -L, L, -L], `${what}: rounds to 2^-100, kept`)
    assert.equal(Array.from(sd.cols.g.array), [0, 0, 0, 0], `${what}: rounds below 2^-100, flushed`)
  }
})

const ALL_SYNS: [SynapseDesc, boolean, 'COBA' | 'CUBA'][] = [
  [Expon({ tau: 5 }), false, 'COBA'],
  [DualExponV2({ tauDecay: 10, tauRise: 1 }), true, 'COBA'],
  [Alpha({ tauDecay: 4 }), false, 'CUBA'],
  [DualExpon({ tauDecay: 8, tauRise: 2 }), true, 'CUBA'],
  [Alpha({ tauDecay: 6 }), true, 'COBA'],
  [DualExponV2({ tauDecay: 7, tauRise: 3 }), false, 'CUBA'],
]

for (const dtype of ['float32', 'float64'] as const) {
  test(`every synapse model, Mg and non-Mg: fused = unfused bit for bit through 10 s of decay, ending at exactly 0 (${dtype})`, () => {
    const f = burstWorld(ALL_SYNS, 'js', dtype, true),
      u = burstWorld(ALL_SYNS, 'js', dtype, false)
    for (let s = 0; s < 20; s++) {
      run(f.world, 500)
      run(u.world, 500)
      assertSameStates(stateOf(f.post), stateOf(u.post), `${dtype} after ${(s + 1) * 500} ms:`)
    }
    for (const [k, x] of Object.entries(stateOf(f.post)))
      assert.ok(
        x.every((v) => v === 0),
        `${k} ends at exactly 0`,
      )
  })
}

test.run()
