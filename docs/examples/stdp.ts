import {
  addPopulation, addProjection, addStateProbe, createWorld, probeData, run, weightsOf, CUBA, EventCSRLinear, Expon, FixedProb, Lif,
  PoissonGroup, STDP_Song2000, uniform,
} from '@spikecs/systems'

// Brian2's STDP example (Song, Miller & Abbott 2000) built by hand: the `song2000` preset's network, with its
// parameters under the preset's names (left) passed to the rule under the rule's names (right).
const gmax = 0.01, aPlus = 0.01, aMinusRatio = 1.05, tauPre = 20, tauPost = 20   // the preset's defaults
const world = createWorld({ dtMs: 0.1, seed: 1, kernel: 'wasm' })
const In = addPopulation(world, 'In', PoissonGroup({ size: 1000, rateHz: 15 }))
// R converts Brian2's g_e (units of the leak conductance) into R·I in mV: (E_e − V_r) = 60 mV, divided by the
// float32 factor e^(−dt/τ_e) by which the merged (Mg) synapse state attenuates each increment.
const R = 60 / Math.fround(Math.exp(-0.1 / 5))
const Out = addPopulation(world, 'Out', Lif({ size: 1, vRest: -74, vTh: -54, vReset: -60, tau: 10, R, v0: -60 }))
const A1 = aPlus * gmax
const S = addProjection(world, 'S', STDP_Song2000({
  pre: In, post: Out, comm: EventCSRLinear({ conn: FixedProb({ prob: 1 }), weight: uniform(0, gmax) }),
  syn: Expon({ tau: 5 }), out: CUBA(),
  tauS: tauPre, tauT: tauPost,                           // trace time constants (ms)
  A1, A2: (aMinusRatio * A1 * tauPre) / tauPost,          // potentiation and depression per unit of trace
  wMin: 0, wMax: gmax,                                    // the weights are clipped to [0, gmax]
}))

// A probe of the weights of synapses 0–2 (in the order of weightsOf: by input) every 5 s, from tick 0: samples at
// 0, 5, 10 and 15 s of a 20 s run.
const probe = addStateProbe(world, S, 'w', [0, 1, 2], { every: 50_000 })
run(world, 20_000)

const w = weightsOf(world, S)                             // a live view of all 1000 weights
let low = 0, high = 0, sum = 0
for (const x of w) {
  if (x < 0.1 * gmax) low++
  else if (x >= 0.9 * gmax) high++
  sum += x / gmax
}
const pct = (n: number) => `${((100 * n) / w.length).toFixed(1)} %`
console.log(`after 20 s: mean w/gmax ${(sum / w.length).toFixed(3)}, ${pct(low)} below 0.1, ${pct(high)} at 0.9 or above`)
const { values, width } = probeData(probe)                 // row k: sample k, `width` = 3 values
for (let s = 0; s < 3; s++) {
  const seen = [0, 1, 2, 3].map((k) => values[k * width + s] / gmax).concat(w[s] / gmax)   // and the weight now
  console.log(`synapse ${s}, w/gmax at 0, 5, 10, 15, 20 s: ${seen.map((x) => x.toFixed(3)).join(', ')}`)
}
