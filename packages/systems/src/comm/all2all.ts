/** `All2All` (BrainPy `AllToAll`): every input → every post with one weight; multiplies by its input. */
import { checkFinite, checkKnownKeys } from '@spikecs/ecs-core'
import { checkIncludeSelf, checkSizes, type SizeHints } from './checks.js'
import type { CommLayer, Deliver, RangeDeliver } from './types.js'

export type All2AllParams = SizeHints & { weight: number; includeSelf?: boolean }

export interface All2AllData {
  readonly kind: 'All2All'
  readonly nPre: number
  readonly nPost: number
  readonly weight: number
  readonly includeSelf: boolean
}

/** Every pre → every post with one weight (BrainPy `AllToAll`). */
export function All2All(p: All2AllParams): { readonly kind: 'All2All'; readonly p: All2AllParams } {
  return { kind: 'All2All', p }
}

/**
 * Every post receives w·Σx (w·n for n spikes); without self-connections post j (the neuron listed as
 * j − selfOffset) receives w·(Σx − x_j). Listed indices are ascending, so one pointer walks them beside the posts.
 */
const deliverAll2All: Deliver<All2AllData> = (c, idx, vals, from, to, offset, selfOffset, targets) => {
  let sum = 0
  if (vals === null) sum = to - from
  else for (let q = from; q < to; q++) sum += vals[q]
  const w = c.weight,
    all = w * sum,
    nPost = c.nPost
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    let q = from
    let next = c.includeSelf || q >= to ? -1 : idx[q] - offset + selfOffset
    for (let j = 0; j < nPost; j++) {
      if (j === next) {
        g[j] += w * (sum - (vals === null ? 1 : vals[q]))
        q++
        next = q < to ? idx[q] - offset + selfOffset : -1
      } else {
        g[j] += all
      }
    }
  }
  return (to - from) * nPost - (c.includeSelf ? 0 : to - from)
}

/** One thread's posts [lo, hi), as `deliverAll2All` computes them (the sum over all inputs, in their order). */
const rangeAll2All = ((r: { w: number; includeSelf: boolean; selfOffset: number }, idx, vals, n, _t, lo, hi, targets) => {
  let sum = 0
  if (vals === null) sum = n
  else for (let q = 0; q < n; q++) sum += vals[q]
  const w = r.w,
    all = w * sum,
    self = r.selfOffset
  let first = 0
  if (!r.includeSelf) while (first < n && idx[first] + self < lo) first++
  let selfHere = 0
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    let q = first
    let next = r.includeSelf || q >= n ? -1 : idx[q] + self
    selfHere = 0
    for (let j = lo; j < hi; j++) {
      if (j === next) {
        g[j] += w * (sum - (vals === null ? 1 : vals[q]))
        selfHere++
        q++
        next = q < n ? idx[q] + self : -1
      } else {
        g[j] += all
      }
    }
  }
  return n * (hi - lo) - selfHere
}) as RangeDeliver

export const all2all: CommLayer<All2AllData, All2AllParams, number> = {
  kind: 'All2All',
  event: false,
  resolve: (ctx, obj, p) => {
    checkKnownKeys(obj, p, ['nPre', 'nPost', 'weight', 'includeSelf'])
    checkSizes(ctx, 'All2All', p)
    checkFinite(obj, 'weight', p.weight)
    const includeSelf = checkIncludeSelf(ctx, obj, p.includeSelf)
    const w = ctx.round(p.weight)
    return { build: () => ({ kind: 'All2All', nPre: ctx.nPre, nPost: ctx.nPost, weight: w, includeSelf }) }
  },
  deliver: deliverAll2All,
  range: { prepare: (_world, c, selfOffset) => ({ w: c.weight, includeSelf: c.includeSelf, selfOffset }), deliver: rangeAll2All },
  synapses: (c) => ({ n: c.nPre * c.nPost - (c.includeSelf ? 0 : c.nPre), exact: true }),
  weights: {
    base: (c) => c.weight,
    apply: (c, base, s, round) => {
      ;(c as { weight: number }).weight = round(base * s)
    },
  },
  describe: (_world, c) => ({ kind: 'allToAll', weight: c.weight, includeSelf: c.includeSelf }),
}
