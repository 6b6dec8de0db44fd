/**
 * Typed-array storage. Every long-lived column of a world (neuron state, synapse state, connectivity,
 * spike lists) comes from {@link allocColumn}, which records it in the world's column table: snapshots,
 * memory accounting and the WebAssembly arena all go through that one table.
 *
 * Backing, chosen per world:
 * - heap (default): one `ArrayBuffer` per column, or a `SharedArrayBuffer` with `shared: true`;
 * - arena (`kernel: 'wasm'`): every column is a view into one `WebAssembly.Memory`, so SIMD kernels compiled
 *   to WebAssembly work on the columns in place. The memory is shared where the host allows it (Node; a
 *   cross-origin-isolated page), so growing it never invalidates a view; otherwise growth re-points every
 *   column (`column.array` is the one to read after adding entities).
 * Columns are 16-byte aligned and padded to a multiple of 16 bytes, so 4-lane SIMD kernels can run over a
 * column without a scalar tail.
 */

/** Floating-point precision of a world's state columns. */
export type Dtype = 'float32' | 'float64'
/** A state column: Float32Array or Float64Array depending on the world's dtype. */
export type FloatArray = Float32Array | Float64Array
/** The element types a column may have. `state` means the world's dtype. */
export type ColumnType = 'state' | 'f32' | 'f64' | 'i32' | 'u32' | 'u8'
export type AnyTypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array

/** One typed-array column and who owns it. */
export interface Column<A extends AnyTypedArray = AnyTypedArray> {
  /** Entity id of the owner (population, synapse state, projection, delay queue…). */
  readonly owner: number
  /** Column name within its owner, e.g. `V`, `g`, `lastSpike`, `csr.indices`. */
  readonly name: string
  readonly type: ColumnType
  /** The array; replaced when a column is resized, or re-pointed when a non-shared arena grows. */
  array: A
  /** Byte offset in the world's arena, or −1 for a heap column. */
  offset: number
}

/** A bump allocator over one WebAssembly memory. */
export interface Arena {
  readonly memory: WebAssembly.Memory
  readonly shared: boolean
  /** Next free byte. */
  top: number
}

/** What {@link allocColumn} needs from a world. */
export interface ColumnHost {
  readonly dtype: Dtype
  readonly shared: boolean
  readonly columns: Column[]
  readonly arena: Arena | null
}

const BYTES: Record<Exclude<ColumnType, 'state'>, number> = { f32: 4, f64: 8, i32: 4, u32: 4, u8: 1 }
const PAGE = 65536
/** Largest arena: the 4 GiB of a 32-bit WebAssembly memory. */
const MAX_PAGES = 65536

function elementType(dtype: Dtype, type: ColumnType): Exclude<ColumnType, 'state'> {
  if (type !== 'state') return type
  return dtype === 'float32' ? 'f32' : 'f64'
}

function view(et: Exclude<ColumnType, 'state'>, buf: ArrayBufferLike, offset: number, n: number): AnyTypedArray {
  switch (et) {
    case 'f32':
      return new Float32Array(buf, offset, n)
    case 'f64':
      return new Float64Array(buf, offset, n)
    case 'i32':
      return new Int32Array(buf, offset, n)
    case 'u32':
      return new Uint32Array(buf, offset, n)
    case 'u8':
      return new Uint8Array(buf, offset, n)
  }
}

function padded(n: number, et: Exclude<ColumnType, 'state'>): number {
  return Math.max(16, Math.ceil((n * BYTES[et]) / 16) * 16)
}

/** A new arena; shared memory where the host supports it. */
export function createArena(initialBytes = 1 << 20): Arena {
  const initial = Math.max(1, Math.ceil(initialBytes / PAGE))
  try {
    if (typeof SharedArrayBuffer !== 'undefined') {
      const memory = new WebAssembly.Memory({ initial, maximum: MAX_PAGES, shared: true })
      if (memory.buffer instanceof SharedArrayBuffer) return { memory, shared: true, top: 16 }
    }
  } catch {
    // Shared memory is unavailable (e.g. a page that is not cross-origin isolated): fall back below.
  }
  return { memory: new WebAssembly.Memory({ initial, maximum: MAX_PAGES }), shared: false, top: 16 }
}

/** Reserves `bytes` (16-byte aligned) in the arena, growing it; returns the byte offset. */
function arenaAlloc(host: ColumnHost, arena: Arena, bytes: number): number {
  const offset = Math.ceil(arena.top / 16) * 16
  const end = offset + bytes
  const have = arena.memory.buffer.byteLength
  if (end > have) {
    const pages = Math.ceil((end - have) / PAGE)
    // Growing a non-shared memory detaches its buffer, and a view of a detached buffer reads as length 0:
    // take the lengths first.
    const lengths = arena.shared ? null : host.columns.map((c) => c.array.length)
    arena.memory.grow(Math.max(pages, Math.ceil(have / PAGE / 2)))
    if (lengths !== null) repointColumns(host, arena, lengths)
  }
  arena.top = end
  return offset
}

/** After a non-shared arena grew (its old buffer is detached), every arena column gets a view of the new one. */
function repointColumns(host: ColumnHost, arena: Arena, lengths: readonly number[]): void {
  const buf = arena.memory.buffer
  host.columns.forEach((c, k) => {
    if (c.offset >= 0) c.array = view(elementType(host.dtype, c.type), buf, c.offset, lengths[k])
  })
}

/** Allocates a zeroed typed array of `n` elements of `type` on the heap (never in the arena). */
export function allocArray(host: ColumnHost, type: ColumnType, n: number): AnyTypedArray {
  const et = elementType(host.dtype, type)
  const bytes = padded(n, et)
  return view(et, host.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), 0, n)
}

/** Allocates a column of `n` elements for entity `owner` and records it in the world's column table. */
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'state', n: number): Column<FloatArray>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'f32', n: number): Column<Float32Array>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'f64', n: number): Column<Float64Array>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'i32', n: number): Column<Int32Array>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'u32', n: number): Column<Uint32Array>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'u8', n: number): Column<Uint8Array>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: ColumnType, n: number): Column {
  const col: Column = { owner, name, type, array: new Uint8Array(0), offset: -1 }
  placeColumn(host, col, n)
  host.columns.push(col)
  return col
}

function placeColumn(host: ColumnHost, col: Column, n: number): void {
  const arena = host.arena
  if (arena === null) {
    col.array = allocArray(host, col.type, n)
    col.offset = -1
    return
  }
  const et = elementType(host.dtype, col.type)
  const offset = arenaAlloc(host, arena, padded(n, et))
  // Fresh arena memory is zero, and memory is never reused, so the view starts zeroed.
  col.array = view(et, arena.memory.buffer, offset, n)
  col.offset = offset
}

/** Replaces a column's array by a new zeroed one of `n` elements, copying the first min(old, n) elements. */
export function resizeColumn(host: ColumnHost, col: Column, n: number): void {
  const old = col.array
  placeColumn(host, col, n)
  const keep = Math.min(n, old.length)
  ;(col.array as Float64Array).set((old as Float64Array).subarray(0, keep))
}

/** Bytes held by all columns of a world (padding included). */
export function columnBytes(host: ColumnHost): number {
  let total = 0
  for (const c of host.columns) total += padded(c.array.length, elementType(host.dtype, c.type))
  return total
}
