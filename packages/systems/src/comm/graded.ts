/**
 * Non-event comm kernels (BrainPy's `JitFPHomoLinear`, `JitFPUniformLinear`, `JitFPNormalLinear`,
 * `CSRLinear`): the rows of the event forms, but each synapse adds weight × the presynaptic value x.
 *
 * The presynaptic input is the projection's source read as a vector: a population or a spike buffer is its
 * 0/1 spike vector (x = 1 for each listed index), so then these kernels are the event kernels (w·1 = w, bit
 * for bit) and simply call them; a value buffer (`addValueBuffer`) lists (index, value) pairs, `vals[q]` being
 * the value of `idx[q]`; indices not listed are 0 and contribute nothing.
 */
import type { CommData, FloatArray } from '@spikecs/ecs-core'
import { generateRow } from './rows.js'
import { deliverCsr, deliverJit, type RowScratch } from './kernels.js'

type Jit = Extract<CommData, { gen: unknown }>
type CsrGraded = Extract<CommData, { kind: 'CSRLinear' }>

/** On-the-fly rows, weights × input values. */
export function deliverJitGraded(
  c: Jit, idx: Int32Array, vals: Float64Array | null, from: number, to: number, offset: number, selfOffset: number,
  targets: readonly FloatArray[], s: RowScratch,
): number {
  if (vals === null) return deliverJit(c, idx, from, to, offset, selfOffset, targets, s)
  const gen = c.gen
  const homo = gen.weight.kind === 'homo'
  const w = gen.weight.kind === 'homo' ? gen.weight.value : 0
  const rowT = s.targets, rowW = s.weights
  let events = 0
  for (let q = from; q < to; q++) {
    const x = vals[q]
    const i = idx[q] - offset
    const n = generateRow(gen, i, selfOffset < 0 ? -1 : i + selfOffset, rowT, homo ? null : rowW, s.keys)
    events += n
    const wx = w * x
    for (let t = 0; t < targets.length; t++) {
      const g = targets[t]
      if (homo) for (let k = 0; k < n; k++) g[rowT[k]] += wx
      else for (let k = 0; k < n; k++) g[rowT[k]] += rowW[k] * x
    }
  }
  return events
}

/** Stored rows, weights × input values. */
export function deliverCsrGraded(
  c: CsrGraded, idx: Int32Array, vals: Float64Array | null, from: number, to: number, offset: number,
  targets: readonly FloatArray[],
): number {
  // Same layout as EventCSRLinear: with a 0/1 input the event kernel computes exactly this.
  if (vals === null) return deliverCsr(c as unknown as Parameters<typeof deliverCsr>[0], idx, from, to, offset, targets)
  const ptr = c.indptr.array, ind = c.indices.array
  const W = c.weights === null ? null : c.weights.array
  const w = c.weight
  let events = 0
  for (let q = from; q < to; q++) {
    const x = vals[q]
    const i = idx[q] - offset
    const b = ptr[i], e = ptr[i + 1]
    events += e - b
    for (let t = 0; t < targets.length; t++) {
      const g = targets[t]
      if (W === null) {
        const wx = w * x
        for (let k = b; k < e; k++) g[ind[k]] += wx
      } else {
        for (let k = b; k < e; k++) g[ind[k]] += W[k] * x
      }
    }
  }
  return events
}

type O2O = Extract<CommData, { kind: 'One2One' }>
type A2A = Extract<CommData, { kind: 'All2All' }>
type Lin = Extract<CommData, { kind: 'Linear' }>

// BrainPy's OneToOne, AllToAll and Linear are dense layers that multiply by their input. With a spike source
// (x = 1) the event kernels in `kernels.ts` compute them; with a value buffer these do.

/** Pre i → post i: post i receives w_i·x_i. */
export function deliverOne2OneGraded(c: O2O, idx: Int32Array, vals: Float64Array, from: number, to: number, offset: number,
  targets: readonly FloatArray[]): number {
  const W = c.weights === null ? null : c.weights.array
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    for (let q = from; q < to; q++) {
      const i = idx[q] - offset
      g[i] += (W === null ? c.weight : W[i]) * vals[q]
    }
  }
  return to - from
}

/**
 * Every post receives w·Σx; without self-connections post j (the neuron listed as j − selfOffset) receives
 * w·(Σx − x_j). Listed indices are ascending, so one pointer walks them beside the posts.
 */
export function deliverAll2AllGraded(c: A2A, idx: Int32Array, vals: Float64Array, from: number, to: number, offset: number,
  selfOffset: number, targets: readonly FloatArray[]): number {
  let sum = 0
  for (let q = from; q < to; q++) sum += vals[q]
  const all = c.weight * sum, nPost = c.nPost
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    let q = from
    let next = c.includeSelf || q >= to ? -1 : idx[q] - offset + selfOffset
    for (let j = 0; j < nPost; j++) {
      if (j === next) {
        g[j] += c.weight * (sum - vals[q])
        q++
        next = q < to ? idx[q] - offset + selfOffset : -1
      } else {
        g[j] += all
      }
    }
  }
  return (to - from) * nPost - (c.includeSelf ? 0 : to - from)
}

/** Dense rows: post j receives Σ_i W[i, j]·x_i. */
export function deliverLinearGraded(c: Lin, idx: Int32Array, vals: Float64Array, from: number, to: number, offset: number,
  targets: readonly FloatArray[]): number {
  const W = c.W.array, nPost = c.nPost
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    for (let q = from; q < to; q++) {
      const row = (idx[q] - offset) * nPost, x = vals[q]
      for (let j = 0; j < nPost; j++) g[j] += W[row + j] * x
    }
  }
  return (to - from) * nPost
}
