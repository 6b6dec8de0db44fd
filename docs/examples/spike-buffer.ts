import {
  addPopulation, addProjection, addSpikeBuffer, addSpikeMonitor, addStateProbe, createWorld, insertSystem, probeData, pushSpike,
  run, spikeData, CommSystem, CUBA, Expon, HalfProjAlignPost, LifRef, One2One, type World,
} from '@spikecs/systems'

// Ten input channels that your own code fires — here channel i every 10·(i + 1) ticks (every 1, 2, … 10 ms) —
// each onto one LIF neuron through a current synapse.
const world = createWorld({ dtMs: 0.1, seed: 1 })
const N = addPopulation(world, 'N', LifRef({ size: 10, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }))
const channels = addSpikeBuffer(world, 'channels', 10)
const S = addProjection(world, 'input', HalfProjAlignPost({
  source: channels, post: N, comm: One2One({ weight: 10 }), syn: Expon({ tau: 5 }), out: CUBA(),   // R·I jumps 10 mV
}))

// The system that fills the buffer runs before CommSystem, so this tick's pushes are delivered in this tick;
// CommSystem empties the buffer after delivering. Push ascending indices, each at most once per tick.
function Channels(w: World): void {
  for (let i = 0; i < 10; i++) if (w.tick % (10 * (i + 1)) === 0) pushSpike(channels, i)
}
insertSystem(world, Channels, { before: CommSystem })

const g = addStateProbe(world, S, 'g', [0], { max: 3 })   // the synapse's current onto neuron 0, first 3 ticks
const spikes = addSpikeMonitor(world, N)
run(world, 1000)

const current = Array.from(probeData(g).values, (v) => v.toFixed(3))
console.log(`channel 0 → neuron 0, R·I in ticks 0, 1, 2: ${current.join(', ')} mV`)
const counts = new Array<number>(10).fill(0)
for (const i of spikeData(spikes).indices) counts[i - N.start]++
console.log(`spikes per neuron in 1 s: ${counts.join(' ')}`)
