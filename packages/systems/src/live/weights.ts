/**
 * Live weight scales: multiply every weight of a projection by s while the world runs (a slider for the
 * inhibitory weight, a plasticity protocol applied by hand).
 *
 * Design: the comm kernels are left alone. The first call remembers the projection's weights as built
 * (its base, taken by the layer's record); every call has the record rewrite the weights the layer holds as round(base·s) — the value a
 * network
 * built with weights base·s would hold — and marks the plan stale, so kernels that took a weight when the
 * plan was compiled (the WebAssembly comm kernels) take the new one. Per tick nothing changes: no multiply
 * per synaptic event, no branch. A change costs one pass over the stored weights (none for one-weight
 * layers) and one plan rebuild (milliseconds), and applies from the next tick; the synapse states keep
 * what earlier spikes added.
 *
 * For one-weight layers and power-of-two scales, scaling is exactly building with the scaled weight. For
 * on-the-fly layers with random weights (uniform, normal) the distribution's parameters are scaled, so the
 * drawn weights agree with base·s to rounding.
 */
import { SpikecsError, checkFinite, type ProjectionData, type World } from '@spikecs/ecs-core'
import { commLayerOf } from '../comm/registry.js'

interface Scaled {
  /** The weights as built, as the layer's record took them (`weights.base`). */
  readonly base: unknown
  scale: number
}

function registry(world: World): Map<number, Scaled> {
  let m = world.caches.get('live:weightScales') as Map<number, Scaled> | undefined
  if (m === undefined) {
    m = new Map()
    world.caches.set('live:weightScales', m)
  }
  return m
}

/** Checks that `proj` is a projection record of this world (`object` names the calling function). */
export function checkProjection(world: World, object: string, proj: unknown): ProjectionData {
  const p = proj as ProjectionData | null
  if (p === null || typeof p !== 'object' || world.components.Projection.byEid[p.eid] !== p) {
    throw new SpikecsError(
      object,
      'proj',
      p && typeof p === 'object' && 'name' in p ? p.name : proj,
      'must be a projection added to this world with addProjection',
    )
  }
  return p
}

/**
 * Scales every weight of projection `proj` by `scale` (≥ 0) relative to the weights it was built with;
 * `setWeightScale(world, proj, 1)` restores them exactly. Applies from the next tick (see the module comment).
 */
export function setWeightScale(world: World, proj: ProjectionData, scale: number): void {
  const p = checkProjection(world, 'setWeightScale', proj)
  const object = `projection '${p.name}'`
  if (p.kind === 'STDP_Song2000') {
    throw new SpikecsError(
      object,
      'kind',
      p.kind,
      'has weights that learn: scaling them from the built ones would undo the learning; use setWeights',
    )
  }
  checkFinite(object, 'weightScale', scale)
  if (scale < 0) throw new SpikecsError(object, 'weightScale', scale, 'must be >= 0 (a sign change would turn excitation into inhibition)')
  const reg = registry(world)
  let entry = reg.get(p.eid)
  if (entry === undefined) {
    if (scale === 1) return
    entry = { base: commLayerOf(p.comm).weights.base(p.comm), scale: 1 }
    reg.set(p.eid, entry)
  }
  if (entry.scale === scale) return
  // The layer's record writes round(base·s) into its data (read-only to users, not to the record).
  commLayerOf(p.comm).weights.apply(p.comm, entry.base, scale, world.dtype === 'float32' ? Math.fround : (x: number) => x)
  entry.scale = scale
  // The plan compiled weights into some kernels: rebuild it before the next tick.
  world.version++
}

/** The weight scale of a projection (1 unless `setWeightScale` changed it). */
export function weightScaleOf(world: World, proj: ProjectionData): number {
  const p = checkProjection(world, 'weightScaleOf', proj)
  return registry(world).get(p.eid)?.scale ?? 1
}
