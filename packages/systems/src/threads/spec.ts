/**
 * The thread spec: what a worker needs to run its share of a tick, as plain structured-clonable data — the
 * shared memory, and per population, synapse state, output and projection the arena offsets of its columns,
 * its model and layer kinds and its partition into thread ranges. A worker rebuilds its kernels from it (the
 * same generators the main thread uses: `runner.ts`); the main thread runs its own share from the same spec,
 * so every thread executes the same code. The spec is rebuilt with the plan and never saved: it is derived
 * from the structure and the thread count, not state.
 */
import type { Dtype } from '@spikecs/ecs-core'

/** A column of the arena: byte offset, length and element type. */
export interface ColRef {
  readonly $col: true
  readonly o: number
  readonly n: number
  readonly t: 'f32' | 'f64' | 'i32' | 'u32' | 'u8'
}

/** The reference of a column of the arena (kernel scratch or state). */
export function colRef(col: { readonly offset: number; readonly array: ArrayBufferView & { length: number } }): ColRef {
  if (col.offset < 0) throw new Error('threads: a column outside the arena')
  const a = col.array
  const t =
    a instanceof Float32Array
      ? 'f32'
      : a instanceof Float64Array
        ? 'f64'
        : a instanceof Int32Array
          ? 'i32'
          : a instanceof Uint32Array
            ? 'u32'
            : 'u8'
  return { $col: true, o: col.offset, n: a.length, t }
}

/** Reference of a typed array that is a view of the arena's buffer (its byte offset is its arena offset). */
export function arrayRef(a: Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array): ColRef {
  return colRef({ offset: a.byteOffset, array: a })
}

export interface StateSpec {
  readonly kind: string
  readonly merged: boolean
  readonly cols: Readonly<Record<string, ColRef>>
  readonly inputCols: readonly ColRef[]
  readonly cond: ColRef
  readonly derived: readonly number[]
}

export interface OutputSpec {
  readonly kind: string
  readonly params: Readonly<Record<string, number>>
  /** Index of its state in the population's `states`. */
  readonly state: number
}

/** How a population's neuron work runs on the threads. */
export type PopRun =
  | { readonly kind: 'fused' | 'unfused' }
  | { readonly kind: 'wasm-lif'; readonly fn: string; readonly prm: number }
  | {
      readonly kind: 'wasm-model'
      readonly neuron: string
      readonly synapses: readonly string[]
      readonly synPrm: readonly number[]
      readonly prm: number
    }
  /** A spike source: the main thread runs it whole. */
  | { readonly kind: 'main' }

export interface PopSpec {
  readonly name: string
  readonly model: string
  readonly size: number
  /** Thread t owns neurons [bounds[t], bounds[t+1]); every bound but the last is a multiple of 4. */
  readonly bounds: readonly number[]
  readonly run: PopRun
  readonly params: ColRef
  readonly state: Readonly<Record<string, ColRef>>
  readonly spikes: ColRef
  readonly inp: { readonly G: ColRef; readonly GE: ColRef; readonly I: ColRef; readonly iArr: ColRef; readonly hasArr: boolean }
  readonly states: readonly StateSpec[]
  readonly outputs: readonly OutputSpec[]
  /** Slot of this tick's scalar input in the f64 tick block. */
  readonly scalarSlot: number
}

/** How a projection's increments reach each thread's posts. */
export type CommMode =
  /** A range kernel of the layer (`CommLayer.range`): each thread adds the increments of its own posts. */
  | { readonly kind: 'range'; readonly data: unknown; readonly wasm: boolean }
  /** On-the-fly rows: generated once (the spikes split among threads) into per-owner buckets, then applied. */
  | {
      readonly kind: 'rows'
      readonly gen: unknown
      readonly jit: number
      /** The post population's bounds (T+1 i32), for the WebAssembly generator. */
      readonly bnd: ColRef
      /** The WebAssembly generator's sampler arguments (one weight, float32 `wasm` worlds), or null. */
      readonly wasm:
        | { readonly log: false; readonly bits: number; readonly lo: number; readonly hi: number; readonly thr: number }
        | { readonly log: true; readonly inv: number; readonly lnt: number }
        | null
    }

export interface CommSpec {
  readonly layer: string
  readonly post: number
  readonly event: boolean
  readonly selfOffset: number
  readonly targets: readonly ColRef[]
  /** This tick's inputs, re-indexed to the layer (staged by the main thread), and their values (value buffers). */
  readonly stage: ColRef
  readonly vals: ColRef
  readonly mode: CommMode
  /** The projection's plasticity (`STDP_Song2000`, plasticity/stdp.ts), run by each thread on its posts; or null. */
  readonly stdp: StdpSpec | null
}

/** What a thread needs of a plastic projection: its record's columns and constants, its rows, the post spikes. */
export interface StdpSpec {
  readonly Apre: ColRef
  readonly Apost: ColRef
  readonly colptr: ColRef
  readonly colsyn: ColRef
  readonly colpre: ColRef
  readonly aS: number
  readonly aT: number
  readonly wMin: number
  readonly wMax: number
  readonly A1: number
  readonly A2: number
  readonly indptr: ColRef
  readonly indices: ColRef
  readonly weights: ColRef
  /** The post population's spike list (the previous tick's while a phase runs). */
  readonly postSpikes: ColRef
}

export interface ThreadSpec {
  readonly memory: WebAssembly.Memory
  /** The kernel module compiled for shared memory (kernel `wasm`), or null. */
  readonly module: WebAssembly.Module | null
  readonly T: number
  readonly dtype: Dtype
  readonly dtMs: number
  /** Spin budget of a wait, in reads (0 with more threads than cores). */
  readonly spin: number
  readonly ctrl: ColRef
  readonly i32: ColRef
  readonly f64: ColRef
  readonly errors: ColRef
  readonly pops: readonly PopSpec[]
  /** Unfused synapse states and outputs (population index, index in its `states`), in plan order. */
  readonly states: readonly { readonly pop: number; readonly k: number }[]
  readonly outputs: readonly { readonly pop: number; readonly k: number }[]
  readonly comm: readonly CommSpec[]
  /** On-the-fly bucket capacity (entries per generator and owner thread) and the bucket columns. */
  readonly buckets: {
    readonly cap: number
    readonly posts: ColRef | null
    readonly incs: ColRef | null
    /** Fills: T per generator thread. */
    readonly fill: ColRef | null
    readonly nPostMax: number
  }
  /** Layout of the i32 tick block (slot offsets). */
  readonly slots: TickSlots
  /**
   * Per-thread phase timers (`threadTimings`), or null when off: TIMER_SLOTS doubles per thread, the time (ms)
   * spent in each part of the phases (see `TIMER`).
   */
  readonly timers: ColRef | null
  /** A fault to raise, for tests of the error path: population index and tick (−1: none). */
  readonly fault: { readonly pop: number; readonly tick: number }
}

/** Parts of a phase the timers measure, per thread (ms, summed over phases). */
export const TIMER = {
  /** Generating on-the-fly rows into buckets. */
  rows: 0,
  /** Waiting at the barrier between generating and applying rows. */
  barrier: 1,
  /** Delivering increments (range kernels, buckets). */
  comm: 2,
  /** Synapse advance and outputs of unfused populations, and the neuron kernels. */
  neurons: 3,
  /** Main thread: staging inputs and spikes before the phase. */
  stage: 4,
  /** Main thread: waiting for the workers to finish; a worker: waiting for the next phase. */
  wait: 5,
  /** Main thread: concatenating spike runs and summing events after the phase. */
  gather: 6,
  /** Phases run. */
  phases: 7,
} as const
export const TIMER_SLOTS = 8

/** Offsets into the i32 tick block. */
export interface TickSlots {
  /** Per projection: staged count, 1 when values were staged, and the post population's spike count. */
  readonly comm: number
  /** Per population and thread: the end of the thread's spikes in the spike list. */
  readonly spikes: number
  /** Per thread: synaptic events of the phase. */
  readonly events: number
  /** Per on-the-fly projection, generator and owner: the end of the projection's segment in the bucket. */
  readonly segs: number
  readonly size: number
}

export function tickSlots(T: number, nComm: number, nPops: number, nJit: number): TickSlots {
  const comm = 0
  const spikes = comm + 3 * nComm
  const events = spikes + nPops * T
  const segs = events + T
  return { comm, spikes, events, segs, size: segs + nJit * T * T }
}

/** Views of the arena's buffer, one per (type, offset, length), so one column is always one array object. */
export function viewCache(buffer: ArrayBufferLike): (r: ColRef) => Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array {
  const cache = new Map<string, Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array>()
  return (r) => {
    const key = `${r.t}:${r.o}:${r.n}`
    let v = cache.get(key)
    if (v === undefined) {
      v =
        r.t === 'f32'
          ? new Float32Array(buffer, r.o, r.n)
          : r.t === 'f64'
            ? new Float64Array(buffer, r.o, r.n)
            : r.t === 'i32'
              ? new Int32Array(buffer, r.o, r.n)
              : r.t === 'u32'
                ? new Uint32Array(buffer, r.o, r.n)
                : new Uint8Array(buffer, r.o, r.n)
      cache.set(key, v)
    }
    return v
  }
}

/** A copy of plain data with every column reference replaced by its view. */
export function rehydrate<T>(x: unknown, view: (r: ColRef) => ArrayBufferView): T {
  if (x === null || typeof x !== 'object' || ArrayBuffer.isView(x)) return x as T
  if ((x as ColRef).$col === true) return view(x as ColRef) as T
  if (Array.isArray(x)) return x.map((e) => rehydrate(e, view)) as T
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(x)) out[k] = rehydrate(v, view)
  return out as T
}
