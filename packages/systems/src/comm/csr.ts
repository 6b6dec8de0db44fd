/**
 * Stored (CSR) layers: BrainPy's `EventCSRLinear` (event) and `CSRLinear` (non-event: weight × input value),
 * rows from a connector — `FixedProb` (Bernoulli per pair, the homogeneous on-the-fly matrix for one seed;
 * `fixedOutDegree: true` gives BrainPy's int(nPost·p) distinct targets per row), `FromList` (explicit pre,
 * post[, weight] arrays), `FixedPostNum`/`FixedPreNum` (`comm/fixed-num.ts`) — or the rows of an on-the-fly
 * layer, `stored(layer)`.
 */
import {
  SpikecsError,
  allocColumn,
  checkFinite,
  checkInteger,
  checkKnownKeys,
  checkObject,
  checkProbability,
  type Column,
  type FloatArray,
  type World,
} from '@spikecs/ecs-core'
import { applyInitializer, checkInitializer, type NormalInit, type UniformInit } from '../init.js'
import { checkIncludeSelf, checkSizes, checkWeightArray, scaleOneOrMany, type SizeHints } from './checks.js'
import { rowGenerator, type RowGenerator, type RowWeight } from './rows.js'
import { csrFixedOutDegree, csrFromGenerator, csrFromList, listsFromRows } from './csr-build.js'
import { sampleFixedNum, type FixedNumConnector } from './fixed-num.js'
import { csrWasm } from '../wasm/comm-wasm.js'
import type { JitCommDesc } from './jit.js'
import { colRef } from '../threads/spec.js'
import type { CommContext, CommLayer, Deliver, DrawnLaw, RangeDeliver, RangeDelivery, ResolvedComm } from './types.js'

export type Connector =
  | {
      readonly kind: 'FixedProb'
      readonly prob: number
      readonly includeSelf: boolean
      readonly fixedOutDegree: boolean
      readonly seed: number | undefined
    }
  | {
      readonly kind: 'FromList'
      readonly pre: ArrayLike<number>
      readonly post: ArrayLike<number>
      readonly weight: ArrayLike<number> | undefined
    }
  | FixedNumConnector

type CsrKind = 'EventCSRLinear' | 'CSRLinear'

export type CsrParams = SizeHints & { conn: Connector; weight?: number | ArrayLike<number> | NormalInit | UniformInit }

/**
 * The random connector and weight distribution stored rows were drawn from (absent or null for explicit
 * lists), so an exporter can write the statistical equivalent.
 */
export interface DrawnRows {
  readonly prob: number
  readonly includeSelf: boolean
  readonly fixedOutDegree: boolean
  readonly weight: Exclude<RowWeight, { kind: 'homo' }> | null
}

/** Data of a stored layer. */
export interface CsrData<K extends CsrKind = CsrKind> {
  readonly kind: K
  readonly nPre: number
  readonly nPost: number
  /** Row pointers (length nPre+1) over presynaptic rows. */
  readonly indptr: Column<Int32Array>
  readonly indices: Column<Int32Array>
  /** Homogeneous weight (rounded to the dtype), or NaN when `weights` holds one weight per synapse. */
  readonly weight: number
  readonly weights: Column<FloatArray> | null
  readonly nSynapses: number
  /** How the matrix was made, for export and summaries. */
  readonly connector: string
  readonly drawn?: DrawnRows | null
}

/**
 * Event-driven stored (CSR) connectivity (BrainPy `EventCSRLinear`), from a connector. With `FixedProb`
 * (Bernoulli) and one weight, its rows are the matrix of `EventJitFPHomoLinear` for the same seed and
 * projection name. With a weight initializer (`uniform`, `normal`, or one value per synapse) it keeps its own
 * law: the targets are those homogeneous rows and the weights come from an initializer stream of their own,
 * so it is not the matrix of `EventJitFPUniformLinear`/`EventJitFPNormalLinear` — `stored(…)` of those is.
 * `FixedProb({ fixedOutDegree: true })` (BrainPy's fixed out-degree) has no on-the-fly twin.
 */
export function EventCSRLinear(p: CsrParams): { readonly kind: 'EventCSRLinear'; readonly p: CsrParams } {
  return { kind: 'EventCSRLinear', p }
}
/**
 * Non-event stored (CSR) connectivity (BrainPy `CSRLinear`): adds weight × input value. Its rows and weights
 * are drawn as `EventCSRLinear`'s (see there); `stored(JitFP…)` is the stored form of a non-event on-the-fly layer.
 */
export function CSRLinear(p: CsrParams): { readonly kind: 'CSRLinear'; readonly p: CsrParams } {
  return { kind: 'CSRLinear', p }
}

/**
 * The stored (CSR) form of an on-the-fly layer: its rows generated once, when the projection is built, by
 * the generator the on-the-fly kernels run at each spike (`generateRow`, keyed by the world seed — or the
 * layer's `seed` — and the projection name), so the targets and weights are those of the on-the-fly layer,
 * each weight rounded to the state dtype as the on-the-fly kernels round it. Events, the order of the
 * additions and therefore every synapse state are the same bit for bit; only memory (stored rows) and speed
 * differ. `stored(EventJitFP…)` builds an `EventCSRLinear`, `stored(JitFP…)` a `CSRLinear`:
 *
 *   comm: stored(EventJitFPUniformLinear({ prob: 0.05, wLow: 0.1, wHigh: 0.5 }))
 *
 * (`EventCSRLinear({ conn: FixedProb(…), weight: uniform(…) })` draws the same targets but its weights from
 * an initializer stream of their own, so it is another matrix.)
 */
export function stored(layer: JitCommDesc): { readonly kind: 'stored'; readonly p: { readonly layer: JitCommDesc } } {
  return { kind: 'stored', p: { layer } }
}

/** Fixed-probability connector: each pair independently with `prob` (or a fixed out-degree). */
export function FixedProb(p: { prob: number; includeSelf?: boolean; fixedOutDegree?: boolean; seed?: number }): Connector {
  checkObject('FixedProb', p, '{ prob: 0.02 }')
  return { kind: 'FixedProb', prob: p.prob, includeSelf: p.includeSelf ?? true, fixedOutDegree: p.fixedOutDegree ?? false, seed: p.seed }
}
/** Explicit connector: synapse k connects pre[k] to post[k] (with weight[k] when given). */
export function FromList(p: { pre: ArrayLike<number>; post: ArrayLike<number>; weight?: ArrayLike<number> }): Connector {
  checkObject('FromList', p, '{ pre: [0, 1], post: [1, 0] }')
  return { kind: 'FromList', pre: p.pre, post: p.post, weight: p.weight }
}

const MAX_CSR = 2 ** 31 - 1

function checkCsrSize(obj: string, prob: number, expected: number): void {
  if (expected > MAX_CSR * 0.9) {
    throw new SpikecsError(
      obj,
      'prob',
      prob,
      `would store about ${Math.round(expected)} synapses, more than CSR holds (${MAX_CSR}); use EventJitFPHomoLinear`,
    )
  }
}

function resolveCsr<K extends CsrKind>(ctx: CommContext, obj: string, p: CsrParams, layer: K): ResolvedComm<CsrData<K>> {
  checkKnownKeys(obj, p, ['nPre', 'nPost', 'conn', 'weight'])
  checkSizes(ctx, layer, p)
  const { nPre, nPost } = ctx
  const conn = p.conn
  if (conn === null || typeof conn !== 'object' || !['FixedProb', 'FromList', 'FixedPostNum', 'FixedPreNum'].includes(conn.kind)) {
    throw new SpikecsError(
      obj,
      'conn',
      conn,
      'must be a connector: FixedProb({ prob }), FixedPostNum({ num }), FixedPreNum({ num }) or FromList({ pre, post })',
    )
  }
  if (conn.kind === 'FixedPostNum' || conn.kind === 'FixedPreNum') {
    // Drawn now (a pure function of seed, name and sizes), then stored like an explicit list.
    if (p.weight === undefined)
      throw new SpikecsError(obj, 'weight', undefined, 'is required (a number, one value per synapse, or an initializer)')
    const pairs = sampleFixedNum(
      { seed: ctx.world.seed, name: ctx.name, nPre, nPost, selfOffset: ctx.selfOffset },
      `${obj} ${conn.kind}`,
      conn,
    )
    const inner = resolveCsr(ctx, obj, { ...p, conn: FromList({ pre: pairs.pre, post: pairs.post }) }, layer)
    const label = `${conn.kind}(${conn.num}${conn.includeSelf ? '' : ', no self'}${conn.allowMultiConn ? ', multi' : ''})`
    return { build: (eid) => ({ ...inner.build(eid), connector: label }) }
  }
  const w = p.weight
  const homo = typeof w === 'number'
  if (homo) checkFinite(obj, 'weight', w)
  let weightInit: NormalInit | UniformInit | null = null
  if (!homo && w !== undefined && w !== null && typeof w === 'object' && 'kind' in w) {
    weightInit = checkInitializer(obj, 'weight', w, 1) as NormalInit | UniformInit
  }

  if (conn.kind === 'FromList') {
    const cObj = `${obj} FromList`
    for (const [name, a] of [
      ['pre', conn.pre],
      ['post', conn.post],
    ] as const) {
      if (a === null || typeof a !== 'object' || typeof a.length !== 'number') {
        throw new SpikecsError(cObj, name, a, 'must be an array of neuron indices')
      }
    }
    const m = conn.pre.length
    if (conn.post.length !== m) throw new SpikecsError(cObj, 'post', conn.post, `must have as many elements as pre (${m})`)
    if (m > MAX_CSR) throw new SpikecsError(cObj, 'pre', conn.pre, `has more than ${MAX_CSR} synapses`)
    for (let k = 0; k < m; k++) {
      checkInteger(cObj, `pre[${k}]`, conn.pre[k], 0, nPre - 1)
      checkInteger(cObj, `post[${k}]`, conn.post[k], 0, nPost - 1)
    }
    const listW = conn.weight !== undefined ? checkWeightArray(cObj, 'weight', conn.weight, m) : null
    if (listW && w !== undefined) throw new SpikecsError(obj, 'weight', w, 'must be omitted when the FromList connector gives weights')
    if (!listW && w === undefined)
      throw new SpikecsError(
        obj,
        'weight',
        w,
        'is required (a number, one value per synapse, or an initializer) unless FromList gives weights',
      )
    const perW = listW ?? (!homo && weightInit === null ? checkWeightArray(obj, 'weight', w, m) : null)
    return {
      build: (eid) => {
        const { indptr, indices, order } = csrFromList(ctx.world, eid, nPre, conn.pre, conn.post)
        const weights = homo ? null : allocColumn(ctx.world, eid, 'csr.weights', 'state', m)
        if (weights && perW) for (let k = 0; k < m; k++) weights.array[order[k]] = perW[k]
        if (weights && weightInit) applyInitializer(ctx.world, ctx.name, 'weight', weightInit, weights.array)
        return {
          kind: layer,
          nPre,
          nPost,
          indptr,
          indices,
          weight: homo ? ctx.round(w as number) : NaN,
          weights,
          nSynapses: m,
          connector: 'FromList',
        }
      },
    }
  }

  // FixedProb
  const cObj = `${obj} FixedProb`
  checkProbability(cObj, 'prob', conn.prob)
  checkIncludeSelf(ctx, cObj, conn.includeSelf)
  if (!homo && weightInit === null) {
    throw new SpikecsError(obj, 'weight', w, 'must be a number or an initializer (normal/uniform) with FixedProb')
  }
  const expected = conn.fixedOutDegree ? nPre * Math.floor(nPost * conn.prob) : nPre * nPost * conn.prob
  checkCsrSize(cObj, conn.prob, expected)
  const gen = rowGenerator(ctx, cObj, conn.prob, conn.includeSelf, conn.seed, { kind: 'homo', value: 0 })
  return {
    build: (eid) => {
      const { indptr, indices, nSyn } = conn.fixedOutDegree
        ? csrFixedOutDegree(ctx.world, eid, nPre, nPost, ctx.selfOffset, gen, Math.floor(nPost * conn.prob))
        : csrFromGenerator(ctx.world, eid, nPre, ctx.selfOffset, gen)
      let weights = null
      if (!homo) {
        weights = allocColumn(ctx.world, eid, 'csr.weights', 'state', nSyn)
        applyInitializer(ctx.world, ctx.name, 'weight', weightInit as NormalInit | UniformInit, weights.array)
      }
      return {
        kind: layer,
        nPre,
        nPost,
        indptr,
        indices,
        weight: homo ? ctx.round(w as number) : NaN,
        weights,
        nSynapses: nSyn,
        connector: conn.fixedOutDegree ? 'FixedProb(fixedOutDegree)' : 'FixedProb',
        drawn: { prob: conn.prob, includeSelf: conn.includeSelf, fixedOutDegree: conn.fixedOutDegree, weight: weightInit },
      }
    },
  }
}

/**
 * `stored(layer)`: the rows of an on-the-fly layer's generator, generated now and kept as the stored layer
 * `kind` (see `stored`); `label` names the layer for export and summaries.
 */
export function resolveStoredRows(ctx: CommContext, obj: string, kind: CsrKind, gen: RowGenerator, label: string): ResolvedComm<CsrData> {
  const expected = ctx.nPre * ctx.nPost * gen.prob
  checkCsrSize(obj, gen.prob, expected)
  const w = gen.weight
  const drawn: DrawnRows = { prob: gen.prob, includeSelf: gen.includeSelf, fixedOutDegree: false, weight: w.kind === 'homo' ? null : w }
  return {
    build: (eid) => {
      const { indptr, indices, weights, nSyn } = csrFromGenerator(ctx.world, eid, ctx.nPre, ctx.selfOffset, gen)
      return {
        kind,
        nPre: ctx.nPre,
        nPost: ctx.nPost,
        indptr,
        indices,
        weight: w.kind === 'homo' ? w.value : NaN,
        weights,
        nSynapses: nSyn,
        connector: label,
        drawn,
      }
    },
  }
}

/** Stored rows: for each input, weight × value into each target of its row. */
const deliverCsr: Deliver<CsrData> = (c, idx, vals, from, to, offset, _selfOffset, targets) => {
  const ptr = c.indptr.array,
    ind = c.indices.array
  const W = c.weights === null ? null : c.weights.array
  const w = c.weight
  let events = 0
  for (let q = from; q < to; q++) {
    const i = idx[q] - offset
    events += ptr[i + 1] - ptr[i]
  }
  for (let t = 0; t < targets.length; t++) {
    const g = targets[t]
    for (let q = from; q < to; q++) {
      const i = idx[q] - offset
      const e = ptr[i + 1]
      if (W === null) {
        const wx = vals === null ? w : w * vals[q]
        for (let k = ptr[i]; k < e; k++) g[ind[k]] += wx
      } else {
        const x = vals === null ? 1 : vals[q]
        for (let k = ptr[i]; k < e; k++) g[ind[k]] += W[k] * x
      }
    }
  }
  return events
}

/** What a thread needs of stored rows (see `RangeDelivery`): the row split and the rows' columns. */
interface CsrRange {
  /** (T+1) × nPre: thread t's part of row i is [S[t·nPre + i], S[(t+1)·nPre + i]). */
  readonly S: Int32Array
  readonly nPre: number
  readonly ind: Int32Array
  readonly W: FloatArray | null
  readonly w: number
}

/**
 * Splits every row by the threads' post ranges: a row's targets are ascending, so thread t's part of it is
 * one run, found by binary search. Kept with the world (kernel scratch), computed once per projection and
 * partition: stored rows never change shape.
 */
function csrSplit(world: World, c: CsrData, bounds: readonly number[]): Column<Int32Array> {
  const key = `threads:split:${c.indptr.owner}:${bounds.join(',')}`
  const cached = world.caches.get(key) as Column<Int32Array> | undefined
  if (cached !== undefined) return cached
  const T = bounds.length - 1,
    nPre = c.nPre
  const col = allocColumn(world, 0, `threads.split.${c.indptr.owner}`, 'i32', (T + 1) * nPre)
  const S = col.array,
    ptr = c.indptr.array,
    ind = c.indices.array
  for (let i = 0; i < nPre; i++) {
    const a = ptr[i],
      b = ptr[i + 1]
    for (let k = a + 1; k < b; k++) {
      if (ind[k] <= ind[k - 1]) throw new Error(`stored rows: row ${i} is not ascending`)
    }
    S[i] = a
    for (let t = 1; t < T; t++) {
      let lo = S[(t - 1) * nPre + i],
        hi = b
      while (lo < hi) {
        const m = (lo + hi) >>> 1
        if (ind[m] < bounds[t]) lo = m + 1
        else hi = m
      }
      S[t * nPre + i] = lo
    }
    S[T * nPre + i] = b
  }
  world.caches.set(key, col)
  return col
}

const csrRange: RangeDelivery<CsrData> = {
  prepare: (world, c, _selfOffset, bounds) => ({
    S: colRef(csrSplit(world, c, bounds)),
    nPre: c.nPre,
    ind: colRef(c.indices),
    W: c.weights === null ? null : colRef(c.weights),
    w: c.weight,
  }),
  deliver: ((r: CsrRange, idx, vals, n, t, _lo, _hi, targets) => {
    const S = r.S,
      a = t * r.nPre,
      b = a + r.nPre,
      ind = r.ind,
      W = r.W,
      w = r.w
    let events = 0
    for (let q = 0; q < n; q++) events += S[b + idx[q]] - S[a + idx[q]]
    for (let tc = 0; tc < targets.length; tc++) {
      const g = targets[tc]
      for (let q = 0; q < n; q++) {
        const i = idx[q]
        const e = S[b + i]
        if (W === null) {
          const wx = vals === null ? w : w * vals[q]
          for (let k = S[a + i]; k < e; k++) g[ind[k]] += wx
        } else {
          const x = vals === null ? 1 : vals[q]
          for (let k = S[a + i]; k < e; k++) g[ind[k]] += W[k] * x
        }
      }
    }
    return events
  }) as RangeDeliver,
  wasmRange: ((r: CsrRange, ex, idx, n, t, targets) => {
    const S = r.S,
      a = t * r.nPre,
      b = a + r.nPre
    let events = 0
    for (let q = 0; q < n; q++) events += S[b + idx[q]] - S[a + idx[q]]
    const lo = S.byteOffset + 4 * a,
      hi = S.byteOffset + 4 * b,
      ind = r.ind.byteOffset,
      stage = idx.byteOffset
    for (let k = 0; k < targets.length; k++) {
      if (r.W === null) ex.csr_homo_range(lo, hi, ind, stage, n, targets[k], r.w)
      else ex.csr_weights_range(lo, hi, ind, r.W.byteOffset, stage, n, targets[k])
    }
    return events
  }) as RangeDelivery<CsrData>['wasmRange'],
}

/** The random law of rows that remember how they were drawn; null for explicit lists. */
function drawnLaw(c: CsrData): DrawnLaw | null {
  const d = c.drawn
  if (d === undefined || d === null) return null
  return {
    prob: d.prob,
    includeSelf: d.includeSelf,
    fixedOutDegree: d.fixedOutDegree,
    weight: d.weight ?? { kind: 'homo', value: c.weight },
  }
}

function csrLayer<K extends CsrKind>(kind: K, event: boolean): CommLayer<CsrData<K>, CsrParams, number | Float64Array> {
  return {
    kind,
    event,
    resolve: (ctx, obj, p) => resolveCsr(ctx, obj, p, kind),
    deliver: deliverCsr,
    synapses: (c) => ({ n: c.nSynapses, exact: true }),
    weights: scaleOneOrMany,
    describe: (_world, c) =>
      !event
        ? { kind: 'none', reason: 'has no PyNN equivalent (non-event layer)' }
        : {
            kind: 'lists',
            law: drawnLaw(c),
            synapses: () =>
              listsFromRows(
                c.indptr.array,
                c.indices.array.subarray(0, c.nSynapses),
                c.weights === null ? null : c.weights.array.subarray(0, c.nSynapses),
                c.weight,
              ),
          },
    wasm: event ? (world, c, _selfOffset, targets) => csrWasm(world, c, targets) : undefined,
    range: event ? csrRange : { ...csrRange, wasmRange: undefined },
  }
}

export const eventCsr = csrLayer('EventCSRLinear', true)
export const csr = csrLayer('CSRLinear', false)
