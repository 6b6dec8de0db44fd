/**
 * Value buffers: the graded presynaptic input of non-event comm layers (`JitFPHomoLinear`, `JitFPUniformLinear`,
 * `JitFPNormalLinear`, `CSRLinear`). A system of your own pushes (index, value) pairs before `CommSystem` runs
 * (indices ascending); a half projection bound to the buffer adds weight × value for each pair in that tick,
 * and `CommSystem` empties the buffer afterwards. Indices not pushed have the value 0. A value buffer is a
 * spike buffer carrying values: an event layer reading it counts every pushed index as one spike, which is
 * why a value of 0 is not stored; `pushSpike` pushes the value 1.
 */
import { SpikecsError, addRecord, SpikeBuffer, checkFinite, checkInteger, type SpikeBufferData, type World } from '@spikecs/ecs-core'
import { pushSpike } from './spike-buffer.js'

export function addValueBuffer(world: World, name: string, size: number): SpikeBufferData {
  checkInteger(`value buffer '${name}'`, 'size', size, 1, 2 ** 30)
  return addRecord(world, SpikeBuffer, name, (eid) => ({
    eid,
    name,
    size,
    indices: new Int32Array(size),
    count: 0,
    readers: 0,
    values: new Float64Array(size),
  }))
}

/** Adds the pair (i, x) for this tick; i ascending across pushes, x finite (0 adds nothing). */
export function pushValue(buf: SpikeBufferData, i: number, x: number): void {
  const object = `value buffer '${buf.name}'`
  if (buf.values === undefined) {
    throw new SpikecsError(object, 'buffer', buf.name, 'is a spike buffer without values: make it with addValueBuffer')
  }
  checkFinite(object, 'value', x)
  if (x === 0) return
  pushSpike(buf, i)
  buf.values[buf.count - 1] = x
}

/** Replaces the buffer's pairs for this tick: `indices` ascending and distinct, one value each. */
export function setValues(buf: SpikeBufferData, indices: ArrayLike<number>, values: ArrayLike<number>): void {
  if (values.length !== indices.length) {
    throw new SpikecsError(`value buffer '${buf.name}'`, 'values', values, `must have one value per index (${indices.length})`)
  }
  buf.count = 0
  for (let k = 0; k < indices.length; k++) pushValue(buf, indices[k], values[k])
}
