/**
 * The buffer pool behind scratch arrays, in Node: `typedarray-pool`, whose free lists hold power-of-two
 * `ArrayBuffer`s by size (shared, through `global.__TYPEDARRAY_POOL`, with any other copy in the process).
 *
 * Browser builds get `pool-browser.ts` instead (the package's `browser` field maps this file to it):
 * typedarray-pool loads Node's `buffer` module, which a browser does not have. Both keep the same protocol
 * (a buffer of at least `bytes`, rounded up to a power of two, un-zeroed; given back whole), which a test holds.
 */
import pool from 'typedarray-pool'

/** An ArrayBuffer of the next power of two ≥ max(1, bytes) bytes, from the free list when one is there. */
export function takeBuffer(bytes: number): ArrayBuffer {
  return pool.mallocArrayBuffer(Math.max(1, bytes))
}

/** Gives a buffer from {@link takeBuffer} back to the free list. */
export function giveBuffer(buffer: ArrayBuffer): void {
  pool.freeArrayBuffer(buffer)
}
