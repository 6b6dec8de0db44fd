/**
 * Spike-timing-dependent plasticity of BrainPy's `STDP_Song2000` on a stored (CSR) projection: two traces and
 * an additive pair rule, run in slot 2 (`CommSystem`) just before the projection delivers its spikes, so the
 * tick's spikes travel through the weights this tick's rule has changed (BrainPy's order).
 *
 * Per tick k, with x_k the presynaptic spikes the projection delivers in tick k (emitted in tick k − L, L its
 * latency), s_{k−1} the post spikes of tick k−1, a_s = fl(e^(−dt/τ_s)), a_t = fl(e^(−dt/τ_t)):
 *
 *   1. Apost ← fl(fl(a_t·Apost) + s_{k−1})                      the post trace of tick k−1 (posts in range)
 *   2. w_ij ← clip(w_ij − A2·Apost_j) for each row i of x_k      depression, rows of the arriving spikes
 *   3. w_ij ← clip(w_ij + A1·Apre_i) for each column j of s_{k−1} potentiation, columns of the post spikes
 *   4. delivery of x_k through the updated w                      (the layer's kernel)
 *   5. Apre ← fl(fl(a_s·Apre) + x_k)                              the pre trace of tick k (whole pre, once)
 *
 * with clip(w) = fl(min(max(w, wMin), wMax)) (no bound: ±∞), each of 2 and 3 clipped on its own (BrainPy
 * calls its update twice). Steps 1–4 take a post range [from, to) and touch only synapses onto posts in it;
 * step 5 is per presynaptic neuron and runs once per tick after every range has read Apre. The derivation
 * from BrainPy's source and the differences from Brian2 are in docs/semantics.md ("Plasticity").
 */
import {
  SpikecsError,
  allocColumn,
  checkFinite,
  checkKnownKeys,
  checkPositive,
  defineRecordComponent,
  type Column,
  type FloatArray,
  type ProjectionData,
  type World,
} from '@spikecs/ecs-core'
import type { CsrData } from '../comm/csr.js'
import { csrColumnIndex } from '../comm/csr-build.js'

/** The rule's parameters as a user gives them (`STDP_Song2000({ …, tauS, tauT, A1, A2, wMin, wMax })`). */
export interface StdpParams {
  /** Time constant of the presynaptic trace Apre (ms), default 16.8 (BrainPy's `tau_s`). */
  tauS?: number
  /** Time constant of the postsynaptic trace Apost (ms), default 33.7 (BrainPy's `tau_t`). */
  tauT?: number
  /** Potentiation per unit of Apre at a post spike (weight units), default 0.96. */
  A1?: number
  /** Depression per unit of Apost at an arriving pre spike (weight units), default 0.53. */
  A2?: number
  /** Lower weight bound (weight units), or null/absent for none. */
  wMin?: number | null
  /** Upper weight bound (weight units), or null/absent for none. */
  wMax?: number | null
}

/** The parameter names of the rule, beside the full-projection options. */
export const STDP_KEYS = ['tauS', 'tauT', 'A1', 'A2', 'wMin', 'wMax'] as const

/** Resolved parameters (defaults filled, bounds ±∞ when absent). */
export interface StdpResolved {
  readonly tauS: number
  readonly tauT: number
  readonly A1: number
  readonly A2: number
  readonly wMin: number
  readonly wMax: number
}

/** The plasticity of one projection: parameters, derived decay factors, traces and the column index. */
export interface StdpData {
  /** The projection entity this record is attached to. */
  readonly eid: number
  readonly params: StdpResolved
  /** fl(e^(−dt/τ_s)) and fl(e^(−dt/τ_t)). */
  readonly aS: number
  readonly aT: number
  /** Bounds rounded to the dtype (±∞ when absent). */
  readonly wMin: number
  readonly wMax: number
  /** Presynaptic trace (one per input of the layer) and postsynaptic trace (one per post neuron). */
  readonly Apre: Column<FloatArray>
  readonly Apost: Column<FloatArray>
  /** Column index: the synapses onto post j are colsyn[colptr[j] … colptr[j+1]) (CSR positions), from colpre. */
  readonly colptr: Column<Int32Array>
  readonly colsyn: Column<Int32Array>
  readonly colpre: Column<Int32Array>
}

/** Plasticity records, attached to the projection entities whose weights learn. */
export const Plasticity = defineRecordComponent<StdpData>('Plasticity')

/** Checks the rule's parameters (`obj` names the projection); defaults are BrainPy's. */
export function resolveStdp(obj: string, p: StdpParams): StdpResolved {
  const tauS = checkPositive(obj, 'tauS', p.tauS ?? 16.8, 'ms')
  const tauT = checkPositive(obj, 'tauT', p.tauT ?? 33.7, 'ms')
  const A1 = checkFinite(obj, 'A1', p.A1 ?? 0.96)
  const A2 = checkFinite(obj, 'A2', p.A2 ?? 0.53)
  if (A1 < 0) throw new SpikecsError(obj, 'A1', A1, 'must be >= 0 (the rule adds A1·Apre at a post spike)')
  if (A2 < 0) throw new SpikecsError(obj, 'A2', A2, 'must be >= 0 (the rule subtracts A2·Apost at a pre spike)')
  const wMin = p.wMin === undefined || p.wMin === null ? -Infinity : checkFinite(obj, 'wMin', p.wMin)
  const wMax = p.wMax === undefined || p.wMax === null ? Infinity : checkFinite(obj, 'wMax', p.wMax)
  if (!(wMin <= wMax)) throw new SpikecsError(obj, 'wMax', wMax, `must be >= wMin (${wMin})`)
  return { tauS, tauT, A1, A2, wMin, wMax }
}

/** Checks that a descriptor names only known keys of a full STDP projection. */
export function checkStdpKeys(obj: string, desc: object, fullKeys: readonly string[]): void {
  checkKnownKeys(obj, desc, [...fullKeys, ...STDP_KEYS])
}

/** Allocates the traces and builds the column index of a projection's stored rows (once, at build). */
export function buildStdp(world: World, proj: ProjectionData, c: CsrData, p: StdpResolved): StdpData {
  const round = world.dtype === 'float32' ? Math.fround : (x: number) => x
  const eid = proj.eid
  const { colptr, colsyn, colpre } = csrColumnIndex(world, eid, c.indptr.array, c.indices.array, c.nPre, c.nPost, c.nSynapses)
  return {
    eid,
    params: p,
    aS: round(Math.exp(-world.dtMs / p.tauS)),
    aT: round(Math.exp(-world.dtMs / p.tauT)),
    wMin: round(p.wMin),
    wMax: round(p.wMax),
    Apre: allocColumn(world, eid, 'stdp.Apre', 'state', c.nPre),
    Apost: allocColumn(world, eid, 'stdp.Apost', 'state', c.nPost),
    colptr,
    colsyn,
    colpre,
  }
}

// ---------------------------------------------------------------------------------------------------------
// Kernels. Each is a plain loop over typed arrays; stores into the float columns round to the dtype.

/** Step 1: Apost_j ← fl(fl(a_t·Apost_j) + 1 if post j spiked in tick k−1), for posts j in [from, to). */
export function stdpPostTrace(d: StdpData, spikes: Int32Array, nSpikes: number, from: number, to: number): void {
  const A = d.Apost.array
  const a = d.aT
  for (let j = from; j < to; j++) A[j] *= a
  for (let q = 0; q < nSpikes; q++) {
    const j = spikes[q]
    if (j >= from && j < to) A[j] += 1
  }
}

/**
 * Step 2: for each arriving input idx[qFrom..qTo) − offset, its row's synapses onto posts in [from, to):
 * w ← clip(w − A2·Apost_post). Returns the synapses changed.
 */
export function stdpDepress(
  d: StdpData,
  c: CsrData,
  idx: Int32Array,
  qFrom: number,
  qTo: number,
  offset: number,
  from: number,
  to: number,
): number {
  const ptr = c.indptr.array,
    ind = c.indices.array
  const W = (c.weights as Column<FloatArray>).array
  const Ap = d.Apost.array
  const A2 = d.params.A2,
    lo = d.wMin,
    hi = d.wMax
  let n = 0
  for (let q = qFrom; q < qTo; q++) {
    const i = idx[q] - offset
    const e = ptr[i + 1]
    for (let k = ptr[i]; k < e; k++) {
      const j = ind[k]
      if (j < from || j >= to) continue
      let w = W[k] - A2 * Ap[j]
      if (w < lo) w = lo
      else if (w > hi) w = hi
      W[k] = w
      n++
    }
  }
  return n
}

/**
 * Step 3: for each post j of tick k−1's spike list in [from, to), its column's synapses:
 * w ← clip(w + A1·Apre_pre). Returns the synapses changed.
 */
export function stdpPotentiate(d: StdpData, c: CsrData, spikes: Int32Array, nSpikes: number, from: number, to: number): number {
  const W = (c.weights as Column<FloatArray>).array
  const cp = d.colptr.array,
    cs = d.colsyn.array,
    cpre = d.colpre.array
  const Ar = d.Apre.array
  const A1 = d.params.A1,
    lo = d.wMin,
    hi = d.wMax
  let n = 0
  for (let q = 0; q < nSpikes; q++) {
    const j = spikes[q]
    if (j < from || j >= to) continue
    const e = cp[j + 1]
    for (let m = cp[j]; m < e; m++) {
      const k = cs[m]
      let w = W[k] + A1 * Ar[cpre[m]]
      if (w < lo) w = lo
      else if (w > hi) w = hi
      W[k] = w
    }
    n += e - cp[j]
  }
  return n
}

/** Step 5 (once per tick, whole pre): Apre_i ← fl(fl(a_s·Apre_i) + 1 if input i arrived in this tick). */
export function stdpPreTrace(d: StdpData, idx: Int32Array, qFrom: number, qTo: number, offset: number): void {
  const A = d.Apre.array
  const a = d.aS
  const n = A.length
  for (let i = 0; i < n; i++) A[i] *= a
  for (let q = qFrom; q < qTo; q++) A[idx[q] - offset] += 1
}
