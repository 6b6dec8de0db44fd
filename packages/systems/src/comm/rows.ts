/**
 * On-the-fly fixed-probability connectivity: the targets of presynaptic neuron i are regenerated at every
 * spike from a counter-based stream keyed by (projection key, i), so every (pre, post) pair is connected
 * independently with probability p and no synapse is ever stored. CSR connectivity made with the same
 * projection name and seed walks the same rows, so the two are the same matrix.
 *
 * Gaps by geometric skipping without a logarithm: for a uniform 32-bit integer r, the gap to the next target
 * is the number of g ≥ 1 with r < T_g, T_g = floor(2^32·(1−p)^g), i.e. P(gap ≥ g) = T_g / 2^32, which is
 * (1−p)^g to within 2^−32 — exact in distribution to far better than float32. T is tabulated once per
 * (p, nPost) (only gaps below nPost matter: a larger one ends the row); a table over the top bits of r gives
 * the gap directly in most bins and a short binary search in the others.
 */
import { counterU32, rowKeys, type FloatArray, type GapTable, type RowGenerator } from '@spikecs/ecs-core'

const TWO32 = 4294967296

/** Builds the gap table for probability p and rows of nPost targets. */
export function buildGapTable(prob: number, nPost: number): GapTable {
  const logq = Math.log1p(-prob) // −∞ for p = 1
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
    binHi[b] = countAbove(thresholds, rMin, 0, cap)
    binLo[b] = countAbove(thresholds, rMax, 0, cap)
  }
  return { prob, cap, thresholds, binBits, binLo, binHi }
}

/** Number of thresholds > r, knowing the answer is in [lo, hi] (thresholds decrease). */
function countAbove(th: Uint32Array, r: number, lo: number, hi: number): number {
  while (lo < hi) {
    const m = (lo + hi + 1) >>> 1
    if (r < th[m - 1]) lo = m
    else hi = m - 1
  }
  return lo
}

/** The gap (number of skipped posts) for the uniform 32-bit integer r. */
export function gapOf(t: GapTable, r: number): number {
  const b = r >>> (32 - t.binBits)
  const lo = t.binLo[b], hi = t.binHi[b]
  return lo === hi ? lo : countAbove(t.thresholds, r, lo, hi)
}

/**
 * Writes the targets of row i (ascending) into `targets` and, for weight distributions, their weights
 * (rounded by storing them in `weights`, an array of the state dtype); returns the count. `self` is the post
 * index of the pre neuron itself (−1 when pre and post are different populations); it is skipped when the
 * generator excludes self-connections. `keys` is a 2-element scratch array.
 */
export function generateRow(
  gen: RowGenerator, i: number, self: number, targets: Int32Array, weights: FloatArray | null, keys: Uint32Array,
): number {
  const nPost = gen.nPost
  if (gen.prob <= 0 || nPost === 0) return 0
  rowKeys(gen.key, i, keys)
  const k0 = keys[0], k1 = keys[1]
  const t = gen.gaps
  const skipSelf = gen.includeSelf ? -1 : self
  const w = gen.weight
  let draw = 0
  let j = -1
  let count = 0
  for (;;) {
    j += 1 + gapOf(t, counterU32(k0, k1, draw++))
    if (j >= nPost) break
    let wv = 0
    if (w.kind === 'uniform') {
      wv = w.low + (w.high - w.low) * (counterU32(k0, k1, draw++) * 2.3283064365386963e-10)
    } else if (w.kind === 'normal') {
      const u1 = (counterU32(k0, k1, draw++) + 1) * 2.3283064365386963e-10
      const u2 = counterU32(k0, k1, draw++) * 2.3283064365386963e-10
      wv = w.mean + w.std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
    }
    if (j === skipSelf) continue
    targets[count] = j
    if (weights !== null) weights[count] = wv
    count++
  }
  return count
}
