// `includeSelf: false` of the on-the-fly layers (and their stored form): refused where it means nothing
// (between two populations, from a spike or value buffer), honoured where it does (pre = post, and half
// projections reading a slice of post, whose neuron i is post i + offset): the pair (i, i + offset) never
// appears, on the fly or stored, with the TypeScript and the WebAssembly kernels; likewise for All2All.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type CommData, type Dtype, type PopulationData } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addSpikeBuffer,
  addValueBuffer,
  run,
  stored,
  LifRef,
  Expon,
  CUBA,
  FullProjAlignPost,
  HalfProjAlignPost,
  fromQueue,
  EventJitFPHomoLinear,
  EventJitFPUniformLinear,
  EventJitFPNormalLinear,
  JitFPHomoLinear,
  JitFPUniformLinear,
  JitFPNormalLinear,
  All2All,
  type JitCommDesc,
} from '@spikecs/systems'

/** Every on-the-fly layer with prob p and every weight exactly 1 (degenerate uniform and normal laws). */
function layers(prob: number, includeSelf: boolean): JitCommDesc[] {
  return [
    EventJitFPHomoLinear({ prob, weight: 1, includeSelf }),
    EventJitFPUniformLinear({ prob, wLow: 1, wHigh: 1, includeSelf }),
    EventJitFPNormalLinear({ prob, wMu: 1, wSigma: 0, includeSelf }),
    JitFPHomoLinear({ prob, weight: 1, includeSelf }),
    JitFPUniformLinear({ prob, wLow: 1, wHigh: 1, includeSelf }),
    JitFPNormalLinear({ prob, wMu: 1, wSigma: 0, includeSelf }),
  ]
}
const forms = (l: JitCommDesc) => [
  { comm: l, label: l.kind },
  { comm: stored(l), label: `stored(${l.kind})` },
]
const syn = { syn: Expon({ tau: 5 }), out: CUBA() }

test('refused between two populations, from a spike buffer and from a value buffer: projection, layer, includeSelf, value', () => {
  for (const layer of layers(0.1, false)) {
    for (const { comm, label } of forms(layer)) {
      const world = createWorld()
      const A = addPopulation(world, 'A', LifRef({ size: 50 }))
      const B = addPopulation(world, 'B', LifRef({ size: 50 }))
      const why = 'includeSelf needs pre and post to be the same population (got false)'
      assert.throws(
        () => addProjection(world, 'AB', FullProjAlignPost({ pre: A, post: B, comm, ...syn })),
        (e: Error) => e.name === 'SpikecsError' && e.message === `projection 'AB' (FullProjAlignPost) comm ${label}: ${why}`,
        label,
      )
      assert.throws(
        () => addProjection(world, 'sliceAB', HalfProjAlignPost({ source: fromQueue(A, { start: 10, end: 50 }), post: B, comm, ...syn })),
        (e: Error) => e.message === `projection 'sliceAB' (HalfProjAlignPost) comm ${label}: ${why}`,
        label,
      )
      for (const buf of [addSpikeBuffer(world, 'spk', 50), addValueBuffer(world, 'val', 50)]) {
        assert.throws(
          () => addProjection(world, `from ${buf.name}`, HalfProjAlignPost({ source: buf, post: A, comm, ...syn })),
          (e: Error) => e.message === `projection 'from ${buf.name}' (HalfProjAlignPost) comm ${label}: ${why}`,
          `${label} from ${buf.name}`,
        )
      }
      // Nothing was added, and includeSelf: true (the default) is accepted between two populations.
      assert.is(world.components.Projection.list.length, 0)
      const ok = layers(0.1, true).find((l) => l.kind === layer.kind)!
      addProjection(world, 'AB', FullProjAlignPost({ pre: A, post: B, comm: label.startsWith('stored') ? stored(ok) : ok, ...syn }))
    }
  }
  const world = createWorld()
  const A = addPopulation(world, 'A', LifRef({ size: 50 }))
  assert.throws(
    () =>
      addProjection(
        world,
        'AA',
        FullProjAlignPost({ pre: A, post: A, comm: EventJitFPHomoLinear({ prob: 0.1, weight: 1, includeSelf: 'no' as never }), ...syn }),
      ),
    (e: Error) => e.message === `projection 'AA' (FullProjAlignPost) comm EventJitFPHomoLinear: includeSelf must be a boolean (got "no")`,
  )
})

/**
 * N = 400 LifRef neurons of which exactly [300, 400) fire in tick 0 (their V starts above threshold); a
 * projection with prob 1, all weights 1, onto N: the full projection N → N, or the half projection reading
 * the slice [300, 400) of N (neuron i of the slice is post 300 + i). In tick 1 every post j receives one
 * unit per spiking pre neuron connected to it: 100 for j < 300; 99 for j ≥ 300 without self-pairs (its own
 * spike excluded), 100 with them. Returns the conductance bound in tick 1.
 */
function tick1(
  kind: 'full' | 'half',
  comm: Parameters<typeof FullProjAlignPost>[0]['comm'],
  kernel: 'js' | 'wasm',
  dtype: Dtype,
): Float64Array {
  const world = createWorld({ seed: 2, kernel, dtype })
  const v0 = Array.from({ length: 400 }, (_, j) => (j >= 300 ? 0 : -70))
  const N: PopulationData = addPopulation(world, 'N', LifRef({ size: 400, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0 }))
  const proj =
    kind === 'full'
      ? addProjection(world, 'P', FullProjAlignPost({ pre: N, post: N, comm, ...syn }))
      : addProjection(world, 'P', HalfProjAlignPost({ source: fromQueue(N, { start: 300, end: 400 }), post: N, comm, ...syn }))
  run(world, 0.2)
  return Float64Array.from(proj.state.cond.array)
}

for (const [kernel, dtype] of [
  ['js', 'float32'],
  ['js', 'float64'],
  ['wasm', 'float32'],
] as const) {
  test(
    `pre = post and a slice of post: the pair (i, i + offset) never delivers, on the fly, stored and ` +
      `All2All (kernel ${kernel}, ${dtype})`,
    () => {
      for (const kind of ['full', 'half'] as const) {
        for (const includeSelf of [false, true]) {
          // Every on-the-fly layer and its stored form, and All2All (w·(n − 1) for a spiking post without self-pairs).
          const comms = [...layers(1, includeSelf).flatMap(forms), { comm: All2All({ weight: 1, includeSelf }), label: 'All2All' }]
          for (const { comm, label } of comms) {
            const g = tick1(kind, comm, kernel, dtype)
            for (let j = 0; j < 400; j++) {
              const expected = j >= 300 && !includeSelf ? 99 : 100
              if (g[j] !== expected)
                assert.unreachable(`${kind} ${label} includeSelf ${includeSelf}: post ${j} received ${g[j]}, expected ${expected}`)
            }
          }
        }
      }
    },
  )
}

test(
  'stored rows of a half projection reading a slice of post (p = 0.5): no row i holds post i + ' + 'offset; with self-pairs about half do',
  () => {
    for (const includeSelf of [false, true]) {
      for (const layer of layers(0.5, includeSelf)) {
        const world = createWorld({ seed: 9 })
        const N = addPopulation(world, 'N', LifRef({ size: 400 }))
        const proj = addProjection(
          world,
          'P',
          HalfProjAlignPost({ source: fromQueue(N, { start: 300, end: 400 }), post: N, comm: stored(layer), ...syn }),
        )
        const c = proj.comm as Extract<CommData, { kind: 'EventCSRLinear' | 'CSRLinear' }>
        let selfPairs = 0
        for (let i = 0; i < 100; i++) {
          const row = Array.from(c.indices.array.subarray(c.indptr.array[i], c.indptr.array[i + 1]))
          if (row.includes(i + 300)) selfPairs++
        }
        if (includeSelf) assert.ok(selfPairs > 30 && selfPairs < 70, `${layer.kind}: ${selfPairs} of 100 rows hold their own neuron`)
        else assert.is(selfPairs, 0, layer.kind)
      }
    }
  },
)

test.run()
