/**
 * On-the-fly fixed-probability connectivity: the targets of presynaptic neuron i are regenerated at every
 * spike from a counter-based stream keyed by (projection key, i), so every (pre, post) pair is connected
 * independently with probability p and no synapse is ever stored. CSR connectivity made with the same
 * projection name and seed walks the same rows, so the two are the same matrix.
 *
 * Gaps by geometric skipping, two exact methods chosen by the size of the table the first one needs:
 * - table (up to 16384 thresholds): for a uniform 32-bit integer r, the gap to the next target is the number
 *   of g ≥ 1 with r < T_g, T_g = floor(2^32·(1−p)^g), i.e. P(gap ≥ g) = T_g / 2^32, which is (1−p)^g to within
 *   2^−32. T is tabulated once per (p, nPost) (only gaps below nPost matter: a larger one ends the row); a
 *   table over the top bits of r gives the gap directly in most bins and a short binary search in the others.
 * - log (small p, where the table would not stay in cache): gap = floor(ln(u) / ln(1−p)) with u = (r+1)/2^32
 *   and ln computed in double precision by `lnUniform` (a 256-entry table and a short series, error below
 *   10^−15), so the gap CDF is exact to about 10^−15 — far below float32 precision (2^−24).
 * Both depend only on (p, nPost, r), and the WebAssembly kernels perform the same operations.
 */
import { checkInteger, checkProbability, counterI32, entityKey, rowKeys, type FloatArray, type World } from '@spikecs/ecs-core'

/** Row generator of on-the-fly fixed-probability connectivity (the data of the on-the-fly layers). */
export interface RowGenerator {
  /** Projection key: rows depend only on (world seed, projection name, pre index). */
  readonly key: number
  readonly prob: number
  readonly nPost: number
  /** Geometric gap sampler tables (shared by generators with equal prob and nPost). */
  readonly gaps: GapTable
  /** Weight distribution drawn from the same stream as the targets. */
  readonly weight: RowWeight
  /** Allow the (i, i) pair (only meaningful when pre and post are the same population). */
  readonly includeSelf: boolean
}

/** The weight of each generated synapse: one value, or a law drawn from the row's stream after each target. */
export type RowWeight =
  | { readonly kind: 'homo'; readonly value: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly std: number }

/**
 * The geometric gap sampler of on-the-fly rows. `table`: integer thresholds (exact to 2^−32 on the CDF, no
 * logarithm per draw), used while the table is small enough to stay in cache; `log`: the inverse CDF with a
 * double-precision logarithm of the project's own (same operations in TypeScript and WebAssembly).
 */
export interface GapTable {
  readonly prob: number
  readonly mode: 'table' | 'log'
  /** 1 / ln(1 − p) (log mode). */
  readonly invLog1mp: number
  /** Largest gap returned: the table length (table mode) or nPost (log mode). */
  readonly cap: number
  /** thresholds[g−1] = floor(2^32 (1−p)^g): gap ≥ g ⟺ r < thresholds[g−1] for a uniform 32-bit r. */
  readonly thresholds: Uint32Array
  /** Bits of r used to index the bins. */
  readonly binBits: number
  /** Smallest and largest gap of each bin of r. */
  readonly binLo: Uint32Array
  readonly binHi: Uint32Array
}

const TWO32 = 4294967296

/** Most thresholds of a table-mode sampler (64 KiB): beyond it the log mode is used. */
export const GAP_TABLE_MAX = 16384

const LN2 = Math.LN2

/**
 * Tables of the logarithm below, interleaved: for f0 = 1 + (k + 0.5)/256, entry 2k is ln f0 and 2k + 1 is
 * 1/f0 (k = 0…255, 4 KiB). Computed once with Math.log; the WebAssembly kernels read a copy.
 */
export const LN_TABLE: Float64Array = (() => {
  const t = new Float64Array(512)
  for (let k = 0; k < 256; k++) {
    const f0 = 1 + (k + 0.5) / 256
    t[2 * k] = Math.log(f0)
    t[2 * k + 1] = 1 / f0
  }
  return t
})()

/**
 * ln((r + 1) / 2^32) for an unsigned 32-bit r, in double precision without a division: r + 1 = 2^e·f with f
 * in [1, 2); f = f0·(1 + x) with f0 the centre of f's 1/256 interval (ln f0 and 1/f0 tabulated) and
 * |x| ≤ 2^−9; ln(1 + x) by its series to x^5 (next term below 10^−17). Every step is a correctly rounded
 * IEEE double operation, so the WebAssembly kernels reproduce it exactly.
 */
export function lnUniform(r: number): number {
  return lnUniformI(r | 0)
}

/** {@link lnUniform} of the draw in its signed 32-bit form (the form that crosses calls unboxed). */
function lnUniformI(d: number): number {
  if (d === -1) return 0
  const m = (d >>> 0) + 1
  const e = 31 - Math.clz32(m)
  const f = m * 2 ** -e
  const k = Math.floor((f - 1) * 256)
  const x = f * LN_TABLE[2 * k + 1] - 1
  const l = LN_TABLE[2 * k] + x * (1 + x * (-0.5 + x * (C3 + x * (-0.25 + x * 0.2))))
  return (e - 32) * LN2 + l
}
const C3 = 1 / 3

/** Builds the gap sampler for probability p and rows of nPost targets. */
export function buildGapTable(prob: number, nPost: number): GapTable {
  const logq = Math.log1p(-prob) // −∞ for p = 1
  // Thresholds T_g > 0 exist for g < 32·ln 2 / −ln(1 − p): past GAP_TABLE_MAX of them, the log mode.
  const tableLength = prob < 1 ? Math.min(nPost, Math.ceil((32 * LN2) / -logq)) : 0
  if (tableLength > GAP_TABLE_MAX) {
    return {
      prob,
      mode: 'log',
      invLog1mp: 1 / logq,
      cap: nPost,
      thresholds: new Uint32Array(0),
      binBits: 0,
      binLo: new Uint32Array(0),
      binHi: new Uint32Array(0),
    }
  }
  // T_g for g = 1..cap; beyond the point where T_g = 0 no r can reach, so the table stops there.
  const t: number[] = []
  for (let g = 1; g <= nPost; g++) {
    const v = Math.floor(TWO32 * Math.exp(g * logq))
    if (v <= 0) break
    t.push(Math.min(v, TWO32 - 1))
  }
  const thresholds = Uint32Array.from(t)
  const cap = thresholds.length
  const binBits = Math.max(4, Math.min(16, Math.ceil(Math.log2(cap + 1)) + 2))
  const nBins = 1 << binBits
  const shift = 32 - binBits
  const binLo = new Uint32Array(nBins)
  const binHi = new Uint32Array(nBins)
  for (let b = 0; b < nBins; b++) {
    const rMin = b * 2 ** shift
    const rMax = rMin + 2 ** shift - 1
    binHi[b] = countAbove(thresholds, rMin | 0, 0, cap)
    binLo[b] = countAbove(thresholds, rMax | 0, 0, cap)
  }
  return { prob, mode: 'table', invLog1mp: 1 / logq, cap, thresholds, binBits, binLo, binHi }
}

/**
 * Number of thresholds above the draw x (a signed 32-bit integer read as unsigned), knowing the answer is in
 * [lo, hi] (thresholds decrease). The draw crosses calls in its signed form, which V8 never boxes.
 */
function countAbove(th: Uint32Array, x: number, lo: number, hi: number): number {
  const r = x >>> 0
  while (lo < hi) {
    const m = (lo + hi + 1) >>> 1
    if (r < th[m - 1]) lo = m
    else hi = m - 1
  }
  return lo
}

/** Table mode: the bin of the draw's top bits bounds the gap, a short binary search over the thresholds ends it. */
function tableGap(th: Uint32Array, binLo: Uint32Array, binHi: Uint32Array, shift: number, x: number): number {
  const b = x >>> shift
  return countAbove(th, x, binLo[b], binHi[b])
}

/** The gap (number of skipped posts) for the uniform 32-bit integer r (unsigned or its signed form). */
export function gapOf(t: GapTable, r: number): number {
  if (t.mode === 'log') return Math.min(Math.floor(lnUniformI(r | 0) * t.invLog1mp), t.cap)
  return tableGap(t.thresholds, t.binLo, t.binHi, 32 - t.binBits, r | 0)
}

/**
 * Writes the targets of row i (ascending) into `targets` and, for weight distributions, their weights
 * (rounded by storing them in `weights`, an array of the state dtype); returns the count. `self` is the post
 * index of the pre neuron itself (−1 when pre and post are different populations); it is skipped when the
 * generator excludes self-connections. `keys` is a 2-element scratch array.
 */
export function generateRow(
  gen: RowGenerator,
  i: number,
  self: number,
  targets: Int32Array,
  weights: FloatArray | null,
  keys: Uint32Array,
): number {
  const nPost = gen.nPost
  if (gen.prob <= 0 || nPost === 0) return 0
  rowKeys(gen.key, i, keys)
  const k0 = keys[0] | 0,
    k1 = keys[1] | 0
  const t = gen.gaps
  const skipSelf = gen.includeSelf ? -1 : self
  const w = gen.weight
  const logMode = t.mode === 'log'
  const th = t.thresholds,
    binLo = t.binLo,
    binHi = t.binHi,
    shift = 32 - t.binBits
  let draw = 0
  let j = -1
  let count = 0
  for (;;) {
    // counterI32(k0, k1, draw++) (ecs-core rng.ts) written out: in this loop any call for the hash, even one V8
    // inlines, costs about 8 % of on-the-fly delivery (measured); test/systems/comm/jit.test.ts holds these rows to
    // counterU32's draws. The gap is `tableGap`, the one table lookup.
    let x = (k0 + Math.imul(draw++, 0x9e3779b9)) | 0
    x ^= x >>> 16
    x = Math.imul(x, 0x7feb352d)
    x ^= x >>> 15
    x = Math.imul(x, 0x846ca68b)
    x ^= x >>> 16
    x = ((x >>> 0) + k1) | 0
    x ^= x >>> 16
    x = Math.imul(x, 0x7feb352d)
    x ^= x >>> 15
    x = Math.imul(x, 0x846ca68b)
    x ^= x >>> 16
    const gap = logMode ? gapOf(t, x) : tableGap(th, binLo, binHi, shift, x)
    j += 1 + gap
    if (j >= nPost) break
    let wv = 0
    if (w.kind === 'uniform') {
      wv = w.low + (w.high - w.low) * ((counterI32(k0, k1, draw++) >>> 0) * 2.3283064365386963e-10)
    } else if (w.kind === 'normal') {
      const u1 = ((counterI32(k0, k1, draw++) >>> 0) + 1) * 2.3283064365386963e-10
      const u2 = (counterI32(k0, k1, draw++) >>> 0) * 2.3283064365386963e-10
      wv = w.mean + w.std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
    }
    if (j === skipSelf) continue
    targets[count] = j
    if (weights !== null) weights[count] = wv
    count++
  }
  return count
}

/**
 * The row generator of a projection (validating `prob` and `seed`; `ctx` as in comm/types.ts `CommContext`);
 * gap tables are shared by the world's generators with the same (p, nPost).
 */
export function rowGenerator(
  ctx: { readonly world: World; readonly name: string; readonly nPost: number },
  obj: string,
  prob: number,
  includeSelf: boolean,
  seed: number | undefined,
  weight: RowWeight,
): RowGenerator {
  checkProbability(obj, 'prob', prob)
  if (seed !== undefined) checkInteger(obj, 'seed', seed, 0, 0xffffffff)
  const cacheKey = `gaps:${prob}:${ctx.nPost}`
  let gaps = ctx.world.caches.get(cacheKey) as GapTable | undefined
  if (gaps === undefined) {
    gaps = buildGapTable(prob, ctx.nPost)
    ctx.world.caches.set(cacheKey, gaps)
  }
  return { key: entityKey(seed ?? ctx.world.seed, `conn:${ctx.name}`), prob, nPost: ctx.nPost, gaps, weight, includeSelf }
}

/** Every row of a generator, as CSR arrays (weights, rounded to the dtype, only for weight laws). */
export interface GeneratedRows {
  readonly indptr: Int32Array
  readonly indices: Int32Array
  readonly weights: Float64Array | null
}

/**
 * Generates rows 0…nPre−1 once (for stored layers and exports): the rows the kernels generate at each spike,
 * weights rounded by `generateRow` into an array of the state dtype. `selfOffset` as in the kernels.
 */
export function generateRows(gen: RowGenerator, nPre: number, selfOffset: number, float32: boolean): GeneratedRows {
  const nPost = gen.nPost
  const mean = nPre * nPost * gen.prob
  let cap = Math.ceil(mean + 6 * Math.sqrt(mean) + 16)
  let ind = new Int32Array(cap)
  const drawsWeights = gen.weight.kind !== 'homo'
  let w = drawsWeights ? new Float64Array(cap) : null
  const row = new Int32Array(nPost)
  const rowW = !drawsWeights ? null : float32 ? new Float32Array(nPost) : new Float64Array(nPost)
  const keys = new Uint32Array(2)
  const indptr = new Int32Array(nPre + 1)
  let n = 0
  for (let i = 0; i < nPre; i++) {
    const m = generateRow(gen, i, selfOffset < 0 ? -1 : i + selfOffset, row, rowW, keys)
    if (n + m > cap) {
      cap = Math.max(n + m, Math.ceil(cap * 1.5))
      const next = new Int32Array(cap)
      next.set(ind.subarray(0, n))
      ind = next
      if (w !== null) {
        const nextW = new Float64Array(cap)
        nextW.set(w.subarray(0, n))
        w = nextW
      }
    }
    ind.set(row.subarray(0, m), n)
    if (w !== null && rowW !== null) w.set(rowW.subarray(0, m), n)
    n += m
    indptr[i + 1] = n
  }
  return { indptr, indices: ind.subarray(0, n), weights: w === null ? null : w.subarray(0, n) }
}
