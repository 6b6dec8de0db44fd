/**
 * CRC-32 (IEEE 802.3, the ZIP and PNG checksum: reflected polynomial 0xEDB88320, initial value and final XOR
 * 0xFFFFFFFF). One implementation for snapshots (header and payload checksums) and the `.npz` writer of the
 * PyNN export; check value: CRC-32 of the ASCII bytes "123456789" is 0xCBF43926.
 */

let crcTable: Uint32Array | null = null

function table(): Uint32Array {
  if (crcTable === null) {
    crcTable = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      crcTable[n] = c >>> 0
    }
  }
  return crcTable
}

/** CRC-32 of bytes[from, to). */
export function crc32(bytes: Uint8Array, from = 0, to = bytes.length): number {
  const t = table()
  let c = 0xffffffff
  for (let i = from; i < to; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
