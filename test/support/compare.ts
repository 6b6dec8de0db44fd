// Comparisons of large arrays for tests: report the first difference instead of a full diff (uvu's diff of
// arrays with thousands of elements takes minutes).
import * as assert from 'uvu/assert'

type Numeric = ArrayLike<number>

/** Index of the first element where a and b differ (bit-level for floats: NaN equals NaN, 0 differs from -0), or -1. */
export function firstDifference(a: Numeric, b: Numeric): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return i
  return a.length === b.length ? -1 : n
}

/** Asserts two numeric arrays are identical element for element. */
export function assertSameArray(actual: Numeric, expected: Numeric, what: string): void {
  const i = firstDifference(actual, expected)
  if (i < 0) return
  assert.unreachable(`${what}: lengths ${actual.length} vs ${expected.length}; first difference at [${i}]: ${actual[i]} vs ${expected[i]}`)
}

/** Asserts two typed arrays hold the same bytes. */
export function assertSameBytes(actual: ArrayBufferView | ArrayBuffer, expected: ArrayBufferView | ArrayBuffer, what: string): void {
  const bytes = (x: ArrayBufferView | ArrayBuffer) =>
    x instanceof ArrayBuffer ? new Uint8Array(x) : new Uint8Array(x.buffer, x.byteOffset, x.byteLength)
  assertSameArray(bytes(actual), bytes(expected), what)
}

/** Asserts two records of arrays (e.g. `spikeData(m)`) are identical field by field. */
export function assertSameRecord(actual: Record<string, Numeric | number>, expected: Record<string, Numeric | number>, what: string): void {
  assert.equal(Object.keys(actual).sort(), Object.keys(expected).sort(), `${what}: fields`)
  for (const k of Object.keys(expected)) {
    const a = actual[k],
      e = expected[k]
    if (typeof e === 'number') assert.is(a, e, `${what}.${k}`)
    else assertSameArray(a as Numeric, e, `${what}.${k}`)
  }
}
