/**
 * The buffer pool behind scratch arrays, in browsers (the package's `browser` field maps `pool.js` here):
 * typedarray-pool's protocol — free lists of power-of-two `ArrayBuffer`s by size, a buffer handed out
 * un-zeroed and given back whole — without its `buffer` import, so a browser bundle needs no Node module.
 */

/** Free buffers by log2 of their size in bytes. */
const free: ArrayBuffer[][] = []

function log2Ceil(bytes: number): number {
  let k = 0
  while (2 ** k < bytes) k++
  return k
}

/** An ArrayBuffer of the next power of two ≥ max(1, bytes) bytes, from the free list when one is there. */
export function takeBuffer(bytes: number): ArrayBuffer {
  const k = log2Ceil(Math.max(1, bytes))
  return free[k]?.pop() ?? new ArrayBuffer(2 ** k)
}

/** Gives a buffer from {@link takeBuffer} back to the free list. */
export function giveBuffer(buffer: ArrayBuffer): void {
  const k = log2Ceil(buffer.byteLength)
  free[k] ??= []
  free[k].push(buffer)
}
