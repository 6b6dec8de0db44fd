/**
 * Snapshots: the complete dynamic state of a world as one versioned binary blob, and its restoration into a
 * world built from the same description, so that continuing after `restore` is bit-identical to never
 * having stopped.
 *
 * What is state (saved): the clock (`world.tick`); every column in `world.columns` (neuron and synapse
 * state, connectivity, spike lists) byte for byte; each population's `nSpikes` and parameter block (live:
 * `setParam` edits it); every delay queue's ring (head, per-slot counts and capacities, valid indices);
 * spike buffers' pending indices; inputs' live `scale` and constant values; monitors' records (ticks,
 * indices, values, count, dropped, ring start and capacity); checkers' sliding windows; every random stream
 * in `world.streams`; the plan's synaptic-event counter.
 * What is structure (hashed, must match): dt, seed, dtype, every entity's kind, name, size and parameters,
 * merge keys, spike sources and comm layers, column names, types and lengths, series inputs' values.
 * What is neither: user systems and function inputs are code — whatever they keep in their own closures
 * is theirs to save; scratch buffers hold nothing across ticks; the plan is derived (kept as is: restore
 * writes into the existing arrays, so every array the plan holds stays valid).
 *
 * Blob layout (little-endian; every array starts on an 8-byte boundary of the blob):
 *
 *   offset  size  field
 *        0     4  magic "SPKS"
 *        4     4  format version (u32, {@link SNAPSHOT_FORMAT})
 *        8     1  dtype of state columns (0 float32, 1 float64)
 *        9     3  reserved (0)
 *       12     8  structure hash (two u32: FNV-1a and a second, independent 32-bit hash of the description)
 *       20     4  reserved (0)
 *       24     8  payload length in bytes (f64)
 *       32     4  CRC-32 of the payload
 *       36     4  CRC-32 of header bytes [0, 36)
 *       40     …  payload: structure description, then clock, columns, populations, queues, spike buffers,
 *                 inputs, monitors, checkers, streams (see `writePayload`)
 *
 * `restore` validates everything before it writes anything: a refused blob (truncated, corrupted, of a
 * newer format, another dtype or another network) leaves the world exactly as it was.
 */
import type { CheckerData, InputData, MonitorData, PopulationData, SpikeBufferData } from './components.js'
import type { DelayQueueData } from './delay-queue.js'
import { SpikecsError } from './errors.js'
import { Stream, entityKey, hashString, mix32 } from './rng.js'
import { allocArray, type AnyTypedArray, type Column } from './storage.js'
import type { World } from './world.js'

/** Format version written by this build; restore reads every version up to it. */
export const SNAPSHOT_FORMAT = 1
/** Bytes of the fixed header. */
export const SNAPSHOT_HEADER_BYTES = 40
const MAGIC = [0x53, 0x50, 0x4b, 0x53] // "SPKS"

/** Why a blob was refused. */
export type SnapshotRefusal = 'not-a-snapshot' | 'newer-format' | 'truncated' | 'corrupted' | 'dtype' | 'network'

/** A refused restore: `reason` says which check failed; the message says what was expected and found. */
export class SnapshotError extends SpikecsError {
  readonly reason: SnapshotRefusal
  constructor(reason: SnapshotRefusal, param: string, value: unknown, requirement: string) {
    super('restore', param, value, requirement)
    this.name = 'SnapshotError'
    this.reason = reason
  }
}

// ---------------------------------------------------------------------------------------------------------
// Checksums and byte order

let crcTable: Uint32Array | null = null

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) of bytes[from, to). */
export function crc32(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let t = crcTable
  if (t === null) {
    t = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      t[n] = c >>> 0
    }
    crcTable = t
  }
  let c = 0xffffffff
  for (let i = from; i < to; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** True on little-endian hosts (all current JavaScript engines): arrays are then copied as raw bytes. */
const HOST_LE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1

/** The typed arrays a blob holds: columns' types, and UTF-16 text. */
type Elements = AnyTypedArray | Uint16Array

const hex = (x: number) => '0x' + (x >>> 0).toString(16).padStart(8, '0')

// ---------------------------------------------------------------------------------------------------------
// Writer and reader

class Writer {
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

function setElement(v: DataView, at: number, like: Elements, x: number): void {
  if (like instanceof Float64Array) v.setFloat64(at, x, true)
  else if (like instanceof Float32Array) v.setFloat32(at, x, true)
  else if (like instanceof Int32Array) v.setInt32(at, x, true)
  else if (like instanceof Uint32Array) v.setUint32(at, x, true)
  else if (like instanceof Uint16Array) v.setUint16(at, x, true)
  else v.setUint8(at, x)
}

/** Thrown inside the reader when the payload ends early or holds an impossible value; becomes a SnapshotError. */
class Malformed extends Error {}

class Reader {
  pos: number
  constructor(readonly view: DataView, readonly bytes: Uint8Array, start: number, readonly end: number) {
    this.pos = start
  }
  need(n: number): void {
    if (this.pos + n > this.end) throw new Malformed(`payload ends at byte ${this.end}, a field needs ${this.pos + n}`)
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
      new (buf: ArrayBufferLike, off: number, n: number): A; new (n: number): A; BYTES_PER_ELEMENT: number
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

function getElement(v: DataView, at: number, like: Elements): number {
  if (like instanceof Float64Array) return v.getFloat64(at, true)
  if (like instanceof Float32Array) return v.getFloat32(at, true)
  if (like instanceof Int32Array) return v.getInt32(at, true)
  if (like instanceof Uint32Array) return v.getUint32(at, true)
  if (like instanceof Uint16Array) return v.getUint16(at, true)
  return v.getUint8(at)
}

// ---------------------------------------------------------------------------------------------------------
// Structure description

/** Renders a small acyclic record (comm layers, parameters) with sorted keys; columns by name and length. */
function render(x: unknown, depth = 0): string {
  if (x === null || x === undefined) return String(x)
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x)
  if (typeof x === 'string') return JSON.stringify(x)
  if (typeof x === 'boolean') return x ? 'true' : 'false'
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}(${(x as unknown as ArrayLike<number>).length})`
  if (typeof x !== 'object' || depth > 3) return typeof x
  const o = x as Record<string, unknown>
  if ('owner' in o && 'name' in o && 'array' in o) {
    const c = o as unknown as Column
    return `column(${c.name}, ${c.type}, ${c.array.length})`
  }
  return '{' + Object.keys(o).sort().map((k) => `${k}: ${render(o[k], depth + 1)}`).join(', ') + '}'
}

/** Hash of the bytes of a numeric array (series inputs): contents that are structure, not state. */
function hashValues(a: Float64Array): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
  return hex(crc32(b))
}

/**
 * The structure of a world as text, one line per entity and column: what must be equal for a snapshot of
 * one world to be restored into another. Live values (population parameters, input scales, constant input
 * values) are state and not part of it; dt, seed and dtype are.
 */
/**
 * The columns that are state. Columns of entity 0 are kernel scratch and tables the WebAssembly kernels
 * derive from the structure when a plan is built (staging, gap tables, sort buffers): not saved, so a
 * snapshot taken after running restores into a world that has not been planned yet.
 */
function stateColumns(world: World): Column[] {
  return world.columns.filter((c) => c.owner !== 0)
}

export function describeStructure(world: World): string {
  const c = world.components
  const lines: string[] = [`world dtMs=${world.dtMs} seed=${world.seed} dtype=${world.dtype} neurons=${world.nNeurons}`]
  for (const p of c.Population.list) {
    lines.push(`population #${p.eid} ${JSON.stringify(p.name)} ${p.model} size=${p.size} start=${p.start} ` +
      `params=${p.params.length} state=${Object.keys(p.state).join(',')} queue=${p.queue?.eid ?? 0}`)
  }
  for (const q of c.DelayQueue.list) {
    lines.push(`queue #${q.eid} pop=${q.pop} size=${q.size} length=${q.length} entries=${q.entries.map((e) => `${JSON.stringify(e.name)}:${e.latency}`).join(',')}`)
  }
  for (const s of c.SynapseState.list) {
    lines.push(`synapse-state #${s.eid} ${s.kind} post=${s.post.eid} merged=${s.merged} key=${JSON.stringify(s.mergeKey)} ` +
      `params=${render(s.params)} derived=${Array.from(s.derived).join(',')} cols=${Object.keys(s.cols).join(',')} ` +
      `cond=${s.cond.name} output=${s.output?.eid ?? 0}`)
  }
  for (const o of c.Output.list) {
    lines.push(`output #${o.eid} ${o.kind} post=${o.post.eid} label=${JSON.stringify(o.label)} params=${render(o.params)} state=${o.state.eid}`)
  }
  for (const p of c.Projection.list) {
    const src = p.source
    const source = src.kind === 'queue'
      ? `queue(pop=${src.pop.eid}, queue=${src.queue.eid}, offset=${src.offset}, count=${src.count}, latency=${src.latency})`
      : `buffer(${src.buffer.eid})`
    lines.push(`projection #${p.eid} ${JSON.stringify(p.name)} ${p.kind} pre=${p.pre?.eid ?? 0} post=${p.post.eid} ` +
      `source=${source} state=${p.state.eid} delayMs=${p.delayMs} comm=${render(p.comm)}`)
  }
  for (const x of c.Input.list) {
    lines.push(`input #${x.eid} ${JSON.stringify(x.name)} pop=${x.pop.eid} ${x.kind} perNeuron=${x.perNeuron} ` +
      `values=${x.values.length}${x.kind === 'series' ? ':' + hashValues(x.values) : ''} after=${x.after}`)
  }
  for (const b of c.SpikeBuffer.list) lines.push(`spike-buffer #${b.eid} ${JSON.stringify(b.name)} size=${b.size} readers=${b.readers}`)
  for (const m of c.Monitor.list) {
    lines.push(`monitor #${m.eid} ${JSON.stringify(m.name)} ${m.kind} pops=${m.pops.map((p) => p.eid).join(',')} ` +
      `ticks=[${m.startTick},${m.stopTick}) every=${m.every} max=${m.max} ring=${m.ring} width=${m.width} ` +
      `column=${m.column ? `${m.column.owner}:${m.column.name}` : '-'} probe=${m.probeIndices ? Array.from(m.probeIndices).join(',') : '-'}`)
  }
  for (const k of c.Checker.list) {
    lines.push(`checker #${k.eid} ${JSON.stringify(k.name)} finite=${k.checkFinite} every=${k.every} maxRateHz=${k.maxRateHz} windowTicks=${k.windowTicks}`)
  }
  for (const col of stateColumns(world)) lines.push(`column owner=${col.owner} ${JSON.stringify(col.name)} ${col.type} length=${col.array.length}`)
  return lines.join('\n')
}

/** 64-bit structure hash as two independent 32-bit hashes of the description. */
function structureHash(text: string): [number, number] {
  let h = 0x9747b28c
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995) ^ (h >>> 15)
  return [hashString(text), mix32(h ^ text.length)]
}

// ---------------------------------------------------------------------------------------------------------
// Snapshot

/** The plan's synaptic-event counter, when the world's plan carries one (the systems' plan does). */
function planEvents(world: World): number {
  const p = world.plan as { events?: unknown } | null
  return p !== null && typeof p === 'object' && typeof p.events === 'number' ? p.events : 0
}

/** Monitor widths: elements per record in `indices` and in `values`. */
function monitorWidths(m: MonitorData): [number, number] {
  if (m.kind === 'spikes') return [1, 0]
  if (m.kind === 'rate') return [m.width, 0]
  return [0, m.width]
}

/** The complete state of `world` as a versioned binary blob (see the module comment for the layout). */
export function snapshot(world: World): ArrayBuffer {
  const description = describeStructure(world)
  const w = new Writer()
  w.reserve(SNAPSHOT_HEADER_BYTES)
  w.pos = SNAPSHOT_HEADER_BYTES
  writePayload(world, w, description)
  const payloadBytes = w.pos - SNAPSHOT_HEADER_BYTES
  const out = w.bytes.slice(0, w.pos)
  const v = new DataView(out.buffer)
  MAGIC.forEach((b, k) => (out[k] = b))
  v.setUint32(4, SNAPSHOT_FORMAT, true)
  out[8] = world.dtype === 'float32' ? 0 : 1
  const [h0, h1] = structureHash(description)
  v.setUint32(12, h0, true)
  v.setUint32(16, h1, true)
  v.setFloat64(24, payloadBytes, true)
  v.setUint32(32, crc32(out, SNAPSHOT_HEADER_BYTES, out.length), true)
  v.setUint32(36, crc32(out, 0, 36), true)
  return out.buffer
}

function writePayload(world: World, w: Writer, description: string): void {
  const c = world.components
  w.text(description)
  // Clock and counters
  w.f64(world.tick)
  w.f64(planEvents(world))
  // Columns, in table order, byte for byte
  const cols = stateColumns(world)
  w.u32(cols.length)
  for (const col of cols) {
    w.u32(col.array.length)
    w.array(col.array)
  }
  // Populations: spike count of the last tick, parameter block
  for (const p of c.Population.list) {
    w.u32(p.nSpikes)
    w.u32(p.params.length)
    w.array(p.params)
  }
  // Delay queues: head, then per slot its capacity, count and valid indices
  for (const q of c.DelayQueue.list) {
    w.u32(q.length)
    w.u32(q.head)
    for (let s = 0; s < q.length; s++) {
      w.u32(q.slots[s].length)
      w.u32(q.counts[s])
      w.array(q.slots[s], q.counts[s])
    }
  }
  // Spike buffers: indices pushed for the coming tick
  for (const b of c.SpikeBuffer.list) {
    w.u32(b.count)
    w.array(b.indices, b.count)
  }
  // Inputs: live scale; values of constant inputs (setInput edits them)
  for (const x of c.Input.list) {
    w.f64(x.scale)
    const n = x.kind === 'constant' ? x.values.length : 0
    w.u32(n)
    w.array(x.values, n)
  }
  // Monitors: capacity, count, dropped, ring start, then the `count` records held
  for (const m of c.Monitor.list) {
    const [wi, wv] = monitorWidths(m)
    w.u32(m.ticks.length)
    w.u32(m.count)
    w.u32(m.first)
    w.f64(m.dropped)
    w.array(m.ticks, m.count)
    w.array(m.indices, m.count * wi)
    w.array(m.values, m.count * wv)
  }
  // Checkers: cursor, then per population window counts and their sums (none before the first plan)
  for (const k of c.Checker.list) {
    w.u32(k.cursor)
    w.u32(k.windows.length)
    for (const win of k.windows) w.array(win)
    w.array(k.sums, k.windows.length)
  }
  // Random streams, by purpose in sorted order
  const names = [...world.streams.keys()].sort()
  w.u32(names.length)
  for (const name of names) {
    w.text(name)
    const s = (world.streams.get(name) as Stream).getState()
    for (let k = 0; k < 4; k++) w.i32(s[k])
    w.u32(s[4])
    w.f64(s[5])
  }
  w.align()
}

// ---------------------------------------------------------------------------------------------------------
// Restore

/** Everything read from a blob and checked against the world, ready to be written. */
interface Staged {
  tick: number
  events: number
  columns: AnyTypedArray[]
  pops: { nSpikes: number; params: Float64Array }[]
  queues: { head: number; caps: number[]; counts: number[]; slots: Int32Array[] }[]
  buffers: { count: number; indices: Int32Array }[]
  inputs: { scale: number; values: Float64Array }[]
  monitors: { cap: number; count: number; first: number; dropped: number; ticks: Int32Array; indices: Int32Array; values: Float64Array }[]
  checkers: { cursor: number; windows: Int32Array[]; sums: Float64Array }[]
  streams: { name: string; state: number[] }[]
}

function asBytes(blob: unknown): Uint8Array {
  if (blob instanceof ArrayBuffer) return new Uint8Array(blob)
  if (ArrayBuffer.isView(blob)) {
    const b = new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength)
    // Arrays are read in place, which needs the payload on an 8-byte boundary: copy otherwise.
    return blob.byteOffset % 8 === 0 && !(blob.buffer instanceof SharedArrayBuffer) ? b : b.slice()
  }
  throw new SnapshotError('not-a-snapshot', 'blob', blob, 'must be an ArrayBuffer or a typed array holding a snapshot')
}

/** Checks the header, checksums and dtype. Throws a {@link SnapshotError} naming the failed check. */
function checkHeader(world: World, bytes: Uint8Array, view: DataView): void {
  const n = bytes.length
  const head = Array.from(bytes.subarray(0, 4))
  const short = () => new SnapshotError('truncated', 'blob length', n,
    `must be at least ${SNAPSHOT_HEADER_BYTES} bytes: the snapshot is truncated`)
  if (head.some((b, k) => b !== MAGIC[k])) {
    throw new SnapshotError('not-a-snapshot', 'magic', String.fromCharCode(...head), 'must be "SPKS": this is not a spikecs snapshot')
  }
  // A prefix of the magic, or a header cut before its format field: a truncated file.
  if (n < 8) throw short()
  const format = view.getUint32(4, true)
  if (format > SNAPSHOT_FORMAT) {
    throw new SnapshotError('newer-format', 'format version', format,
      `must be <= ${SNAPSHOT_FORMAT}: the snapshot was written by a newer spikecs than this one`)
  }
  if (n < SNAPSHOT_HEADER_BYTES) throw short()
  const headerCrc = crc32(bytes, 0, 36)
  if (headerCrc !== view.getUint32(36, true)) {
    throw new SnapshotError('corrupted', 'header checksum', hex(headerCrc),
      `must be ${hex(view.getUint32(36, true))} as recorded: the snapshot's header is corrupted`)
  }
  const total = SNAPSHOT_HEADER_BYTES + view.getFloat64(24, true)
  if (n < total) throw new SnapshotError('truncated', 'blob length', n, `must be ${total} bytes as its header says: the snapshot is truncated`)
  if (n > total) throw new SnapshotError('corrupted', 'blob length', n, `must be ${total} bytes as its header says: the snapshot has trailing bytes`)
  const payloadCrc = crc32(bytes, SNAPSHOT_HEADER_BYTES, n)
  if (payloadCrc !== view.getUint32(32, true)) {
    throw new SnapshotError('corrupted', 'payload checksum', hex(payloadCrc),
      `must be ${hex(view.getUint32(32, true))} as recorded in the header: the snapshot is corrupted`)
  }
  const dtype = bytes[8] === 0 ? 'float32' : bytes[8] === 1 ? 'float64' : `code ${bytes[8]}`
  if (dtype !== world.dtype) {
    throw new SnapshotError('dtype', 'dtype', dtype,
      `must be '${world.dtype}' like this world's state columns: the snapshot was taken from a ${dtype} world`)
  }
}

function firstDifference(mine: string, theirs: string): string {
  const a = mine.split('\n'), b = theirs.split('\n')
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    if (a[k] !== b[k]) {
      const cut = (s: string | undefined) => (s === undefined ? '(nothing)' : s.length > 160 ? s.slice(0, 157) + '...' : s)
      return `line ${k + 1}: this world has ${cut(a[k])}; the snapshot has ${cut(b[k])}`
    }
  }
  return 'the descriptions are equal but their hashes differ'
}

/**
 * Puts the state saved by {@link snapshot} back into `world`, which must have been built from the same
 * description (same dt, seed, dtype, entities, parameters and columns). Refuses — with a
 * {@link SnapshotError} whose `reason` says which — a blob that is not a snapshot, of a newer format,
 * truncated, corrupted (checksums), of another dtype or of another network; a refused restore changes
 * nothing. Stepping the world afterwards continues exactly where the snapshot was taken.
 */
export function restore(world: World, blob: ArrayBuffer | ArrayBufferView): void {
  const bytes = asBytes(blob)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  checkHeader(world, bytes, view)
  const r = new Reader(view, bytes, SNAPSHOT_HEADER_BYTES, bytes.length)
  let staged: Staged
  try {
    const theirs = r.text()
    const mine = describeStructure(world)
    const [h0, h1] = structureHash(mine)
    if (h0 !== view.getUint32(12, true) || h1 !== view.getUint32(16, true) || theirs !== mine) {
      throw new SnapshotError('network', 'structure hash', `${hex(view.getUint32(12, true))}${hex(view.getUint32(16, true)).slice(2)}`,
        `must be ${hex(h0)}${hex(h1).slice(2)} (this world's network): the snapshot is of a different network; ${firstDifference(mine, theirs)}`)
    }
    staged = readPayload(world, r)
  } catch (e) {
    if (e instanceof Malformed) {
      throw new SnapshotError('corrupted', 'payload', `byte ${r.pos}`, `must match the world's structure: ${e.message} (the snapshot is corrupted)`)
    }
    throw e
  }
  commit(world, staged)
}

function readPayload(world: World, r: Reader): Staged {
  const c = world.components
  const expect = (what: string, got: number, want: number) => {
    if (got !== want) throw new Malformed(`${what} is ${got}, expected ${want}`)
  }
  const tick = r.f64()
  if (!Number.isInteger(tick) || tick < 0) throw new Malformed(`tick ${tick} is not a tick`)
  const events = r.f64()
  const targetColumns = stateColumns(world)
  expect('number of columns', r.u32(), targetColumns.length)
  const columns = targetColumns.map((col) => {
    expect(`length of column '${col.name}' of entity ${col.owner}`, r.u32(), col.array.length)
    return r.array(col.array, col.array.length)
  })
  const pops = c.Population.list.map((p: PopulationData) => {
    const nSpikes = r.u32()
    if (nSpikes > p.size) throw new Malformed(`population '${p.name}' has ${nSpikes} spikes for ${p.size} neurons`)
    expect(`parameter block of '${p.name}'`, r.u32(), p.params.length)
    return { nSpikes, params: r.array(Float64Array, p.params.length) }
  })
  const queues = c.DelayQueue.list.map((q: DelayQueueData) => {
    expect(`length of the queue of '${q.popName}'`, r.u32(), q.length)
    const head = r.u32()
    if (head >= q.length) throw new Malformed(`queue head ${head} outside a ring of ${q.length}`)
    const caps: number[] = [], counts: number[] = [], slots: Int32Array[] = []
    for (let s = 0; s < q.length; s++) {
      const cap = r.u32(), n = r.u32()
      if (n > cap || cap > Math.max(q.size, 64) || cap === 0) throw new Malformed(`queue slot with ${n} of ${cap} for ${q.size} neurons`)
      caps.push(cap)
      counts.push(n)
      slots.push(r.array(Int32Array, n))
    }
    return { head, caps, counts, slots }
  })
  const buffers = c.SpikeBuffer.list.map((b: SpikeBufferData) => {
    const count = r.u32()
    if (count > b.size) throw new Malformed(`spike buffer '${b.name}' holds ${count} of ${b.size}`)
    return { count, indices: r.array(Int32Array, count) }
  })
  const inputs = c.Input.list.map((x: InputData) => {
    const scale = r.f64()
    expect(`values of input '${x.name}'`, r.u32(), x.kind === 'constant' ? x.values.length : 0)
    return { scale, values: r.array(Float64Array, x.kind === 'constant' ? x.values.length : 0) }
  })
  const monitors = c.Monitor.list.map((m: MonitorData) => {
    const [wi, wv] = monitorWidths(m)
    const cap = r.u32(), count = r.u32(), first = r.u32()
    const dropped = r.f64()
    if (count > cap || cap > m.max || (count > 0 && first >= count) || !(dropped >= 0)) {
      throw new Malformed(`monitor '${m.name}' with ${count} records of ${cap} (max ${m.max}), first ${first}`)
    }
    return {
      cap, count, first, dropped,
      ticks: r.array(Int32Array, count), indices: r.array(Int32Array, count * wi), values: r.array(Float64Array, count * wv),
    }
  })
  const nPops = c.Population.list.length
  const checkers = c.Checker.list.map((k: CheckerData) => {
    const cursor = r.u32()
    const n = r.u32()
    if (n !== 0 && n !== nPops) throw new Malformed(`checker '${k.name}' has ${n} windows for ${nPops} populations`)
    if (cursor >= k.windowTicks) throw new Malformed(`checker '${k.name}' cursor ${cursor} outside ${k.windowTicks} ticks`)
    const windows: Int32Array[] = []
    for (let p = 0; p < n; p++) windows.push(r.array(Int32Array, k.windowTicks))
    return { cursor, windows, sums: r.array(Float64Array, n) }
  })
  const nStreams = r.u32()
  const streams: Staged['streams'] = []
  for (let k = 0; k < nStreams; k++) {
    const name = r.text()
    const state = [r.i32(), r.i32(), r.i32(), r.i32(), r.u32(), r.f64()]
    streams.push({ name, state })
  }
  r.align()
  if (r.pos !== r.end) throw new Malformed(`${r.end - r.pos} bytes left after the last section`)
  return { tick, events, columns, pops, queues, buffers, inputs, monitors, checkers, streams }
}

/** Writes staged state into the world (in place wherever an array keeps its size, so the plan stays valid). */
function commit(world: World, s: Staged): void {
  const c = world.components
  world.tick = s.tick
  stateColumns(world).forEach((col, k) => (col.array as Float64Array).set(s.columns[k] as Float64Array))
  c.Population.list.forEach((p, k) => {
    p.nSpikes = s.pops[k].nSpikes
    p.params.set(s.pops[k].params)
  })
  c.DelayQueue.list.forEach((q, k) => {
    const sq = s.queues[k]
    q.head = sq.head
    for (let slot = 0; slot < q.length; slot++) {
      if (q.slots[slot].length !== sq.caps[slot]) q.slots[slot] = allocArray(world, 'i32', sq.caps[slot]) as Int32Array
      q.slots[slot].set(sq.slots[slot])
      q.counts[slot] = sq.counts[slot]
    }
  })
  c.SpikeBuffer.list.forEach((b, k) => {
    b.indices.set(s.buffers[k].indices)
    b.count = s.buffers[k].count
  })
  c.Input.list.forEach((x, k) => {
    x.scale = s.inputs[k].scale
    x.values.set(s.inputs[k].values)
  })
  c.Monitor.list.forEach((m, k) => {
    const sm = s.monitors[k]
    const [wi, wv] = monitorWidths(m)
    m.ticks = new Int32Array(sm.cap)
    m.ticks.set(sm.ticks)
    m.indices = new Int32Array(sm.cap * wi)
    m.indices.set(sm.indices)
    m.values = new Float64Array(sm.cap * wv)
    m.values.set(sm.values)
    m.count = sm.count
    m.first = sm.first
    m.dropped = sm.dropped
  })
  c.Checker.list.forEach((ch, k) => restoreChecker(ch, s.checkers[k], c.Population.list.length))
  // Streams the snapshot does not hold had not been drawn from when it was taken: back to their start.
  const saved = new Map(s.streams.map((st) => [st.name, st.state]))
  for (const [name, stream] of world.streams) {
    if (!saved.has(name)) stream.setState(new Stream(entityKey(world.seed, name)).getState())
  }
  for (const st of s.streams) {
    let stream = world.streams.get(st.name)
    if (stream === undefined) {
      stream = new Stream(entityKey(world.seed, st.name))
      world.streams.set(st.name, stream)
    }
    stream.setState(st.state)
  }
  setPlanEvents(world, s.events)
}

function restoreChecker(ch: CheckerData, sc: Staged['checkers'][number], nPops: number): void {
  ch.cursor = sc.cursor
  if (sc.windows.length === 0) {
    // Saved before its first tick: empty windows (kept in place if this world's plan made them already).
    for (const win of ch.windows) win.fill(0)
    ch.sums.fill(0)
    return
  }
  if (ch.windows.length !== nPops) {
    ch.windows.length = 0
    for (let p = 0; p < nPops; p++) ch.windows.push(new Int32Array(ch.windowTicks))
    ch.sums = new Float64Array(nPops)
  }
  ch.windows.forEach((win, p) => win.set(sc.windows[p]))
  ch.sums.set(sc.sums)
}

/**
 * Sets the plan's event counter. Without a plan yet, leaves a placeholder whose version matches no world
 * version: the systems rebuild the plan at the next tick and carry the counter over from it.
 */
function setPlanEvents(world: World, events: number): void {
  const p = world.plan as { events?: unknown } | null
  if (p !== null && typeof p === 'object' && typeof p.events === 'number') p.events = events
  else world.plan = { version: -1, events }
}
