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
