/**
 * Live weight scales: multiply every weight of a projection by s while the world runs (a slider for the
 * inhibitory weight, a plasticity protocol applied by hand).
 *
 * Design: the comm kernels are left alone. The first call remembers the projection's weights as built
 * (its base); every call rewrites the weights the comm layer holds as round(base·s) — the value a network
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
import { SpikecsError, checkFinite, type CommData, type ProjectionData, type RowGenerator, type World } from '@spikecs/ecs-core'

type Base =
  | { readonly kind: 'one'; readonly value: number }
  | { readonly kind: 'array'; readonly values: Float64Array }
  | { readonly kind: 'jit'; readonly weight: RowGenerator['weight'] }

interface Scaled {
  readonly base: Base
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

function baseOf(c: CommData): Base {
  switch (c.kind) {
    case 'EventJitFPHomoLinear':
    case 'EventJitFPUniformLinear':
    case 'EventJitFPNormalLinear':
    case 'JitFPHomoLinear':
    case 'JitFPUniformLinear':
    case 'JitFPNormalLinear':
      return { kind: 'jit', weight: c.gen.weight }
    case 'EventCSRLinear':
    case 'CSRLinear':
    case 'One2One':
      return c.weights === null ? { kind: 'one', value: c.weight } : { kind: 'array', values: Float64Array.from(c.weights.array) }
    case 'All2All':
      return { kind: 'one', value: c.weight }
    case 'Linear':
      return { kind: 'array', values: Float64Array.from(c.W.array) }
  }
}

function checkProjection(world: World, object: string, proj: unknown): ProjectionData {
  const p = proj as ProjectionData | null
  if (p === null || typeof p !== 'object' || world.components.Projection.byEid[p.eid] !== p) {
    throw new SpikecsError(object, 'proj', p && typeof p === 'object' && 'name' in p ? p.name : proj,
      'must be a projection added to this world with addProjection')
  }
  return p
}

/** Writes round(base·s) into the comm layer (the fields are read-only to users, not to this module). */
function apply(world: World, c: CommData, base: Base, s: number): void {
  const round = world.dtype === 'float32' ? Math.fround : (x: number) => x
  const w = c as unknown as Record<string, unknown>
  if (base.kind === 'jit') {
    const b = base.weight
    const next: RowGenerator['weight'] = b.kind === 'homo' ? { kind: 'homo', value: round(b.value * s) }
      : b.kind === 'uniform' ? { kind: 'uniform', low: b.low * s, high: b.high * s }
        : { kind: 'normal', mean: b.mean * s, std: b.std * s }
    ;((c as Extract<CommData, { gen: unknown }>).gen as { weight: RowGenerator['weight'] }).weight = next
  } else if (base.kind === 'one') {
    w.weight = round(base.value * s)
  } else {
    const arr = c.kind === 'Linear' ? c.W.array : (c as Extract<CommData, { kind: 'EventCSRLinear' }>).weights!.array // CSRLinear has the same fields
    const v = base.values
    // The typed array rounds to the dtype on store.
    for (let k = 0; k < v.length; k++) arr[k] = v[k] * s
  }
}

/**
 * Scales every weight of projection `proj` by `scale` (≥ 0) relative to the weights it was built with;
 * `setWeightScale(world, proj, 1)` restores them exactly. Applies from the next tick (see the module comment).
 */
export function setWeightScale(world: World, proj: ProjectionData, scale: number): void {
  const p = checkProjection(world, 'setWeightScale', proj)
  const object = `projection '${p.name}'`
  checkFinite(object, 'weightScale', scale)
  if (scale < 0) throw new SpikecsError(object, 'weightScale', scale, 'must be >= 0 (a sign change would turn excitation into inhibition)')
  const reg = registry(world)
  let entry = reg.get(p.eid)
  if (entry === undefined) {
    if (scale === 1) return
    entry = { base: baseOf(p.comm), scale: 1 }
    reg.set(p.eid, entry)
  }
  if (entry.scale === scale) return
  apply(world, p.comm, entry.base, scale)
  entry.scale = scale
  // The plan compiled weights into some kernels: rebuild it before the next tick.
  world.version++
}

/** The weight scale of a projection (1 unless `setWeightScale` changed it). */
export function weightScaleOf(world: World, proj: ProjectionData): number {
  const p = checkProjection(world, 'weightScaleOf', proj)
  return registry(world).get(p.eid)?.scale ?? 1
}
