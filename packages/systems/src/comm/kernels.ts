/**
 * Event-driven comm kernels: for the presynaptic spikes idx[from..to) (minus `offset`, so indices are
 * relative to the comm layer's input), add each synapse's weight into every target column of the
 * projection's synapse state. Work is proportional to spikes × targets; no dense vector is touched per tick
 * (except All2All, whose every spike reaches every post). Events are added in ascending pre order and, within
 * a row, ascending post order — the order the reference loops in the tests use.
 */
import type { CommData, FloatArray } from '@spikecs/ecs-core'
import { generateRow } from './rows.js'

/** Per-projection scratch for on-the-fly rows (allocated with the plan). */
export interface RowScratch {
  readonly targets: Int32Array
  readonly weights: FloatArray
  readonly keys: Uint32Array
}

type Jit = Extract<CommData, { gen: unknown }>
type Csr = Extract<CommData, { kind: 'EventCSRLinear' }>
type O2O = Extract<CommData, { kind: 'One2One' }>
type A2A = Extract<CommData, { kind: 'All2All' }>
type Lin = Extract<CommData, { kind: 'Linear' }>

/** On-the-fly rows: regenerate row i at each spike, then add into each target. */
export function deliverJit(
  c: Jit, idx: Int32Array, from: number, to: number, offset: number, selfOffset: number,
  targets: readonly FloatArray[], s: RowScratch,
): number {
  const gen = c.gen
  const homo = gen.weight.kind === 'homo'
  const w = gen.weight.kind === 'homo' ? gen.weight.value : 0
  const rowT = s.targets, rowW = s.weights
  let events = 0
  for (let q = from; q < to; q++) {
    const i = idx[q] - offset
    const n = generateRow(gen, i, selfOffset < 0 ? -1 : i + selfOffset, rowT, homo ? null : rowW, s.keys)
    events += n
    for (let t = 0; t < targets.length; t++) {
      const g = targets[t]
      if (homo) for (let k = 0; k < n; k++) g[rowT[k]] += w
      else for (let k = 0; k < n; k++) g[rowT[k]] += rowW[k]
    }
  }
  return events
}

/** Stored rows. */
export function deliverCsr(
  c: Csr, idx: Int32Array, from: number, to: number, offset: number, targets: readonly FloatArray[],
): number {
  const ptr = c.indptr.array, ind = c.indices.array
  if (c.weights === null) {
    const w = c.weight
    for (let t = 0; t < targets.length; t++) {
      const g = targets[t]
      for (let q = from; q < to; q++) {
        const i = idx[q] - offset
        const e = ptr[i + 1]
        for (let k = ptr[i]; k < e; k++) g[ind[k]] += w
      }
    }
  } else {
    const W = c.weights.array
    for (let t = 0; t < targets.length; t++) {
      const g = targets[t]
      for (let q = from; q < to; q++) {
        const i = idx[q] - offset
        const e = ptr[i + 1]
        for (let k = ptr[i]; k < e; k++) g[ind[k]] += W[k]
      }
    }
  }
  return csrEventCount(c, idx, from, to, offset)
}

/** Synapses in the rows idx[from..to) of a stored layer (event or non-event: one event per synapse reached). */
export function csrEventCount(c: Csr | Extract<CommData, { kind: 'CSRLinear' }>, idx: Int32Array, from: number, to: number, offset: number): number {
  const ptr = c.indptr.array
  let events = 0
  for (let q = from; q < to; q++) {
    const i = idx[q] - offset
    events += ptr[i + 1] - ptr[i]
  }
  return events
}

/** Pre i → post i. */
export function deliverOne2One(
  c: O2O, idx: Int32Array, from: number, to: number, offset: number, targets: readonly FloatArray[],
): number {
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    if (c.weights === null) {
      const w = c.weight
      for (let q = from; q < to; q++) g[idx[q] - offset] += w
    } else {
      const W = c.weights.array
      for (let q = from; q < to; q++) {
        const i = idx[q] - offset
        g[i] += W[i]
      }
    }
  }
  return to - from
}

/**
 * Every post receives w·(number of spikes); without self-connections a spiking post receives w·(n − 1)
 * (its own spike excluded). `selfOffset` maps a spike index to its post index.
 */
export function deliverAll2All(
  c: A2A, idx: Int32Array, from: number, to: number, offset: number, selfOffset: number,
  targets: readonly FloatArray[],
): number {
  const n = to - from
  if (n === 0) return 0
  const all = c.weight * n
  const nPost = c.nPost
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    if (c.includeSelf) {
      for (let j = 0; j < nPost; j++) g[j] += all
    } else {
      const most = c.weight * (n - 1)
      let q = from
      let next = idx[q] - offset + selfOffset
      for (let j = 0; j < nPost; j++) {
        if (j === next) {
          g[j] += most
          q++
          next = q < to ? idx[q] - offset + selfOffset : -1
        } else {
          g[j] += all
        }
      }
    }
  }
  return n * nPost - (c.includeSelf ? 0 : n)
}

/** Dense rows: spike i adds W[i, :]. */
export function deliverLinear(
  c: Lin, idx: Int32Array, from: number, to: number, offset: number, targets: readonly FloatArray[],
): number {
  const W = c.W.array, nPost = c.nPost
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    for (let q = from; q < to; q++) {
      const row = (idx[q] - offset) * nPost
      for (let j = 0; j < nPost; j++) g[j] += W[row + j]
    }
  }
  return (to - from) * nPost
}
