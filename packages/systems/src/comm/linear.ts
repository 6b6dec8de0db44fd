/** `Linear`: dense nPre × nPost weights, row-major W[pre][post]; multiplies by its input. */
import { allocColumn, checkFinite, checkKnownKeys, SpikecsError, type Column, type FloatArray } from '@spikecs/ecs-core'
import { checkSizes, scaleInto, type SizeHints } from './checks.js'
import { colRef } from '../threads/spec.js'
import type { CommLayer, Deliver, RangeDeliver } from './types.js'

export type LinearParams = SizeHints & { W: ArrayLike<number> | ArrayLike<ArrayLike<number>> }

export interface LinearData {
  readonly kind: 'Linear'
  readonly nPre: number
  readonly nPost: number
  /** Dense row-major weights: W[pre·nPost + post]. */
  readonly W: Column<FloatArray>
}

/** Dense weights, row-major W[pre][post] (a flat array of nPre·nPost or an array of rows). */
export function Linear(p: LinearParams): { readonly kind: 'Linear'; readonly p: LinearParams } {
  return { kind: 'Linear', p }
}

function flattenMatrix(obj: string, W: unknown, nPre: number, nPost: number): Float64Array {
  if (W === null || typeof W !== 'object' || typeof (W as ArrayLike<unknown>).length !== 'number') {
    throw new SpikecsError(obj, 'W', W, `must be an nPre x nPost matrix (${nPre} x ${nPost}), flat or as rows`)
  }
  const m = W as ArrayLike<unknown>
  const out = new Float64Array(nPre * nPost)
  if (m.length === nPre && nPre > 0 && typeof m[0] === 'object') {
    for (let i = 0; i < nPre; i++) {
      const row = m[i] as ArrayLike<number>
      if (!row || row.length !== nPost) throw new SpikecsError(obj, `W[${i}]`, row, `must have ${nPost} elements`)
      for (let j = 0; j < nPost; j++) out[i * nPost + j] = checkFinite(obj, `W[${i}][${j}]`, row[j])
    }
    return out
  }
  if (m.length !== nPre * nPost) {
    throw new SpikecsError(obj, 'W', W, `must have nPre x nPost = ${nPre * nPost} elements`)
  }
  for (let k = 0; k < m.length; k++) out[k] = checkFinite(obj, `W[${k}]`, m[k])
  return out
}

/** Dense rows: post j receives Σ_i W[i, j]·x_i. */
const deliverLinear: Deliver<LinearData> = (c, idx, vals, from, to, offset, _selfOffset, targets) => {
  const W = c.W.array,
    nPost = c.nPost
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    for (let q = from; q < to; q++) {
      const row = (idx[q] - offset) * nPost,
        x = vals === null ? 1 : vals[q]
      for (let j = 0; j < nPost; j++) g[j] += W[row + j] * x
    }
  }
  return (to - from) * nPost
}

/** One thread's posts [lo, hi) of every row. */
const rangeLinear = ((r: { W: FloatArray; nPost: number }, idx, vals, n, _t, lo, hi, targets) => {
  const W = r.W,
    nPost = r.nPost
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    for (let q = 0; q < n; q++) {
      const row = idx[q] * nPost,
        x = vals === null ? 1 : vals[q]
      for (let j = lo; j < hi; j++) g[j] += W[row + j] * x
    }
  }
  return n * (hi - lo)
}) as RangeDeliver

export const linear: CommLayer<LinearData, LinearParams, Float64Array> = {
  kind: 'Linear',
  event: false,
  resolve: (ctx, obj, p) => {
    checkKnownKeys(obj, p, ['nPre', 'nPost', 'W'])
    checkSizes(ctx, 'Linear', p)
    const flat = flattenMatrix(obj, p.W, ctx.nPre, ctx.nPost)
    return {
      build: (eid) => {
        const col = allocColumn(ctx.world, eid, 'W', 'state', ctx.nPre * ctx.nPost)
        col.array.set(flat)
        return { kind: 'Linear', nPre: ctx.nPre, nPost: ctx.nPost, W: col }
      },
    }
  },
  deliver: deliverLinear,
  range: { prepare: (_world, c) => ({ W: colRef(c.W), nPost: c.nPost }), deliver: rangeLinear },
  synapses: (c) => ({ n: c.nPre * c.nPost, exact: true }),
  weights: { base: (c) => Float64Array.from(c.W.array), apply: (c, base, s) => scaleInto(c.W.array, base, s) },
  describe: (_world, c) => ({
    kind: 'lists',
    law: null,
    synapses: () => {
      const W = c.W.array
      let n = 0
      for (let k = 0; k < W.length; k++) if (W[k] !== 0) n++
      const pre = new Int32Array(n),
        post = new Int32Array(n),
        w = new Float64Array(n)
      let q = 0
      for (let i = 0; i < c.nPre; i++) {
        for (let j = 0; j < c.nPost; j++) {
          const x = W[i * c.nPost + j]
          if (x !== 0) {
            pre[q] = i
            post[q] = j
            w[q++] = x
          }
        }
      }
      return { pre, post, w, homo: NaN }
    },
  }),
}
