/**
 * Seeded random numbers.
 *
 * - {@link mix32} is a 32-bit bijective integer hash (Wellons' "lowbias32"); every key below is built from it.
 * - {@link Stream} is a sequential generator (xoshiro128**, 2^128 − 1 period) for initial conditions and
 *   stimuli: one stream per (world seed, entity name, purpose), so adding an entity never shifts another's draws.
 * - {@link counterU32} is a counter-based generator for connectivity: draw n of a row is a pure function of
 *   the row's two 32-bit keys and n, so a row's targets depend only on (world seed, projection name, pre
 *   index), whatever order or chunking the rows are computed in.
 */

/**
 * Wellons' lowbias32 as a signed 32-bit integer. The hot paths call this form and apply `>>> 0` themselves:
 * a uint32 at or above 2^31 returned from a call V8 did not inline is boxed as a heap number (an allocation
 * per call), an int32 never is.
 */
function mix32s(x: number): number {
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  return x ^ (x >>> 16)
}

/** Wellons' lowbias32: a bijection on 32-bit integers with good avalanche. Returns an unsigned 32-bit value. */
export function mix32(x: number): number {
  return mix32s(x) >>> 0
}

/** 32-bit FNV-1a of a string's UTF-16 code units, finished with {@link mix32}. */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return mix32(h)
}

/** A 32-bit key for (seed, name): the root of every stream that belongs to a named entity. */
export function entityKey(seed: number, name: string): number {
  return mix32((mix32(seed ^ 0x5bd1e995) + hashString(name)) | 0)
}

const GOLDEN = 0x9e3779b9

/**
 * Draw `n` (0, 1, 2, …) of the counter-based stream with keys (k0, k1), as a signed 32-bit integer (apply
 * `>>> 0` for the unsigned draw). Two rounds of mixing, the second keyed by k1, so that two rows whose Weyl
 * sequences overlap still produce unrelated numbers. This is the form the hot loops call: its result is never
 * boxed, whether V8 inlines the call or not (see {@link mix32s}).
 */
export function counterI32(k0: number, k1: number, n: number): number {
  // The golden-ratio increment written as a literal: a module constant is a context load in optimised code.
  return mix32s((mix32s((k0 + Math.imul(n, 0x9e3779b9)) | 0) + k1) | 0)
}

/** Draw `n` of the counter-based stream with keys (k0, k1): unsigned 32 bits. */
export function counterU32(k0: number, k1: number, n: number): number {
  return counterI32(k0, k1, n) >>> 0
}

/** The two keys of row `i` of a projection whose key is `projKey`. */
export function rowKeys(projKey: number, i: number, out: Uint32Array): void {
  const a = mix32s(((mix32s(i ^ 0x27d4eb2f) >>> 0) + projKey) | 0)
  out[0] = a
  out[1] = mix32s(a ^ projKey ^ 0x165667b1)
}

/** splitmix32 step used to expand one 32-bit key into a generator state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + GOLDEN) | 0
  return mix32(state.s)
}

/**
 * A sequential xoshiro128** stream. Deterministic for a given key; uses only 32-bit integer arithmetic,
 * so it produces the same numbers in every JavaScript engine.
 */
export class Stream {
  private a: number
  private b: number
  private c: number
  private d: number
  private spare = 0
  private hasSpare = false

  constructor(key: number) {
    const st = { s: key | 0 }
    this.a = splitmix32(st) | 0
    this.b = splitmix32(st) | 0
    this.c = splitmix32(st) | 0
    this.d = splitmix32(st) | 0
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  /** Next unsigned 32-bit integer. */
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9)
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return r >>> 0
  }

  /** Uniform in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.u32() * 2.3283064365386963e-10
  }

  /** Uniform in (0, 1] with 32 random bits. */
  uniformPositive(): number {
    return (this.u32() + 1) * 2.3283064365386963e-10
  }

  /** Standard normal deviate (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false
      return this.spare
    }
    const r = Math.sqrt(-2 * Math.log(this.uniformPositive()))
    const phi = 2 * Math.PI * this.uniform()
    this.spare = r * Math.sin(phi)
    this.hasSpare = true
    return r * Math.cos(phi)
  }

  /** The complete state, for snapshots. */
  getState(): number[] {
    return [this.a, this.b, this.c, this.d, this.hasSpare ? 1 : 0, this.spare]
  }

  /** Restores a state taken by {@link getState}. */
  setState(s: readonly number[]): void {
    this.a = s[0] | 0
    this.b = s[1] | 0
    this.c = s[2] | 0
    this.d = s[3] | 0
    this.hasSpare = s[4] === 1
    this.spare = s[5]
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
