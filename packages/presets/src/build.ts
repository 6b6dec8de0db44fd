/**
 * Pieces the presets share: the world from resolved options, the comm layer for a connectivity choice, the
 * E/I population pair of the two-population presets and the spike monitor.
 */
import { createWorld, type MonitorData, type PopulationData, type World } from '@spikecs/ecs-core'
import { EventJitFPHomoLinear, addSpikeMonitor, stored, type CommDesc } from '@spikecs/systems'
import type { Resolved } from './params.js'
import type { Connectivity, Group } from './types.js'

export function worldFor(r: Resolved<string>): World {
  const o = r.options
  return createWorld({ seed: o.seed, dtype: o.dtype, dtMs: o.dtMs, fuse: r.fuse, kernel: o.kernel })
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
