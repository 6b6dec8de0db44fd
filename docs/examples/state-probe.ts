import { addInput, addPopulation, addSpikeMonitor, addStateProbe, createWorld, LifRef, probeData, run, spikeData } from '@spikecs/systems'

// Three LIF neurons from rest, each with its own constant drive R·I (mV): 5 and 9 stay below threshold
// (V_th − V_rest = 10 mV), 15 crosses it.
const world = createWorld({ dtMs: 0.1, seed: 1 })
const N = addPopulation(world, 'N', LifRef({ size: 3, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }))
addInput(world, N, [5, 9, 15])

// Brian2's StateMonitor: V of neurons 0, 1 and 2 (indices within the population), sampled after NeuronSystem
// every 100 ticks (10 ms), starting with tick 0. The sample of tick k is V at the end of that tick, t = (k + 1)·dt.
const probe = addStateProbe(world, N, 'V', [0, 1, 2], { every: 100 })
const spikes = addSpikeMonitor(world, N)
run(world, 40)

const { ticks, values, width } = probeData(probe)   // row k: the values of sample k, `width` of them
for (let k = 0; k < ticks.length; k++) {
  const row = Array.from(values.subarray(k * width, (k + 1) * width), (v) => v.toFixed(3))
  console.log(`t = ${((ticks[k] + 1) * world.dtMs).toFixed(1)} ms: V = ${row.join(', ')} mV`)
}
const first = spikeData(spikes)
console.log(`first spike: neuron ${first.indices[0] - N.start} in tick ${first.ticks[0]}`)
