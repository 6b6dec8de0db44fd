/**
 * Which inputs a projection delivers this tick: its entry of the pre population's delay queue, a slice of a
 * queue (a contiguous sub-range of the sorted spike list, re-indexed from its start) or a spike buffer filled
 * earlier in the tick. Read by `CommSystem` and, in a threaded world, by the main thread as it stages each
 * projection's inputs for the workers.
 */
import { slotForLatency, type ProjectionData } from '@spikecs/ecs-core'

/** The inputs idx[from..to) minus `offset`, with the values of a value buffer (null: spikes, value 1). */
export interface SpikeSlice {
  idx: Int32Array
  vals: Float64Array | null
  from: number
  to: number
  offset: number
}

/** A slice to fill (one per caller, reused every tick). */
export function spikeSlice(): SpikeSlice {
  return { idx: new Int32Array(0), vals: null, from: 0, to: 0, offset: 0 }
}

/** First position in idx[from..to) holding a value ≥ x (idx ascending). */
function lowerBound(idx: Int32Array, from: number, to: number, x: number): number {
  while (from < to) {
    const m = (from + to) >>> 1
    if (idx[m] < x) from = m + 1
    else to = m
  }
  return from
}

/** Fills `s` with the inputs projection `proj` delivers this tick. */
export function sliceOf(proj: ProjectionData, s: SpikeSlice): void {
  const src = proj.source
  if (src.kind === 'queue') {
    const q = src.queue
    const slot = slotForLatency(q, src.latency)
    const idx = q.slots[slot]
    const n = q.counts[slot]
    const offset = src.offset
    s.idx = idx
    s.vals = null
    s.offset = offset
    if (offset === 0 && src.count === q.size) {
      s.from = 0
      s.to = n
    } else {
      s.from = lowerBound(idx, 0, n, offset)
      s.to = lowerBound(idx, s.from, n, offset + src.count)
    }
  } else {
    s.idx = src.buffer.indices
    s.vals = src.buffer.values ?? null
    s.from = 0
    s.to = src.buffer.count
    s.offset = 0
  }
}
