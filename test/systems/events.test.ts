// One rule for `synapticEvents` on every comm layer: each presynaptic spike (or pushed value) counts one event per
// synapse of its row that it reaches — stored, on-the-fly, event or non-event, dense or one-to-one. The expected
// counts come from the delivered increments themselves: with unit weights into a fresh non-Mg Expon state, the
// bound conductance summed over the post population in the delivery tick is the number of synapses reached.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addStateProbe,
  addValueBuffer,
  setValues,
  insertSystem,
  probeData,
  run,
  synapticEvents,
  SpikeTimeGroup,
  Lif,
  Expon,
  CUBA,
  FullProjAlignPost,
  HalfProjAlignPost,
  CommSystem,
  EventJitFPHomoLinear,
  EventJitFPUniformLinear,
  EventJitFPNormalLinear,
  JitFPHomoLinear,
  JitFPUniformLinear,
  JitFPNormalLinear,
  EventCSRLinear,
  CSRLinear,
  FixedProb,
  FromList,
  One2One,
  All2All,
  Linear,
  type CommDesc,
} from '@spikecs/systems'

const nPre = 40,
  nPost = 60
// Pre neurons 3, 7 and 21 spike in tick 0; they are delivered in tick 1.
const spiking = [3, 7, 21]
const list = { pre: [3, 3, 7, 21, 21, 21, 30], post: [0, 5, 5, 1, 2, 59, 4] }

/** Events counted by the world, and the synapses the delivered unit increments show. */
function count(comm: CommDesc, unitWeights: boolean, kernel: 'js' | 'wasm' = 'js'): { events: number; delivered: number } {
  const world = createWorld({ seed: 11, dtype: kernel === 'wasm' ? 'float32' : 'float64', kernel })
  const pre = addPopulation(world, 'pre', SpikeTimeGroup({ size: nPre, indices: spiking, times: spiking.map(() => 0) }))
  const post = addPopulation(world, 'post', Lif({ size: nPost, vTh: 1e9, vReset: -1e9 }))
  const proj = addProjection(world, 'p', FullProjAlignPost({ pre, comm, syn: Expon({ tau: 5 }), out: CUBA(), post }))
  const probe = addStateProbe(
    world,
    proj,
    'g',
    Array.from({ length: nPost }, (_, i) => i),
  )
  run(world, 0.2) // ticks 0 and 1
  const g = Array.from(probeData(probe).values).slice(nPost) // tick 1
  return { events: synapticEvents(world), delivered: unitWeights ? Math.round(g.reduce((a, b) => a + b, 0)) : NaN }
}

const jit = { prob: 0.3 }
const layers: [string, CommDesc][] = [
  ['EventJitFPHomoLinear', EventJitFPHomoLinear({ ...jit, weight: 1 })],
  ['JitFPHomoLinear', JitFPHomoLinear({ ...jit, weight: 1 })],
  ['EventCSRLinear (FixedProb)', EventCSRLinear({ conn: FixedProb(jit), weight: 1 })],
  ['CSRLinear (FixedProb)', CSRLinear({ conn: FixedProb(jit), weight: 1 })],
  ['EventCSRLinear (FromList)', EventCSRLinear({ conn: FromList(list), weight: 1 })],
  ['CSRLinear (FromList)', CSRLinear({ conn: FromList(list), weight: 1 })],
  ['All2All', All2All({ weight: 1 })],
  ['Linear', Linear({ W: new Float64Array(nPre * nPost).fill(1) })],
]

for (const [name, comm] of layers) {
  test(`${name}: one event per synapse reached by each spike (TypeScript and WebAssembly kernels)`, () => {
    const { events, delivered } = count(comm, true)
    assert.ok(events > 0, `${name} counted no events`)
    assert.is(events, delivered)
    assert.equal(count(comm, true, 'wasm'), { events, delivered })
  })
}

test('FromList rows: 2 + 1 + 3 synapses for the spikes of 3, 7 and 21, in both the event and the non-event layer', () => {
  assert.is(count(EventCSRLinear({ conn: FromList(list), weight: 1 }), true).events, 6)
  assert.is(count(CSRLinear({ conn: FromList(list), weight: 1 }), true).events, 6)
})

test('a value buffer: one event per synapse its listed indices reach, whatever the values (non-event stored and on-the-fly layers)', () => {
  /** Events of a half projection named 'p' reading a value buffer in which neurons 3, 7 and 21 have values. */
  const events = (comm: CommDesc) => {
    const world = createWorld({ seed: 11, dtype: 'float64' })
    const post = addPopulation(world, 'post', Lif({ size: nPost, vTh: 1e9, vReset: -1e9 }))
    const buf = addValueBuffer(world, 'x', nPre)
    addProjection(world, 'p', HalfProjAlignPost({ source: buf, comm, syn: Expon({ tau: 5 }), out: CUBA(), post }))
    insertSystem(
      world,
      (w) => {
        if (w.tick === 0) setValues(buf, spiking, [0.5, 2, -1.5])
      },
      { before: CommSystem },
    )
    run(world, 0.2)
    return synapticEvents(world)
  }
  // The FromList rows of 3, 7 and 21 hold 2 + 1 + 3 synapses.
  assert.is(events(CSRLinear({ conn: FromList(list), weight: 1 })), 6)
  assert.is(events(CSRLinear({ conn: FromList({ ...list, weight: [1, 2, 3, 4, 5, 6, 7] }) })), 6)
  // On the fly and stored: the rows of the projection 'p' (seed 11), as the spikes of those neurons reach them.
  const spikes = count(EventJitFPHomoLinear({ ...jit, weight: 1 }), true)
  assert.ok(spikes.events > 20, `${spikes.events} synapses in three rows`)
  assert.is(events(JitFPHomoLinear({ ...jit, weight: 1 })), spikes.events)
  assert.is(events(CSRLinear({ conn: FixedProb(jit), weight: 1 })), spikes.events)
})

test('distributed weights: the event and the non-event layer of one law count the same synapses', () => {
  const pairs: [CommDesc, CommDesc][] = [
    [EventJitFPUniformLinear({ ...jit, wLow: 0.5, wHigh: 1.5 }), JitFPUniformLinear({ ...jit, wLow: 0.5, wHigh: 1.5 })],
    [EventJitFPNormalLinear({ ...jit, wMu: 1, wSigma: 0.1 }), JitFPNormalLinear({ ...jit, wMu: 1, wSigma: 0.1 })],
  ]
  for (const [a, b] of pairs) {
    const e = count(a, false).events
    // Three rows of 60 posts at p = 0.3: 54 expected, far from 0 and from 180.
    assert.ok(e > 20 && e < 100, `${a.kind}: ${e} events`)
    assert.is(count(b, false).events, e)
  }
})

test('One2One: one event per spike (40 neurons onto 40)', () => {
  const world = createWorld({ seed: 11, dtype: 'float64' })
  const pre = addPopulation(world, 'pre', SpikeTimeGroup({ size: nPre, indices: spiking, times: spiking.map(() => 0) }))
  const post = addPopulation(world, 'post', Lif({ size: nPre, vTh: 1e9, vReset: -1e9 }))
  addProjection(world, 'p', FullProjAlignPost({ pre, comm: One2One({ weight: 1 }), syn: Expon({ tau: 5 }), out: CUBA(), post }))
  run(world, 0.2)
  assert.is(synapticEvents(world), spiking.length)
})

test.run()
