/**
 * Slot 2 of every tick. Each projection reads its delayed spikes and its comm layer adds each synapse's
 * increment straight into the projection's synapse state (event-driven: work ∝ spikes × targets; no
 * dense increment vector is cleared or allocated).
 * - full projections read their own entry of the pre population's queue (the slot `latency − 1` pushes ago);
 * - half projections read a slice of a population's queue (a contiguous sub-range of the sorted spike list,
 *   re-indexed from 0) or a spike buffer filled by a user system earlier in this tick.
 * Each projection's layer delivers through the kernel its record gave the plan (`deliver`, or its WebAssembly
 * kernel): the values of a value buffer go to non-event layers, event layers get null (each index one spike).
 * Projections run in the order they were added, so increments into a shared (Mg) state are added in that
 * order. Spike buffers are emptied once every projection has read them.
 */
import type { World } from '@spikecs/ecs-core'
import { planOf } from '../plan.js'
import { runWasmComm } from '../wasm/comm-wasm.js'
import { sliceOf, spikeSlice } from '../comm/source.js'
import { PHASE } from '../threads/control.js'
import { runThreadPhase } from '../threads/phase.js'

const slice = spikeSlice()

export function CommSystem(world: World): void {
  const plan = planOf(world)
  if (plan.threads !== null) {
    runThreadPhase(world, plan, PHASE.COMM)
    return
  }
  const tasks = plan.comm
  let events = 0
  for (let k = 0; k < tasks.length; k++) {
    const task = tasks[k]
    sliceOf(task.proj, slice)
    const from = slice.from,
      to = slice.to
    if (from === to) continue
    if (task.wasm !== null) events += runWasmComm(task.wasm, slice.idx, from, to, slice.offset)
    else
      events += task.deliver(
        task.comm,
        slice.idx,
        task.event ? null : slice.vals,
        from,
        to,
        slice.offset,
        task.selfOffset,
        task.targets,
        task.rows,
      )
  }
  plan.events += events
  const buffers = plan.buffers
  for (let k = 0; k < buffers.length; k++) buffers[k].count = 0
}
