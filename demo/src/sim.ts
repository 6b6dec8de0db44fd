/**
 * The simulation the page shows, independent of the page: a preset network with a spike tap over every
 * population and a driver. Clicks make neurons fire through `injectEvents` on the excitatory
 * projections: nothing is added to the network, so it runs exactly as the preset does in Node. It runs in the Web Worker (worker.ts) and
 * imports nothing from the DOM, so Node can run it too.
 */
import type { ProjectionData } from '@spikecs/ecs-core'
import { buildPreset, type AnyPresetNetwork, type Group } from '@spikecs/presets'
import { addSpikeTap, createDriver, injectEvents, setInput, setWeightScale, type Driver, type SpikeTap } from '@spikecs/systems'

/** The networks the selector offers. */
export const NETWORKS = {
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
} as const
export type NetworkId = keyof typeof NETWORKS

export interface SimConfig {
  network: NetworkId
  seed: number
  dtype: 'float32' | 'float64'
  kernel: 'js' | 'wasm'
}

/** What the page needs to know about a built network. */
export interface SimInfo {
  readonly network: NetworkId
  readonly preset: string
  readonly n: number
  readonly dtMs: number
  readonly groups: readonly Group[]
  /** The constant input every population gets as built (R·I, mV). */
  readonly iExt: number
  readonly seed: number
  readonly dtype: string
  readonly kernel: string
  /** Whether the world's columns live in a shared WebAssembly memory (cross-origin isolated pages). */
  readonly sharedMemory: boolean
  readonly buildMs: number
}

export interface Sim {
  readonly net: AnyPresetNetwork
  readonly tap: SpikeTap
  readonly driver: Driver
  /** Per population: the excitatory projection into it that kicks go through, and the kick's weight. */
  readonly kicks: readonly { readonly proj: ProjectionData; readonly weight: number }[]
  /** Projections whose spikes come from the inhibitory group. */
  readonly inhibitory: readonly ProjectionData[]
  readonly info: SimInfo
  /** Spikes of every tick run so far: all, E, I. */
  readonly counts: { spikes: number; E: number; I: number }
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
  const net = buildPreset(def.preset, { seed: cfg.seed, dtype: cfg.dtype, kernel: cfg.kernel, scale: def.scale, record: false })
  const pops = Object.values(net.pops)
  const tap = addSpikeTap(net.world, pops)
  const driver = createDriver(net.world, { taps: [tap], maxSpeed: 20, now })
  const from = (name: 'E' | 'I') => {
    const g = net.groups.find((x) => x.name === name)!
    return net.world.components.Projection.list.filter((p) => {
      const r = sourceRange(p)
      return r !== null && r[0] >= g.start && r[1] <= g.start + g.size
    })
  }
  const inhibitory = from('I')
  const excitatory = from('E')
  const kicks = pops.map((pop) => {
    const proj = excitatory.find((p) => p.post === pop)!
    return { proj, weight: proj.output.kind === 'CUBA' ? KICK_CURRENT : KICK_CONDUCTANCE }
  })
  const info: SimInfo = {
    network: cfg.network,
    preset: def.preset,
    n: net.world.nNeurons,
    dtMs: net.world.dtMs,
    groups: net.groups,
    iExt: (net.params as Record<string, number>).iExt ?? 0,
    seed: cfg.seed,
    dtype: cfg.dtype,
    kernel: cfg.kernel,
    sharedMemory: net.world.arena?.shared ?? false,
    buildMs: now() - t0,
  }
  return { net, tap, driver, kicks, inhibitory, info, counts: { spikes: 0, E: 0, I: 0 } }
}

/** Adds the spikes the tap holds to the running counts. */
export function countTap(sim: Sim): void {
  const E = sim.info.groups[0]
  const idx = sim.tap.indices
  let e = 0
  for (let k = 0; k < sim.tap.count; k++) {
    const i = idx[k]
    if (i >= E.start && i < E.start + E.size) e++
  }
  sim.counts.spikes += sim.tap.count
  sim.counts.E += e
  sim.counts.I += sim.tap.count - e
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
