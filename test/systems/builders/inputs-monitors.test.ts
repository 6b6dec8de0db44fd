// External inputs, monitors and checkers.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, SpikecsError } from '@spikecs/ecs-core'
import {
  addPopulation,
  addInput,
  setInput,
  addSpikeMonitor,
  addRateMonitor,
  addStateProbe,
  addChecker,
  spikeData,
  rateData,
  probeData,
  run,
  setParam,
  sectionInput,
  Lif,
  LifRef,
  One2One,
  Expon,
  CUBA,
  addProjection,
  FullProjAlignPost,
} from '@spikecs/systems'

// A neuron with R = 1, τ = 10 ms, V_rest = 0 and no threshold in reach integrates its input exactly:
// V_{k+1} = I_k + (V_k − I_k)·e^(−dt/τ).
function integrator(dtype: 'float64' = 'float64') {
  const world = createWorld({ dtype })
  const pop = addPopulation(world, 'n', Lif({ size: 3, vTh: 1e9, vReset: -1e9 }))
  const probe = addStateProbe(world, pop, 'V', [0, 1, 2])
  return { world, pop, probe }
}
function expected(inputs: number[]): number[] {
  const a = Math.exp(-0.1 / 10)
  let v = 0
  return inputs.map((I) => (v = I + (v - I) * a))
}

test('constant, per-neuron, series (zero and hold), and function inputs sum per tick', () => {
  const { world, pop, probe } = integrator()
  addInput(world, pop, 2)
  addInput(world, pop, [1, 2, 3])
  addInput(world, pop, { series: [5, 5, 5] })
  addInput(world, pop, {
    series: [
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7,
    ],
    after: 'hold',
  })
  addInput(world, pop, (tick: number) => (tick >= 10 && tick < 20 ? -4 : 0))
  run(world, 10)
  const { values } = probeData(probe)
  for (let n = 0; n < 3; n++) {
    const inputs = Array.from({ length: 100 }, (_, k) => 2 + (n + 1) + (k < 3 ? 5 : 0) + (k >= 59 ? 7 : 0) + (k >= 10 && k < 20 ? -4 : 0))
    const want = expected(inputs)
    for (let k = 0; k < 100; k++) assert.ok(Math.abs(values[k * 3 + n] - want[k]) < 1e-12, `neuron ${n} tick ${k}`)
  }
})

test('a sectioned protocol switches on the right tick; live changes of an input take effect next tick', () => {
  const { world, pop, probe } = integrator()
  // Sections of 1, 0.5 and 1.5 ms: 1 in ticks 0–9, 3 in ticks 10–14, −2 in ticks 15–29, then 0.
  addInput(
    world,
    pop,
    sectionInput(world, [
      [1, 1],
      [0.5, 3],
      [1.5, -2],
    ]),
  )
  const inp = addInput(world, pop, 1)
  run(world, 1) // live input 1 in ticks 0..9
  setInput(inp, 3)
  run(world, 1) // 3 in ticks 10..19
  inp.scale = 0.5
  run(world, 2) // 1.5 in ticks 20..39
  const section = (k: number) => (k < 10 ? 1 : k < 15 ? 3 : k < 30 ? -2 : 0)
  const live = (k: number) => (k < 10 ? 1 : k < 20 ? 3 : 1.5)
  const want = expected(Array.from({ length: 40 }, (_, k) => section(k) + live(k)))
  const { values } = probeData(probe)
  for (let k = 0; k < 40; k++) assert.ok(Math.abs(values[k * 3] - want[k]) < 1e-12, `tick ${k}: ${values[k * 3]} vs ${want[k]}`)
})

test('per-neuron function inputs fill their own buffer once per tick', () => {
  const { world, pop, probe } = integrator()
  let calls = 0
  addInput(world, pop, {
    fn: (tick, _t, out) => {
      calls++
      out[0] = tick
      out[2] = -tick
    },
    perNeuron: true,
  })
  run(world, 2)
  assert.is(calls, 20)
  const want = expected(Array.from({ length: 20 }, (_, k) => k))
  const { values } = probeData(probe)
  for (let k = 0; k < 20; k++) {
    assert.ok(Math.abs(values[k * 3] - want[k]) < 1e-12)
    assert.is(values[k * 3 + 1], 0)
    assert.ok(Math.abs(values[k * 3 + 2] + want[k]) < 1e-12)
  }
})

test('spike monitor: compact arrays of ticks and global indices; rate monitor counts; windows', () => {
  const world = createWorld()
  const a = addPopulation(world, 'a', LifRef({ size: 5, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }))
  const b = addPopulation(world, 'b', LifRef({ size: 5, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }))
  addInput(world, a, 20)
  addInput(world, b, 20)
  const all = addSpikeMonitor(world, [a, b])
  const late = addSpikeMonitor(world, b, { startMs: 20, stopMs: 40 })
  const rate = addRateMonitor(world, [a, b])
  run(world, 60)
  const s = spikeData(all)
  // Every neuron fires at ticks 138, 327, … (see neuron.test.ts): 10 neurons × 3 spikes in 60 ms.
  assert.is(s.ticks.length, 30)
  assert.equal(Array.from(new Set(s.ticks)), [138, 327, 516])
  assert.equal(Array.from(s.indices.subarray(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  assert.equal(Array.from(spikeData(late).ticks), [327, 327, 327, 327, 327])
  const r = rateData(rate)
  assert.is(r.ticks.length, 600)
  assert.equal([r.counts[138 * 2], r.counts[138 * 2 + 1]], [5, 5])
})

test('bounded monitors: a ring keeps the newest records, a capped one stops; both count what they drop', () => {
  const world = createWorld()
  const p = addPopulation(world, 'p', LifRef({ size: 1, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }))
  addInput(world, p, 20)
  const ring = addSpikeMonitor(world, p, { max: 2, ring: true })
  const capped = addSpikeMonitor(world, p, { max: 2 })
  const probe = addStateProbe(world, p, 'V', [0], { max: 5, ring: true })
  run(world, 100) // spikes at 138, 327, 516, 705, 894
  assert.equal(Array.from(spikeData(ring).ticks), [705, 894])
  assert.is(ring.dropped, 3)
  assert.equal(Array.from(spikeData(capped).ticks), [138, 327])
  assert.is(capped.dropped, 3)
  assert.equal(Array.from(probeData(probe).ticks), [995, 996, 997, 998, 999])
})

test('state probes of a projection read its bound conductance; every k ticks', () => {
  const world = createWorld({ dtype: 'float64' })
  const pre = addPopulation(world, 'pre', LifRef({ size: 1, vTh: 20, v0: 25, tauRef: 1000 }))
  const post = addPopulation(world, 'post', Lif({ size: 1, vTh: 1e9, vReset: -1e9 }))
  const proj = addProjection(
    world,
    'p',
    FullProjAlignPost({ pre, comm: One2One({ weight: 2 }), syn: Expon({ tau: 5 }), out: CUBA(), post }),
  )
  const g = addStateProbe(world, proj, 'g', [0], { every: 3 })
  run(world, 1)
  const { ticks, values } = probeData(g)
  assert.equal(Array.from(ticks), [0, 3, 6, 9])
  const a = Math.exp(-0.1 / 5)
  const want = [0, 2 * a ** 2, 2 * a ** 5, 2 * a ** 8]
  want.forEach((w, k) => assert.ok(Math.abs(values[k] - w) <= 1e-15 * w, `sample ${k}: ${values[k]} vs ${w}`))
})

test('checker: NaN state stops the run naming population, variable, neuron and tick', () => {
  const world = createWorld()
  const p = addPopulation(world, 'E', LifRef({ size: 10 }))
  addChecker(world, { every: 1 })
  run(world, 1)
  p.state.V.array[3] = NaN
  try {
    run(world, 1)
    assert.unreachable()
  } catch (e) {
    assert.instance(e, SpikecsError)
    assert.match(
      (e as Error).message,
      /^population 'E': V\[3\] must stay finite \(checker 'checker0'\); it did not at tick 10 \(got NaN\)$/,
    )
  }
})

test('checker: a runaway rate stops the run; a healthy one does not', () => {
  const world = createWorld()
  const p = addPopulation(world, 'E', Lif({ size: 10, vRest: -60, vTh: -50, vReset: -60, tau: 20, v0: -60 }))
  addInput(world, p, 20) // ~ 72 Hz without refractoriness
  addChecker(world, { maxRateHz: 100, windowMs: 50 })
  run(world, 100)
  setParam(world, p, 'tau', 1) // now it fires every couple of ticks
  assert.throws(
    () => run(world, 100),
    /^population 'E': rate over the last 50 ms must stay <= 100 Hz \(checker 'checker0'\); exceeded at tick \d+ \(got [\d.]+\)$/,
  )
})

test.run()
