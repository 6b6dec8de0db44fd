/**
 * Spike buffers: index lists a system of your own fills before `CommSystem` runs; the half projections
 * bound to the buffer deliver those spikes in the same tick, and `CommSystem` empties it afterwards.
 */
import { SpikecsError, addRecord, SpikeBuffer, checkInteger, type SpikeBufferData, type World } from '@spikecs/ecs-core'

export function addSpikeBuffer(world: World, name: string, size: number): SpikeBufferData {
  checkInteger(`spike buffer '${name}'`, 'size', size, 1, 2 ** 30)
  return addRecord(world, SpikeBuffer, name, (eid) => ({ eid, name, size, indices: new Int32Array(size), count: 0, readers: 0 }))
}

/** Adds spike `i` (0 ≤ i < size) to the buffer for this tick. Indices must be pushed in ascending order. */
export function pushSpike(buf: SpikeBufferData, i: number): void {
  if (!(i >= 0 && i < buf.size && Number.isInteger(i))) {
    throw new SpikecsError(`spike buffer '${buf.name}'`, 'index', i, `must be an integer in [0, ${buf.size})`)
  }
  if (buf.count > 0 && buf.indices[buf.count - 1] >= i) {
    throw new SpikecsError(
      `spike buffer '${buf.name}'`,
      'index',
      i,
      `must be greater than the previous index (${buf.indices[buf.count - 1]}): push spikes in ascending order, once each`,
    )
  }
  if (buf.values !== undefined) buf.values[buf.count] = 1 // a spike is the value 1 in a value buffer
  buf.indices[buf.count++] = i
}

/** Replaces the buffer's spikes for this tick (ascending, distinct indices). */
export function setSpikes(buf: SpikeBufferData, indices: ArrayLike<number>): void {
  buf.count = 0
  for (let k = 0; k < indices.length; k++) pushSpike(buf, indices[k])
}
