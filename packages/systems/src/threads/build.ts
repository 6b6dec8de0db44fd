/**
 * Building a world's threads with its plan: how many threads (`threadsOf`, resolving `'auto'`), the partition of
 * every population into thread ranges, the thread spec the workers rebuild their kernels from, the main
 * thread's own runner, and the worker pool (started on first use, handed the new spec on every rebuild).
 * Everything allocated here is kernel scratch (owner 0): not in snapshots or the structure description, so a
 * snapshot does not depend on the thread count.
 */
import {
  SpikecsError,
  allocColumn,
  type Column,
  type CommData,
  type FloatArray,
  type InputData,
  type PopulationData,
  type ProjectionData,
  type SpikeBufferData,
  type World,
} from '@spikecs/ecs-core'
import { commLayerOf } from '../comm/registry.js'
import type { RowGenerator } from '../comm/rows.js'
import type { NeuronInputs, NeuronModel } from '../models/neuron-model.js'
import { NEURON_SLOTS } from '../codegen/wasm-layout.js'
import { sharedWasmModule, wasmExports, type WasmTask } from '../wasm/lif-wasm.js'
import { jitOwnerArgs } from '../wasm/comm-wasm.js'
import type { CsrData } from '../comm/csr.js'
import type { StdpData } from '../plasticity/stdp.js'
import { CTRL, ERROR_BYTES, canBlock, spinState, type Spin } from './control.js'
import { STAGE, startTrial, trialOf, type AutoTrial } from './auto.js'
import { createRunner, type Runner } from './runner.js'
import { hostCores, poolOf, releaseThreads, reloadPool, startPool, stopPool, threadsAvailable, threadsReady, type Pool } from './pool.js'
import {
  TIMER,
  TIMER_SLOTS,
  arrayRef,
  colRef,
  tickSlots,
  type ColRef,
  type CommMode,
  type CommSpec,
  type PopSpec,
  type StdpSpec,
  type ThreadSpec,
} from './spec.js'

/**
 * Neurons from which `threads: 'auto'` uses every core for a network of stored rows (measured with
 * `pnpm bench:threads`, docs/benchmarks.md: coba with stored rows gains from about 32 000 neurons on 2 cores;
 * below, one thread is as fast or faster).
 */
export const AUTO_MIN_NEURONS = 32_000

/**
 * Spin budget of a wait, in `Atomics.load` reads (about 300 µs at the ~6 ns a read costs on the benchmark
 * machine), when there are no more threads than cores: a worker spins through the serial part of a tick
 * (staging, gathering, monitors) and picks up the next phase within about a microsecond; a wait that lasts
 * longer (the host stopped calling `run`) blocks, and its wake-up costs tens of microseconds. Counted in reads,
 * not time: a spin loop that also read the clock (`performance.now`) missed the other thread's store for its
 * whole budget far more often on that machine (a ping-pong between two threads: rounds of 300–500 µs per
 * hand-over against 1–9 µs).
 */
export const SPIN_READS = 50_000

/** What the threads read of the plan (the plan's own types, seen structurally: plan.ts imports this module). */
export interface PlanView {
  readonly comm: readonly {
    readonly proj: ProjectionData
    readonly comm: CommData
    readonly event: boolean
    readonly targets: readonly FloatArray[]
    readonly selfOffset: number
    readonly stdp: StdpData | null
  }[]
  readonly buffers: readonly SpikeBufferData[]
  readonly states: readonly { readonly state: { readonly post: PopulationData; readonly eid: number } }[]
  readonly outputs: readonly { readonly output: { readonly post: PopulationData; readonly eid: number } }[]
  readonly neurons: readonly {
    readonly pop: PopulationData
    readonly model: NeuronModel
    readonly inp: NeuronInputs
    readonly scalarInputs: readonly InputData[]
    readonly arrayInputs: readonly InputData[]
    readonly kernel: unknown
    readonly fused: boolean
    readonly wasm: WasmTask | null
  }[]
  readonly threads: ThreadPlan | null
  readonly fault: { readonly pop: number; readonly tick: number }
  events: number
}

/** A plan's threads, as the main thread uses them per phase. */
export interface ThreadPlan {
  readonly T: number
  readonly spec: ThreadSpec
  readonly runner: Runner
  readonly pool: Pool
  readonly ctrl: Int32Array
  readonly I32: Int32Array
  readonly F64: Float64Array
  readonly errors: Uint8Array
  readonly block: boolean
  /** The main thread's spin budget for its waits. */
  readonly spin: Spin
  /** Per comm task: the staging columns. */
  readonly stage: readonly { readonly idx: Int32Array; readonly vals: Float64Array }[]
  /** Per neuron task: its bounds, or null for a spike source the main thread runs whole. */
  readonly bounds: readonly (readonly number[] | null)[]
  /** Per neuron task: the threads' spike lists (see `popSpec`). */
  readonly spikes: readonly Int32Array[]
  /** Mask of the phase bits that have work. */
  readonly work: number
  /** The main thread's phase timers (thread 0's row), or null when off. */
  readonly timers: Float64Array | null
}

/**
 * The threads a world runs on for its current structure: its `threads` option, with `'auto'` resolved to 1 for
 * networks under `AUTO_MIN_NEURONS` neurons or hosts of one core; above, to what `run` measured as faster
 * (threads/auto.ts), and until a `run` has measured it, to the host's cores for networks whose projections all
 * store their rows and 1 for on-the-fly rows — in a browser at most the workers `prepareThreads` started plus
 * one; 1 where the host has no shared memory or workers (`'auto'` only: an explicit count there is an error).
 */
export function threadsOf(world: World): number {
  const want = world.threads
  const ok = world.arena?.shared === true && threadsAvailable()
  if (want === 'auto') {
    const cores = autoCores(world)
    if (!ok || cores < 2 || world.nNeurons < AUTO_MIN_NEURONS) return 1
    const t = trialOf(world, autoKey(world))
    if (t !== undefined) return t.stage === STAGE.ONE ? 1 : t.stage === STAGE.DONE ? t.choice : cores
    return onTheFly(world) ? 1 : cores
  }
  if (want > 1 && !ok) {
    throw new SpikecsError(
      'world',
      'threads',
      want,
      'needs shared memory and worker threads (a browser page must be cross-origin isolated); use 1 or auto',
    )
  }
  return want
}

/** The threads `'auto'` may use: the host's cores, in a browser at most the workers prepared plus one. */
export function autoCores(world: World): number {
  return Math.max(1, Math.min(hostCores(), threadsReady(world)))
}

function onTheFly(world: World): boolean {
  return world.components.Projection.list.some((p) => commLayerOf(p.comm).rows !== undefined && 'gen' in p.comm)
}

/** The network an `'auto'` trial is for: its size and whether it generates rows on the fly. */
function autoKey(world: World): string {
  return `${world.nNeurons}:${onTheFly(world) ? 'jit' : 'csr'}`
}

/**
 * The `'auto'` trial `run` advances before its next chunk of ticks (started now if none was for this network),
 * or null: the world has a thread count, is not eligible, or the trial has decided.
 */
export function pendingTrial(world: World): AutoTrial | null {
  if (world.threads !== 'auto' || world.nNeurons < AUTO_MIN_NEURONS || autoCores(world) < 2) return null
  if (world.arena?.shared !== true || !threadsAvailable()) return null
  const key = autoKey(world)
  const t = trialOf(world, key)
  if (t === undefined) return startTrial(world, key)
  return t.stage === STAGE.DONE ? null : t
}

/** True while an `'auto'` trial measures the world's network (its workers are kept through a 1-thread stage). */
export function trialRunning(world: World): boolean {
  if (world.threads !== 'auto') return false
  const t = trialOf(world, autoKey(world))
  return t !== undefined && t.stage !== STAGE.DONE
}

/**
 * The spin budget (reads) of the threads' waits: 0 with more threads than cores, or where an `'auto'` trial found
 * blocking faster (or is measuring it); else `threads:spin` of the world's caches (benchmarks) or `SPIN_READS`.
 */
function spinOf(world: World, T: number): number {
  if (T > hostCores()) return 0
  const own = world.caches.get('threads:spin') as number | undefined
  if (own !== undefined) return own
  if (world.threads === 'auto') {
    const t = trialOf(world, autoKey(world))
    if (t !== undefined && (t.stage === STAGE.BLOCK || (t.stage === STAGE.DONE && !t.spins))) return 0
  }
  return SPIN_READS
}

/**
 * The measured `'auto'` decision of a world's current network: µs per tick on 1 thread, on the cores with
 * spinning waits and with blocking ones; the threads chosen and whether their waits spin.
 */
export interface AutoDecision {
  readonly oneUs: number
  readonly spinUs: number
  readonly blockUs: number
  readonly threads: number
  readonly spin: boolean
}

/** What `run` measured for `threads: 'auto'` on the world's current network (null: not decided yet). */
export function autoDecision(world: World): AutoDecision | null {
  const t = trialOf(world, autoKey(world))
  if (t === undefined || t.stage !== STAGE.DONE) return null
  return { oneUs: t.one, spinUs: t.spin, blockUs: t.block, threads: t.choice, spin: t.spins }
}

/** A kernel-scratch column of the arena kept with the world under `key`, reallocated when too short. */
export function arenaColumn(world: World, key: string, type: 'f64', n: number): Column<Float64Array>
export function arenaColumn(world: World, key: string, type: 'i32', n: number): Column<Int32Array>
export function arenaColumn(world: World, key: string, type: 'u8', n: number): Column<Uint8Array>
export function arenaColumn(world: World, key: string, type: 'f64' | 'i32' | 'u8', n: number): Column {
  const cacheKey = `threads:col:${key}`
  let c = world.caches.get(cacheKey) as Column | undefined
  if (c === undefined || c.array.length < n) {
    c = allocColumn(world, 0, `threads.${key}`, type as 'f64', n)
    world.caches.set(cacheKey, c)
  }
  return c
}

/** Exactly n zeroed elements of an arena scratch column (the neuron inputs of a threaded plan). */
export function arenaF64(world: World, key: string, n: number): Float64Array {
  const a = arenaColumn(world, key, 'f64', n).array.subarray(0, n)
  a.fill(0)
  return a
}

/** Thread t's neurons of a population of n: [b[t], b[t+1]), bounds multiples of 4 but the last. */
export function partition(n: number, T: number): number[] {
  const b = [0]
  for (let t = 1; t < T; t++) b.push(Math.min(n, 4 * Math.round((n * t) / (4 * T))))
  b.push(n)
  return b
}

const INITIAL_BUCKET = 1 << 14

function popSpec(world: World, task: PlanView['neurons'][number], k: number, T: number): PopSpec {
  const pop = task.pop
  // The threads write their spikes into a scratch list (thread t from position bounds[t]); the main thread
  // copies the runs to the front of the spike list, so the list's bytes are those one thread leaves.
  const spikes = arenaColumn(world, `spikes.${pop.eid}`, 'i32', pop.size)
  const refs = (o: Readonly<Record<string, Column>>) => Object.fromEntries(Object.entries(o).map(([n, c]) => [n, colRef(c)]))
  const w = task.wasm
  if (w !== null && w.kind === 'model') w.i32[w.nBlock + NEURON_SLOTS.spikes] = spikes.offset
  const run: PopSpec['run'] =
    w !== null
      ? w.kind === 'lif'
        ? { kind: 'wasm-lif', fn: w.fnName, prm: w.prm.offset }
        : { kind: 'wasm-model', neuron: w.names.neuron, synapses: w.names.synapses, synPrm: Array.from(w.synPrm), prm: w.prm.offset }
      : task.kernel !== null
        ? { kind: task.fused ? 'fused' : 'unfused' }
        : { kind: 'main' }
  const inp = task.inp
  return {
    name: pop.name,
    model: pop.model,
    size: pop.size,
    bounds: run.kind === 'main' ? [0, ...new Array<number>(T).fill(pop.size)] : partition(pop.size, T),
    run,
    params: arrayRef(pop.params),
    state: refs(pop.state),
    spikes: colRef(spikes),
    inp: { G: arrayRef(inp.G), GE: arrayRef(inp.GE), I: arrayRef(inp.I), iArr: arrayRef(inp.iArr), hasArr: inp.hasArr },
    states: pop.states.map((s) => ({
      kind: s.kind,
      merged: s.merged,
      cols: refs(s.cols),
      inputCols: s.inputCols.map(colRef),
      cond: colRef(s.cond),
      derived: Array.from(s.derived),
    })),
    outputs: pop.outputs.map((o) => ({ kind: o.kind, params: { ...o.params }, state: pop.states.indexOf(o.state) })),
    scalarSlot: k,
  }
}

/** Builds (or rebuilds) the threads of a plan with T > 1 threads. */
export function buildThreads(world: World, plan: PlanView, T: number): ThreadPlan {
  const ctrlCol = arenaColumn(world, 'control', 'i32', CTRL.DONE + 256)
  const errCol = arenaColumn(world, 'errors', 'u8', ERROR_BYTES)
  const popIndex = new Map<PopulationData, number>(plan.neurons.map((t, k) => [t.pop, k]))
  const pops = plan.neurons.map((t, k) => popSpec(world, t, k, T))
  const float32wasm = world.kernel === 'wasm' && world.dtype === 'float32'

  let nJit = 0
  let nPostMax = 0
  let expected = 0
  const stage: { idx: Int32Array; vals: Float64Array }[] = []
  const comm: CommSpec[] = plan.comm.map((task) => {
    const proj = task.proj
    const c = task.comm
    const layer = commLayerOf(c)
    const post = popIndex.get(proj.post) as number
    const nPre = c.nPre
    const idx = arenaColumn(world, `stage.${proj.eid}`, 'i32', nPre)
    const vals = arenaColumn(world, `vals.${proj.eid}`, 'f64', nPre)
    stage.push({ idx: idx.array, vals: vals.array })
    let mode: CommMode
    if (layer.range !== undefined) {
      mode = {
        kind: 'range',
        data: layer.range.prepare(world, c, task.selfOffset, pops[post].bounds),
        wasm: float32wasm && layer.range.wasmRange !== undefined,
      }
    } else if (layer.rows !== undefined && (c as { gen?: RowGenerator }).gen !== undefined) {
      const gen = (c as { gen: RowGenerator }).gen
      const bnd = arenaColumn(world, `bounds.${proj.eid}`, 'i32', T + 1)
      bnd.array.set(pops[post].bounds)
      mode = { kind: 'rows', gen, jit: nJit++, bnd: colRef(bnd), wasm: float32wasm ? jitOwnerArgs(world, gen) : null }
      nPostMax = Math.max(nPostMax, gen.nPost)
      expected = Math.max(expected, Math.ceil(gen.prob * gen.nPost))
    } else {
      throw new Error(`threads: comm layer ${c.kind} has no delivery by post range`)
    }
    const d = task.stdp
    const csr = c as CsrData
    const stdp: StdpSpec | null =
      d === null
        ? null
        : {
            Apre: colRef(d.Apre),
            Apost: colRef(d.Apost),
            colptr: colRef(d.colptr),
            colsyn: colRef(d.colsyn),
            colpre: colRef(d.colpre),
            aS: d.aS,
            aT: d.aT,
            wMin: d.wMin,
            wMax: d.wMax,
            A1: d.params.A1,
            A2: d.params.A2,
            indptr: colRef(csr.indptr),
            indices: colRef(csr.indices),
            weights: colRef(csr.weights as Column),
            postSpikes: colRef(proj.post.spikes),
          }
    return {
      layer: c.kind,
      post,
      stdp,
      event: task.event,
      selfOffset: task.selfOffset,
      targets: proj.state.inputCols.map(colRef),
      stage: colRef(idx),
      vals: colRef(vals),
      mode,
    }
  })

  const slots = tickSlots(T, comm.length, pops.length, nJit)
  const i32 = arenaColumn(world, 'tick.i32', 'i32', slots.size)
  const f64 = arenaColumn(world, 'tick.f64', 'f64', Math.max(1, pops.length))
  let buckets: ThreadSpec['buckets'] = { cap: 0, posts: null, incs: null, fill: null, nPostMax }
  if (nJit > 0) {
    const cap = (world.caches.get('threads:bucketCap') as number | undefined) ?? Math.max(INITIAL_BUCKET, 8 * expected)
    const posts = arenaColumn(world, 'buckets.posts', 'i32', T * T * cap)
    const incs = arenaColumn(world, 'buckets.incs', 'f64', T * T * cap)
    const fill = arenaColumn(world, 'buckets.fill', 'i32', T * T)
    buckets = { cap, posts: colRef(posts), incs: colRef(incs), fill: colRef(fill), nPostMax }
  }
  const timers = world.caches.get('threads:timers') === true ? arenaColumn(world, 'timers', 'f64', T * TIMER_SLOTS) : null
  const spec: ThreadSpec = {
    memory: (world.arena as NonNullable<World['arena']>).memory,
    module: world.kernel === 'wasm' ? sharedWasmModule() : null,
    T,
    dtype: world.dtype,
    dtMs: world.dtMs,
    spin: spinOf(world, T),
    ctrl: colRef(ctrlCol),
    i32: colRef(i32),
    f64: colRef(f64),
    errors: colRef(errCol),
    pops,
    states: plan.states.map(({ state }) => {
      const p = popIndex.get(state.post) as number
      return { pop: p, k: state.post.states.findIndex((s) => s.eid === state.eid) }
    }),
    outputs: plan.outputs.map(({ output }) => {
      const p = popIndex.get(output.post) as number
      return { pop: p, k: output.post.outputs.findIndex((o) => o.eid === output.eid) }
    }),
    comm,
    buckets,
    slots,
    timers: timers === null ? null : colRef(timers),
    fault: plan.fault,
  }
  const runner = createRunner(spec, 0, world.kernel === 'wasm' ? (wasmExports(world) as never) : null)
  const ctrl = ctrlCol.array
  let pool = poolOf(world)
  if (pool !== null && pool.T === T && !pool.stopped) reloadPool(pool, spec)
  else {
    if (pool !== null) stopPool(pool)
    pool = startPool(spec, ctrl)
    world.caches.set('threads:pool', pool)
    if (!world.disposers.includes(disposeThreads(world))) world.disposers.push(disposeThreads(world))
  }
  let work = 0
  if (plan.comm.length > 0) work |= 1
  if (plan.states.length > 0) work |= 2
  if (plan.outputs.length > 0) work |= 4
  if (pops.some((p) => p.run.kind !== 'main')) work |= 8
  return {
    T,
    spec,
    runner,
    pool,
    ctrl,
    I32: i32.array,
    F64: f64.array,
    errors: errCol.array,
    block: canBlock(ctrl),
    spin: spinState(spec.spin),
    stage,
    bounds: pops.map((p) => (p.run.kind === 'main' ? null : p.bounds)),
    spikes: pops.map((p) => new Int32Array(spec.memory.buffer, p.spikes.o, p.spikes.n)),
    work,
    timers: timers === null ? null : new Float64Array(spec.memory.buffer, timers.offset, TIMER_SLOTS),
  }
}

const disposers = new WeakMap<World, () => void>()
/** The world's one disposer of its threads (stops the pool, if any, and ends workers prepared and not taken). */
function disposeThreads(world: World): () => void {
  let d = disposers.get(world)
  if (d === undefined) {
    d = () => {
      const pool = poolOf(world)
      if (pool !== null) stopPool(pool)
      world.caches.delete('threads:pool')
      releaseThreads()
    }
    disposers.set(world, d)
  }
  return d
}

/**
 * Per-thread phase timers, for benchmarks: `threadTimers(world, true)` turns them on (the plan is rebuilt,
 * the timers start from 0); `threadTimings(world)` then reads, per thread, the milliseconds spent in each
 * part of the phases since (`TIMER` in threads/spec.ts: rows, barrier, comm, neurons, stage, wait, gather) and
 * the phases run. Off by default: they cost two clock reads per part of a phase.
 */
export function threadTimers(world: World, on: boolean): void {
  world.caches.set('threads:timers', on)
  const col = world.caches.get('threads:col:timers') as Column<Float64Array> | undefined
  if (col !== undefined) col.array.fill(0)
  world.version++
}

/** The phase timers of each thread (empty with one thread or the timers off). */
export function threadTimings(world: World): Record<keyof typeof TIMER, number>[] {
  const plan = world.plan as { threads?: ThreadPlan | null } | null
  const tp = plan?.threads ?? null
  if (tp === null || tp.spec.timers === null) return []
  const a = new Float64Array(tp.spec.memory.buffer, tp.spec.timers.o, tp.spec.timers.n)
  const names = Object.keys(TIMER) as (keyof typeof TIMER)[]
  const out: Record<keyof typeof TIMER, number>[] = []
  for (let t = 0; t < tp.T; t++) out.push(Object.fromEntries(names.map((n) => [n, a[t * TIMER_SLOTS + TIMER[n]]])) as never)
  return out
}

/** Stops the threads of a world whose plan no longer uses them (its structure now resolves to one thread). */
export function stopThreads(world: World): void {
  const pool = poolOf(world)
  if (pool !== null) {
    stopPool(pool)
    world.caches.delete('threads:pool')
  }
}

export type { ColRef }
