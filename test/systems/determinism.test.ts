// Same seed, same spikes: the 4000-neuron EINet of BrainPy's align-post documentation for 100 ms.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addSpikeMonitor,
  spikeData,
  run,
  step,
  LifRef,
  normal,
  fromQueue,
  EventJitFPHomoLinear,
  Expon,
  COBA,
  HalfProjAlignPostMg,
  DelaySystem,
  CommSystem,
  AlignPostSystem,
  OutputSystem,
  NeuronSystem,
  MonitorSystem,
  ClockSystem,
} from '@spikecs/systems'

function docsNet(seed: number, extra = false) {
  const world = createWorld({ seed })
  const N = addPopulation(world, 'N', LifRef({ size: 4000, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: normal(-55, 2) }))
  if (extra) {
    // An unrelated population and projection added first must change nothing of N's network.
    const X = addPopulation(world, 'X', LifRef({ size: 100 }))
    addProjection(
      world,
      'X2X',
      HalfProjAlignPostMg({
        source: fromQueue(X),
        comm: EventJitFPHomoLinear({ prob: 0.1, weight: 1 }),
        syn: Expon({ tau: 5 }),
        out: COBA({ E: 0 }),
        post: X,
      }),
    )
  }
  addProjection(
    world,
    'E',
    HalfProjAlignPostMg({
      source: fromQueue(N, { start: 0, end: 3200 }),
      comm: EventJitFPHomoLinear({ prob: 0.02, weight: 0.6 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
      post: N,
    }),
  )
  addProjection(
    world,
    'I',
    HalfProjAlignPostMg({
      source: fromQueue(N, { start: 3200, end: 4000 }),
      comm: EventJitFPHomoLinear({ prob: 0.02, weight: 6.7 }),
      syn: Expon({ tau: 10 }),
      out: COBA({ E: -80 }),
      post: N,
    }),
  )
  addInput(world, N, 20)
  const mon = addSpikeMonitor(world, N)
  return { world, mon }
}

function spikesAfter(world: World, mon: ReturnType<typeof docsNet>['mon'], ms: number) {
  run(world, ms)
  return spikeData(mon)
}

test('same seed → identical spike lists; another seed → different', () => {
  const a = docsNet(42),
    b = docsNet(42),
    c = docsNet(43)
  const sa = spikesAfter(a.world, a.mon, 100),
    sb = spikesAfter(b.world, b.mon, 100),
    sc = spikesAfter(c.world, c.mon, 100)
  assert.ok(sa.ticks.length > 5000, `${sa.ticks.length} spikes`)
  assert.equal(sa, sb)
  assert.not.equal(sa.indices, sc.indices)
})

test('unrelated entities added to the world change nothing; step() in a user loop equals run()', () => {
  const a = docsNet(42),
    b = docsNet(42, true),
    c = docsNet(42)
  const sa = spikesAfter(a.world, a.mon, 30)
  assert.equal(spikesAfter(b.world, b.mon, 30), sa)
  for (let t = 0; t < 300; t++) step(c.world)
  assert.equal(spikeData(c.mon), sa)
  const d = docsNet(42)
  for (let t = 0; t < 300; t++) {
    DelaySystem(d.world)
    CommSystem(d.world)
    AlignPostSystem(d.world)
    OutputSystem(d.world)
    NeuronSystem(d.world)
    MonitorSystem(d.world)
    ClockSystem(d.world)
  }
  assert.equal(spikeData(d.mon), sa)
})

test.run()
