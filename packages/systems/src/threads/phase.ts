/**
 * One parallel phase of a threaded world, as the main thread runs it (slots 2–5 of the tick, or those of them a
 * pipeline runs between two of its own systems):
 *
 *   main: stage each projection's inputs (comm), sum the external inputs (neurons)
 *   main: bump the generation ───────────────▶ workers wake
 *   every thread (main = thread 0): its share (`runner.ts`)  [+ one barrier when on-the-fly rows are delivered]
 *   main: run spike sources whole; wait for every worker's DONE
 *   main: rethrow a thread's error; concatenate each population's spike runs in thread order; add the events
 *
 * Spike buffers are emptied once staged, as `CommSystem` empties them once read.
 */
import type { World } from '@spikecs/ecs-core'
import { sliceOf, spikeSlice } from '../comm/source.js'
import { gatherInputs } from '../gather.js'
import { prepareWasmTask } from '../wasm/lif-wasm.js'
import { CMD_PHASE, CTRL, PHASE, signal, waitFor } from './control.js'
import { readThreadError } from './runner.js'
import { TIMER } from './spec.js'
import { stdpPreTrace } from '../plasticity/stdp.js'
import type { PlanView, ThreadPlan } from './build.js'

const slice = spikeSlice()
/** Largest bucket memory (bytes) the overflow of on-the-fly buckets may grow to; beyond it rows are regenerated. */
const MAX_BUCKET_BYTES = 1 << 29

function stageComm(plan: PlanView, tp: ThreadPlan): void {
  const tasks = plan.comm
  const I32 = tp.I32
  const base = tp.spec.slots.comm
  for (let k = 0; k < tasks.length; k++) {
    const task = tasks[k]
    sliceOf(task.proj, slice)
    const from = slice.from,
      n = slice.to - from,
      off = slice.offset,
      idx = slice.idx
    const st = tp.stage[k]
    const stage = st.idx
    for (let q = 0; q < n; q++) stage[q] = idx[from + q] - off
    const vals = task.event ? null : slice.vals
    if (vals !== null) {
      const v = st.vals
      for (let q = 0; q < n; q++) v[q] = vals[from + q]
    }
    I32[base + 3 * k] = n
    I32[base + 3 * k + 1] = vals === null ? 0 : 1
    I32[base + 3 * k + 2] = task.proj.post.nSpikes
  }
  const buffers = plan.buffers
  for (let k = 0; k < buffers.length; k++) buffers[k].count = 0
}

function stageNeurons(world: World, plan: PlanView, tp: ThreadPlan, tick: number): void {
  const tasks = plan.neurons
  for (let k = 0; k < tasks.length; k++) {
    const t = tasks[k]
    if (tp.bounds[k] === null) continue // a spike source: run whole by the main thread
    gatherInputs(t, tick, world)
    if (t.wasm !== null) prepareWasmTask(t.wasm, t.inp)
    else tp.F64[k] = t.inp.iScalar
  }
}

function runSources(world: World, plan: PlanView, tp: ThreadPlan, tick: number): void {
  const tasks = plan.neurons
  for (let k = 0; k < tasks.length; k++) {
    if (tp.bounds[k] !== null) continue
    const t = tasks[k]
    gatherInputs(t, tick, world)
    t.model.update(t.pop, t.inp, tick)
  }
}

/**
 * Each population's spikes: thread t's run starts at bounds[t] of the threads' list; the runs are copied to
 * the front of the spike list in thread order (ascending), as one thread writes it.
 */
function concatSpikes(plan: PlanView, tp: ThreadPlan): void {
  const tasks = plan.neurons
  const T = tp.T,
    I32 = tp.I32,
    base = tp.spec.slots.spikes
  for (let k = 0; k < tasks.length; k++) {
    const b = tp.bounds[k]
    if (b === null) continue
    const pop = tasks[k].pop
    const spk = pop.spikes.array,
      from = tp.spikes[k]
    let pos = 0
    for (let t = 0; t < T; t++) {
      const e = I32[base + k * T + t]
      for (let q = b[t]; q < e; q++) spk[pos++] = from[q]
    }
    pop.nSpikes = pos
  }
}

/** The pre traces of plastic projections, once per tick after every thread has read them (plasticity/stdp.ts). */
function preTraces(plan: PlanView, tp: ThreadPlan): void {
  const tasks = plan.comm
  const base = tp.spec.slots.comm
  for (let k = 0; k < tasks.length; k++) {
    const d = tasks[k].stdp
    if (d !== null) stdpPreTrace(d, tp.stage[k].idx, 0, tp.I32[base + 3 * k], 0)
  }
}

/** Runs the slots of `mask` (`PHASE` bits) of the current tick on every thread. */
export function runThreadPhase(world: World, plan: PlanView, mask: number): void {
  const tp = plan.threads as ThreadPlan
  const tick = world.tick
  const ctrl = tp.ctrl
  const pool = tp.pool
  const timers = tp.timers
  let clock = timers === null ? 0 : performance.now()
  if ((mask & PHASE.COMM) !== 0) stageComm(plan, tp)
  const work = mask & tp.work
  if ((work & PHASE.NEURON) !== 0) stageNeurons(world, plan, tp, tick)
  if (work !== 0) {
    Atomics.store(ctrl, CTRL.ERROR, 0)
    Atomics.store(ctrl, CTRL.OVERFLOW, 0)
    Atomics.store(ctrl, CTRL.MASK, work)
    Atomics.store(ctrl, CTRL.TICK, tick)
    Atomics.store(ctrl, CTRL.CMD, CMD_PHASE)
    const gen = ++pool.gen
    signal(ctrl, CTRL.GEN, gen)
    if (timers !== null) {
      const now = performance.now()
      timers[TIMER.stage] += now - clock
      clock = now
    }
    tp.runner.run(work, tick)
    let failed: unknown = null
    if ((mask & PHASE.NEURON) !== 0) {
      try {
        runSources(world, plan, tp, tick)
      } catch (e) {
        failed = e
      }
    }
    if (timers !== null) clock = performance.now()
    for (let t = 1; t < tp.T; t++) waitFor(ctrl, CTRL.DONE + t, gen, tp.spin, tp.block)
    if (timers !== null) {
      const now = performance.now()
      timers[TIMER.wait] += now - clock
      clock = now
    }
    if (Atomics.load(ctrl, CTRL.ERROR) !== 0) throw readThreadError(tp.errors)
    if (failed !== null) throw failed
    if ((work & PHASE.NEURON) !== 0) concatSpikes(plan, tp)
    if ((work & PHASE.COMM) !== 0) {
      preTraces(plan, tp)
      let events = 0
      for (let t = 0; t < tp.T; t++) events += tp.I32[tp.spec.slots.events + t]
      plan.events += events
    }
    if (Atomics.load(ctrl, CTRL.OVERFLOW) !== 0) growBuckets(world, tp)
    if (timers !== null) timers[TIMER.gather] += performance.now() - clock
  } else if ((mask & PHASE.NEURON) !== 0) runSources(world, plan, tp, tick)
}

/**
 * On-the-fly buckets overflowed this tick (its rows were regenerated instead): grow them for the next, at once
 * to twice the largest fill this tick asked for (the WebAssembly generator counts the targets it could not
 * store), at least double — an opening burst of spikes then costs one rebuild instead of one per doubling.
 */
function growBuckets(world: World, tp: ThreadPlan): void {
  const { segs, size } = tp.spec.slots
  let need = 0
  for (let k = segs; k < size; k++) need = Math.max(need, tp.I32[k])
  const T2 = tp.T * tp.T
  let cap = tp.spec.buckets.cap * 2
  while (cap < 2 * need && cap * 2 * T2 * 12 <= MAX_BUCKET_BYTES) cap *= 2
  if (cap * T2 * 12 > MAX_BUCKET_BYTES) return
  world.caches.set('threads:bucketCap', cap)
  world.version++
}
