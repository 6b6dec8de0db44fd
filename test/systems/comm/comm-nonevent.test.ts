// Weight distributions of the on-the-fly layers, the non-event layers (JitFP*Linear, CSRLinear) against their
// event forms and against a reference sum over the matrix, value buffers, and the fixed-number connectors.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type CommData, type PopulationData, type ProjectionData, type SpikeBufferData, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addValueBuffer,
  addSpikeBuffer,
  pushValue,
  pushSpike,
  insertSystem,
  run,
  generateRow,
  CommSystem,
  Lif,
  LifRef,
  PoissonGroup,
  Expon,
  CUBA,
  FullProjAlignPost,
  HalfProjAlignPost,
  normal,
  uniform,
  EventJitFPHomoLinear,
  EventJitFPUniformLinear,
  EventJitFPNormalLinear,
  JitFPHomoLinear,
  JitFPUniformLinear,
  JitFPNormalLinear,
  EventCSRLinear,
  CSRLinear,
  FixedProb,
  FixedPostNum,
  FixedPreNum,
  FromList,
  One2One,
  All2All,
  Linear,
  type CommDesc,
} from '@spikecs/systems'

type Jit = Extract<CommData, { gen: unknown }>

/** Every row of an on-the-fly layer: targets and weights (as the kernels draw them). */
function jitRows(comm: CommData, nPre: number): { targets: number[][]; weights: number[][] } {
  const c = comm as Jit
  const t = new Int32Array(c.nPost),
    w = new Float64Array(c.nPost),
    keys = new Uint32Array(2)
  const targets: number[][] = [],
    weights: number[][] = []
  for (let i = 0; i < nPre; i++) {
    const n = generateRow(c.gen, i, -1, t, c.gen.weight.kind === 'homo' ? null : w, keys)
    targets.push(Array.from(t.subarray(0, n)))
    weights.push(c.gen.weight.kind === 'homo' ? new Array(n).fill(c.gen.weight.value) : Array.from(w.subarray(0, n)))
  }
  return { targets, weights }
}

function twoPops(seed = 3, dtype: 'float32' | 'float64' = 'float64', nPre = 2000, nPost = 3000) {
  const world = createWorld({ seed, dtype })
  const pre = addPopulation(world, 'pre', LifRef({ size: nPre }))
  const post = addPopulation(world, 'post', Lif({ size: nPost, vTh: 1e9, vReset: -1e9 }))
  return { world, pre, post }
}
const project = (w: World, pre: PopulationData, post: PopulationData, comm: CommDesc, name = 'p') =>
  addProjection(w, name, FullProjAlignPost({ pre, comm, syn: Expon({ tau: 5 }), out: CUBA(), post }))

function moments(x: number[]): { mean: number; variance: number } {
  const mean = x.reduce((a, b) => a + b, 0) / x.length
  return { mean, variance: x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1) }
}

test('on-the-fly weights: Uniform(0.5, 1.5) and Normal(0.6, 0.1) moments within 5 standard errors (~120 000 weights each)', () => {
  // Bands: mean ± 5σ/√N; variance ± 5·sd(s²) with sd(s²) = √((μ4 − σ⁴)/N) (uniform μ4 = w⁴/80, normal μ4 = 3σ⁴).
  for (const [desc, mean, variance, mu4] of [
    [EventJitFPUniformLinear({ prob: 0.02, wLow: 0.5, wHigh: 1.5 }), 1, 1 / 12, 1 / 80],
    [EventJitFPNormalLinear({ prob: 0.02, wMu: 0.6, wSigma: 0.1 }), 0.6, 0.01, 3e-4],
  ] as const) {
    const { world, pre, post } = twoPops()
    const w = jitRows(project(world, pre, post, desc).comm, 2000).weights.flat()
    const N = w.length
    assert.ok(N > 100000, `${N} weights`)
    const m = moments(w)
    assert.ok(Math.abs(m.mean - mean) < 5 * Math.sqrt(variance / N), `mean ${m.mean} vs ${mean}`)
    assert.ok(Math.abs(m.variance - variance) < 5 * Math.sqrt((mu4 - variance * variance) / N), `variance ${m.variance} vs ${variance}`)
    if (desc.kind === 'EventJitFPUniformLinear') assert.ok(w.every((x) => x >= 0.5 && x < 1.5))
  }
})

test('stored per-synapse weights from an initializer (FixedProb + normal/uniform): moments within 5 standard errors', () => {
  for (const [init, mean, variance, mu4] of [
    [normal(2, 0.5), 2, 0.25, 3 * 0.0625],
    [uniform(-1, 1), 0, 1 / 3, 16 / 80],
  ] as const) {
    const { world, pre, post } = twoPops()
    const p = project(world, pre, post, EventCSRLinear({ conn: FixedProb({ prob: 0.02 }), weight: init }))
    const c = p.comm as Extract<CommData, { kind: 'EventCSRLinear' }>
    const w = Array.from(c.weights!.array)
    assert.is(w.length, c.nSynapses)
    const m = moments(w)
    assert.ok(Math.abs(m.mean - mean) < 5 * Math.sqrt(variance / w.length), `mean ${m.mean}`)
    assert.ok(Math.abs(m.variance - variance) < 5 * Math.sqrt((mu4 - variance * variance) / w.length), `variance ${m.variance}`)
  }
})

test('a non-event layer has the matrix of its event form (same name and seed): targets and weights', () => {
  for (const [ev, ne] of [
    [EventJitFPHomoLinear({ prob: 0.05, weight: 0.7 }), JitFPHomoLinear({ prob: 0.05, weight: 0.7 })],
    [EventJitFPUniformLinear({ prob: 0.05, wLow: 0, wHigh: 2 }), JitFPUniformLinear({ prob: 0.05, wLow: 0, wHigh: 2 })],
    [EventJitFPNormalLinear({ prob: 0.05, wMu: 1, wSigma: 0.3 }), JitFPNormalLinear({ prob: 0.05, wMu: 1, wSigma: 0.3 })],
  ] as const) {
    const a = twoPops(),
      b = twoPops()
    const pa = project(a.world, a.pre, a.post, ev),
      pb = project(b.world, b.pre, b.post, ne)
    assert.is(pb.comm.kind, ne.kind)
    assert.equal(jitRows(pb.comm, 2000), jitRows(pa.comm, 2000))
  }
})

/** A Poisson source driving `comm` into a silent post; the synapse state after 30 ms. */
function drivenState(comm: CommDesc, dtype: 'float32' | 'float64'): number[][] {
  const world = createWorld({ seed: 8, dtype })
  const pre = addPopulation(world, 'pre', PoissonGroup({ size: 500, rateHz: 80 }))
  const post = addPopulation(world, 'post', Lif({ size: 400, vTh: 1e9, vReset: -1e9 }))
  const p = project(world, pre, post, comm)
  run(world, 30)
  return [Array.from(p.state.cond.array), Array.from(p.state.cols.g.array)]
}

for (const dtype of ['float32', 'float64'] as const) {
  test(`event and non-event layers give the same synaptic state bit for bit for a 0/1 (spike) input (${dtype})`, () => {
    const pairs: [CommDesc, CommDesc][] = [
      [EventJitFPHomoLinear({ prob: 0.1, weight: 0.3 }), JitFPHomoLinear({ prob: 0.1, weight: 0.3 })],
      [EventJitFPUniformLinear({ prob: 0.1, wLow: 0.1, wHigh: 0.5 }), JitFPUniformLinear({ prob: 0.1, wLow: 0.1, wHigh: 0.5 })],
      [EventJitFPNormalLinear({ prob: 0.1, wMu: 0.3, wSigma: 0.1 }), JitFPNormalLinear({ prob: 0.1, wMu: 0.3, wSigma: 0.1 })],
      [EventCSRLinear({ conn: FixedProb({ prob: 0.1 }), weight: 0.3 }), CSRLinear({ conn: FixedProb({ prob: 0.1 }), weight: 0.3 })],
      [
        EventCSRLinear({ conn: FixedProb({ prob: 0.1 }), weight: normal(0.3, 0.1) }),
        CSRLinear({ conn: FixedProb({ prob: 0.1 }), weight: normal(0.3, 0.1) }),
      ],
    ]
    for (const [ev, ne] of pairs) {
      const a = drivenState(ev, dtype)
      assert.ok(
        a[0].some((x) => x > 0),
        'the source must deliver something',
      )
      assert.equal(drivenState(ne, dtype), a, ne.kind)
    }
  })
}

/** Pushes the given (index, value) pairs into `buf` in tick 0 (a system before CommSystem). */
function feed(world: World, buf: SpikeBufferData, pairs: [number, number][], asSpikes = false): void {
  insertSystem(
    world,
    (w) => {
      if (w.tick !== 0) return
      for (const [i, x] of pairs) asSpikes ? pushSpike(buf, i) : pushValue(buf, i, x)
    },
    { before: CommSystem },
  )
}

/** The bound conductance in tick 0 of a half projection reading a value buffer (graded input). */
function gradedDelta(comm: CommDesc, pairs: [number, number][], valueBuffer = true): { delta: number[]; proj: ProjectionData } {
  const world = createWorld({ seed: 4, dtype: 'float64' })
  const post = addPopulation(world, 'post', Lif({ size: 300, vTh: 1e9, vReset: -1e9 }))
  const buf = valueBuffer ? addValueBuffer(world, 'x', 200) : addSpikeBuffer(world, 'x', 200)
  const proj = addProjection(world, 'p', HalfProjAlignPost({ source: buf, comm, syn: Expon({ tau: 5 }), out: CUBA(), post }))
  feed(world, buf, pairs, !valueBuffer)
  run(world, 0.1)
  return { delta: Array.from(proj.state.cond.array), proj }
}

test(
  'a graded input scales the non-event current: Δ_j = Σ_i w_ij·x_i over the matrix; the event form ' + 'counts each listed index once',
  () => {
    const pairs: [number, number][] = [
      [3, 0.5],
      [17, 2],
      [40, -1.5],
      [41, 3],
      [199, 0.25],
    ]
    for (const comm of [JitFPNormalLinear({ prob: 0.3, wMu: 1, wSigma: 0.5 }), JitFPHomoLinear({ prob: 0.3, weight: 0.8 })]) {
      const { delta, proj } = gradedDelta(comm, pairs)
      const { targets, weights } = jitRows(proj.comm, 200)
      const want = new Array(300).fill(0)
      for (const [i, x] of pairs)
        targets[i].forEach((j, k) => {
          want[j] += weights[i][k] * x
        })
      assert.ok(want.some((x) => x !== 0))
      for (let j = 0; j < 300; j++) assert.ok(Math.abs(delta[j] - want[j]) < 1e-12, `post ${j}: ${delta[j]} vs ${want[j]}`)
      // Twice the values, twice the current; values 1 equal the spike input.
      const twice = gradedDelta(
        comm,
        pairs.map(([i, x]) => [i, 2 * x]),
      )
      for (let j = 0; j < 300; j++) assert.ok(Math.abs(twice.delta[j] - 2 * want[j]) < 1e-12)
      assert.equal(
        gradedDelta(
          comm,
          pairs.map(([i]) => [i, 1]),
        ).delta,
        gradedDelta(comm, pairs, false).delta,
      )
    }
    // The event layer ignores the magnitude: the same as spikes at the listed indices.
    const ev = gradedDelta(EventJitFPHomoLinear({ prob: 0.3, weight: 0.8 }), pairs).delta
    assert.equal(ev, gradedDelta(EventJitFPHomoLinear({ prob: 0.3, weight: 0.8 }), pairs, false).delta)
    // Stored per-synapse weights.
    const list = { pre: [3, 3, 17, 40, 199], post: [0, 5, 5, 299, 0], weight: [1, 2, 3, 4, 5] }
    const csr = gradedDelta(CSRLinear({ conn: FromList(list) }), pairs).delta
    const want = new Array(300).fill(0)
    list.pre.forEach((i, k) => {
      want[list.post[k]] += list.weight[k] * (pairs.find((p) => p[0] === i)?.[1] ?? 0)
    })
    assert.equal(csr, want)
  },
)

test("dense layers (One2One, All2All, Linear) multiply a value buffer's values, as BrainPy's OneToOne/AllToAll/Linear", () => {
  const pairs: [number, number][] = [
    [0, 2],
    [2, -0.5],
    [4, 3],
  ]
  const delta = (comm: CommDesc, nPost: number, asSpikes = false) => {
    const world = createWorld({ dtype: 'float64' })
    const post = addPopulation(world, 'post', Lif({ size: nPost, vTh: 1e9, vReset: -1e9 }))
    const buf = asSpikes ? addSpikeBuffer(world, 'x', 5) : addValueBuffer(world, 'x', 5)
    const proj = addProjection(world, 'p', HalfProjAlignPost({ source: buf, comm, syn: Expon({ tau: 5 }), out: CUBA(), post }))
    feed(world, buf, pairs, asSpikes)
    run(world, 0.1)
    return Array.from(proj.state.cond.array)
  }
  // One2One with weights w_i: post i gets w_i·x_i.
  assert.equal(delta(One2One({ weight: [1, 2, 3, 4, 5] }), 5), [2, 0, -1.5, 0, 15])
  // All2All: every post gets w·Σx = 0.5·4.5.
  assert.equal(delta(All2All({ weight: 0.5 }), 3), [2.25, 2.25, 2.25])
  // Linear: post j gets Σ_i W[i][j]·x_i.
  const W = [
    [1, 0],
    [0, 0],
    [1, 1],
    [0, 0],
    [0, 2],
  ]
  assert.equal(delta(Linear({ W }), 2), [2 - 0.5, -0.5 + 6])
  // A spike buffer is the 0/1 input: the same layers count each listed index once.
  assert.equal(delta(All2All({ weight: 0.5 }), 3, true), [1.5, 1.5, 1.5])
  assert.equal(delta(Linear({ W }), 2, true), [2, 3])
})

test(
  'FixedPostNum / FixedPreNum: exact out- and in-degrees, distinct partners, no self pair when ' +
    'excluded, deterministic per name and seed',
  () => {
    const rowsOf = (p: ProjectionData) => {
      const c = p.comm as Extract<CommData, { kind: 'EventCSRLinear' | 'CSRLinear' }>
      return Array.from({ length: c.nPre }, (_, i) => Array.from(c.indices.array.subarray(c.indptr.array[i], c.indptr.array[i + 1])))
    }
    const { world, pre, post } = twoPops(3, 'float32', 2000, 500)
    const out = rowsOf(project(world, pre, post, EventCSRLinear({ conn: FixedPostNum({ num: 20 }), weight: 1 }), 'out'))
    out.forEach((r, i) => {
      assert.is(r.length, 20, `row ${i}`)
      assert.is(new Set(r).size, 20)
    })
    // In-degrees of a fixed out-degree matrix: total exactly 2000·20, each post ~ Binomial(2000, 20/500):
    // mean 80, variance 76.8; the sample variance over 500 posts within ±35% (5 × its relative sd √(2/499)).
    const inDeg = new Array(500).fill(0)
    out.flat().forEach((j) => inDeg[j]++)
    const m = moments(inDeg)
    assert.is(m.mean, 80)
    assert.ok(Math.abs(m.variance / 76.8 - 1) < 0.35, `in-degree variance ${m.variance}`)
    const inRows = rowsOf(project(world, pre, post, CSRLinear({ conn: FixedPreNum({ num: 30 }), weight: 1 }), 'in'))
    const byPost: number[][] = Array.from({ length: 500 }, () => [])
    inRows.forEach((r, i) => r.forEach((j) => byPost[j].push(i)))
    byPost.forEach((s, j) => {
      assert.is(s.length, 30, `post ${j}`)
      assert.is(new Set(s).size, 30)
    })
    // The same population without self pairs: the degree stays exact.
    const w2 = createWorld({ seed: 3 })
    const E = addPopulation(w2, 'E', LifRef({ size: 300 }))
    for (const conn of [FixedPostNum({ num: 299, includeSelf: false }), FixedPreNum({ num: 40, includeSelf: false })]) {
      const rows = rowsOf(
        addProjection(
          w2,
          conn.kind,
          FullProjAlignPost({ pre: E, comm: EventCSRLinear({ conn, weight: 1 }), syn: Expon(), out: CUBA(), post: E }),
        ),
      )
      rows.forEach((r, i) => assert.ok(!r.includes(i), `no self pair in row ${i}`))
      if (conn.kind === 'FixedPostNum') rows.forEach((r) => assert.is(r.length, 299))
      else {
        const deg = new Array(300).fill(0)
        rows.flat().forEach((j) => deg[j]++)
        assert.ok(deg.every((d) => d === 40))
      }
    }
    // With replacement: exactly num per row, repeats allowed and, for num > nPost, certain.
    const fresh = (seed: number, nPre: number, nPost: number, comm: CommDesc, name: string) => {
      const t = twoPops(seed, 'float32', nPre, nPost)
      return rowsOf(project(t.world, t.pre, t.post, comm, name))
    }
    const multi = fresh(4, 50, 10, EventCSRLinear({ conn: FixedPostNum({ num: 25, allowMultiConn: true }), weight: 1 }), 'multi')
    multi.forEach((r) => {
      assert.is(r.length, 25)
      assert.ok(new Set(r).size < 25)
    })
    // Deterministic: the same name and seed give the same rows; another seed other rows.
    assert.equal(fresh(3, 2000, 500, EventCSRLinear({ conn: FixedPostNum({ num: 20 }), weight: 1 }), 'out'), out)
    const other = fresh(3, 2000, 500, EventCSRLinear({ conn: FixedPostNum({ num: 20, seed: 99 }), weight: 1 }), 'out')
    assert.not.equal(other, out)
  },
)

test('refused: connectors and value buffers name object, parameter and value', () => {
  const { world, pre, post } = twoPops(3, 'float32', 20, 10)
  const cases: [() => unknown, RegExp][] = [
    [
      () => project(world, pre, post, EventCSRLinear({ conn: FixedPostNum({ num: 11 }), weight: 1 })),
      /^projection 'p' \(FullProjAlignPost\) comm EventCSRLinear FixedPostNum: num must be <= 10 \(got 11\)$/,
    ],
    [
      () => project(world, pre, post, EventCSRLinear({ conn: FixedPreNum({ num: 2.5 }), weight: 1 })),
      /^projection 'p' \(FullProjAlignPost\) comm EventCSRLinear FixedPreNum: num must be an integer \(got 2.5\)$/,
    ],
    [
      () => project(world, pre, post, EventCSRLinear({ conn: FixedPreNum({ num: 2, includeSelf: false }), weight: 1 })),
      new RegExp(
        String.raw`^projection 'p' \(FullProjAlignPost\) comm EventCSRLinear FixedPreNum: includeSelf needs ` +
          String.raw`pre and post to be the same population \(got false\)$`,
      ),
    ],
    [
      () => project(world, pre, post, CSRLinear({ conn: FixedPostNum({ num: 2 }) })),
      new RegExp(
        String.raw`^projection 'p' \(FullProjAlignPost\) comm CSRLinear: weight is required \(a number, one ` +
          String.raw`value per synapse, or an initializer\) \(got undefined\)$`,
      ),
    ],
    [
      () => project(world, pre, post, CSRLinear({ nPost: 11, conn: FixedPostNum({ num: 2 }), weight: 1 })),
      /^projection 'p' \(FullProjAlignPost\) comm CSRLinear: nPost does not match the post population size \(10\) \(got 11\)$/,
    ],
    [
      () => project(world, pre, post, JitFPUniformLinear({ prob: 0.1, wLow: 2, wHigh: 1 })),
      /^projection 'p' \(FullProjAlignPost\) comm JitFPUniformLinear: wHigh must be >= wLow \(2\) \(got 1\)$/,
    ],
    [
      () => pushValue(addSpikeBuffer(world, 'spk', 5), 1, 2),
      /^value buffer 'spk': buffer is a spike buffer without values: make it with addValueBuffer \(got "spk"\)$/,
    ],
    [() => pushValue(addValueBuffer(world, 'val', 5), 1, NaN), /^value buffer 'val': value must be a finite number \(got NaN\)$/],
  ]
  for (const [f, re] of cases) assert.throws(f, re)
})

test.run()
