// Plasticity through PyNN (`pnpm test:interop`; Debian: apt-get install python3-pynn python3-brian): STDP_Song2000
// exported as STDPMechanism(SpikePairRule, AdditiveWeightDependence) and run by pyNN.brian2 (numpy code
// generation), against spikecs running the same world.
// - song2000 (1000 Poisson inputs → one Lif neuron, 1000 plastic synapses), 20 s: PyNN/Brian2 with seeds 1 and 2
//   (spikecs's initial weights of that seed; SpikeSourcePoisson draws its own inputs, so the runs are statistically,
//   not spike for spike, the same network) against spikecs's means over seeds 1–10. Bands, from the seed-to-seed
//   spread of spikecs's 20 s runs (standard deviations over seeds 1–20: fraction of w/gmax below 0.1 0.0116, at or
//   above 0.9 0.0070, mean w/gmax 0.0027, output rate 4.2 Hz): three standard errors of a 2-seed mean against a
//   10-seed mean (0.775 SD), plus the systematic difference measured over PyNN seeds 1–6 against spikecs seeds 1–20
//   (−0.0144, +0.0100, +0.0104, +1.4 Hz: PyNN's depression of a pair is e^(−dt/τ−) = 0.995 of spikecs's, see
//   docs/pynn.md): |difference| ≤ 0.041, 0.026, 0.017 and 11 Hz.
// - One pair per synapse: six inputs (SpikeTimeGroup → SpikeSourceArray) each spike once around a single post
//   spike that a strong static input forces. Every synapse's weight change must be the pair rule's, in each
//   simulator with its own order (docs/pynn.md, "Plasticity"): potentiation A1·e^(−d/τ+) for a post spike d ≥ 0
//   after the arrival, depression A2·e^(−d/τ−) under pyNN.brian2 and A2·e^(−(d−dt)/τ−) in spikecs for an
//   arrival d > 0 after it; Brian2's post spike comes one step later (its delayed delivery), which turns
//   spikecs's arrival one tick after the post spike into a same-step, potentiating pair there. Tolerance 1e−7
//   of w_max: spikecs stores float32 weights, and the export writes the initial float32 weight w_max/2 at its
//   double value (2e−8 below it relative); the two rules differ by at least 3e−5 of w_max on these pairs.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addSpikeMonitor,
  run,
  spikeData,
  weightsOf,
  CUBA,
  EventCSRLinear,
  Expon,
  FromList,
  FullProjAlignPost,
  LifRef,
  STDP_Song2000,
  SpikeTimeGroup,
} from '@spikecs/systems'
import { exportPyNN, song2000, weightStats } from '@spikecs/presets'
import { PYTHON, pool, runJson, scratch } from '../support/python.js'

const { env, write, remove } = scratch('spikecs-interop-stdp-')

interface WeightResult {
  wMax: number
  hist10: number[]
  fracLow: number
  fracHigh: number
  mean: number
  synapses?: [number, number, number][]
}
const weightsIn = (result: { weights?: unknown }) => result.weights as Record<string, WeightResult>

test('song2000, 20 s: PyNN/Brian2 (seeds 1, 2) learns the weight distribution and rate of spikecs (seeds 1–10)', async () => {
  const durationMs = 20_000
  const t0 = performance.now()
  const scripts = [1, 2].map((seed) => {
    const net = song2000({ seed, record: false })
    const ex = exportPyNN(net.world, { durationMs, groups: net.groups, dataFile: `song-${seed}.npz`, scriptName: `song-${seed}.py` })
    return write(`song-${seed}.py`, ex)
  })
  // Brian2 runs in two processes while spikecs runs here.
  const python = pool(
    scripts.map((path) => () => runJson(PYTHON, [path], env)),
    2,
  )
  const spikecs = Array.from({ length: 10 }, (_, k) => {
    const net = song2000({ seed: k + 1, record: false })
    const out = addSpikeMonitor(net.world, net.pops.Out)
    run(net.world, durationMs)
    const w = weightStats(weightsOf(net.world, net.plastic!.projection), net.plastic!.wMax)
    return { low: w.fracLow, high: w.fracHigh, mean: w.mean, rate: out.count / (durationMs / 1000) }
  })
  const py = await python
  const brian = py.map(({ result }) => {
    const w = weightsIn(result).S
    return { low: w.fracLow, high: w.fracHigh, mean: w.mean, rate: result.rates.Out }
  })
  const avg = (rows: typeof brian, k: keyof (typeof brian)[number]) => rows.reduce((a, r) => a + r[k], 0) / rows.length
  const bands = { low: 0.041, high: 0.026, mean: 0.017, rate: 11 }
  for (const [k, r] of brian.entries()) {
    console.log(
      `  PyNN/Brian2 seed ${k + 1}: low ${r.low.toFixed(3)}, high ${r.high.toFixed(3)}, mean ${r.mean.toFixed(4)}, rate ` +
        `${r.rate.toFixed(2)} Hz (build ${py[k].result.buildSeconds.toFixed(1)} s, run ${py[k].result.runSeconds.toFixed(1)} s, ` +
        `wall ${py[k].seconds.toFixed(1)} s)`,
    )
  }
  for (const key of ['low', 'high', 'mean', 'rate'] as const) {
    const s = avg(spikecs, key),
      b = avg(brian, key)
    console.log(`  ${key}: spikecs ${s.toFixed(4)} (seeds 1–10), PyNN/Brian2 ${b.toFixed(4)} (seeds 1, 2), band ±${bands[key]}`)
    assert.ok(Math.abs(b - s) <= bands[key], `${key}: PyNN/Brian2 ${b} vs spikecs ${s} (band ±${bands[key]})`)
  }
  console.log(`  ${((performance.now() - t0) / 1000).toFixed(1)} s in all`)
})

test('one pair per synapse: every weight change is the pair rule of its simulator (spikecs, pyNN.brian2)', async () => {
  const dt = 0.1
  const wMax = 0.01,
    A1 = 1e-4,
    A2 = 1.05e-4,
    tauS = 20,
    tauT = 20
  // Emission ticks of the six inputs; each arrives one tick later (latency 1). The drive spikes in tick 100, so
  // the post neuron fires in tick 101 in spikecs (102 under Brian2).
  const preTicks = [40, 95, 100, 101, 105, 160]
  const world = createWorld({ dtMs: dt, seed: 1 })
  const Pre = addPopulation(
    world,
    'Pre',
    SpikeTimeGroup({ size: preTicks.length, indices: preTicks.map((_, i) => i), times: preTicks.map((t) => t * dt) }),
  )
  const Drive = addPopulation(world, 'Drive', SpikeTimeGroup({ size: 1, indices: [0], times: [100 * dt] }))
  // Far from threshold at rest; refractory long enough for the drive's current to decay (one post spike).
  const Post = addPopulation(world, 'Post', LifRef({ size: 1, vRest: -74, vTh: -54, vReset: -60, tau: 10, R: 60, tauRef: 50, v0: -74 }))
  const all = preTicks.map((_, i) => i)
  const plastic = addProjection(
    world,
    'S',
    STDP_Song2000({
      pre: Pre,
      post: Post,
      comm: EventCSRLinear({ conn: FromList({ pre: all, post: all.map(() => 0) }), weight: wMax / 2 }),
      syn: Expon({ tau: 5 }),
      out: CUBA(),
      tauS,
      tauT,
      A1,
      A2,
      wMin: 0,
      wMax,
    }),
  )
  addProjection(
    world,
    'drive',
    FullProjAlignPost({
      pre: Drive,
      post: Post,
      comm: EventCSRLinear({ conn: FromList({ pre: [0], post: [0] }), weight: 100 }),
      syn: Expon({ tau: 5 }),
      out: CUBA(),
    }),
  )
  const postSpikes = addSpikeMonitor(world, Post)
  const ex = exportPyNN(world, { durationMs: 30, spikeTimes: true, finalWeights: true, scriptName: 'pairs.py' })
  const path = write('pairs.py', ex)
  run(world, 30)
  const { result } = await runJson(PYTHON, [path], env)

  const p = spikeData(postSpikes).ticks
  assert.equal(Array.from(p), [101], 'spikecs: one post spike, in tick 101')
  const pb = result.spikeTimes!.Post[0].map((t) => Math.round(t / dt))
  assert.equal(pb, [102], 'pyNN.brian2: one post spike, one step later')
  const rows = weightsIn(result).S
  const ws = weightsOf(world, plastic)
  for (const [i, n] of preTicks.entries()) {
    const arrival = n + 1
    const spikecs = p[0] >= arrival ? A1 * Math.exp(-((p[0] - arrival) * dt) / tauS) : -A2 * Math.exp(-((arrival - 1 - p[0]) * dt) / tauT)
    const brian = pb[0] >= arrival ? A1 * Math.exp(-((pb[0] - arrival) * dt) / tauS) : -A2 * Math.exp(-((arrival - pb[0]) * dt) / tauT)
    const gotS = (ws[i] - wMax / 2) / wMax
    const row = rows.synapses!.find(([pre]) => pre === i)!
    const gotB = row[2] / rows.wMax - 0.5
    console.log(
      `  input ${i} (arrives in tick ${arrival}): spikecs ${(gotS * wMax).toExponential(5)} (rule ${spikecs.toExponential(5)}), ` +
        `pyNN.brian2 ${(gotB * wMax).toExponential(5)} (rule ${brian.toExponential(5)})`,
    )
    assert.ok(Math.abs(gotS - spikecs / wMax) < 1e-7, `spikecs, input ${i}: ${gotS * wMax} vs ${spikecs}`)
    assert.ok(Math.abs(gotB - brian / wMax) < 1e-7, `pyNN.brian2, input ${i}: ${gotB * wMax} vs ${brian}`)
  }
})

test.after(remove)

test.run()
