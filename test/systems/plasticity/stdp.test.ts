// STDP_Song2000: the rule on hand-built spike trains against its closed form (both signs, delays, bounds, two
// synapses sharing a post), against the independent naive reference of test/support/naive-stdp.ts on random
// trains (bit for bit, both dtypes), the column index, probes, snapshots, and every refusal.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, getComponent, restore, snapshot, type Dtype } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addStateProbe,
  probeData,
  run,
  weightsOf,
  setWeights,
  setWeightScale,
  tracesOf,
  plasticSynapses,
  stored,
  SpikeTimeGroup,
  STDP_Song2000,
  FullProjAlignPostMg,
  EventCSRLinear,
  CSRLinear,
  EventJitFPHomoLinear,
  JitFPHomoLinear,
  One2One,
  FromList,
  FixedProb,
  Expon,
  CUBA,
  Plasticity,
  type StdpParams,
} from '@spikecs/systems'
import { naiveStdp, type NaiveStdpNet } from '../../support/naive-stdp.js'
import { assertRefused } from '../../support/refusal.js'

const dt = 0.1
const rule = { tauS: 20, tauT: 20, A1: 0.01, A2: 0.0105 }

/** Pre and post spike-time sources, one STDP projection with the given synapses; returns world and projection. */
function build(opts: {
  dtype?: Dtype
  nPre: number
  nPost: number
  preTicks: number[][]
  postTicks: number[][]
  pre: number[]
  post: number[]
  w: number[] | number
  latency?: number
  extra?: StdpParams
  kernel?: 'js' | 'wasm'
}) {
  const world = createWorld({ dtMs: dt, seed: 3, dtype: opts.dtype ?? 'float64', kernel: opts.kernel ?? 'js' })
  const flat = (tr: number[][]) => ({ indices: tr.flatMap((t, i) => t.map(() => i)), times: tr.flatMap((t) => t.map((k) => k * dt)) })
  const pre = addPopulation(world, 'pre', SpikeTimeGroup({ size: opts.nPre, ...flat(opts.preTicks), roundTimes: true }))
  const post = addPopulation(world, 'post', SpikeTimeGroup({ size: opts.nPost, ...flat(opts.postTicks), roundTimes: true }))
  const comm =
    typeof opts.w === 'number'
      ? EventCSRLinear({ conn: FromList({ pre: opts.pre, post: opts.post }), weight: opts.w })
      : EventCSRLinear({ conn: FromList({ pre: opts.pre, post: opts.post, weight: opts.w }) })
  const proj = addProjection(
    world,
    'P',
    STDP_Song2000({
      pre,
      post,
      delay: (opts.latency ?? 1) * dt,
      roundDelay: true,
      comm,
      syn: Expon({ tau: 5 }),
      out: CUBA(),
      ...rule,
      ...opts.extra,
    }),
  )
  return { world, proj }
}

const aS = Math.exp(-dt / rule.tauS)
const aT = Math.exp(-dt / rule.tauT)

// Closed form: pre emitted in tick tp arrives in tick i = tp + L; post spikes in tick j.
// j >= i: w += A1·aS^(j−i) (applied in tick j+1); j < i: w −= A2·aT^(i−1−j) (applied in tick i).
for (const L of [1, 15]) {
  for (const [tp, j] of [
    [10, 40],
    [10, 10 + L], // the post spike in the arrival tick: potentiation with Apre = 1
    [10, 10 + L + 1],
    [40, 10],
    [10, 10 + L - 1], // the post spike in the tick before the arrival: depression with Apost = 1
    [30, 5],
  ]) {
    test(`one pair, latency ${L}: pre emitted in tick ${tp}, post in tick ${j} — closed form`, () => {
      const { world, proj } = build({ nPre: 1, nPost: 1, preTicks: [[tp]], postTicks: [[j]], pre: [0], post: [0], w: 0.5, latency: L })
      run(world, 10)
      const i = tp + L
      const dw = j >= i ? rule.A1 * aS ** (j - i) : -rule.A2 * aT ** (i - 1 - j)
      const w = weightsOf(world, proj)[0]
      assert.ok(Math.abs(w - (0.5 + dw)) <= 1e-15, `w ${w} vs ${0.5 + dw}`)
      assert.ok(Math.sign(w - 0.5) === Math.sign(dw))
    })
  }
}

test('the rule acts in the tick BrainPy gives: depression in the arrival tick, potentiation the tick after the post spike', () => {
  const { world, proj } = build({ nPre: 1, nPost: 1, preTicks: [[10, 60]], postTicks: [[30]], pre: [0], post: [0], w: 0.5 })
  const probe = addStateProbe(world, proj, 'w', [0])
  run(world, 8)
  const { ticks, values } = probeData(probe)
  const at = (k: number) => values[ticks.indexOf(k)]
  assert.is(at(30), 0.5, 'no change before tick 31')
  assert.ok(Math.abs(at(31) - (0.5 + rule.A1 * aS ** 19)) < 1e-15, 'potentiation in tick 31 with Apre_30 = aS^19')
  const w31 = at(31)
  assert.is(at(60), w31, 'unchanged until the second arrival (tick 61)')
  assert.ok(Math.abs(at(61) - (w31 - rule.A2 * aT ** 30)) < 1e-15, 'depression in tick 61 with Apost_60 = aT^30')
})

test('all pairs add: two pre spikes then one post spike, and the traces as read', () => {
  const { world, proj } = build({ nPre: 1, nPost: 1, preTicks: [[10, 20]], postTicks: [[50]], pre: [0], post: [0], w: 0.5 })
  run(world, 10)
  // Depression at the second arrival (tick 21) reads Apost = 0; potentiation in tick 51 sums both arrivals.
  const expected = 0.5 + rule.A1 * (aS ** (50 - 11) + aS ** (50 - 21))
  assert.ok(Math.abs(weightsOf(world, proj)[0] - expected) < 1e-15)
  const tr = tracesOf(world, proj)
  assert.ok(Math.abs(tr.Apre[0] - (aS ** (99 - 11) + aS ** (99 - 21))) < 1e-14, 'Apre_99')
  assert.ok(Math.abs(tr.Apost[0] - aT ** (98 - 50)) < 1e-14, 'Apost holds Apost_98 after tick 99')
})

test('bounds: depression and potentiation are clipped each on its own', () => {
  // Tick 21: pre arrives (emitted 20) while the post spiked in tick 20 and earlier; w starts at wMin = 0.
  // Depression clips to 0 first, then potentiation adds A1·Apre: clip(clip(0 − A2·Apost) + A1·Apre) > 0,
  // where clipping the sum once would give 0.
  const { world, proj } = build({
    nPre: 1,
    nPost: 1,
    preTicks: [[5, 20]],
    postTicks: [[2, 3, 4, 20]],
    pre: [0],
    post: [0],
    w: 0,
    extra: { wMin: 0, wMax: 1, A1: 0.01, A2: 0.05 },
  })
  const probe = addStateProbe(world, proj, 'w', [0])
  run(world, 3)
  const { ticks, values } = probeData(probe)
  const apre20 = aS ** (20 - 6) // the arrival of tick 6
  assert.is(values[ticks.indexOf(20)], 0, 'held at wMin by the depression of tick 6')
  assert.ok(Math.abs(values[ticks.indexOf(21)] - rule.A1 * apre20) < 1e-15, `tick 21: ${values[ticks.indexOf(21)]}`)
})

test('bounds: potentiation stops at wMax, depression at wMin', () => {
  const up = build({ nPre: 1, nPost: 1, preTicks: [[1]], postTicks: [[2]], pre: [0], post: [0], w: 0.995, extra: { wMax: 1, A1: 0.5 } })
  run(up.world, 1)
  assert.is(weightsOf(up.world, up.proj)[0], 1)
  const down = build({ nPre: 1, nPost: 1, preTicks: [[5]], postTicks: [[2]], pre: [0], post: [0], w: 0.1, extra: { wMin: 0, A2: 0.5 } })
  run(down.world, 1)
  assert.is(weightsOf(down.world, down.proj)[0], 0)
})

test('two synapses sharing a post: each pair gets its own closed form', () => {
  const { world, proj } = build({ nPre: 2, nPost: 1, preTicks: [[10], [70]], postTicks: [[50]], pre: [0, 1], post: [0, 0], w: [0.3, 0.6] })
  run(world, 10)
  const w = weightsOf(world, proj)
  assert.ok(Math.abs(w[0] - (0.3 + rule.A1 * aS ** (50 - 11))) < 1e-15, 'pre 0 before the post spike: potentiated')
  assert.ok(Math.abs(w[1] - (0.6 - rule.A2 * aT ** (71 - 1 - 50))) < 1e-15, 'pre 1 after it: depressed')
})

/** Deterministic pseudo-random numbers for the test's own trains (not the world's streams). */
function lcg(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function randomNet(seed: number, dtype: Dtype, latency: number, bounds: boolean): NaiveStdpNet {
  const r = lcg(seed)
  const nPre = 7,
    nPost = 4,
    T = 600
  const synapses: NaiveStdpNet['synapses'] = []
  for (let i = 0; i < nPre; i++) for (let j = 0; j < nPost; j++) if (r() < 0.6) synapses.push({ pre: i, post: j, w: 0.2 + 0.6 * r() })
  const trains = (n: number, p: number) =>
    Array.from({ length: n }, () => {
      const t: number[] = []
      for (let k = 0; k < T; k++) if (r() < p) t.push(k)
      return t
    })
  return {
    dtype,
    dtMs: dt,
    nPre,
    nPost,
    latency,
    synapses,
    preSpikes: trains(nPre, 0.05),
    postSpikes: trains(nPost, 0.04),
    tauS: 3,
    tauT: 4.5,
    A1: 0.03,
    A2: 0.035,
    wMin: bounds ? 0.1 : null,
    wMax: bounds ? 0.9 : null,
    tauSyn: 5,
  }
}

/** The options of `build` for a net of the naive reference. */
function netOptions(net: NaiveStdpNet) {
  return {
    dtype: net.dtype,
    nPre: net.nPre,
    nPost: net.nPost,
    preTicks: net.preSpikes,
    postTicks: net.postSpikes,
    pre: net.synapses.map((s) => s.pre),
    post: net.synapses.map((s) => s.post),
    w: net.synapses.map((s) => s.w),
    latency: net.latency,
    extra: { tauS: net.tauS, tauT: net.tauT, A1: net.A1, A2: net.A2, wMin: net.wMin, wMax: net.wMax },
  }
}

for (const [dtype, kernel] of [
  ['float32', 'js'],
  ['float64', 'js'],
  ['float32', 'wasm'],
] as const) {
  for (const [latency, bounds] of [
    [1, false],
    [1, true],
    [7, true],
  ] as const) {
    test(`random trains against the naive reference (${dtype}, ${kernel}, latency ${latency}, bounds ${bounds}): bit for bit`, () => {
      for (const seed of [1, 2, 3]) {
        const net = randomNet(seed, dtype, latency, bounds)
        const ticks = 700
        const ref = naiveStdp(net, ticks)
        const { world, proj } = build({ ...netOptions(net), kernel })
        run(world, ticks * dt)
        // Storage order is by pre, then list order: map each listed synapse to its position.
        const syn = plasticSynapses(world, proj)
        const W = weightsOf(world, proj)
        net.synapses.forEach((s, n) => {
          let k = 0
          while (syn.pre[k] !== s.pre || syn.post[k] !== s.post) k++
          assert.is(W[k], ref.w[n], `seed ${seed} synapse ${s.pre}→${s.post}`)
        })
        const tr = tracesOf(world, proj)
        assert.equal(Array.from(tr.Apre), ref.Apre, `seed ${seed} Apre`)
        assert.equal(Array.from(tr.Apost), ref.Apost, `seed ${seed} Apost`)
        assert.equal(Array.from(proj.state.cols.g.array), ref.g, `seed ${seed} g (delivery through the updated weights)`)
      }
    })
  }
}

test('column index: every synapse once, under its post, ascending storage position', () => {
  const net = randomNet(9, 'float64', 1, false)
  const { world, proj } = build({ ...netOptions(net), w: 0.5 })
  const d = getComponent(world, proj.eid, Plasticity)!
  const syn = plasticSynapses(world, proj)
  const seen = new Set<number>()
  for (let j = 0; j < net.nPost; j++) {
    let last = -1
    for (let m = d.colptr.array[j]; m < d.colptr.array[j + 1]; m++) {
      const k = d.colsyn.array[m]
      assert.ok(k > last)
      last = k
      assert.is(syn.post[k], j)
      assert.is(d.colpre.array[m], syn.pre[k])
      seen.add(k)
    }
  }
  assert.is(seen.size, net.synapses.length)
  assert.is(d.colptr.array[net.nPost], net.synapses.length)
})

test('one weight is expanded to one per synapse; stored(on-the-fly) layers learn too', () => {
  const { world, proj } = build({ nPre: 2, nPost: 2, preTicks: [[1], [2]], postTicks: [[5], []], pre: [0, 1, 1], post: [1, 0, 1], w: 0.25 })
  assert.equal(Array.from(weightsOf(world, proj)), [0.25, 0.25, 0.25])
  const w2 = createWorld({ dtMs: dt, seed: 1 })
  const a = addPopulation(w2, 'a', SpikeTimeGroup({ size: 20, indices: [0, 1, 2], times: [0.1, 0.2, 0.3] }))
  const b = addPopulation(w2, 'b', SpikeTimeGroup({ size: 10, indices: [3], times: [0.5] }))
  const p2 = addProjection(
    w2,
    'S',
    STDP_Song2000({ pre: a, post: b, comm: stored(EventJitFPHomoLinear({ prob: 0.5, weight: 0.4 })), syn: Expon({ tau: 5 }), out: CUBA() }),
  )
  assert.ok(weightsOf(w2, p2).length > 50)
  run(w2, 2)
  assert.ok(
    Array.from(weightsOf(w2, p2)).some((w) => w !== Math.fround(0.4)),
    'some weight changed',
  )
})

test('snapshot and restore: weights and traces continue bit for bit', () => {
  const make = () => build(netOptions(randomNet(11, 'float32', 1, true)))
  const a = make()
  run(a.world, 30)
  const blob = snapshot(a.world)
  run(a.world, 30)
  const b = make()
  restore(b.world, blob)
  run(b.world, 30)
  assert.equal(Array.from(weightsOf(b.world, b.proj)), Array.from(weightsOf(a.world, a.proj)))
  assert.equal(Array.from(tracesOf(b.world, b.proj).Apre), Array.from(tracesOf(a.world, a.proj).Apre))
  assert.equal(Array.from(tracesOf(b.world, b.proj).Apost), Array.from(tracesOf(a.world, a.proj).Apost))
})

test('setWeights: validated, rounded, applies from the next tick; probes sample w every N ticks', () => {
  const { world, proj } = build({
    dtype: 'float32',
    nPre: 2,
    nPost: 1,
    preTicks: [[], []],
    postTicks: [[]],
    pre: [0, 1],
    post: [0, 0],
    w: 0.5,
    extra: { wMin: 0, wMax: 1 },
  })
  const probe = addStateProbe(world, proj, 'w', [1], { every: 5 })
  setWeights(world, proj, [0.1, 0.7])
  assert.equal(Array.from(weightsOf(world, proj)), [Math.fround(0.1), Math.fround(0.7)])
  setWeights(world, proj, 0.3)
  assert.equal(Array.from(weightsOf(world, proj)), [Math.fround(0.3), Math.fround(0.3)])
  run(world, 2)
  assert.equal(Array.from(probeData(probe).ticks), [0, 5, 10, 15])
  assertRefused(() => setWeights(world, proj, [0.1]), /projection 'P': weights must have 2 elements/)
  assertRefused(() => setWeights(world, proj, [0.1, 1.5]), /weights\[1\] must lie within the rule's bounds \[0, 1\] \(got 1\.5\)/)
  assertRefused(() => setWeights(world, proj, Number.NaN), /weights/)
  assertRefused(() => setWeightScale(world, proj, 2), /has weights that learn/)
  assertRefused(() => addStateProbe(world, proj, 'q', [0]), /known: g, w, Apre, Apost/)
})

test('refusals: layers without stored weights, bad parameters, unknown keys, static projections', () => {
  const world = createWorld({ dtMs: dt })
  const a = addPopulation(world, 'a', SpikeTimeGroup({ size: 3, indices: [], times: [] }))
  const b = addPopulation(world, 'b', SpikeTimeGroup({ size: 2, indices: [], times: [] }))
  const base = { pre: a, post: b, syn: Expon({ tau: 5 }), out: CUBA() }
  const csr = EventCSRLinear({ conn: FixedProb({ prob: 1 }), weight: 0.1 })
  const add = (p: object) => addProjection(world, 'X', STDP_Song2000({ ...base, comm: csr, ...p } as never))
  assertRefused(
    () => add({ comm: EventJitFPHomoLinear({ prob: 0.5, weight: 1 }) }),
    "projection 'X' (STDP_Song2000): comm is an on-the-fly layer: it regenerates its rows at every spike and keeps no " +
      'weights the rule could change; use stored(EventJitFPHomoLinear({ … })) or EventCSRLinear (got "EventJitFPHomoLinear")',
  )
  assertRefused(() => add({ comm: stored(JitFPHomoLinear({ prob: 0.5, weight: 1 })) }), /must store an event layer/)
  assertRefused(
    () => add({ comm: CSRLinear({ conn: FixedProb({ prob: 1 }), weight: 0.1 }) }),
    /comm must hold one stored weight .*\(got "CSRLinear"\)/,
  )
  assertRefused(() => add({ comm: One2One({ weight: 1 }) }), /comm must hold one stored weight .*\(got "One2One"\)/)
  assertRefused(() => add({ tauS: 0 }), /tauS/)
  assertRefused(() => add({ tauT: -1 }), /tauT/)
  assertRefused(() => add({ A1: -0.1 }), /A1 must be >= 0 .*\(got -0\.1\)/)
  assertRefused(() => add({ A2: Number.NaN }), /A2/)
  assertRefused(() => add({ wMin: 1, wMax: 0 }), /wMax must be >= wMin \(1\) \(got 0\)/)
  assertRefused(() => add({ taus: 5 }), /taus/)
  assert.is(world.components.Projection.list.length, 0, 'nothing was added')
  const stat = addProjection(world, 'S', FullProjAlignPostMg({ ...base, comm: csr }))
  assertRefused(() => weightsOf(world, stat), /is a FullProjAlignPostMg projection: its weights do not learn/)
})

test('merging: an STDP projection shares its Mg state with an equal FullProjAlignPostMg', () => {
  const world = createWorld({ dtMs: dt })
  const a = addPopulation(world, 'a', SpikeTimeGroup({ size: 3, indices: [], times: [] }))
  const b = addPopulation(world, 'b', SpikeTimeGroup({ size: 2, indices: [], times: [] }))
  const base = { pre: a, post: b, syn: Expon({ tau: 5 }), out: CUBA(), comm: EventCSRLinear({ conn: FixedProb({ prob: 1 }), weight: 0.1 }) }
  const s = addProjection(world, 'S', FullProjAlignPostMg(base))
  const p = addProjection(world, 'P', STDP_Song2000(base))
  assert.is(p.state, s.state)
  assert.is(p.state.merged, true)
})

test.run()
