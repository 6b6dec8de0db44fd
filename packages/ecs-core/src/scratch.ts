/**
 * Per-tick scratch buffers (sums of synaptic input, row buffers of on-the-fly connectivity…) come from the
 * typed-array pool through this one wrapper: it returns exactly `n` zeroed elements, and the world keeps
 * the list so {@link releaseScratch} can give them back. Scratch is taken when a world's plan is built,
 * never per tick.
 */
import './pool-global.js'
import pool from 'typedarray-pool'

/** The list of scratch arrays a world holds. */
export interface ScratchHost {
  readonly scratch: ArrayBufferView[]
}

/** Zeroed Float64Array of exactly n elements from the pool. */
export function scratchF64(host: ScratchHost, n: number): Float64Array {
  const a = pool.mallocDouble(Math.max(1, n)).subarray(0, n)
  a.fill(0)
  host.scratch.push(a)
  return a
}

/** Zeroed Float32Array of exactly n elements from the pool. */
export function scratchF32(host: ScratchHost, n: number): Float32Array {
  const a = pool.mallocFloat(Math.max(1, n)).subarray(0, n)
  a.fill(0)
  host.scratch.push(a)
  return a
}

/** Zeroed Int32Array of exactly n elements from the pool. */
export function scratchI32(host: ScratchHost, n: number): Int32Array {
  const a = pool.mallocInt32(Math.max(1, n)).subarray(0, n)
  a.fill(0)
  host.scratch.push(a)
  return a
}

/** Zeroed Uint32Array of exactly n elements from the pool. */
export function scratchU32(host: ScratchHost, n: number): Uint32Array {
  const a = pool.mallocUint32(Math.max(1, n)).subarray(0, n)
  a.fill(0)
  host.scratch.push(a)
  return a
}

/** Returns every scratch array of a world to the pool. */
export function releaseScratch(host: ScratchHost): void {
  for (const a of host.scratch) pool.free(a.buffer)
  host.scratch.length = 0
}
