/**
 * Construction of stored (CSR) rows, once, when a projection is built: from an explicit list (a stable
 * counting sort by pre), from a row generator (the on-the-fly rows), or as BrainPy's fixed out-degree. And the
 * way back, rows as (pre, post, weight) lists for exports.
 */
import { allocColumn, rowKeys, type Column, type World } from '@spikecs/ecs-core'
import { generateRows, type RowGenerator } from './rows.js'
import { sampleDistinct } from './fixed-num.js'
import type { SynapseList } from './types.js'

export interface CsrColumns {
  readonly indptr: Column<Int32Array>
  readonly indices: Column<Int32Array>
  readonly nSyn: number
}

/** Row pointers and targets of an explicit list, ordered by pre; within a row synapses keep the list's order. */
export function csrFromList(
  world: World,
  eid: number,
  nPre: number,
  pre: ArrayLike<number>,
  post: ArrayLike<number>,
): CsrColumns & { readonly order: Int32Array } {
  const m = pre.length
  const counts = new Int32Array(nPre + 1)
  for (let k = 0; k < m; k++) counts[pre[k] + 1]++
  for (let i = 0; i < nPre; i++) counts[i + 1] += counts[i]
  const indptr = allocColumn(world, eid, 'csr.indptr', 'i32', nPre + 1)
  indptr.array.set(counts)
  const indices = allocColumn(world, eid, 'csr.indices', 'i32', m)
  const fill = counts.slice(0, nPre)
  /** order[k]: the position synapse k of the list takes in the rows. */
  const order = new Int32Array(m)
  for (let k = 0; k < m; k++) {
    const q = fill[pre[k]]++
    indices.array[q] = post[k]
    order[k] = q
  }
  return { indptr, indices, nSyn: m, order }
}

/**
 * CSR rows from the on-the-fly row generator: the matrix of the on-the-fly layer with this generator, and
 * for a weight law its weights, rounded as the on-the-fly kernels round them (`generateRows`).
 */
export function csrFromGenerator(world: World, eid: number, nPre: number, selfOffset: number, gen: RowGenerator) {
  const rows = generateRows(gen, nPre, selfOffset, world.dtype === 'float32')
  const indptr = allocColumn(world, eid, 'csr.indptr', 'i32', nPre + 1)
  indptr.array.set(rows.indptr)
  const nSyn = rows.indices.length
  const indices = allocColumn(world, eid, 'csr.indices', 'i32', nSyn)
  indices.array.set(rows.indices)
  let weights = null
  if (rows.weights !== null) {
    weights = allocColumn(world, eid, 'csr.weights', 'state', nSyn)
    weights.array.set(rows.weights)
  }
  return { indptr, indices, weights, nSyn }
}

/**
 * BrainPy's fixed out-degree: each row draws k distinct targets (Floyd's algorithm on the row's counter
 * stream), sorted; the self pair is then dropped when excluded (so those rows have k − 1).
 */
export function csrFixedOutDegree(
  world: World,
  eid: number,
  nPre: number,
  nPost: number,
  selfOffset: number,
  gen: RowGenerator,
  k: number,
): CsrColumns {
  const indptr = allocColumn(world, eid, 'csr.indptr', 'i32', nPre + 1)
  const buf = new Int32Array(nPre * k)
  const keys = new Uint32Array(2)
  const chosen = new Set<number>()
  const row: number[] = []
  let nSyn = 0
  for (let i = 0; i < nPre; i++) {
    rowKeys(gen.key, i, keys)
    sampleDistinct(keys[0], keys[1], nPost, k, chosen, row)
    const self = selfOffset < 0 || gen.includeSelf ? -1 : i + selfOffset
    for (const t of row) if (t !== self) buf[nSyn++] = t
    indptr.array[i + 1] = nSyn
  }
  const indices = allocColumn(world, eid, 'csr.indices', 'i32', nSyn)
  indices.array.set(buf.subarray(0, nSyn))
  return { indptr, indices, nSyn }
}

/** Rows as lists: pre of each synapse, its post and weight (copied; `homo` when there are no weights). */
export function listsFromRows(
  indptr: ArrayLike<number>,
  indices: Int32Array,
  weights: ArrayLike<number> | null,
  homo: number,
): SynapseList {
  const n = indices.length
  const pre = new Int32Array(n)
  for (let i = 0; i + 1 < indptr.length; i++) pre.fill(i, indptr[i], indptr[i + 1])
  return { pre, post: Int32Array.from(indices), w: weights === null ? null : Float64Array.from(weights), homo }
}

/**
 * The column index of stored rows, built once for plasticity: the synapses onto post j are the CSR positions
 * colsyn[colptr[j] … colptr[j+1]) (ascending, so ascending pre within a row order), and colpre holds each
 * one's presynaptic index. A post spike then visits its own synapses only, never the whole matrix.
 */
export function csrColumnIndex(
  world: World,
  eid: number,
  indptr: Int32Array,
  indices: Int32Array,
  nPre: number,
  nPost: number,
  nSyn: number,
): { colptr: Column<Int32Array>; colsyn: Column<Int32Array>; colpre: Column<Int32Array> } {
  const colptr = allocColumn(world, eid, 'stdp.colptr', 'i32', nPost + 1)
  const colsyn = allocColumn(world, eid, 'stdp.colsyn', 'i32', nSyn)
  const colpre = allocColumn(world, eid, 'stdp.colpre', 'i32', nSyn)
  const cp = colptr.array
  for (let k = 0; k < nSyn; k++) cp[indices[k] + 1]++
  for (let j = 0; j < nPost; j++) cp[j + 1] += cp[j]
  const fill = cp.slice(0, nPost)
  for (let i = 0; i < nPre; i++) {
    for (let k = indptr[i]; k < indptr[i + 1]; k++) {
      const m = fill[indices[k]]++
      colsyn.array[m] = k
      colpre.array[m] = i
    }
  }
  return { colptr, colsyn, colpre }
}
