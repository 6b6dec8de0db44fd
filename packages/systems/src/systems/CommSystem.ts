/**
 * Slot 2 of every tick. Each projection reads its delayed spikes and its comm layer adds each synapse's
 * increment straight into the projection's synapse state (event-driven: work ∝ spikes × targets; no
 * dense increment vector is cleared or allocated).
 * - full projections read their own entry of the pre population's queue (the slot `latency − 1` pushes ago);
 * - half projections read a slice of a population's queue (a contiguous sub-range of the sorted spike list,
 *   re-indexed from 0) or a spike buffer filled by a user system earlier in this tick.
 * Projections run in the order they were added, so increments into a shared (Mg) state are added in that
 * order. Spike buffers are emptied once every projection has read them.
 */
import { slotForLatency, type World } from '@spikecs/ecs-core'
import { planOf } from '../plan.js'
import { deliverAll2All, deliverCsr, deliverJit, deliverLinear, deliverOne2One, type RowScratch } from '../comm/kernels.js'
import { runWasmComm } from '../wasm/comm-wasm.js'
import {
  deliverAll2AllGraded, deliverCsrGraded, deliverJitGraded, deliverLinearGraded, deliverOne2OneGraded,
} from '../comm/graded.js'

/** First position in idx[from..to) holding a value ≥ x (idx ascending). */
function lowerBound(idx: Int32Array, from: number, to: number, x: number): number {
  while (from < to) {
    const m = (from + to) >>> 1
    if (idx[m] < x) from = m + 1
    else to = m
  }
  return from
}

export function CommSystem(world: World): void {
  const plan = planOf(world)
  const tasks = plan.comm
  let events = 0
  for (let k = 0; k < tasks.length; k++) {
    const task = tasks[k]
    const src = task.proj.source
    let idx: Int32Array, from: number, to: number, offset: number
    let vals: Float64Array | null = null // graded input of non-event layers: null = a 0/1 spike vector
    if (src.kind === 'queue') {
      const q = src.queue
      const slot = slotForLatency(q, src.latency)
      idx = q.slots[slot]
      const n = q.counts[slot]
      offset = src.offset
      if (offset === 0 && src.count === q.size) {
        from = 0
        to = n
      } else {
        from = lowerBound(idx, 0, n, offset)
        to = lowerBound(idx, from, n, offset + src.count)
      }
    } else {
      idx = src.buffer.indices
      vals = src.buffer.values ?? null
      from = 0
      to = src.buffer.count
      offset = 0
    }
    if (from === to) continue
    const c = task.proj.comm
    if (task.wasm !== null) {
      events += runWasmComm(task.wasm, idx, from, to, offset)
      continue
    }
    switch (c.kind) {
      case 'EventJitFPHomoLinear':
      case 'EventJitFPUniformLinear':
      case 'EventJitFPNormalLinear':
        events += deliverJit(c, idx, from, to, offset, task.selfOffset, task.targets, task.rows as RowScratch)
        break
      case 'EventCSRLinear':
        events += deliverCsr(c, idx, from, to, offset, task.targets)
        break
      case 'One2One':
        events += vals === null ? deliverOne2One(c, idx, from, to, offset, task.targets)
          : deliverOne2OneGraded(c, idx, vals, from, to, offset, task.targets)
        break
      case 'All2All':
        events += vals === null ? deliverAll2All(c, idx, from, to, offset, task.selfOffset, task.targets)
          : deliverAll2AllGraded(c, idx, vals, from, to, offset, task.selfOffset, task.targets)
        break
      case 'Linear':
        events += vals === null ? deliverLinear(c, idx, from, to, offset, task.targets)
          : deliverLinearGraded(c, idx, vals, from, to, offset, task.targets)
        break
      case 'JitFPHomoLinear':
      case 'JitFPUniformLinear':
      case 'JitFPNormalLinear':
        events += deliverJitGraded(c, idx, vals, from, to, offset, task.selfOffset, task.targets, task.rows as RowScratch)
        break
      case 'CSRLinear':
        events += deliverCsrGraded(c, idx, vals, from, to, offset, task.targets)
        break
    }
  }
  plan.events += events
  const buffers = plan.buffers
  for (let k = 0; k < buffers.length; k++) buffers[k].count = 0
}
