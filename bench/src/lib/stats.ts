/**
 * Order statistics for noisy timings. The machines these benchmarks run on are shared and drift by up to 2×
 * between minutes, so every figure we publish is a median with a spread (inter-quartile range or min–max),
 * and comparisons are ratios of runs taken next to each other, never of absolute timings from different runs.
 */

/** The q-quantile (0 ≤ q ≤ 1) of `xs` by linear interpolation between order statistics. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo] + (s[hi] - s[lo]) * (pos - lo)
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5)
}

/** Median, quartiles and extremes of a sample. */
export interface Spread {
  readonly median: number
  readonly q1: number
  readonly q3: number
  readonly min: number
  readonly max: number
  readonly n: number
}

export function spread(xs: readonly number[]): Spread {
  return {
    median: median(xs),
    q1: quantile(xs, 0.25),
    q3: quantile(xs, 0.75),
    min: xs.length ? Math.min(...xs) : NaN,
    max: xs.length ? Math.max(...xs) : NaN,
    n: xs.length,
  }
}

/** Every value of a spread multiplied by `k` (unit conversion). */
export function scaleSpread(s: Spread, k: number): Spread {
  return { median: s.median * k, q1: s.q1 * k, q3: s.q3 * k, min: s.min * k, max: s.max * k, n: s.n }
}

/** Ratios a[i] / b[i] of paired runs. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length)
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push(a[i] / b[i])
  return out
}
