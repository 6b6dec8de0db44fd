/**
 * Plain delivery loops the comm kernels are compared with.
 * - Stored rows: CSR arrays (Int32Array row pointers and targets) and one weight, `g[target] += w` per synapse.
 * - On-the-fly rows: the row of a spiking neuron regenerated inline, by geometric skipping over the post
 *   neurons. A counter-based hash of (row keys, draw number) gives a uniform 32-bit r per draw, and the gap to
 *   the next target is the number of thresholds T_g = floor(2^32·(1−p)^g) above r, read from a table indexed
 *   by the top bits of r (a short binary search where a bin spans several gaps). This is the work spikecs's
 *   generator does per synapse (two hash rounds per draw, no logarithm); the hash here is our own, so the
 *   rows differ from spikecs's, with the same distribution (80 targets per row on average at p = 0.02 and
 *   4000 posts), and results are compared per event.
 */

/** murmur3's 32-bit finalizer: a bijective avalanche mix. */
function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

const GOLDEN = 0x9e3779b9 | 0

export interface PlainCsr {
  readonly ptr: Int32Array
  readonly ind: Int32Array
}

/** Adds `w` into g for every synapse of the rows `spikes[0..n)`; returns the events. */
export function deliverCsrPlain(c: PlainCsr, spikes: Int32Array, n: number, g: Float32Array, w: number): number {
  const ptr = c.ptr,
    ind = c.ind
  let events = 0
  for (let q = 0; q < n; q++) {
    const i = spikes[q]
    const end = ptr[i + 1]
    for (let k = ptr[i]; k < end; k++) g[ind[k]] += w
    events += end - ptr[i]
  }
  return events
}

export interface PlainJit {
  readonly key: number
  readonly nPost: number
  /** T_g for g = 1, 2, … (decreasing). */
  readonly thresholds: Uint32Array
  readonly shift: number
  /** Per bin of r's top bits: the gap at the bin's top and bottom end. */
  readonly gapMin: Uint32Array
  readonly gapMax: Uint32Array
}

/** How many of thresholds[lo..hi) exceed r (thresholds decreasing; the answer lies in [lo, hi]). */
function gapsAbove(th: Uint32Array, r: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (r < th[mid - 1]) lo = mid
    else hi = mid - 1
  }
  return lo
}

export function plainJit(prob: number, nPost: number, key: number): PlainJit {
  const q = 1 - prob
  const list: number[] = []
  for (let g = 1; g <= nPost; g++) {
    const t = Math.floor(4294967296 * q ** g)
    if (t < 1) break
    list.push(Math.min(t, 4294967295))
  }
  const thresholds = Uint32Array.from(list)
  const bits = Math.min(16, Math.max(4, Math.ceil(Math.log2(thresholds.length + 1)) + 2))
  const shift = 32 - bits
  const gapMin = new Uint32Array(1 << bits),
    gapMax = new Uint32Array(1 << bits)
  for (let b = 0; b < 1 << bits; b++) {
    gapMax[b] = gapsAbove(thresholds, b * 2 ** shift, 0, thresholds.length)
    gapMin[b] = gapsAbove(thresholds, (b + 1) * 2 ** shift - 1, 0, thresholds.length)
  }
  return { key: key >>> 0, nPost, thresholds, shift, gapMin, gapMax }
}

/** Regenerates and delivers the rows `spikes[0..n)`; returns the events. */
export function deliverJitPlain(t: PlainJit, spikes: Int32Array, n: number, g: Float32Array, w: number): number {
  const nPost = t.nPost,
    th = t.thresholds,
    shift = t.shift,
    gMin = t.gapMin,
    gMax = t.gapMax
  let events = 0
  for (let q = 0; q < n; q++) {
    const k0 = fmix32(spikes[q] ^ t.key)
    const k1 = fmix32(k0 ^ 0x3c6ef372)
    let j = -1
    for (let draw = 0; ; draw++) {
      const r = fmix32((fmix32((k0 + Math.imul(draw, GOLDEN)) | 0) + k1) | 0)
      const b = r >>> shift
      const lo = gMin[b],
        hi = gMax[b]
      j += 1 + (lo === hi ? lo : gapsAbove(th, r, lo, hi))
      if (j >= nPost) break
      g[j] += w
      events++
    }
  }
  return events
}
