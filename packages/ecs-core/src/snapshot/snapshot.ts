/**
 * Snapshots: the complete dynamic state of a world as one versioned binary blob, and its restoration into a
 * world built from the same description, so that continuing after `restore` is bit-identical to never
 * having stopped.
 *
 * What is state (saved): whatever the sections of `sections.ts` write — the clock; every column in
 * `world.columns` byte for byte (neuron and synapse state, connectivity, spike lists, user components'
 * columns); populations' spike counts and parameter blocks; delay queues; spike buffers; inputs' live
 * values; monitors' records; checkers' windows; user components' fields; every random stream — and the
 * sections registered on the world (the systems' synaptic-event counter).
 * What is structure (hashed, must match): see `structure.ts`.
 * What is neither: user systems and function inputs are code — whatever they keep in their own closures
 * is theirs to save; scratch buffers hold nothing across ticks; the systems' plan is derived (kept as is:
 * restore writes into the existing arrays, so every array the plan holds stays valid).
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
 *       40     …  payload: the structure description (text), then for each section of the table its name
 *                 (text) and its state, then zero padding to 8 bytes
 *
 * `restore` validates everything before it writes anything: a refused blob (truncated, corrupted, of another
 * format, another dtype, another network or other components) leaves the world exactly as it was.
 */
import { crc32 } from '../crc32.js'
import type { World } from '../world.js'
import { Malformed, SnapshotReader, SnapshotWriter } from './binary.js'
import { SnapshotError } from './error.js'
import { sectionsOf } from './sections.js'
import { checkComponents, describeStructure, firstDifference, hex, structureHash } from './structure.js'

/**
 * Format version written by this build, the only one `restore` reads. Format 2 frames the payload as named
 * sections (the synaptic-event counter became a section the systems register) and adds user components.
 */
export const SNAPSHOT_FORMAT = 2
/** Bytes of the fixed header. */
export const SNAPSHOT_HEADER_BYTES = 40
const MAGIC = [0x53, 0x50, 0x4b, 0x53] // "SPKS"

/** The complete state of `world` as a versioned binary blob (see the module comment for the layout). */
export function snapshot(world: World): ArrayBuffer {
  const description = describeStructure(world)
  const w = new SnapshotWriter()
  w.reserve(SNAPSHOT_HEADER_BYTES)
  w.pos = SNAPSHOT_HEADER_BYTES
  w.text(description)
  for (const section of sectionsOf(world)) {
    w.text(section.name)
    section.write(world, w)
  }
  w.align()
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
  const short = () =>
    new SnapshotError('truncated', 'blob length', n, `must be at least ${SNAPSHOT_HEADER_BYTES} bytes: the snapshot is truncated`)
  if (head.some((b, k) => b !== MAGIC[k])) {
    throw new SnapshotError('not-a-snapshot', 'magic', String.fromCharCode(...head), 'must be "SPKS": this is not a spikecs snapshot')
  }
  // A prefix of the magic, or a header cut before its format field: a truncated file.
  if (n < 8) throw short()
  const format = view.getUint32(4, true)
  if (format > SNAPSHOT_FORMAT) {
    throw new SnapshotError(
      'newer-format',
      'format version',
      format,
      `must be <= ${SNAPSHOT_FORMAT}: the snapshot was written by a newer spikecs than this one`,
    )
  }
  if (format < SNAPSHOT_FORMAT) {
    throw new SnapshotError(
      'older-format',
      'format version',
      format,
      `must be ${SNAPSHOT_FORMAT}: the snapshot was written by format ${format}; this build reads format ${SNAPSHOT_FORMAT} ` +
        'only (run the network again with this build to take a new snapshot)',
    )
  }
  if (n < SNAPSHOT_HEADER_BYTES) throw short()
  const headerCrc = crc32(bytes, 0, 36)
  if (headerCrc !== view.getUint32(36, true)) {
    throw new SnapshotError(
      'corrupted',
      'header checksum',
      hex(headerCrc),
      `must be ${hex(view.getUint32(36, true))} as recorded: the snapshot's header is corrupted`,
    )
  }
  const total = SNAPSHOT_HEADER_BYTES + view.getFloat64(24, true)
  if (n < total)
    throw new SnapshotError('truncated', 'blob length', n, `must be ${total} bytes as its header says: the snapshot is truncated`)
  if (n > total)
    throw new SnapshotError('corrupted', 'blob length', n, `must be ${total} bytes as its header says: the snapshot has trailing bytes`)
  const payloadCrc = crc32(bytes, SNAPSHOT_HEADER_BYTES, n)
  if (payloadCrc !== view.getUint32(32, true)) {
    throw new SnapshotError(
      'corrupted',
      'payload checksum',
      hex(payloadCrc),
      `must be ${hex(view.getUint32(32, true))} as recorded in the header: the snapshot is corrupted`,
    )
  }
  const dtype = bytes[8] === 0 ? 'float32' : bytes[8] === 1 ? 'float64' : `code ${bytes[8]}`
  if (dtype !== world.dtype) {
    throw new SnapshotError(
      'dtype',
      'dtype',
      dtype,
      `must be '${world.dtype}' like this world's state columns: the snapshot was taken from a ${dtype} world`,
    )
  }
}

/**
 * Puts the state saved by {@link snapshot} back into `world`, which must have been built from the same
 * description (same dt, seed, dtype, entities, parameters, components and columns). Refuses — with a
 * {@link SnapshotError} whose `reason` says which — a blob that is not a snapshot, of another format,
 * truncated, corrupted (checksums), of another dtype, of another network, or holding other components than
 * the world registered; a refused restore changes nothing. Stepping the world afterwards continues exactly
 * where the snapshot was taken.
 */
export function restore(world: World, blob: ArrayBuffer | ArrayBufferView): void {
  const bytes = asBytes(blob)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  checkHeader(world, bytes, view)
  const r = new SnapshotReader(view, bytes, SNAPSHOT_HEADER_BYTES, bytes.length)
  const sections = sectionsOf(world)
  const staged: unknown[] = []
  try {
    const theirs = r.text()
    const mine = describeStructure(world)
    const [h0, h1] = structureHash(mine)
    if (h0 !== view.getUint32(12, true) || h1 !== view.getUint32(16, true) || theirs !== mine) {
      checkComponents(mine, theirs)
      throw new SnapshotError(
        'network',
        'structure hash',
        `${hex(view.getUint32(12, true))}${hex(view.getUint32(16, true)).slice(2)}`,
        `must be ${hex(h0)}${hex(h1).slice(2)} (this world's network): the snapshot is of a different ` +
          `network; ${firstDifference(mine, theirs)}`,
      )
    }
    for (const section of sections) {
      const name = r.text()
      if (name !== section.name) r.fail(`section '${name}' stands where this world's section '${section.name}' belongs`)
      staged.push(section.read(world, r))
    }
    r.align()
    if (r.pos !== r.end) r.fail(`${r.end - r.pos} bytes left after the last section`)
  } catch (e) {
    if (e instanceof Malformed) {
      throw new SnapshotError(
        'corrupted',
        'payload',
        `byte ${r.pos}`,
        `must match the world's structure: ${e.message} (the snapshot is corrupted)`,
      )
    }
    throw e
  }
  sections.forEach((section, k) => section.commit(world, staged[k]))
}
