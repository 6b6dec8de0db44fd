import {
  addComponent, addInput, addPopulation, addProjection, addSpikeMonitor, createWorld, defineComponent, getComponent,
  insertSystem, query, restore, run, snapshot, spikeData, CUBA, EventCSRLinear, Expon, FixedProb, FullProjAlignPost,
  LifRef, NeuronSystem, PoissonGroup, Population, type PopulationData, type World,
} from '@spikecs/systems'

// 1. The component: per neuron a target rate (Hz), a spike count, a running rate estimate (Hz) and the drive the
//    rule adjusts (mV of R·I); per population the rule's constants.
export const Homeostasis = defineComponent('Homeostasis', {
  fields: { eta: 0.5, everyTicks: 100, tauMs: 200 },   // eta in mV per Hz per s; update period; estimate's τ
  columns: { target: 'f64', count: 'i32', rate: 'f64', drive: 'f64' },
})

/** Attaches the rule to `pop` with a target rate, and feeds the population its drive column as an input. */
export function addHomeostasis(world: World, pop: PopulationData, target: number, eta = 0.5) {
  const h = addComponent(world, pop.eid, Homeostasis, { target, eta })
  addInput(world, pop, { perNeuron: true, fn: (_tick, _tMs, out) => out.set(h.drive.array) }, `${pop.name}:drive`)
  return h
}

// 2. The system, run after NeuronSystem: counts this tick's spikes; every `everyTicks` ticks it moves each
//    neuron's rate estimate towards the rate of the window, r ← r + (T/τ)(count/T − r), and its drive along
//    the error, drive ← drive + η·(target − r)·T. It queries per tick, which is fine over a handful of
//    entities; its per-neuron loops run over typed arrays.
export function HomeostasisSystem(world: World): void {
  for (const eid of query(world, [Population, Homeostasis])) {
    const pop = getComponent(world, eid, Population)!
    const h = getComponent(world, eid, Homeostasis)!
    const count = h.count.array, spikes = pop.spikes.array
    for (let k = 0; k < pop.nSpikes; k++) count[spikes[k]]++
    if ((world.tick + 1) % h.everyTicks !== 0) continue
    const T = (h.everyTicks * world.dtMs) / 1000                       // window in s
    const a = (h.everyTicks * world.dtMs) / h.tauMs
    const target = h.target.array, rate = h.rate.array, drive = h.drive.array
    for (let i = 0; i < h.length; i++) {
      rate[i] += a * (count[i] / T - rate[i])
      drive[i] += h.eta * (target[i] - rate[i]) * T
      count[i] = 0
    }
  }
}

// 3. A network: 400 Poisson sources (10 Hz) into two populations of 200 LIF neurons, one driven too hard
//    (R·I = 25 mV: about 70 Hz), one too weakly (4 mV: silent); both aim at 5 Hz.
export function homeostaticNetwork(seed = 1) {
  const world = createWorld({ seed })
  const noise = addPopulation(world, 'noise', PoissonGroup({ size: 400, rateHz: 10 }))
  const drives = { hot: 25, cold: 4 }
  const [hot, cold] = Object.entries(drives).map(([name, iExt]) => {
    const pop = addPopulation(world, name, LifRef({ size: 200, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }))
    addProjection(world, `noise-${name}`, FullProjAlignPost({
      pre: noise, post: pop, comm: EventCSRLinear({ conn: FixedProb({ prob: 0.1 }), weight: 1 }), syn: Expon({ tau: 5 }),
      out: CUBA(),
    }))
    addInput(world, pop, iExt)
    addHomeostasis(world, pop, 5)
    return pop
  })
  insertSystem(world, HomeostasisSystem, { after: NeuronSystem })
  return { world, hot, cold, spikes: addSpikeMonitor(world, [hot, cold]) }
}

// 4. Run 10 s and print each population's rate over the last 2 s.
export const net = homeostaticNetwork()
run(net.world, 10_000)
const { ticks, indices } = spikeData(net.spikes)
const rateHz = (pop: PopulationData) => {
  let n = 0
  for (let k = 0; k < ticks.length; k++) if (ticks[k] >= 80_000 && indices[k] >= pop.start && indices[k] < pop.start + pop.size) n++
  return n / pop.size / 2
}
console.log(`hot ${rateHz(net.hot).toFixed(2)} Hz, cold ${rateHz(net.cold).toFixed(2)} Hz (target 5 Hz)`)

// 5. The component's columns and fields are in the world's snapshot: a world built the same way continues
//    from it exactly where this one is.
const copy = homeostaticNetwork()
restore(copy.world, snapshot(net.world))
run(net.world, 100)
run(copy.world, 100)
console.log(`drive of hot neuron 0: ${getComponent(net.world, net.hot.eid, Homeostasis)!.drive.array[0].toFixed(3)} mV, ` +
  `in the restored copy ${getComponent(copy.world, copy.hot.eid, Homeostasis)!.drive.array[0].toFixed(3)} mV`)
