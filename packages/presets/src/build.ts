/**
 * Pieces the presets share: the world from resolved options, the comm layer for a connectivity choice, the
 * E/I population pair of the two-population presets with its four projections and inputs, the spike monitor
 * and the network record a preset returns.
 */
import { createWorld, type InputData, type MonitorData, type PopulationData, type ProjectionData, type World } from '@spikecs/ecs-core'
import {
  COBA,
  EventJitFPHomoLinear,
  Expon,
  addInput,
  addProjection,
  addSpikeMonitor,
  stored,
  type CommDesc,
  type ProjectionDesc,
} from '@spikecs/systems'
import type { EIPairParams, ReversalParams, SynapseTauParams } from './ei-params.js'
import type { Resolved } from './params.js'
import type { Connectivity, Group, PresetNetwork } from './types.js'

export function worldFor(r: Resolved<string>): World {
  const o = r.options
  return createWorld({ seed: o.seed, dtype: o.dtype, dtMs: o.dtMs, fuse: r.fuse, kernel: o.kernel, threads: o.threads })
}

/**
 * Fixed-probability connectivity with one weight: every (pre, post) pair independently with `prob`,
 * self-pairs allowed (as in Brian2's `connect(p=…)` without an `i != j` condition). `jit` regenerates a
 * presynaptic neuron's targets at each of its spikes; `csr` is the same layer materialised (`stored`): its
 * rows generated once by the same generator, so switching the connectivity never changes the network.
 */
export function fixedProb(conn: Connectivity, prob: number, weight: number): CommDesc {
  const layer = EventJitFPHomoLinear({ prob, weight })
  return conn === 'jit' ? layer : stored(layer)
}

/** The excitatory or inhibitory side of an E/I network: where a projection starts. */
export type Side = 'E' | 'I'

/** The E and I populations of the two-population presets. */
export interface EIPops {
  readonly E: PopulationData
  readonly I: PopulationData
}

/**
 * The comm layer and synapse of a projection from side `from`: fixed probability p with that side's weight
 * (wE or wI), an `Expon` synapse with that side's time constant (tauE or tauI).
 */
export function fromSide(conn: Connectivity, P: EIPairParams & SynapseTauParams & { wE: number; wI: number }, from: Side) {
  return { comm: fixedProb(conn, P.p, from === 'E' ? P.wE : P.wI), syn: Expon({ tau: from === 'E' ? P.tauE : P.tauI }) }
}

/** The `COBA` output of a projection from side `from`: reversal potential eE or eI. */
export function cobaFrom(P: ReversalParams, from: Side) {
  return COBA({ E: from === 'E' ? P.eE : P.eI })
}

/**
 * The four projections E→E, E→I, I→E, I→I of an E/I pair, named E2E, E2I, I2E, I2I and added in that order;
 * `desc` gives one projection's descriptor from its pre and post populations and the side it starts from.
 */
export function addEIProjections(
  world: World,
  pops: EIPops,
  desc: (pre: PopulationData, post: PopulationData, from: Side) => ProjectionDesc,
): { readonly from: Side; readonly post: PopulationData; readonly proj: ProjectionData }[] {
  const out = []
  for (const from of ['E', 'I'] as const) {
    for (const to of ['E', 'I'] as const) {
      out.push({ from, post: pops[to], proj: addProjection(world, `${from}2${to}`, desc(pops[from], pops[to], from)) })
    }
  }
  return out
}

/** A constant external input `iExt` into each population, labelled `NAME:iExt`. */
export function constantInputs(world: World, pops: readonly PopulationData[], iExt: number): InputData[] {
  return pops.map((pop) => addInput(world, pop, iExt, `${pop.name}:iExt`))
}

/** A spike monitor over the given populations, or null when recording is off. */
export function monitorFor(world: World, pops: readonly PopulationData[], record: boolean): MonitorData | null {
  return record ? addSpikeMonitor(world, pops, { name: 'spikes' }) : null
}

/** E and I groups of two separate populations. */
export function groupsOf(E: PopulationData, I: PopulationData): Group[] {
  return [
    { name: 'E', start: E.start, size: E.size },
    { name: 'I', start: I.start, size: I.size },
  ]
}

/** The record a preset returns; its spike monitor (over every population, in order) is added here. */
export function presetNetwork<P, V extends string, Pops extends Record<string, PopulationData>>(
  preset: string,
  r: Resolved<V>,
  world: World,
  pops: Pops,
  groups: readonly Group[],
  inputs: readonly InputData[],
  params: P,
): PresetNetwork<P, V, Pops> {
  const spikes = monitorFor(world, Object.values(pops), r.record)
  return { preset, options: r.options, world, pops, groups, inputs, monitors: { spikes }, params }
}
