/**
 * NumPy's `.npz` side files written without NumPy: an uncompressed ZIP archive whose members are `.npy`
 * files, which `numpy.load` opens as a dictionary of arrays. Browser-safe (returns bytes; no Node modules).
 *
 * `.npy` version 1.0: the magic `\x93NUMPY`, version bytes 1 0, a little-endian uint16 header length, then a
 * Python-literal header `{'descr': '<i4', 'fortran_order': False, 'shape': (n,), }` padded with spaces and
 * ended by a newline so that the data starts at a multiple of 64 bytes, then the raw little-endian data.
 * The ZIP container uses the "stored" method (no compression), fixed timestamps (1980-01-01, so equal
 * inputs give equal bytes) and no ZIP64 extension, which limits a file to 4 GiB.
 */
import { SpikecsError, crc32 } from '@spikecs/ecs-core'

/** Arrays `.npz` members can hold: int32 indices and float64 values. */
export type NpyArray = Int32Array | Float64Array

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0x7f
  return out
}

/** The bytes of one `.npy` file holding a 1-D array. */
export function npyBytes(array: NpyArray): Uint8Array {
  const descr = array instanceof Int32Array ? '<i4' : '<f8'
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${array.length},), }`
  // 10 bytes of preamble + header (ending in '\n') must be a multiple of 64.
  const headerLen = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10
  const header = `${dict.padEnd(headerLen - 1, ' ')}\n`
  const out = new Uint8Array(10 + headerLen + array.byteLength)
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, headerLen & 0xff, headerLen >>> 8], 0)
  out.set(ascii(header), 10)
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
  if (LITTLE_ENDIAN) {
    out.set(bytes, 10 + headerLen)
  } else {
    const view = new DataView(out.buffer, 10 + headerLen)
    const w = array.BYTES_PER_ELEMENT
    for (let i = 0; i < array.length; i++) {
      if (w === 4) view.setInt32(i * 4, array[i], true)
      else view.setFloat64(i * 8, array[i], true)
    }
  }
  return out
}

const MAX_ZIP = 0xffffffff
const DOS_DATE = (0 << 9) | (1 << 5) | 1 // 1980-01-01

/**
 * An `.npz` archive of the named 1-D arrays (member `name.npy` for each key, in the given order).
 * Throws, naming the array, when the archive would pass the 4 GiB a ZIP without ZIP64 can address.
 */
export function npzBytes(arrays: ReadonlyArray<readonly [string, NpyArray]>): Uint8Array {
  if (arrays.length > 0xfffe) {
    throw new SpikecsError('npz', 'arrays', arrays.length, 'must be fewer than 65535 (no ZIP64)')
  }
  const members = arrays.map(([key, array]) => {
    const name = ascii(`${key}.npy`)
    const data = npyBytes(array)
    return { key, name, data, crc: crc32(data) }
  })
  let size = 22
  for (const m of members) {
    size += 30 + m.name.length + m.data.length + 46 + m.name.length
    if (size > MAX_ZIP) {
      throw new SpikecsError(
        'npz',
        m.key,
        `${m.data.length} bytes`,
        'does not fit: the archive would exceed 4 GiB (use statistical connectivity for networks this large)',
      )
    }
  }
  const out = new Uint8Array(size)
  const v = new DataView(out.buffer)
  let p = 0
  const offsets: number[] = []
  for (const m of members) {
    offsets.push(p)
    v.setUint32(p, 0x04034b50, true) // local file header
    v.setUint16(p + 4, 20, true) // version needed: 2.0
    v.setUint16(p + 6, 0, true) // flags
    v.setUint16(p + 8, 0, true) // method: stored
    v.setUint16(p + 10, 0, true) // time
    v.setUint16(p + 12, DOS_DATE, true)
    v.setUint32(p + 14, m.crc, true)
    v.setUint32(p + 18, m.data.length, true)
    v.setUint32(p + 22, m.data.length, true)
    v.setUint16(p + 26, m.name.length, true)
    v.setUint16(p + 28, 0, true) // extra length
    out.set(m.name, p + 30)
    p += 30 + m.name.length
    out.set(m.data, p)
    p += m.data.length
  }
  const dirStart = p
  members.forEach((m, k) => {
    v.setUint32(p, 0x02014b50, true) // central directory header
    v.setUint16(p + 4, 20, true) // version made by
    v.setUint16(p + 6, 20, true) // version needed
    v.setUint16(p + 8, 0, true)
    v.setUint16(p + 10, 0, true)
    v.setUint16(p + 12, 0, true)
    v.setUint16(p + 14, DOS_DATE, true)
    v.setUint32(p + 16, m.crc, true)
    v.setUint32(p + 20, m.data.length, true)
    v.setUint32(p + 24, m.data.length, true)
    v.setUint16(p + 28, m.name.length, true)
    // extra, comment, disk number, internal and external attributes: zero
    v.setUint32(p + 42, offsets[k], true)
    out.set(m.name, p + 46)
    p += 46 + m.name.length
  })
  v.setUint32(p, 0x06054b50, true) // end of central directory
  v.setUint16(p + 8, members.length, true)
  v.setUint16(p + 10, members.length, true)
  v.setUint32(p + 12, p - dirStart, true)
  v.setUint32(p + 16, dirStart, true)
  return out
}
