/**
 * Comm layers (BrainPy's `bp.dnn` names): they map a tick's presynaptic spikes to post-sized increments,
 * event-driven. Descriptors are plain values; `resolveComm` validates one against the projection it is
 * used in and builds its data (connectivity tables, CSR arrays) once.
 *
 * - `EventJitFPHomoLinear({ prob, weight })`: on-the-fly Bernoulli(p) connectivity, nothing stored.
 * - `stored(layer)`: any on-the-fly layer materialised as stored CSR rows, generated once by the same row
 *   generator: the same targets and weights, so the same network (one matrix per seed and projection name).
 * - `EventCSRLinear({ conn, weight })`: stored CSR rows from a connector: `FixedProb` (Bernoulli per pair by
 *   default, the homogeneous on-the-fly matrix for one seed; a weight initializer draws the weights from a
 *   stream of its own; `fixedOutDegree: true` gives BrainPy's int(nPost·p) distinct targets per row) or
 *   `FromList` (explicit pre, post[, weight] arrays).
 * - `One2One({ weight })`, `All2All({ weight, includeSelf })`: O(N) kernels, nothing stored.
 * - `Linear({ W })`: dense nPre × nPost weights.
 * - Non-event forms (BrainPy's `JitFPHomoLinear`, `JitFPUniformLinear`, `JitFPNormalLinear`, `CSRLinear`): the
 *   same matrices as their event forms for one seed and name, but each synapse adds weight × the presynaptic
 *   value (`comm/graded.ts`): 1 for each spike of a population or spike buffer, the pushed value for a value
 *   buffer (`addValueBuffer`).
 * - Connectors `FixedPostNum`, `FixedPreNum` (`comm/fixed-num.ts`): exact out- or in-degrees, stored as CSR.
 */
import {
  SpikecsError, allocColumn, checkFinite, checkInteger, checkKnownKeys, checkObject, checkProbability,
  entityKey, rowKeys, type CommData, type FloatArray, type RowGenerator, type World,
} from '@spikecs/ecs-core'
import { applyInitializer, checkInitializer, type NormalInit, type UniformInit } from '../init.js'
import { buildGapTable, generateRow } from './rows.js'
import { sampleDistinct, sampleFixedNum, type FixedNumConnector } from './fixed-num.js'

// ---------------------------------------------------------------------------------------------------------
// Descriptors

interface SizeHints {
  /** Expected presynaptic size (checked against the projection's source). */
  nPre?: number
  /** Expected postsynaptic size (checked against the post population). */
  nPost?: number
}

export interface JitParams extends SizeHints {
  /** Connection probability of each (pre, post) pair. */
  prob: number
  /**
   * Allow the pair of a neuron with itself (default true). `false` needs the spikes to come from the post
   * population through its queue (pre = post, or a half projection reading a slice of post); refused otherwise.
   */
  includeSelf?: boolean
  /** Replaces the world seed for this projection's connectivity. */
  seed?: number
}

export type CommDesc =
  | { readonly kind: 'EventJitFPHomoLinear'; readonly p: JitParams & { weight: number } }
  | { readonly kind: 'EventJitFPUniformLinear'; readonly p: JitParams & { wLow: number; wHigh: number } }
  | { readonly kind: 'EventJitFPNormalLinear'; readonly p: JitParams & { wMu: number; wSigma: number } }
  | { readonly kind: 'EventCSRLinear'; readonly p: SizeHints & { conn: Connector; weight?: number | ArrayLike<number> | NormalInit | UniformInit } }
  | { readonly kind: 'One2One'; readonly p: SizeHints & { weight: number | ArrayLike<number> } }
  | { readonly kind: 'All2All'; readonly p: SizeHints & { weight: number; includeSelf?: boolean } }
  | { readonly kind: 'Linear'; readonly p: SizeHints & { W: ArrayLike<number> | ArrayLike<ArrayLike<number>> } }
  | { readonly kind: 'JitFPHomoLinear'; readonly p: JitParams & { weight: number } }
  | { readonly kind: 'JitFPUniformLinear'; readonly p: JitParams & { wLow: number; wHigh: number } }
  | { readonly kind: 'JitFPNormalLinear'; readonly p: JitParams & { wMu: number; wSigma: number } }
  | { readonly kind: 'CSRLinear'; readonly p: SizeHints & { conn: Connector; weight?: number | ArrayLike<number> | NormalInit | UniformInit } }
  | { readonly kind: 'stored'; readonly p: { readonly layer: JitCommDesc } }

/** The on-the-fly layers (event and non-event), the ones `stored` materialises. */
export type JitCommDesc = Extract<CommDesc, { p: JitParams }>

const JIT_KINDS: readonly string[] = [
  'EventJitFPHomoLinear', 'EventJitFPUniformLinear', 'EventJitFPNormalLinear', 'JitFPHomoLinear', 'JitFPUniformLinear', 'JitFPNormalLinear',
]

export type Connector =
  | { readonly kind: 'FixedProb'; readonly prob: number; readonly includeSelf: boolean; readonly fixedOutDegree: boolean; readonly seed: number | undefined }
  | { readonly kind: 'FromList'; readonly pre: ArrayLike<number>; readonly post: ArrayLike<number>; readonly weight: ArrayLike<number> | undefined }
  | FixedNumConnector

/** Event-driven on-the-fly connectivity with one weight (BrainPy `EventJitFPHomoLinear`). */
export function EventJitFPHomoLinear(p: JitParams & { weight: number }): JitCommDesc {
  return { kind: 'EventJitFPHomoLinear', p }
}
/** On-the-fly connectivity with Uniform(wLow, wHigh) weights drawn from the row's stream. */
export function EventJitFPUniformLinear(p: JitParams & { wLow: number; wHigh: number }): JitCommDesc {
  return { kind: 'EventJitFPUniformLinear', p }
}
/** On-the-fly connectivity with Normal(wMu, wSigma) weights drawn from the row's stream. */
export function EventJitFPNormalLinear(p: JitParams & { wMu: number; wSigma: number }): JitCommDesc {
  return { kind: 'EventJitFPNormalLinear', p }
}
/**
 * Event-driven stored (CSR) connectivity (BrainPy `EventCSRLinear`), from a connector. With `FixedProb`
 * (Bernoulli) and one weight, its rows are the matrix of `EventJitFPHomoLinear` for the same seed and
 * projection name. With a weight initializer (`uniform`, `normal`, or one value per synapse) it keeps its own
 * law: the targets are those homogeneous rows and the weights come from an initializer stream of their own,
 * so it is not the matrix of `EventJitFPUniformLinear`/`EventJitFPNormalLinear` — `stored(…)` of those is.
 * `FixedProb({ fixedOutDegree: true })` (BrainPy's fixed out-degree) has no on-the-fly twin.
 */
export function EventCSRLinear(p: SizeHints & { conn: Connector; weight?: number | ArrayLike<number> | NormalInit | UniformInit }): CommDesc {
  return { kind: 'EventCSRLinear', p }
}
/** Pre i → post i (BrainPy `OneToOne`). */
export function One2One(p: SizeHints & { weight: number | ArrayLike<number> }): CommDesc {
  return { kind: 'One2One', p }
}
/** Every pre → every post with one weight (BrainPy `AllToAll`). */
export function All2All(p: SizeHints & { weight: number; includeSelf?: boolean }): CommDesc {
  return { kind: 'All2All', p }
}
/** Dense weights, row-major W[pre][post] (a flat array of nPre·nPost or an array of rows). */
export function Linear(p: SizeHints & { W: ArrayLike<number> | ArrayLike<ArrayLike<number>> }): CommDesc {
  return { kind: 'Linear', p }
}
/** Non-event on-the-fly connectivity with one weight (BrainPy `JitFPHomoLinear`): adds weight × input value. */
export function JitFPHomoLinear(p: JitParams & { weight: number }): JitCommDesc {
  return { kind: 'JitFPHomoLinear', p }
}
/** Non-event on-the-fly connectivity with Uniform(wLow, wHigh) weights (BrainPy `JitFPUniformLinear`). */
export function JitFPUniformLinear(p: JitParams & { wLow: number; wHigh: number }): JitCommDesc {
  return { kind: 'JitFPUniformLinear', p }
}
/** Non-event on-the-fly connectivity with Normal(wMu, wSigma) weights (BrainPy `JitFPNormalLinear`). */
export function JitFPNormalLinear(p: JitParams & { wMu: number; wSigma: number }): JitCommDesc {
  return { kind: 'JitFPNormalLinear', p }
}
/**
 * Non-event stored (CSR) connectivity (BrainPy `CSRLinear`): adds weight × input value. Its rows and weights
 * are drawn as `EventCSRLinear`'s (see there); `stored(JitFP…)` is the stored form of a non-event on-the-fly layer.
 */
export function CSRLinear(p: SizeHints & { conn: Connector; weight?: number | ArrayLike<number> | NormalInit | UniformInit }): CommDesc {
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
export function stored(layer: JitCommDesc): CommDesc {
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

// ---------------------------------------------------------------------------------------------------------
// Resolution

/** What a comm layer needs to know about the projection it is built for. */
export interface CommContext {
  readonly world: World
  /** `projection 'NAME'`, for messages. */
  readonly object: string
  /** Projection name (keys the random streams). */
  readonly name: string
  readonly nPre: number
  readonly nPost: number
  /** Offset added to a pre index to compare it with post indices when pre and post are one population; −1 otherwise. */
  readonly selfOffset: number
  /** Rounds a weight to the state dtype. */
  readonly round: (x: number) => number
}

function checkSizes(ctx: CommContext, layer: string, p: SizeHints): void {
  const obj = `${ctx.object} comm ${layer}`
  if (p.nPre !== undefined && p.nPre !== ctx.nPre) {
    throw new SpikecsError(obj, 'nPre', p.nPre, `does not match the projection's presynaptic size (${ctx.nPre})`)
  }
  if (p.nPost !== undefined && p.nPost !== ctx.nPost) {
    throw new SpikecsError(obj, 'nPost', p.nPost, `does not match the post population size (${ctx.nPost})`)
  }
}

function rowGenerator(ctx: CommContext, obj: string, prob: number, includeSelf: boolean, seed: number | undefined,
  weight: RowGenerator['weight']): RowGenerator {
  checkProbability(obj, 'prob', prob)
  if (seed !== undefined) checkInteger(obj, 'seed', seed, 0, 0xffffffff)
  const cacheKey = `gaps:${prob}:${ctx.nPost}`
  let gaps = ctx.world.caches.get(cacheKey) as RowGenerator['gaps'] | undefined
  if (gaps === undefined) {
    gaps = buildGapTable(prob, ctx.nPost)
    ctx.world.caches.set(cacheKey, gaps)
  }
  return { key: entityKey(seed ?? ctx.world.seed, `conn:${ctx.name}`), prob, nPost: ctx.nPost, gaps, weight, includeSelf }
}

/** Validates an on-the-fly layer and returns its row generator. */
function resolveJit(ctx: CommContext, obj: string, desc: JitCommDesc): RowGenerator {
  const p = desc.p as unknown as JitParams & Record<string, number>
  const law = desc.kind.endsWith('HomoLinear') ? 'homo' : desc.kind.endsWith('UniformLinear') ? 'uniform' : 'normal'
  const wKeys = law === 'homo' ? ['weight'] : law === 'uniform' ? ['wLow', 'wHigh'] : ['wMu', 'wSigma']
  checkKnownKeys(obj, p, ['nPre', 'nPost', 'prob', 'includeSelf', 'seed', ...wKeys])
  checkSizes(ctx, desc.kind, p)
  for (const k of wKeys) checkFinite(obj, k, p[k])
  let weight: RowGenerator['weight']
  if (law === 'homo') weight = { kind: 'homo', value: ctx.round(p.weight) }
  else if (law === 'uniform') {
    if (!(p.wHigh >= p.wLow)) throw new SpikecsError(obj, 'wHigh', p.wHigh, `must be >= wLow (${p.wLow})`)
    weight = { kind: 'uniform', low: p.wLow, high: p.wHigh }
  } else {
    if (!(p.wSigma >= 0)) throw new SpikecsError(obj, 'wSigma', p.wSigma, 'must be >= 0')
    weight = { kind: 'normal', mean: p.wMu, std: p.wSigma }
  }
  return rowGenerator(ctx, obj, p.prob, checkIncludeSelf(ctx, obj, p.includeSelf), p.seed, weight)
}

/**
 * `includeSelf` (default true) of a layer or connector. Excluding the (i, i) pair means something only when
 * the spikes come from the post population itself, read through its queue (a full projection with pre = post,
 * or a half projection reading a slice of post: neuron i of the slice is post i + offset); between two
 * populations, or from a spike or value buffer, `false` is refused.
 */
function checkIncludeSelf(ctx: CommContext, obj: string, includeSelf: unknown): boolean {
  if (includeSelf === undefined) return true
  if (typeof includeSelf !== 'boolean') throw new SpikecsError(obj, 'includeSelf', includeSelf, 'must be a boolean')
  if (!includeSelf && ctx.selfOffset < 0) {
    throw new SpikecsError(obj, 'includeSelf', false, 'needs pre and post to be the same population')
  }
  return includeSelf
}

/** `stored(layer)`: the on-the-fly layer's rows, generated now and kept as CSR (see `stored`). */
function resolveStored(ctx: CommContext, layer: JitCommDesc): ResolvedComm {
  const kind = layer !== null && typeof layer === 'object' ? (layer as { kind?: unknown }).kind : undefined
  if (typeof kind !== 'string' || !JIT_KINDS.includes(kind)) {
    throw new SpikecsError(`${ctx.object} comm stored`, 'layer', kind ?? layer,
      `must be an on-the-fly layer (${JIT_KINDS.join(', ')})`)
  }
  const obj = `${ctx.object} comm stored(${kind})`
  const gen = resolveJit(ctx, obj, layer)
  const expected = ctx.nPre * ctx.nPost * gen.prob
  checkCsrSize(obj, gen.prob, expected)
  const event = kind.startsWith('Event')
  const w = gen.weight
  const drawn = { prob: gen.prob, includeSelf: gen.includeSelf, fixedOutDegree: false, weight: w.kind === 'homo' ? null : w }
  return {
    kind: event ? 'EventCSRLinear' : 'CSRLinear', expectedSynapses: expected,
    build: (eid) => {
      const { indptr, indices, weights, nSyn } = buildRows(ctx, eid, gen)
      return {
        kind: event ? 'EventCSRLinear' : 'CSRLinear', nPre: ctx.nPre, nPost: ctx.nPost, indptr, indices,
        weight: w.kind === 'homo' ? w.value : NaN, weights, nSynapses: nSyn, connector: `stored(${kind})`, drawn,
      }
    },
  }
}

/**
 * A validated comm layer, not yet built: `build(eid)` allocates its columns for the projection entity `eid`.
 * Validation never touches the world, so a refused projection leaves it unchanged.
 */
export interface ResolvedComm {
  readonly kind: CommData['kind']
  /** Expected number of synapses (exact for stored layers). */
  readonly expectedSynapses: number
  build(eid: number): CommData
}

export function resolveComm(ctx: CommContext, desc: CommDesc): ResolvedComm {
  if (desc === null || typeof desc !== 'object' || typeof (desc as { kind?: unknown }).kind !== 'string') {
    throw new SpikecsError(ctx.object, 'comm', desc, 'must be a comm layer such as EventJitFPHomoLinear({ prob, weight })')
  }
  const obj = `${ctx.object} comm ${desc.kind}`
  const { nPre, nPost } = ctx
  switch (desc.kind) {
    case 'EventJitFPHomoLinear':
    case 'EventJitFPUniformLinear':
    case 'EventJitFPNormalLinear':
    case 'JitFPHomoLinear':
    case 'JitFPUniformLinear':
    case 'JitFPNormalLinear': {
      const gen = resolveJit(ctx, obj, desc)
      const kind = desc.kind
      return { kind, expectedSynapses: nPre * nPost * gen.prob, build: () => ({ kind, nPre, nPost, gen }) }
    }
    case 'stored':
      return resolveStored(ctx, desc.p.layer)
    case 'EventCSRLinear':
      return resolveCsr(ctx, obj, desc.p)
    case 'CSRLinear': {
      const inner = resolveCsr(ctx, obj, desc.p, 'CSRLinear')
      return {
        kind: 'CSRLinear', expectedSynapses: inner.expectedSynapses,
        build: (eid) => ({ ...(inner.build(eid) as Extract<CommData, { kind: 'EventCSRLinear' }>), kind: 'CSRLinear' }),
      }
    }
    case 'One2One': {
      const p = desc.p
      checkKnownKeys(obj, p, ['nPre', 'nPost', 'weight'])
      checkSizes(ctx, 'One2One', p)
      if (nPre !== nPost) throw new SpikecsError(obj, 'nPre', nPre, `must equal nPost (${nPost}) for one-to-one connectivity`)
      const w = p.weight
      if (typeof w === 'number') {
        checkFinite(obj, 'weight', w)
        return { kind: 'One2One', expectedSynapses: nPre, build: () => ({ kind: 'One2One', nPre, nPost, weight: ctx.round(w), weights: null }) }
      }
      const arr = checkWeightArray(obj, 'weight', w, nPre)
      return {
        kind: 'One2One', expectedSynapses: nPre,
        build: (eid) => {
          const col = allocColumn(ctx.world, eid, 'weights', 'state', nPre)
          col.array.set(arr)
          return { kind: 'One2One', nPre, nPost, weight: NaN, weights: col }
        },
      }
    }
    case 'All2All': {
      const p = desc.p
      checkKnownKeys(obj, p, ['nPre', 'nPost', 'weight', 'includeSelf'])
      checkSizes(ctx, 'All2All', p)
      checkFinite(obj, 'weight', p.weight)
      const includeSelf = checkIncludeSelf(ctx, obj, p.includeSelf)
      const w = ctx.round(p.weight)
      return {
        kind: 'All2All', expectedSynapses: nPre * nPost - (includeSelf ? 0 : nPre),
        build: () => ({ kind: 'All2All', nPre, nPost, weight: w, includeSelf }),
      }
    }
    case 'Linear': {
      const p = desc.p
      checkKnownKeys(obj, p, ['nPre', 'nPost', 'W'])
      checkSizes(ctx, 'Linear', p)
      const flat = flattenMatrix(obj, p.W, nPre, nPost)
      return {
        kind: 'Linear', expectedSynapses: nPre * nPost,
        build: (eid) => {
          const col = allocColumn(ctx.world, eid, 'W', 'state', nPre * nPost)
          col.array.set(flat)
          return { kind: 'Linear', nPre, nPost, W: col }
        },
      }
    }
    default:
      throw new SpikecsError(ctx.object, 'comm', (desc as { kind: string }).kind,
        'is not a comm layer (known: EventJitFPHomoLinear, EventJitFPUniformLinear, EventJitFPNormalLinear, EventCSRLinear, One2One, All2All, Linear, JitFPHomoLinear, JitFPUniformLinear, JitFPNormalLinear, CSRLinear, stored(…))')
  }
}

function checkWeightArray(obj: string, name: string, w: unknown, n: number): ArrayLike<number> {
  if (w === null || typeof w !== 'object' || typeof (w as ArrayLike<number>).length !== 'number') {
    throw new SpikecsError(obj, name, w, 'must be a number or an array of numbers')
  }
  const arr = w as ArrayLike<number>
  if (arr.length !== n) throw new SpikecsError(obj, name, w, `must have ${n} elements (one per synapse)`)
  for (let i = 0; i < n; i++) checkFinite(obj, `${name}[${i}]`, arr[i])
  return arr
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

const MAX_CSR = 2 ** 31 - 1

function resolveCsr(ctx: CommContext, obj: string,
  p: SizeHints & { conn: Connector; weight?: number | ArrayLike<number> | NormalInit | UniformInit },
  layer: 'EventCSRLinear' | 'CSRLinear' = 'EventCSRLinear'): ResolvedComm {
  checkKnownKeys(obj, p, ['nPre', 'nPost', 'conn', 'weight'])
  checkSizes(ctx, layer, p)
  const { nPre, nPost } = ctx
  const conn = p.conn
  if (conn === null || typeof conn !== 'object' || !['FixedProb', 'FromList', 'FixedPostNum', 'FixedPreNum'].includes(conn.kind)) {
    throw new SpikecsError(obj, 'conn', conn, 'must be a connector: FixedProb({ prob }), FixedPostNum({ num }), FixedPreNum({ num }) or FromList({ pre, post })')
  }
  if (conn.kind === 'FixedPostNum' || conn.kind === 'FixedPreNum') {
    // Drawn now (a pure function of seed, name and sizes), then stored like an explicit list.
    if (p.weight === undefined) throw new SpikecsError(obj, 'weight', undefined, 'is required (a number, one value per synapse, or an initializer)')
    const pairs = sampleFixedNum({ seed: ctx.world.seed, name: ctx.name, nPre, nPost, selfOffset: ctx.selfOffset }, `${obj} ${conn.kind}`, conn)
    const inner = resolveCsr(ctx, obj, { ...p, conn: FromList({ pre: pairs.pre, post: pairs.post }) }, layer)
    const label = `${conn.kind}(${conn.num}${conn.includeSelf ? '' : ', no self'}${conn.allowMultiConn ? ', multi' : ''})`
    return { ...inner, build: (eid) => ({ ...inner.build(eid), connector: label }) as CommData }
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
    for (const [name, a] of [['pre', conn.pre], ['post', conn.post]] as const) {
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
    if (!listW && w === undefined) throw new SpikecsError(obj, 'weight', w, 'is required (a number, one value per synapse, or an initializer) unless FromList gives weights')
    const arrW = !homo && weightInit === null && !listW ? checkWeightArray(obj, 'weight', w, m) : null
    return {
      kind: 'EventCSRLinear', expectedSynapses: m,
      build: (eid) => {
        // Stable counting sort by pre: within a row, synapses keep the order of the list.
        const counts = new Int32Array(nPre + 1)
        for (let k = 0; k < m; k++) counts[conn.pre[k] + 1]++
        for (let i = 0; i < nPre; i++) counts[i + 1] += counts[i]
        const indptr = allocColumn(ctx.world, eid, 'csr.indptr', 'i32', nPre + 1)
        indptr.array.set(counts)
        const indices = allocColumn(ctx.world, eid, 'csr.indices', 'i32', m)
        const perW = listW ?? arrW
        const weights = homo ? null : allocColumn(ctx.world, eid, 'csr.weights', 'state', m)
        const fill = counts.slice(0, nPre)
        for (let k = 0; k < m; k++) {
          const q = fill[conn.pre[k]]++
          indices.array[q] = conn.post[k]
          if (weights && perW) weights.array[q] = perW[k]
        }
        if (weights && weightInit) applyInitializer(ctx.world, ctx.name, 'weight', weightInit, weights.array)
        return {
          kind: 'EventCSRLinear', nPre, nPost, indptr, indices, weight: homo ? ctx.round(w as number) : NaN,
          weights, nSynapses: m, connector: 'FromList',
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
    kind: 'EventCSRLinear', expectedSynapses: expected,
    build: (eid) => {
      const { indptr, indices, nSyn } = conn.fixedOutDegree
        ? buildFixedOutDegree(ctx, eid, gen, Math.floor(nPost * conn.prob))
        : buildRows(ctx, eid, gen)
      let weights = null
      if (!homo) {
        weights = allocColumn(ctx.world, eid, 'csr.weights', 'state', nSyn)
        applyInitializer(ctx.world, ctx.name, 'weight', weightInit as NormalInit | UniformInit, weights.array)
      }
      return {
        kind: 'EventCSRLinear', nPre, nPost, indptr, indices, weight: homo ? ctx.round(w as number) : NaN, weights,
        nSynapses: nSyn, connector: conn.fixedOutDegree ? 'FixedProb(fixedOutDegree)' : 'FixedProb',
        drawn: { prob: conn.prob, includeSelf: conn.includeSelf, fixedOutDegree: conn.fixedOutDegree, weight: weightInit },
      }
    },
  }
}

function checkCsrSize(obj: string, prob: number, expected: number): void {
  if (expected > MAX_CSR * 0.9) {
    throw new SpikecsError(obj, 'prob', prob,
      `would store about ${Math.round(expected)} synapses, more than CSR holds (${MAX_CSR}); use EventJitFPHomoLinear`)
  }
}

/**
 * CSR rows from the on-the-fly row generator: the matrix of the on-the-fly layer with this generator, and
 * for a weight distribution its weights, which `generateRow` rounds by storing them in an array of the state
 * dtype (as the on-the-fly kernels' row scratch does).
 */
function buildRows(ctx: CommContext, eid: number, gen: RowGenerator) {
  const { nPre, nPost } = ctx
  const mean = nPre * nPost * gen.prob
  let cap = Math.ceil(mean + 6 * Math.sqrt(mean) + 16)
  let buf = new Int32Array(cap)
  const drawsWeights = gen.weight.kind !== 'homo'
  let wBuf = drawsWeights ? new Float64Array(cap) : null
  const row = new Int32Array(nPost)
  const rowW = !drawsWeights ? null : ctx.world.dtype === 'float32' ? new Float32Array(nPost) : new Float64Array(nPost)
  const keys = new Uint32Array(2)
  const indptr = allocColumn(ctx.world, eid, 'csr.indptr', 'i32', nPre + 1)
  let nSyn = 0
  for (let i = 0; i < nPre; i++) {
    const n = generateRow(gen, i, ctx.selfOffset < 0 ? -1 : i + ctx.selfOffset, row, rowW, keys)
    if (nSyn + n > cap) {
      cap = Math.max(nSyn + n, Math.ceil(cap * 1.5))
      const next = new Int32Array(cap)
      next.set(buf.subarray(0, nSyn))
      buf = next
      if (wBuf !== null) {
        const nextW = new Float64Array(cap)
        nextW.set(wBuf.subarray(0, nSyn))
        wBuf = nextW
      }
    }
    buf.set(row.subarray(0, n), nSyn)
    if (wBuf !== null && rowW !== null) wBuf.set(rowW.subarray(0, n), nSyn)
    nSyn += n
    indptr.array[i + 1] = nSyn
  }
  const indices = allocColumn(ctx.world, eid, 'csr.indices', 'i32', nSyn)
  indices.array.set(buf.subarray(0, nSyn))
  let weights = null
  if (wBuf !== null) {
    weights = allocColumn(ctx.world, eid, 'csr.weights', 'state', nSyn)
    weights.array.set(wBuf.subarray(0, nSyn))
  }
  return { indptr, indices, weights, nSyn }
}

/**
 * BrainPy's fixed out-degree: each row draws k distinct targets (Floyd's algorithm on the row's counter
 * stream), sorted; the self pair is then dropped when excluded (so those rows have k − 1).
 */
function buildFixedOutDegree(ctx: CommContext, eid: number, gen: RowGenerator, k: number) {
  const { nPre, nPost } = ctx
  const indptr = allocColumn(ctx.world, eid, 'csr.indptr', 'i32', nPre + 1)
  const buf = new Int32Array(nPre * k)
  const keys = new Uint32Array(2)
  const chosen = new Set<number>()
  const row: number[] = []
  let nSyn = 0
  for (let i = 0; i < nPre; i++) {
    rowKeys(gen.key, i, keys)
    sampleDistinct(keys[0], keys[1], nPost, k, chosen, row)
    const self = ctx.selfOffset < 0 || gen.includeSelf ? -1 : i + ctx.selfOffset
    for (const t of row) if (t !== self) buf[nSyn++] = t
    indptr.array[i + 1] = nSyn
  }
  const indices = allocColumn(ctx.world, eid, 'csr.indices', 'i32', nSyn)
  indices.array.set(buf.subarray(0, nSyn))
  return { indptr, indices, nSyn }
}

/** Scratch a comm layer needs per tick (allocated with the plan). */
export function needsRowScratch(c: CommData): boolean {
  return 'gen' in c
}

export type { FloatArray }
