// `stored(layer)`: an on-the-fly layer materialised as stored rows is the same matrix — targets and weights,
// weights rounded to the state dtype as the on-the-fly kernels round them — and a network built with either
// form emits the same spikes and holds the same state, bit for bit.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type CommData, type Dtype, type PopulationData, type ProjectionData, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addSpikeMonitor,
  addValueBuffer,
  pushValue,
  insertSystem,
  spikeData,
  run,
  generateRow,
  stored,
  CommSystem,
  LifRef,
  LifRefLTC,
  Expon,
  COBA,
  CUBA,
  FullProjAlignPost,
  FullProjAlignPostMg,
  HalfProjAlignPost,
  normal,
  EventJitFPHomoLinear,
  EventJitFPUniformLinear,
  EventJitFPNormalLinear,
  JitFPHomoLinear,
  JitFPUniformLinear,
  JitFPNormalLinear,
  EventCSRLinear,
  FixedProb,
  type JitCommDesc,
} from '@spikecs/systems'
import { exportPyNN } from '@spikecs/presets'
import { assertSameArray, assertSameRecord } from '../../support/compare.js'

type Jit = Extract<CommData, { gen: unknown }>
type Csr = Extract<CommData, { kind: 'EventCSRLinear' | 'CSRLinear' }>

const LAYERS: readonly JitCommDesc[] = [
  EventJitFPHomoLinear({ prob: 0.05, weight: 0.7 }),
  EventJitFPUniformLinear({ prob: 0.05, wLow: 0.1, wHigh: 0.9 }),
  EventJitFPNormalLinear({ prob: 0.05, wMu: 0.5, wSigma: 0.2 }),
  JitFPHomoLinear({ prob: 0.05, weight: 0.7 }),
  JitFPUniformLinear({ prob: 0.05, wLow: 0.1, wHigh: 0.9 }),
  JitFPNormalLinear({ prob: 0.05, wMu: 0.5, wSigma: 0.2 }),
]

/** A projection 'P' between two populations of 100 neurons with the given layer. */
function layerNet(comm: Parameters<typeof FullProjAlignPost>[0]['comm'], dtype: Dtype, seed = 5): ProjectionData {
  const world = createWorld({ seed, dtype })
  const pre = addPopulation(world, 'pre', LifRef({ size: 100 }))
  const post = addPopulation(world, 'post', LifRef({ size: 100 }))
  return addProjection(world, 'P', FullProjAlignPost({ pre, post, comm, syn: Expon({ tau: 5 }), out: CUBA() }))
}

for (const dtype of ['float32', 'float64'] as const) {
  test(
    `stored rows are generateRow's rows: targets and weights (in the dtype) of every row, each ` +
      `weight law, event and non-event (${dtype})`,
    () => {
      for (const layer of LAYERS) {
        const jit = layerNet(layer, dtype).comm as Jit
        const st = layerNet(stored(layer), dtype).comm as Csr
        assert.is(st.kind, layer.kind.startsWith('Event') ? 'EventCSRLinear' : 'CSRLinear', layer.kind)
        const homo = jit.gen.weight.kind === 'homo'
        assert.is(st.weights === null, homo, `${layer.kind}: per-synapse weights exactly when the law draws them`)
        const t = new Int32Array(100),
          w = dtype === 'float32' ? new Float32Array(100) : new Float64Array(100)
        const keys = new Uint32Array(2)
        let total = 0
        for (let i = 0; i < 100; i++) {
          const n = generateRow(jit.gen, i, -1, t, homo ? null : w, keys)
          const a = st.indptr.array[i],
            b = st.indptr.array[i + 1]
          assertSameArray(st.indices.array.subarray(a, b), t.subarray(0, n), `${layer.kind} row ${i} targets`)
          if (homo) assert.is(st.weight, jit.gen.weight.kind === 'homo' ? jit.gen.weight.value : NaN)
          else {
            assert.is(st.weights!.array.constructor, w.constructor)
            assertSameArray(st.weights!.array.subarray(a, b), w.subarray(0, n), `${layer.kind} row ${i} weights`)
          }
          total += n
        }
        assert.is(st.nSynapses, total)
        assert.ok(total > 300 && total < 700, `${layer.kind}: ${total} synapses for an expected 500`)
      }
    },
  )
}

test("the layer's own seed keys the stored rows as it keys the on-the-fly ones", () => {
  const layer = EventJitFPUniformLinear({ prob: 0.05, wLow: 0.1, wHigh: 0.9, seed: 99 })
  const a = layerNet(stored(layer), 'float32', 1).comm as Csr
  const b = layerNet(stored(layer), 'float32', 2).comm as Csr
  assertSameArray(a.indices.array, b.indices.array, 'targets')
  assertSameArray(a.weights!.array, b.weights!.array, 'weights')
  const c = layerNet(stored(EventJitFPUniformLinear({ prob: 0.05, wLow: 0.1, wHigh: 0.9 })), 'float32', 1).comm as Csr
  assert.ok(c.nSynapses !== a.nSynapses || c.indices.array.some((x, k) => x !== a.indices.array[k]), 'another seed, another matrix')
})

/**
 * E (320) and I (80) LifRefLTC neurons with a weight law per projection, one Mg projection, and a value
 * buffer (40 graded inputs a tick) driving E through a non-event layer; every layer on the fly or stored.
 */
function network(form: 'jit' | 'stored', kernel: 'js' | 'wasm', dtype: Dtype): { world: World; pops: PopulationData[] } {
  const world = createWorld({ seed: 13, dtype, kernel })
  const lif = (size: number) => LifRefLTC({ size, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: normal(-55, 3) })
  const E = addPopulation(world, 'E', lif(320)),
    I = addPopulation(world, 'I', lif(80))
  const f = (layer: JitCommDesc) => (form === 'jit' ? layer : stored(layer))
  addProjection(
    world,
    'E2E',
    FullProjAlignPost({
      pre: E,
      post: E,
      comm: f(EventJitFPUniformLinear({ prob: 0.1, wLow: 0.1, wHigh: 0.5, includeSelf: false })),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  addProjection(
    world,
    'E2I',
    FullProjAlignPostMg({
      pre: E,
      post: I,
      comm: f(EventJitFPNormalLinear({ prob: 0.1, wMu: 0.3, wSigma: 0.1 })),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  addProjection(
    world,
    'I2E',
    FullProjAlignPost({
      pre: I,
      post: E,
      comm: f(EventJitFPHomoLinear({ prob: 0.1, weight: 3 })),
      syn: Expon({ tau: 10 }),
      out: COBA({ E: -80 }),
    }),
  )
  addProjection(
    world,
    'I2I',
    FullProjAlignPost({
      pre: I,
      post: I,
      comm: f(JitFPNormalLinear({ prob: 0.1, wMu: 3, wSigma: 1 })),
      syn: Expon({ tau: 10 }),
      out: COBA({ E: -80 }),
      delay: 0.5,
    }),
  )
  const drive = addValueBuffer(world, 'drive', 100)
  addProjection(
    world,
    'D2E',
    HalfProjAlignPost({
      source: drive,
      post: E,
      comm: f(JitFPUniformLinear({ prob: 0.2, wLow: 0.5, wHigh: 1.5 })),
      syn: Expon({ tau: 2 }),
      out: CUBA(),
    }),
  )
  insertSystem(
    world,
    (w) => {
      for (let k = 0; k < 40; k++) pushValue(drive, 2 * k + (w.tick % 2) + (w.tick % 20), 0.01 * (1 + ((w.tick + k) % 5)))
    },
    { before: CommSystem },
  )
  addInput(world, E, 8)
  addInput(world, I, 10)
  return { world, pops: [E, I] }
}

/** Spikes, and every state column (V, lastSpike, the synapse states and their bound conductances) after 200 ms. */
function outcome(form: 'jit' | 'stored', kernel: 'js' | 'wasm', dtype: Dtype) {
  const { world, pops } = network(form, kernel, dtype)
  const mon = addSpikeMonitor(world, pops)
  run(world, 200)
  const cols: Record<string, ArrayLike<number>> = {}
  for (const p of pops) {
    for (const [k, c] of Object.entries(p.state)) cols[`${p.name}.${k}`] = c.array
    p.states.forEach((s, j) => {
      for (const [k, c] of Object.entries(s.cols)) cols[`${p.name}.syn${j}.${k}`] = c.array
      cols[`${p.name}.syn${j}.cond`] = s.cond.array
    })
  }
  return { spikes: spikeData(mon), cols }
}

for (const [kernel, dtype] of [
  ['js', 'float32'],
  ['js', 'float64'],
  ['wasm', 'float32'],
] as const) {
  test(`a network gives the same spikes and state with on-the-fly and stored layers (kernel ${kernel}, ${dtype})`, () => {
    const a = outcome('jit', kernel, dtype),
      b = outcome('stored', kernel, dtype)
    assert.ok(a.spikes.ticks.length > 500, `the network must be active (${a.spikes.ticks.length} spikes)`)
    assertSameRecord(b.spikes, a.spikes, 'spikes')
    assertSameRecord(b.cols, a.cols, 'state')
  })
}

test('EventCSRLinear with FixedProb and a weight initializer: the on-the-fly targets, weights from a stream of their own', () => {
  const jit = layerNet(EventJitFPUniformLinear({ prob: 0.05, wLow: 0.1, wHigh: 0.9 }), 'float64').comm as Jit
  const init = layerNet(
    EventCSRLinear({ conn: FixedProb({ prob: 0.05 }), weight: { kind: 'uniform', low: 0.1, high: 0.9 } as never }),
    'float64',
  ).comm as Csr
  const st = layerNet(stored(EventJitFPUniformLinear({ prob: 0.05, wLow: 0.1, wHigh: 0.9 })), 'float64').comm as Csr
  // Targets: the uniform layer draws a weight between gaps, so its rows differ from the homogeneous rows of FixedProb.
  const t = new Int32Array(100),
    w = new Float64Array(100),
    keys = new Uint32Array(2)
  const n = generateRow(jit.gen, 0, -1, t, w, keys)
  assertSameArray(st.indices.array.subarray(0, st.indptr.array[1]), t.subarray(0, n), 'stored row 0')
  assert.is(init.connector, 'FixedProb')
  assert.is(st.connector, 'stored(EventJitFPUniformLinear)')
  assert.equal(st.drawn, { prob: 0.05, includeSelf: true, fixedOutDegree: false, weight: { kind: 'uniform', low: 0.1, high: 0.9 } })
})

test('a stored layer exports to PyNN with the exact lists of its on-the-fly form, and statistically with its law', () => {
  const world = (form: 'jit' | 'stored') => {
    const w = createWorld({ seed: 4 })
    const E = addPopulation(w, 'E', LifRef({ size: 60 }))
    const I = addPopulation(w, 'I', LifRef({ size: 40 }))
    const f = (layer: JitCommDesc) => (form === 'jit' ? layer : stored(layer))
    addProjection(
      w,
      'E2I',
      FullProjAlignPost({
        pre: E,
        post: I,
        comm: f(EventJitFPUniformLinear({ prob: 0.2, wLow: 0.1, wHigh: 0.4 })),
        syn: Expon({ tau: 5 }),
        out: COBA({ E: 0 }),
      }),
    )
    addProjection(
      w,
      'I2E',
      FullProjAlignPost({
        pre: I,
        post: E,
        comm: f(EventJitFPHomoLinear({ prob: 0.2, weight: 2 })),
        syn: Expon({ tau: 10 }),
        out: COBA({ E: -80 }),
      }),
    )
    addProjection(
      w,
      'E2E',
      FullProjAlignPost({
        pre: E,
        post: E,
        comm: f(EventJitFPHomoLinear({ prob: 0.2, weight: 0.5, includeSelf: false })),
        syn: Expon({ tau: 5 }),
        out: COBA({ E: 0 }),
      }),
    )
    return w
  }
  const a = exportPyNN(world('jit'), { data: 'file' }),
    b = exportPyNN(world('stored'), { data: 'file' })
  assert.ok(a.data !== null && b.data !== null)
  assertSameArray(b.data!, a.data!, 'npz bytes (connection lists and weights)')
  assert.is(b.synapses, a.synapses)
  const sa = exportPyNN(world('jit'), { conn: 'statistical' }),
    sb = exportPyNN(world('stored'), { conn: 'statistical' })
  const connectors = (s: string) => s.split('\n').filter((l) => /Connector\(|RandomDistribution/.test(l))
  assert.ok(connectors(sb.script).length > 0)
  assert.equal(connectors(sb.script), connectors(sa.script))
})

test('refused: stored() of a layer that is not on the fly names the projection, parameter and value', () => {
  assert.throws(
    () => layerNet(stored(EventCSRLinear({ conn: FixedProb({ prob: 0.1 }), weight: 1 }) as never), 'float32'),
    (e: Error) =>
      e.message ===
      `projection 'P' (FullProjAlignPost) comm stored: layer must be an on-the-fly layer ` +
        `(EventJitFPHomoLinear, EventJitFPUniformLinear, EventJitFPNormalLinear, JitFPHomoLinear, ` +
        `JitFPUniformLinear, JitFPNormalLinear) (got "EventCSRLinear")`,
  )
  assert.throws(
    () => layerNet(stored(EventJitFPUniformLinear({ prob: 0.1, wLow: 1, wHigh: 0 })), 'float32'),
    (e: Error) =>
      e.message === `projection 'P' (FullProjAlignPost) comm stored(EventJitFPUniformLinear): wHigh must be >= wLow (1) (got 0)`,
  )
})

test.run()
