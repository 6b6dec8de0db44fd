// Spike-source populations (PoissonGroup, SpikeTimeGroup) and piecewise-constant current sections.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addSpikeMonitor,
  addStateProbe,
  spikeData,
  probeData,
  run,
  setParam,
  sectionInput,
  PoissonGroup,
  SpikeTimeGroup,
  Lif,
  One2One,
  Expon,
  CUBA,
  FullProjAlignPost,
} from '@spikecs/systems'

function poissonTrains(opts: { seed?: number; name?: string; before?: boolean; rateHz?: number; size?: number; ms?: number } = {}) {
  const world = createWorld({ seed: opts.seed ?? 1 })
  if (opts.before) addPopulation(world, 'other', PoissonGroup({ size: 50, rateHz: 100 }))
  const pop = addPopulation(world, opts.name ?? 'P', PoissonGroup({ size: opts.size ?? 1000, rateHz: opts.rateHz ?? 20 }))
  const mon = addSpikeMonitor(world, pop)
  run(world, opts.ms ?? 1000)
  const { ticks, indices } = spikeData(mon)
  return { ticks, indices: indices.map((i) => i - pop.start), world, pop, mon }
}

test('PoissonGroup: spike counts within binomial bands; counts of successive ticks uncorrelated', () => {
  // 1000 neurons × 10 000 ticks at p = rate·dt = 0.002: total ~ Binomial(1e7, 0.002), mean 20 000, sd 141.3;
  // per-neuron counts ~ Binomial(1e4, 0.002): mean 20, variance 19.96, and the variance of 1000 such counts has
  // sd ≈ 19.96·√(2/999) = 0.89; per-tick counts ~ Binomial(1000, 0.002): variance 1.996, its estimate over
  // 10 000 ticks has sd √((μ4 − σ⁴)/T) ≈ √((14 − 4)/1e4) = 0.032; their lag-1 autocorrelation has sd 1/√T = 0.01.
  const { ticks, indices } = poissonTrains()
  const n = ticks.length
  assert.ok(Math.abs(n - 20000) < 5 * 141.3, `total ${n}`)
  const counts = new Array(1000).fill(0)
  for (const i of indices) counts[i]++
  const mean = n / 1000
  const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / 999
  assert.ok(Math.abs(variance - 19.96) < 5 * 0.89, `per-neuron count variance ${variance}`)
  const perTick = new Array(10000).fill(0)
  for (const k of ticks) perTick[k]++
  const mt = n / 10000
  const vt = perTick.reduce((a, c) => a + (c - mt) ** 2, 0) / 9999
  assert.ok(Math.abs(vt - 1.996) < 5 * 0.032, `per-tick count variance ${vt}`)
  let lag = 0
  for (let k = 1; k < 10000; k++) lag += (perTick[k] - mt) * (perTick[k - 1] - mt)
  const r1 = lag / 9999 / vt
  assert.ok(Math.abs(r1) < 5 * 0.01, `lag-1 autocorrelation ${r1}`)
  // At most one spike per neuron per tick, indices ascending within a tick.
  for (let k = 1; k < n; k++) if (ticks[k] === ticks[k - 1]) assert.ok(indices[k] > indices[k - 1])
  // A high rate pins the spike probability tightly: 5000 Hz (p = 0.5), 1000 neurons × 1000 ticks:
  // Binomial(1e6, 0.5), mean 500 000, sd 500, so ±5σ is ±0.5% of the mean.
  const hi = poissonTrains({ rateHz: 5000, ms: 100 })
  assert.ok(Math.abs(hi.ticks.length - 500000) < 5 * 500, `high-rate total ${hi.ticks.length}`)
})

test(
  'PoissonGroup: seeded by (world seed, name): reproducible, independent of other populations; a ' + 'live rate change applies next tick',
  () => {
    const a = poissonTrains({ ms: 200 })
    assert.equal(poissonTrains({ ms: 200 }).ticks, a.ticks)
    const b = poissonTrains({ ms: 200, before: true })
    assert.equal([b.ticks, b.indices], [a.ticks, a.indices])
    assert.not.equal(poissonTrains({ ms: 200, seed: 2 }).ticks, a.ticks)
    assert.not.equal(poissonTrains({ ms: 200, name: 'Q' }).ticks, a.ticks)
    setParam(a.world, a.pop, 'rateHz', 0)
    const before = a.mon.count
    run(a.world, 100)
    assert.is(a.mon.count, before)
    setParam(a.world, a.pop, 'rateHz', 10000) // p = 1: every neuron in every tick
    run(a.world, 0.5)
    assert.is(a.mon.count, before + 5 * 1000)
  },
)

test('SpikeTimeGroup: every spike lands on its exact tick (any input order); its projection delivers it in the next tick', () => {
  const world = createWorld({ dtMs: 0.1, dtype: 'float64' })
  const src = addPopulation(world, 'src', SpikeTimeGroup({ size: 3, indices: [2, 0, 1, 0, 2], times: [3.0, 0, 1.2, 0.5, 0.1] }))
  const post = addPopulation(world, 'post', Lif({ size: 3, vTh: 1e9, vReset: -1e9 }))
  const proj = addProjection(
    world,
    'p',
    FullProjAlignPost({ pre: src, comm: One2One({ weight: 1 }), syn: Expon({ tau: 1e9 }), out: CUBA(), post }),
  )
  const mon = addSpikeMonitor(world, src)
  const g = addStateProbe(world, proj, 'g', [0, 1, 2])
  run(world, 5)
  const { ticks, indices } = spikeData(mon)
  assert.equal(Array.from(ticks), [0, 1, 5, 12, 30])
  assert.equal(Array.from(indices), [0, 2, 0, 1, 2])
  // With τ → ∞ the bound conductance counts the delivered spikes: neuron 0's two spikes arrive in ticks 1 and 6.
  const v = probeData(g).values
  const at = (k: number, i: number) => Math.round(v[k * 3 + i])
  assert.equal([at(0, 0), at(1, 0), at(5, 0), at(6, 0), at(12, 1), at(13, 1), at(30, 2), at(31, 2)], [0, 1, 1, 2, 0, 1, 1, 2])
})

test('SpikeTimeGroup: times between ticks are refused unless rounded; a second spike of a neuron in one tick is refused', () => {
  const w = () => createWorld({ dtMs: 0.1 })
  assert.throws(
    () => addPopulation(w(), 'S', SpikeTimeGroup({ size: 2, indices: [0, 1], times: [1, 0.15] })),
    new RegExp(
      String.raw`^population 'S' \(SpikeTimeGroup\): times\[1\] must be a whole number of ticks of dt = ` +
        String.raw`0.1 ms \(it is 1.4999999999999998 ticks; pass roundTimes: true to round\) \(got 0.15\)$`,
    ),
  )
  assert.throws(
    () => addPopulation(w(), 'S', SpikeTimeGroup({ size: 2, indices: [0, 2], times: [1, 2] })),
    /^population 'S' \(SpikeTimeGroup\): indices\[1\] must be <= 1 \(got 2\)$/,
  )
  assert.throws(
    () => addPopulation(w(), 'S', SpikeTimeGroup({ size: 2, indices: [1, 1], times: [1, 1.04], roundTimes: true })),
    new RegExp(
      String.raw`^population 'S' \(SpikeTimeGroup\): times\[1\] puts a second spike of neuron 1 into tick ` +
        String.raw`10 \(times\[0\] = 1 already does\) \(got 1.04\)$`,
    ),
  )
  assert.throws(
    () => addPopulation(w(), 'S', SpikeTimeGroup({ size: 2, indices: [1], times: [1, 2] })),
    /^population 'S' \(SpikeTimeGroup\): times must have as many elements as indices \(1\) \(got array of length 2\)$/,
  )
  assert.throws(
    () => addPopulation(w(), 'P', PoissonGroup({ size: 2, rateHz: 20000 })),
    /^population 'P' \(PoissonGroup\): rateHz must be at most 1\/dt = 10000 Hz \(one spike per tick\) \(got 20000\)$/,
  )
  assert.throws(
    () => addPopulation(w(), 'P', PoissonGroup({ size: 2 } as never)),
    /^population 'P' \(PoissonGroup\): rateHz must be a finite number in Hz \(got NaN\)$/,
  )
  const world = w()
  const ok = addPopulation(world, 'S', SpikeTimeGroup({ size: 1, indices: [0], times: [0.16], roundTimes: true }))
  const mon = addSpikeMonitor(world, ok)
  run(world, 1)
  assert.equal(Array.from(spikeData(mon).ticks), [2])
})

test('sectionInput: each value holds for its duration and switches on the right tick; per-neuron sections; zero or hold after', () => {
  // Lif with V_rest 0, R 1, τ 10 and no reachable threshold integrates exactly: V_{k+1} = I_k + (V_k − I_k)·e^(−dt/τ).
  const a = Math.exp(-0.1 / 10)
  const integrate = (inputs: number[]) => {
    let v = 0
    return inputs.map((I) => (v = I + (v - I) * a))
  }
  for (const after of ['zero', 'hold'] as const) {
    const world = createWorld({ dtype: 'float64' })
    const pop = addPopulation(world, 'n', Lif({ size: 2, vTh: 1e9, vReset: -1e9 }))
    addInput(
      world,
      pop,
      sectionInput(
        world,
        [
          [1, 2],
          [0.5, [-1, 4]],
          [2, 5],
        ],
        { after },
      ),
    )
    const probe = addStateProbe(world, pop, 'V', [0, 1])
    run(world, 5)
    const v = probeData(probe).values
    for (let i = 0; i < 2; i++) {
      // Ticks 0–9: 2; ticks 10–14: −1 (neuron 0) or 4 (neuron 1); ticks 15–34: 5; from tick 35: 0 or 5.
      const inputs = Array.from({ length: 50 }, (_, k) => (k < 10 ? 2 : k < 15 ? [-1, 4][i] : k < 35 ? 5 : after === 'hold' ? 5 : 0))
      const want = integrate(inputs)
      for (let k = 0; k < 50; k++) assert.ok(Math.abs(v[k * 2 + i] - want[k]) < 1e-12, `${after}: neuron ${i}, tick ${k}`)
    }
  }
  const world = createWorld()
  assert.throws(
    () =>
      sectionInput(world, [
        [1, 2],
        [0.25 + 0.001, 3],
      ]),
    /^sectionInput: sections\[1\]\[0\] must be a whole number of ticks of dt = 0.1 ms \(it is 2.51 ticks\) \(got 0.251\)$/,
  )
  assert.throws(
    () =>
      sectionInput(world, [
        [1, [1, 2]],
        [1, [1, 2, 3]],
      ]),
    /^sectionInput: sections\[1\]\[1\] must have 2 values like the earlier sections \(got array of length 3\)$/,
  )
  assert.throws(() => sectionInput(world, [[1, NaN]]), /^sectionInput: sections\[0\]\[1\] must be a finite number \(got NaN\)$/)
})

test.run()
