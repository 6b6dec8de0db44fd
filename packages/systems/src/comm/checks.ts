/** Argument checks and weight-scaling helpers shared by the comm layers' records. */
import { SpikecsError, checkFinite, type Column, type FloatArray } from '@spikecs/ecs-core'
import type { CommContext, WeightScaling } from './types.js'

/** Size hints every descriptor accepts. */
export interface SizeHints {
  /** Expected presynaptic size (checked against the projection's source). */
  nPre?: number
  /** Expected postsynaptic size (checked against the post population). */
  nPost?: number
}

export function checkSizes(ctx: CommContext, layer: string, p: SizeHints): void {
  const obj = `${ctx.object} comm ${layer}`
  if (p.nPre !== undefined && p.nPre !== ctx.nPre) {
    throw new SpikecsError(obj, 'nPre', p.nPre, `does not match the projection's presynaptic size (${ctx.nPre})`)
  }
  if (p.nPost !== undefined && p.nPost !== ctx.nPost) {
    throw new SpikecsError(obj, 'nPost', p.nPost, `does not match the post population size (${ctx.nPost})`)
  }
}

/**
 * `includeSelf` (default true) of a layer or connector. Excluding the (i, i) pair means something only when
 * the spikes come from the post population itself, read through its queue (a full projection with pre = post,
 * or a half projection reading a slice of post: neuron i of the slice is post i + offset); between two
 * populations, or from a spike or value buffer, `false` is refused.
 */
export function checkIncludeSelf(ctx: CommContext, obj: string, includeSelf: unknown): boolean {
  if (includeSelf === undefined) return true
  if (typeof includeSelf !== 'boolean') throw new SpikecsError(obj, 'includeSelf', includeSelf, 'must be a boolean')
  if (!includeSelf && ctx.selfOffset < 0) {
    throw new SpikecsError(obj, 'includeSelf', false, 'needs pre and post to be the same population')
  }
  return includeSelf
}

export function checkWeightArray(obj: string, name: string, w: unknown, n: number): ArrayLike<number> {
  if (w === null || typeof w !== 'object' || typeof (w as ArrayLike<number>).length !== 'number') {
    throw new SpikecsError(obj, name, w, 'must be a number or an array of numbers')
  }
  const arr = w as ArrayLike<number>
  if (arr.length !== n) throw new SpikecsError(obj, name, w, `must have ${n} elements (one per synapse)`)
  for (let i = 0; i < n; i++) checkFinite(obj, `${name}[${i}]`, arr[i])
  return arr
}

/** Layers holding one weight (`weight`) or one per synapse (`weights`, with `weight` NaN). */
interface OneOrMany {
  readonly weight: number
  readonly weights: Column<FloatArray> | null
}

/**
 * Scaling of a one-or-many weight layer: the one weight becomes round(w·s); per-synapse weights become
 * base·s, rounded to the dtype by the typed array on store.
 */
export const scaleOneOrMany: WeightScaling<OneOrMany, number | Float64Array> = {
  base: (c) => (c.weights === null ? c.weight : Float64Array.from(c.weights.array)),
  apply: (c, base, s, round) => {
    if (typeof base === 'number') (c as { weight: number }).weight = round(base * s)
    else scaleInto((c.weights as Column<FloatArray>).array, base, s)
  },
}

/** Writes base·s into `arr` (the typed array rounds to the dtype on store). */
export function scaleInto(arr: FloatArray, base: Float64Array, s: number): void {
  for (let k = 0; k < base.length; k++) arr[k] = base[k] * s
}
