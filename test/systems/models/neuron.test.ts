// Single-neuron tests of the LIF family against values derived by hand from docs/semantics.md.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld } from '@spikecs/ecs-core'
import {
  addPopulation,
  addInput,
  addSpikeMonitor,
  addStateProbe,
  spikeData,
  probeData,
  run,
  isFused,
  Lif,
  LifRef,
  LifRefLTC,
  LifLTC,
} from '@spikecs/systems'

// Docs parameters: V_rest −60, V_th −50, V_reset −60, τ 20 ms, τ_ref 5 ms; V0 = −60, input 20, dt 0.1 ms.
// With I constant, V after k integrating ticks from V0 is V_inf + (V0 − V_inf)·e^(−k·dt/τ), V_inf = V_rest + I = −40.
// It reaches V_th after k* = ceil(τ/dt · ln((V0 − V_inf)/(V_th − V_inf))) = ceil(200·ln 2) = 139 ticks, so the
// first spike happens in tick k* − 1 = 138 (tick 0 is the first integration). After a spike in tick s, V is held
// for round(τ_ref/dt) = 50 ticks and integrates from s + 51: the next spike is in tick s + 50 + 139, so the
// inter-spike interval is 189 ticks = 18.9 ms (≈ 52.9 Hz).
const dt = 0.1,
  tau = 20,
  vRest = -60,
  vTh = -50,
  vReset = -60,
  I = 20
const vInf = vRest + I
const kStar = 139 // ceil(200·ln 2) = ceil(138.63): the first spike is in tick 138
const nRef = 50 // round(5 ms / 0.1 ms): the ISI is 50 + 139 = 189 ticks

for (const [name, make] of [
  ['LifRef', LifRef],
  ['LifRefLTC', LifRefLTC],
] as const) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`${name} (${dtype}): first spike tick, every ISI, V held at V_reset, V trajectory`, () => {
      const world = createWorld({ dtMs: dt, dtype })
      const pop = addPopulation(world, 'n', make({ size: 1, vRest, vTh, vReset, tau, tauRef: 5, v0: -60 }))
      addInput(world, pop, I)
      const mon = addSpikeMonitor(world, pop)
      const probe = addStateProbe(world, pop, 'V', [0])
      run(world, 200)
      const { ticks } = spikeData(mon)
      assert.is(ticks[0], kStar - 1, 'first spike tick')
      assert.ok(ticks.length >= 10)
      for (let k = 1; k < ticks.length; k++) assert.is(ticks[k] - ticks[k - 1], nRef + kStar, `ISI ${k} in ticks`)
      const { values } = probeData(probe)
      // During the hold (the spike tick and the 50 ticks after it) V equals V_reset exactly.
      for (const s of ticks) {
        for (let k = s; k <= s + nRef && k < values.length; k++) assert.is(values[k], vReset, `V at tick ${k} (hold after ${s})`)
      }
      // Before the first spike V follows the closed form (within the dtype's rounding).
      const tol = dtype === 'float32' ? 2e-5 : 1e-9
      for (let k = 0; k < kStar - 1; k++) {
        const want = vInf + (-60 - vInf) * Math.exp((-(k + 1) * dt) / tau)
        assert.ok(Math.abs(values[k] - want) <= tol * Math.abs(want), `V at tick ${k}: ${values[k]} vs ${want}`)
      }
    })
  }
}

test('Lif (no refractoriness): ISI is k* ticks, the neuron integrates right after its reset', () => {
  const world = createWorld({ dtMs: dt })
  const pop = addPopulation(world, 'n', Lif({ size: 1, vRest, vTh, vReset, tau, v0: -60 }))
  addInput(world, pop, I)
  const mon = addSpikeMonitor(world, pop)
  run(world, 100)
  const { ticks } = spikeData(mon)
  assert.is(ticks[0], kStar - 1)
  for (let k = 1; k < ticks.length; k++) assert.is(ticks[k] - ticks[k - 1], kStar)
})

test('a neuron whose V lands exactly on V_th spikes (V >= V_th, not >), fused and unfused', () => {
  // τ so small that e^(−dt/τ) underflows the step: V becomes V_inf = V_rest + I = V_th exactly in one tick.
  for (const make of [Lif, LifLTC]) {
    for (const fuse of [true, false]) {
      const world = createWorld({ dtMs: dt, dtype: 'float64', fuse })
      const pop = addPopulation(world, 'n', make({ size: 1, vRest: -60, vTh: -50, vReset: -70, tau: 1e-3, v0: -60 }))
      addInput(world, pop, 10)
      const mon = addSpikeMonitor(world, pop)
      run(world, 0.1)
      assert.is(isFused(world, pop), fuse)
      assert.is(spikeData(mon).ticks.length, 1, `${make.name}${fuse ? '' : ' unfused'}`)
      assert.is(pop.state.V.array[0], -70, 'reset')
    }
  }
})

test('without input a neuron stays at V_rest; BrainPy defaults (V_rest 0, V_th 20, τ 10, V0 0)', () => {
  const world = createWorld()
  const pop = addPopulation(world, 'n', LifRef({ size: 3 }))
  const probe = addStateProbe(world, pop, 'V', [0, 1, 2])
  run(world, 10)
  assert.ok(probeData(probe).values.every((v) => v === 0))
  assert.is(pop.params[pop.paramIndex.vTh], 20)
  assert.is(pop.params[pop.paramIndex.tau], 10)
  assert.is(pop.params[pop.paramIndex.vReset], -5)
})

test('LTC and non-LTC differ under a conductance; LTC matches the exact solution for constant g', async () => {
  // A constant conductance g with reversal E: τ dV/dt = −(V − V_rest) + g(E − V). Exact solution from V0:
  // V(t) = V∞ + (V0 − V∞)·e^(−t(1+g)/τ), V∞ = (V_rest + gE)/(1+g). Feed g through a CUBA-free COBA path: a
  // One2One projection from a source that spikes every tick would not be constant, so instead check the LTC
  // kernel's formula directly against the per-population update with a hand-made sum.
  const { neuronModels } = await import('@spikecs/systems')
  const g = 0.7,
    E = 0,
    v0 = -65
  for (const kind of ['LifLTC', 'Lif']) {
    const world = createWorld({ dtMs: dt, dtype: 'float64' })
    const pop = addPopulation(world, 'n', (kind === 'Lif' ? Lif : LifLTC)({ size: 1, vRest: -60, vTh: 100, vReset: -70, tau: 10, v0 }))
    const inp = {
      G: Float64Array.of(g),
      GE: Float64Array.of(g * E),
      I: new Float64Array(1),
      iArr: new Float64Array(1),
      hasArr: false,
      iScalar: 0,
    }
    const model = neuronModels[kind]
    let v = v0
    for (let k = 0; k < 50; k++) {
      inp.G[0] = g
      inp.GE[0] = g * E
      model.update(pop, inp, k)
      v = pop.state.V.array[0]
    }
    const vInfExact = (-60 + g * E) / (1 + g)
    const exact = vInfExact + (v0 - vInfExact) * Math.exp((-50 * dt * (1 + g)) / 10)
    if (kind === 'LifLTC') assert.ok(Math.abs(v - exact) < 1e-9, `LTC ${v} vs exact ${exact}`)
    else assert.ok(Math.abs(v - exact) > 1e-4, `non-LTC deviates by O(dt): ${v} vs ${exact}`)
  }
})

test.run()
