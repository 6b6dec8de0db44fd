/**
 * The byte order and alignment of snapshot payloads: a growing little-endian writer and a bounds-checked
 * reader. Every array starts on an 8-byte boundary of the blob (so a reader on a little-endian host returns
 * views into the blob without copying); text is UTF-16 code units with a u32 length. A read past the end of
 * the payload, or a value a section finds impossible (`fail`), aborts the restore as a corrupted snapshot.
 */
import type { AnyTypedArray } from '../storage.js'

/** True on little-endian hosts (all current JavaScript engines): arrays are then copied as raw bytes. */
const HOST_LE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1

/** The typed arrays a blob holds: columns' types, and UTF-16 text. */
export type Elements = AnyTypedArray | Uint16Array

/** Thrown inside the reader when the payload ends early or holds an impossible value; becomes a SnapshotError. */
export class Malformed extends Error {}

function setElement(v: DataView, at: number, like: Elements, x: number): void {
  if (like instanceof Float64Array) v.setFloat64(at, x, true)
  else if (like instanceof Float32Array) v.setFloat32(at, x, true)
  else if (like instanceof Int32Array) v.setInt32(at, x, true)
  else if (like instanceof Uint32Array) v.setUint32(at, x, true)
  else if (like instanceof Uint16Array) v.setUint16(at, x, true)
  else v.setUint8(at, x)
}

function getElement(v: DataView, at: number, like: Elements): number {
  if (like instanceof Float64Array) return v.getFloat64(at, true)
  if (like instanceof Float32Array) return v.getFloat32(at, true)
  if (like instanceof Int32Array) return v.getInt32(at, true)
  if (like instanceof Uint32Array) return v.getUint32(at, true)
  if (like instanceof Uint16Array) return v.getUint16(at, true)
  return v.getUint8(at)
}

/** Writes a payload: u32, i32, f64 (8-byte aligned), arrays (8-byte aligned; lengths are the caller's) and text. */
export class SnapshotWriter {
  bytes = new Uint8Array(1 << 16)
  view = new DataView(this.bytes.buffer)
  pos = 0

  reserve(n: number): void {
    if (this.pos + n <= this.bytes.length) return
    let cap = this.bytes.length
    while (cap < this.pos + n) cap *= 2
    const next = new Uint8Array(cap)
    next.set(this.bytes.subarray(0, this.pos))
    this.bytes = next
    this.view = new DataView(next.buffer)
  }
  align(): void {
    const pad = (8 - (this.pos & 7)) & 7
    this.reserve(pad)
    for (let k = 0; k < pad; k++) this.bytes[this.pos++] = 0
  }
  u32(x: number): void {
    this.reserve(4)
    this.view.setUint32(this.pos, x >>> 0, true)
    this.pos += 4
  }
  i32(x: number): void {
    this.reserve(4)
    this.view.setInt32(this.pos, x | 0, true)
    this.pos += 4
  }
  f64(x: number): void {
    this.align()
    this.reserve(8)
    this.view.setFloat64(this.pos, x, true)
    this.pos += 8
  }
  /** The first `n` elements of `a`, 8-byte aligned (lengths are written by the caller). */
  array(a: Elements, n = a.length): void {
    this.align()
    const size = a.BYTES_PER_ELEMENT
    this.reserve(n * size)
    if (HOST_LE) {
      this.bytes.set(new Uint8Array(a.buffer, a.byteOffset, n * size), this.pos)
    } else {
      for (let i = 0; i < n; i++) setElement(this.view, this.pos + i * size, a, a[i])
    }
    this.pos += n * size
  }
  text(s: string): void {
    this.u32(s.length)
    const codes = new Uint16Array(s.length)
    for (let i = 0; i < s.length; i++) codes[i] = s.charCodeAt(i)
    this.array(codes)
  }
}

/** Reads what {@link SnapshotWriter} wrote, never past `end`. */
export class SnapshotReader {
  pos: number
  constructor(
    readonly view: DataView,
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start
  }
  /** Aborts the restore: the payload holds an impossible value (`why` says which). */
  fail(why: string): never {
    throw new Malformed(why)
  }
  need(n: number): void {
    if (this.pos + n > this.end) this.fail(`payload ends at byte ${this.end}, a field needs ${this.pos + n}`)
  }
  align(): void {
    this.pos += (8 - (this.pos & 7)) & 7
  }
  u32(): number {
    this.need(4)
    const x = this.view.getUint32(this.pos, true)
    this.pos += 4
    return x
  }
  i32(): number {
    this.need(4)
    const x = this.view.getInt32(this.pos, true)
    this.pos += 4
    return x
  }
  f64(): number {
    this.align()
    this.need(8)
    const x = this.view.getFloat64(this.pos, true)
    this.pos += 8
    return x
  }
  /** `n` elements shaped like `like`, as a view into the blob (or a copy on a big-endian host). */
  array<A extends Elements>(like: A | (new (n: number) => A), n: number): A {
    this.align()
    const Ctor = (typeof like === 'function' ? like : like.constructor) as unknown as {
      new (buf: ArrayBufferLike, off: number, n: number): A
      new (n: number): A
      BYTES_PER_ELEMENT: number
    }
    const size = Ctor.BYTES_PER_ELEMENT
    this.need(n * size)
    let out: A
    if (HOST_LE) {
      out = new Ctor(this.bytes.buffer, this.bytes.byteOffset + this.pos, n)
    } else {
      out = new Ctor(n)
      for (let i = 0; i < n; i++) out[i] = getElement(this.view, this.pos + i * size, out)
    }
    this.pos += n * size
    return out
  }
  text(): string {
    const n = this.u32()
    const codes = this.array(Uint16Array, n)
    let s = ''
    for (let i = 0; i < n; i += 4096) s += String.fromCharCode(...codes.subarray(i, Math.min(n, i + 4096)))
    return s
  }
}
