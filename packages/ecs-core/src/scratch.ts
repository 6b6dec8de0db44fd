/**
 * Per-tick scratch buffers (sums of synaptic input, row buffers of on-the-fly connectivity…) come from the
 * typed-array pool through this one wrapper: it returns exactly `n` zeroed elements, and the world keeps
 * the list so {@link releaseScratch} can give them back. Scratch is taken when a world's plan is built,
 * never per tick.
 */
import { giveBuffer, takeBuffer } from './pool.js'

/** The list of scratch arrays a world holds. */
export interface ScratchHost {
  readonly scratch: ArrayBufferView[]
}

type Typed = Float64Array | Float32Array | Int32Array | Uint32Array
type TypedConstructor<T extends Typed> = { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }

/** Zeroed array of exactly n elements on a pooled buffer, listed in the host. */
function scratch<T extends Typed>(host: ScratchHost, Type: TypedConstructor<T>, n: number): T {
  const a = new Type(takeBuffer(n * Type.BYTES_PER_ELEMENT), 0, n)
  a.fill(0)
  host.scratch.push(a)
  return a
}

/** Zeroed Float64Array of exactly n elements from the pool. */
export function scratchF64(host: ScratchHost, n: number): Float64Array {
  return scratch(host, Float64Array, n)
}

/** Zeroed Float32Array of exactly n elements from the pool. */
export function scratchF32(host: ScratchHost, n: number): Float32Array {
  return scratch(host, Float32Array, n)
}

/** Zeroed Int32Array of exactly n elements from the pool. */
export function scratchI32(host: ScratchHost, n: number): Int32Array {
  return scratch(host, Int32Array, n)
}

/** Zeroed Uint32Array of exactly n elements from the pool. */
export function scratchU32(host: ScratchHost, n: number): Uint32Array {
  return scratch(host, Uint32Array, n)
}

/** Returns every scratch array of a world to the pool. */
export function releaseScratch(host: ScratchHost): void {
  for (const a of host.scratch) giveBuffer(a.buffer as ArrayBuffer)
  host.scratch.length = 0
}
