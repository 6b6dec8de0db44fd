/** `One2One` (BrainPy `OneToOne`): input i → post i, with one weight or one per neuron; multiplies by its input. */
import { SpikecsError, allocColumn, checkFinite, checkKnownKeys, type Column, type FloatArray } from '@spikecs/ecs-core'
import { checkSizes, checkWeightArray, scaleOneOrMany, type SizeHints } from './checks.js'
import { colRef } from '../threads/spec.js'
import type { CommLayer, Deliver, RangeDeliver } from './types.js'

export type One2OneParams = SizeHints & { weight: number | ArrayLike<number> }

export interface One2OneData {
  readonly kind: 'One2One'
  readonly nPre: number
  readonly nPost: number
  /** The one weight (rounded to the dtype), or NaN when `weights` holds one per neuron. */
  readonly weight: number
  readonly weights: Column<FloatArray> | null
}

/** Pre i → post i (BrainPy `OneToOne`). */
export function One2One(p: One2OneParams): { readonly kind: 'One2One'; readonly p: One2OneParams } {
  return { kind: 'One2One', p }
}

/** Post i receives w_i·x_i. */
const deliverOne2One: Deliver<One2OneData> = (c, idx, vals, from, to, offset, _selfOffset, targets) => {
  const W = c.weights === null ? null : c.weights.array
  const w = c.weight
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    for (let q = from; q < to; q++) {
      const i = idx[q] - offset
      g[i] += (W === null ? w : W[i]) * (vals === null ? 1 : vals[q])
    }
  }
  return to - from
}

/** One thread's posts [lo, hi): the inputs listed there (an input is its own post). */
const rangeOne2One = ((r: { W: FloatArray | null; w: number }, idx, vals, n, _t, lo, hi, targets) => {
  const W = r.W,
    w = r.w
  let events = 0
  for (let q = 0; q < n; q++) if (idx[q] >= lo && idx[q] < hi) events++
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    for (let q = 0; q < n; q++) {
      const i = idx[q]
      if (i >= lo && i < hi) g[i] += (W === null ? w : W[i]) * (vals === null ? 1 : vals[q])
    }
  }
  return events
}) as RangeDeliver

export const one2one: CommLayer<One2OneData, One2OneParams, number | Float64Array> = {
  kind: 'One2One',
  event: false,
  resolve: (ctx, obj, p) => {
    const { nPre, nPost } = ctx
    checkKnownKeys(obj, p, ['nPre', 'nPost', 'weight'])
    checkSizes(ctx, 'One2One', p)
    if (nPre !== nPost) throw new SpikecsError(obj, 'nPre', nPre, `must equal nPost (${nPost}) for one-to-one connectivity`)
    const w = p.weight
    if (typeof w === 'number') {
      checkFinite(obj, 'weight', w)
      return { build: () => ({ kind: 'One2One', nPre, nPost, weight: ctx.round(w), weights: null }) }
    }
    const arr = checkWeightArray(obj, 'weight', w, nPre)
    return {
      build: (eid) => {
        const col = allocColumn(ctx.world, eid, 'weights', 'state', nPre)
        col.array.set(arr)
        return { kind: 'One2One', nPre, nPost, weight: NaN, weights: col }
      },
    }
  },
  deliver: deliverOne2One,
  range: { prepare: (_world, c) => ({ W: c.weights === null ? null : colRef(c.weights), w: c.weight }), deliver: rangeOne2One },
  synapses: (c) => ({ n: c.nPre, exact: true }),
  weights: scaleOneOrMany,
  describe: (_world, c) => {
    if (c.weights === null) return { kind: 'oneToOne', weight: c.weight }
    const W = c.weights.array
    return {
      kind: 'lists',
      law: null,
      synapses: () => {
        const idx = new Int32Array(c.nPre)
        for (let i = 0; i < c.nPre; i++) idx[i] = i
        return { pre: idx, post: idx.slice(), w: Float64Array.from(W), homo: c.weight }
      },
    }
  },
}
