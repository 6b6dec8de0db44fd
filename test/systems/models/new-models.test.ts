// The models added as records (IF, IFLTC, the AdQuaIF and Gif families), against expectations derived by hand:
// analytic solutions for constant input, spike times, resets, refractory holds, rest states and BrainPy's
// defaults.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type PopulationData } from '@spikecs/ecs-core'
import {
  addPopulation,
  addInput,
  step,
  neuronModels,
  IF,
  IFLTC,
  AdQuaIF,
  AdQuaIFRef,
  Gif,
  GifRef,
  GifLTC,
  type NeuronInputs,
} from '@spikecs/systems'

const dt = 0.1
const get = (p: PopulationData, k: string): number => p.params[p.paramIndex[k]]
const close = (a: number, b: number, rel: number): boolean => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b))

test('IF: with a constant input V follows V∞ + (V0 − V∞)·e^(−t/τ) exactly and never spikes', () => {
  const world = createWorld({ dtMs: dt, dtype: 'float64' })
  const pop = addPopulation(world, 'n', IF({ size: 3, v0: [0, -5, 12], tau: 8, R: 2 }))
  addInput(world, pop, 3) // V∞ = 0 + 2·3 = 6 mV
  for (let k = 1; k <= 500; k++) {
    step(world)
    assert.is(pop.nSpikes, 0)
    for (const [i, v0] of [0, -5, 12].entries()) {
      const exact = 6 + (v0 - 6) * Math.exp((-k * dt) / 8)
      assert.ok(close(pop.state.V.array[i], exact, 1e-12), `V[${i}] after ${k} ticks: ${pop.state.V.array[i]} vs ${exact}`)
    }
  }
  assert.equal(Object.keys(pop.state), ['V'])
  assert.equal([get(pop, 'vRest'), get(pop, 'R'), get(pop, 'tau')], [0, 2, 8])
  const d = addPopulation(createWorld({ dtMs: dt }), 'd', IF({ size: 1 }))
  assert.equal([get(d, 'vRest'), get(d, 'R'), get(d, 'tau'), d.state.V.array[0]], [0, 1, 10, 0]) // BrainPy's defaults
})

test('IFLTC: under a constant conductance the step is the exact solution of the linear membrane; IF takes the current at the old V', () => {
  const g = 0.5,
    E = 10,
    I = 1
  for (const kind of ['IFLTC', 'IF']) {
    const world = createWorld({ dtMs: dt, dtype: 'float64' })
    const pop = addPopulation(world, 'n', (kind === 'IF' ? IF : IFLTC)({ size: 1, v0: -4 }))
    const inp: NeuronInputs = {
      G: new Float64Array(1),
      GE: new Float64Array(1),
      I: new Float64Array(1),
      iArr: new Float64Array(1),
      hasArr: false,
      iScalar: I,
    }
    for (let k = 0; k < 80; k++) {
      inp.G[0] = g
      inp.GE[0] = g * E
      neuronModels[kind].update(pop, inp, k)
    }
    // τ dV/dt = −V + I + g(E − V): V∞ = (I + gE)/(1 + g) = 4, rate (1 + g)/τ.
    const exact = 4 + (-4 - 4) * Math.exp((-80 * dt * 1.5) / 10)
    const v = pop.state.V.array[0]
    if (kind === 'IFLTC') assert.ok(close(v, exact, 1e-12), `${v} vs ${exact}`)
    else assert.ok(Math.abs(v - exact) > 1e-4 && Math.abs(v - exact) < 0.05, `IF deviates by O(dt): ${v} vs ${exact}`)
  }
})

test('AdQuaIF: BrainPy defaults; at rest without input; w jumps by b at each spike; the first spike time of the quadratic membrane', () => {
  const world = createWorld({ dtMs: 0.01, dtype: 'float64' })
  const rest = addPopulation(world, 'rest', AdQuaIF({ size: 1 }))
  assert.equal(
    ['vRest', 'vReset', 'vTh', 'vC', 'a', 'b', 'c', 'tau', 'tauW'].map((k) => get(rest, k)),
    [-65, -68, -30, -50, 1, 0.1, 0.07, 10, 10],
  )
  // Without adaptation (a = b = 0) and a constant I with no fixed point: τ dV/dt = c(V − m)² + K, m the midpoint of
  // V_rest and V_c, K = I − c·((V_c − V_rest)/2)² > 0, so T = τ/√(cK)·[atan(√(c/K)(V_th − m)) − atan(√(c/K)(V0 − m))].
  const I = 10,
    c = 0.07,
    m = -57.5,
    K = I - c * 7.5 * 7.5
  const T = (10 / Math.sqrt(c * K)) * (Math.atan(Math.sqrt(c / K) * (-30 - m)) - Math.atan(Math.sqrt(c / K) * (-65 - m)))
  const q = addPopulation(world, 'q', AdQuaIF({ size: 1, a: 0, b: 0 }))
  addInput(world, q, I)
  const w = addPopulation(world, 'w', AdQuaIF({ size: 1, a: 0, b: 0.5 }))
  addInput(world, w, I)
  let first = -1
  let wBefore = 0
  for (let k = 0; k < 5000 && first < 0; k++) {
    wBefore = w.state.w.array[0]
    step(world)
    assert.is(rest.state.V.array[0], -65)
    assert.is(rest.state.w.array[0], 0)
    if (q.nSpikes > 0) first = k
  }
  // V reaches V_th in the tick that covers T (exponential Euler at dt 0.01 ms: within 1%).
  assert.ok(first >= 0 && Math.abs((first + 1) * 0.01 - T) < 0.01 * T, `first spike at ${(first + 1) * 0.01} ms, analytic ${T} ms`)
  // The same membrane with b = 0.5: same spike tick (w is 0 until then), V reset, w = its decayed value + b.
  assert.is(w.nSpikes, 1)
  assert.is(w.state.V.array[0], -68)
  assert.ok(close(w.state.w.array[0], wBefore * Math.exp(-0.01 / 10) + 0.5, 1e-15), `w after the spike: ${w.state.w.array[0]}`)
})

test('AdQuaIFRef: V is held at V_reset for round(τ_ref/dt) ticks after a spike while w keeps decaying', () => {
  const world = createWorld({ dtMs: dt, dtype: 'float64' })
  const pop = addPopulation(world, 'n', AdQuaIFRef({ size: 1, tauRef: 2, a: 0, b: 1 }))
  addInput(world, pop, 20)
  let spikeTick = -1
  for (let k = 0; k < 400 && spikeTick < 0; k++) {
    step(world)
    if (pop.nSpikes > 0) spikeTick = k
  }
  assert.ok(spikeTick > 0)
  const w0 = pop.state.w.array[0]
  for (let j = 1; j <= 20; j++) {
    step(world)
    assert.is(pop.state.V.array[0], -68, `held in tick ${spikeTick + j}`)
    assert.ok(close(pop.state.w.array[0], w0 * Math.exp((-j * dt) / 10), 1e-13), 'w decays while V is held')
  }
  step(world)
  assert.ok(pop.state.V.array[0] > -68, 'integrates again after 20 ticks')
})

test('Gif: BrainPy defaults; a constant input crosses V_th at τ·ln((V0 − V∞)/(V_th − V∞)); the reset of I1, I2 and V_th', () => {
  const world = createWorld({ dtMs: dt, dtype: 'float64' })
  const d = addPopulation(world, 'd', Gif({ size: 1 }))
  assert.equal(
    ['vRest', 'vReset', 'vThInf', 'vThReset', 'R', 'tau', 'a', 'b', 'k1', 'k2', 'R1', 'R2', 'A1', 'A2'].map((k) => get(d, k)),
    [-70, -70, -50, -60, 20, 20, 0, 0.01, 0.2, 0.02, 0, 1, 0, 0],
  )
  assert.equal(
    ['V', 'I1', 'I2', 'Vth'].map((v) => d.state[v].array[0]),
    [-70, 0, 0, -50],
  )
  // R·I = 30 mV: V∞ = −40 mV; V_th stays at −50 (a = 0, starting at V_th∞). Crossing at 20·ln 3 = 21.97 ms,
  // so V_k ≥ −50 first for k = 220 steps: tick 219.
  const pop = addPopulation(world, 'n', Gif({ size: 1, A1: 0.5, A2: 0.25 }))
  addInput(world, pop, 1.5)
  const tStar = 20 * Math.log(3)
  let first = -1
  for (let k = 0; k < 400 && first < 0; k++) {
    step(world)
    if (pop.nSpikes > 0) first = k
  }
  assert.is(first, Math.ceil(tStar / dt) - 1)
  assert.equal(
    ['V', 'I1', 'I2', 'Vth'].map((v) => pop.state[v].array[0]),
    [-70, 0.5, 0.25, -50],
  )
  step(world)
  assert.ok(close(pop.state.I1.array[0], 0.5 * Math.exp(-0.2 * dt), 1e-15))
  assert.ok(close(pop.state.I2.array[0], 0.25 * Math.exp(-0.02 * dt), 1e-15))
})

test('Gif: without input the threshold relaxes exactly to V_th∞ at rate b; a lower threshold after reset is raised to V_th_reset', () => {
  const world = createWorld({ dtMs: dt, dtype: 'float64' })
  const pop = addPopulation(world, 'n', Gif({ size: 1, vTh0: -40, b: 0.05 }))
  for (let k = 1; k <= 300; k++) {
    step(world)
    assert.ok(close(pop.state.Vth.array[0], -50 + 10 * Math.exp(-0.05 * k * dt), 1e-13), `V_th after ${k} ticks`)
    assert.is(pop.state.V.array[0], -70)
  }
  // A threshold at −65 (below V_th_reset −60) is raised to −60 by the reset of the first spike.
  const w2 = createWorld({ dtMs: dt, dtype: 'float64' })
  const low = addPopulation(w2, 'low', GifLTC({ size: 1, vTh0: -65, b: 0, v0: -64 }))
  step(w2)
  assert.is(low.nSpikes, 1)
  assert.equal([low.state.V.array[0], low.state.Vth.array[0]], [-70, -60])
})

test('GifRef: V held at V_reset for round(τ_ref/dt) ticks; new models refuse bad parameters naming them', () => {
  const world = createWorld({ dtMs: dt, dtype: 'float64' })
  const pop = addPopulation(world, 'n', GifRef({ size: 1, tauRef: 2 }))
  addInput(world, pop, 1.5)
  let first = -1
  for (let k = 0; k < 400 && first < 0; k++) {
    step(world)
    if (pop.nSpikes > 0) first = k
  }
  assert.is(first, 219)
  for (let j = 0; j < 20; j++) {
    step(world)
    assert.is(pop.state.V.array[0], -70)
  }
  step(world)
  assert.ok(pop.state.V.array[0] > -70)
  const fresh = createWorld({ dtMs: dt })
  assert.throws(
    () => addPopulation(fresh, 'bad', Gif({ size: 1, vThReset: -80 })),
    /population 'bad' \(Gif\): vReset must be below vThReset/,
  )
  assert.throws(() => addPopulation(fresh, 'bad2', AdQuaIF({ size: 1, vC: -70 })), /population 'bad2' \(AdQuaIF\): vC must be above vRest/)
  assert.throws(() => addPopulation(fresh, 'bad3', IF({ size: 1, tau: 0 })), /population 'bad3' \(IF\): tau/)
})

test.run()
