/**
 * Typed-array storage. Every long-lived column of a world (neuron state, synapse state, connectivity,
 * spike lists) comes from {@link allocColumn}, which records it in the world's column table: snapshots,
 * memory accounting and a future shared-memory backend all go through that one table.
 *
 * Backing: one `ArrayBuffer` per column by default, or a `SharedArrayBuffer` when the world is created with
 * `shared: true` (so worker threads can map the same columns). Buffers are padded to a multiple of 16 bytes
 * so 4-lane SIMD kernels can run over a column without a scalar tail.
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
  /** The array; replaced only when a column is resized (connectivity build, queue growth). */
  array: A
}

/** What {@link allocColumn} needs from a world. */
export interface ColumnHost {
  readonly dtype: Dtype
  readonly shared: boolean
  readonly columns: Column[]
}

const BYTES: Record<Exclude<ColumnType, 'state'>, number> = { f32: 4, f64: 8, i32: 4, u32: 4, u8: 1 }

function elementType(host: ColumnHost, type: ColumnType): Exclude<ColumnType, 'state'> {
  if (type !== 'state') return type
  return host.dtype === 'float32' ? 'f32' : 'f64'
}

/** Allocates a zeroed typed array of `n` elements of `type` with the world's backing. */
export function allocArray<T extends ColumnType>(host: ColumnHost, type: T, n: number): AnyTypedArray {
  const et = elementType(host, type)
  const bytes = Math.max(16, Math.ceil((n * BYTES[et]) / 16) * 16)
  const buf = host.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)
  switch (et) {
    case 'f32': return new Float32Array(buf, 0, n)
    case 'f64': return new Float64Array(buf, 0, n)
    case 'i32': return new Int32Array(buf, 0, n)
    case 'u32': return new Uint32Array(buf, 0, n)
    case 'u8': return new Uint8Array(buf, 0, n)
  }
}

/** Allocates a column of `n` elements for entity `owner` and records it in the world's column table. */
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'state', n: number): Column<FloatArray>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'f32', n: number): Column<Float32Array>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'f64', n: number): Column<Float64Array>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'i32', n: number): Column<Int32Array>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'u32', n: number): Column<Uint32Array>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: 'u8', n: number): Column<Uint8Array>
export function allocColumn(host: ColumnHost, owner: number, name: string, type: ColumnType, n: number): Column {
  const col: Column = { owner, name, type, array: allocArray(host, type, n) }
  host.columns.push(col)
  return col
}

/** Replaces a column's array by a new zeroed one of `n` elements, copying the first min(old, n) elements. */
export function resizeColumn(host: ColumnHost, col: Column, n: number): void {
  const next = allocArray(host, col.type, n)
  const keep = Math.min(n, col.array.length)
  ;(next as Float64Array).set((col.array as Float64Array).subarray(0, keep))
  col.array = next
}

/** Bytes held by all columns of a world. */
export function columnBytes(host: ColumnHost): number {
  let total = 0
  for (const c of host.columns) total += c.array.byteLength
  return total
}
