/**
 * The simulation the page shows, independent of the page: a preset network with a spike tap over every
 * population and a driver. Clicks make neurons fire through `injectEvents` on the excitatory
 * projections: nothing is added to the network, so it runs exactly as the preset does in Node. A network with
 * a plastic projection (`song2000`) also reports, after each frame, the histogram of its weights and the
 * weights of a few synapses (`plasticFrame`): a few hundred bytes, however many synapses. It runs in the Web
 * Worker (worker.ts) and imports nothing from the DOM, so Node can run it too.
 */
import type { ProjectionData } from '@spikecs/ecs-core'
import { buildPreset, type AnyPresetNetwork, type Group } from '@spikecs/presets'
import {
  addSpikeTap,
  createDriver,
  injectEvents,
  planOf,
  setInput,
  setWeightScale,
  weightsOf,
  type Driver,
  type SpikeTap,
} from '@spikecs/systems'

/** A network the selector offers: a preset at a scale, and how the page plots its rates. */
export interface NetworkDef {
  readonly preset: string
  readonly scale: number
  readonly label: string
  readonly about: string
  /** Rate bins (ms) and the top of the rate plot (Hz); default 5 ms and 80 Hz. */
  readonly rateBinMs?: number
  readonly rateMaxHz?: number
}

export type NetworkId = 'einet' | 'coba' | 'cuba' | 'einet4' | 'song2000'

/** The networks the selector offers. */
export const NETWORKS: Readonly<Record<NetworkId, NetworkDef>> = {
  einet: {
    preset: 'einet',
    scale: 1,
    label: 'einet (4000)',
    about: "BrainPy's align-post docs EINet: LifRef, conductance synapses, connectivity regenerated at each spike",
  },
  coba: {
    preset: 'coba',
    scale: 1,
    label: 'coba (4000)',
    about: 'Brette et al. 2007 COBA: LifRefLTC, conductance synapses, stored connectivity',
  },
  cuba: { preset: 'cuba', scale: 1, label: 'cuba (4000)', about: 'Brette et al. 2007 CUBA: LifRef, current synapses, stored connectivity' },
  einet4: {
    preset: 'einet',
    scale: 4,
    label: 'einet x4 (16000)',
    about: 'einet scaled by 4: 16000 neurons, p = 0.005 (80 inputs per neuron)',
  },
  song2000: {
    preset: 'song2000',
    scale: 1,
    label: 'song2000 (STDP, 1001)',
    about:
      "Brian2's STDP example (Song, Miller & Abbott 2000): 1000 Poisson inputs at 15 Hz onto one Lif neuron " +
      'through synapses that learn by additive STDP (STDP_Song2000); the weights, uniform at first, pile up near 0 and gmax',
    // one output neuron: its rate in 100 ms bins (a few spikes each), up to 120 Hz at the start
    rateBinMs: 100,
    rateMaxHz: 120,
  },
}

export interface SimConfig {
  network: NetworkId
  seed: number
  dtype: 'float32' | 'float64'
  kernel: 'js' | 'wasm'
  /** Threads the tick runs on (more than 1 needs shared memory: a cross-origin isolated page). */
  threads: number
}

/** What the page needs to know about a built network. */
export interface SimInfo {
  readonly network: NetworkId
  readonly preset: string
  readonly n: number
  readonly dtMs: number
  readonly groups: readonly Group[]
  /** The constant input every population gets as built (R·I, mV); null when the network has no input to set. */
  readonly iExt: number | null
  /** Whether the network has inhibitory projections (to scale) and excitatory ones (that clicks kick through). */
  readonly inhibitory: boolean
  readonly kicks: boolean
  /** The plastic projection, when the network has one (see `plasticFrame`). */
  readonly plastic: PlasticInfo | null
  readonly seed: number
  readonly dtype: string
  readonly kernel: string
  /** Whether the world's columns live in a shared WebAssembly memory (cross-origin isolated pages). */
  readonly sharedMemory: boolean
  /** Threads the world's plan runs on: the worker that runs it and, above 1, the workers it started. */
  readonly threads: number
  readonly buildMs: number
}

/** What the page needs to know about a plastic projection. */
export interface PlasticInfo {
  readonly projection: string
  readonly synapses: number
  /** Upper weight bound: the histogram and the traces show w/wMax. */
  readonly wMax: number
  /** Bins of the histogram over [0, 1]. */
  readonly bins: number
  /** The synapses (positions in `weightsOf` order) whose weights each frame reports. */
  readonly traced: readonly number[]
}

/** The state of a plastic projection after a frame (see `plasticFrame`). */
export interface PlasticFrame {
  /** The world's clock. */
  readonly tick: number
  /** Synapses per bin of w/wMax: bin b holds [b/bins, (b+1)/bins), the last one also 1. */
  readonly hist: Int32Array
  /** w/wMax of the traced synapses. */
  readonly traced: Float32Array
  /** Mean of w/wMax over every synapse. */
  readonly mean: number
}

/** Histogram bins of w/wMax and synapses traced over time. */
export const WEIGHT_BINS = 20
export const TRACED_SYNAPSES = 8

export interface Sim {
  readonly net: AnyPresetNetwork
  readonly tap: SpikeTap
  readonly driver: Driver
  /** Per population: the excitatory projection into it that kicks go through, and the kick's weight. */
  readonly kicks: readonly { readonly proj: ProjectionData; readonly weight: number }[]
  /** Projections whose spikes come from the inhibitory group. */
  readonly inhibitory: readonly ProjectionData[]
  readonly info: SimInfo
  /** Spikes of every tick run so far: all, and per group (the order of `info.groups`). */
  readonly counts: { spikes: number; groups: number[] }
}

function sourceRange(p: ProjectionData): [number, number] | null {
  const s = p.source
  if (s.kind !== 'queue') return null
  const from = s.pop.start + s.offset
  return [from, from + s.count]
}

/** Builds the network of `cfg` (see the module comment). */
export function createSim(cfg: SimConfig, now: () => number = () => performance.now()): Sim {
  const def = NETWORKS[cfg.network]
  const t0 = now()
  // No spike monitor: the tap holds one frame at a time, so a page left running never grows.
  const net = buildPreset(def.preset, {
    seed: cfg.seed,
    dtype: cfg.dtype,
    kernel: cfg.kernel,
    scale: def.scale,
    record: false,
    threads: cfg.threads,
  })
  const pops = Object.values(net.pops)
  const tap = addSpikeTap(net.world, pops)
  const driver = createDriver(net.world, { taps: [tap], maxSpeed: 20, now })
  const from = (name: 'E' | 'I') => {
    const g = net.groups.find((x) => x.name === name)
    if (g === undefined) return []
    return net.world.components.Projection.list.filter((p) => {
      const r = sourceRange(p)
      return r !== null && r[0] >= g.start && r[1] <= g.start + g.size
    })
  }
  const inhibitory = from('I')
  const excitatory = from('E')
  const kicks = pops.flatMap((pop) => {
    const proj = excitatory.find((p) => p.post === pop)
    return proj === undefined ? [] : [{ proj, weight: proj.output.kind === 'CUBA' ? KICK_CURRENT : KICK_CONDUCTANCE }]
  })
  let plastic: PlasticInfo | null = null
  if (net.plastic !== undefined) {
    const n = weightsOf(net.world, net.plastic.projection).length
    const traced = Array.from({ length: Math.min(n, TRACED_SYNAPSES) }, (_, j) => Math.floor(((j + 0.5) * n) / TRACED_SYNAPSES))
    plastic = { projection: net.plastic.projection.name, synapses: n, wMax: net.plastic.wMax, bins: WEIGHT_BINS, traced }
  }
  // The plan is built now rather than in the first tick, so that a threaded world starts its workers here.
  const plan = planOf(net.world)
  const info: SimInfo = {
    network: cfg.network,
    preset: def.preset,
    n: net.world.nNeurons,
    dtMs: net.world.dtMs,
    groups: net.groups,
    iExt: net.inputs.length > 0 ? ((net.params as Record<string, number>).iExt ?? 0) : null,
    inhibitory: inhibitory.length > 0,
    kicks: kicks.length > 0,
    plastic,
    seed: cfg.seed,
    dtype: cfg.dtype,
    kernel: cfg.kernel,
    sharedMemory: net.world.arena?.shared ?? false,
    threads: plan.threads?.T ?? 1,
    buildMs: now() - t0,
  }
  return { net, tap, driver, kicks, inhibitory, info, counts: { spikes: 0, groups: net.groups.map(() => 0) } }
}

/** Adds the spikes the tap holds to the running counts. */
export function countTap(sim: Sim): void {
  const groups = sim.info.groups
  const counts = sim.counts.groups
  const idx = sim.tap.indices
  for (let k = 0; k < sim.tap.count; k++) {
    const i = idx[k]
    for (let g = 0; g < groups.length; g++) {
      if (i >= groups[g].start && i < groups[g].start + groups[g].size) {
        counts[g]++
        break
      }
    }
  }
  sim.counts.spikes += sim.tap.count
}

/**
 * The plastic projection's weights now, in fresh arrays the worker transfers to the page: the histogram of
 * w/wMax (bin floor(bins·w/wMax), clamped to [0, bins − 1]), the traced synapses' w/wMax and the mean; null
 * for a network without plasticity.
 */
export function plasticFrame(sim: Sim): PlasticFrame | null {
  const p = sim.info.plastic
  if (p === null || sim.net.plastic === undefined) return null
  // A fresh view each time: a WebAssembly world's memory may have grown since the last one.
  const w = weightsOf(sim.net.world, sim.net.plastic.projection)
  const hist = new Int32Array(p.bins)
  let sum = 0
  for (let k = 0; k < w.length; k++) {
    const x = w[k] / p.wMax
    hist[Math.min(p.bins - 1, Math.max(0, Math.floor(x * p.bins)))]++
    sum += x
  }
  const traced = new Float32Array(p.traced.length)
  for (let j = 0; j < traced.length; j++) traced[j] = w[p.traced[j]] / p.wMax
  return { tick: sim.net.world.tick, hist, traced, mean: sum / Math.max(1, w.length) }
}

/** Sets the constant external input (R·I, mV) of every population. */
export function setExternalInput(sim: Sim, mV: number): void {
  for (const input of sim.net.inputs) setInput(input, mV)
}

/** Scales every inhibitory projection's weights relative to the preset's. */
export function setInhibitoryScale(sim: Sim, scale: number): void {
  for (const p of sim.inhibitory) setWeightScale(sim.net.world, p, scale)
}

/**
 * A kick: one excitatory event far above a synapse's weight, so that a neuron near rest (about −55 mV)
 * crosses threshold in the next tick unless it is refractory: in g_leak for conductance outputs
 * (150·(0 − (−55))·dt/τ ≈ 40 mV for LifRef; LTC models are shunted towards 0 mV and still cross), in mV of
 * R·I for current outputs (3000·dt/τ = 15 mV). The synapse then decays with its own τ (5 ms), so a kicked
 * neuron fires a short burst.
 */
const KICK_CONDUCTANCE = 150
const KICK_CURRENT = 3000

/** Makes the neurons with these global indices fire in the next tick (those not refractory). */
export function kick(sim: Sim, indices: readonly number[]): void {
  for (const { proj, weight } of sim.kicks) {
    const pop = proj.post
    const local = indices.filter((i) => i >= pop.start && i < pop.start + pop.size).map((i) => i - pop.start)
    if (local.length > 0) injectEvents(sim.net.world, proj, local, weight)
  }
}
