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
 *
 * A plastic projection (`STDP_Song2000`) first brings its post trace up to date with the post spikes of the
 * previous tick, depresses the rows of its arriving spikes and potentiates the columns of those post spikes,
 * then delivers through the changed weights, then adds the arrivals to its pre trace (`plasticity/stdp.ts`;
 * BrainPy updates the weights in the projection's step, before it computes the currents).
 */
import type { World } from '@spikecs/ecs-core'
import { planOf } from '../plan.js'
import type { CsrData } from '../comm/csr.js'
import { stdpDepress, stdpPostTrace, stdpPotentiate, stdpPreTrace } from '../plasticity/stdp.js'
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
      to = slice.to,
      idx = slice.idx,
      offset = slice.offset
    const stdp = task.stdp
    if (stdp !== null) {
      // One thread: the whole post range (with threads each takes its own, threads/runner.ts).
      const post = task.proj.post
      const spikes = post.spikes.array,
        nSpikes = post.nSpikes,
        n = post.size
      const c = task.comm as CsrData
      stdpPostTrace(stdp, spikes, nSpikes, 0, n)
      stdpDepress(stdp, c, idx, from, to, offset, 0, n)
      stdpPotentiate(stdp, c, spikes, nSpikes, 0, n)
      if (from !== to) {
        if (task.wasm !== null) events += runWasmComm(task.wasm, idx, from, to, offset)
        else events += task.deliver(task.comm, idx, null, from, to, offset, task.selfOffset, task.targets, task.rows)
      }
      stdpPreTrace(stdp, idx, from, to, offset)
      continue
    }
    if (from === to) continue
    if (task.wasm !== null) events += runWasmComm(task.wasm, idx, from, to, offset)
    else events += task.deliver(task.comm, idx, task.event ? null : slice.vals, from, to, offset, task.selfOffset, task.targets, task.rows)
  }
  plan.events += events
  const buffers = plan.buffers
  for (let k = 0; k < buffers.length; k++) buffers[k].count = 0
}
