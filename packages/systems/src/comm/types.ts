/**
 * What a comm layer is: one record (`CommLayer`) holding everything the rest of spikecs asks of it — how its
 * descriptor is validated and resolved into data, its one delivery kernel, the synapses it holds, how its
 * weights are scaled, how an exporter writes it, and optionally its WebAssembly kernel and its stored form.
 * The records are listed once, in `comm/registry.ts`; every other module reaches a layer through its record.
 */
import type { CommDataBase, FloatArray, World } from '@spikecs/ecs-core'
import type { RowGenerator, RowWeight } from './rows.js'
import type { WasmComm } from '../wasm/comm-wasm.js'

/** What a comm layer needs to know about the projection it is built for. */
export interface CommContext {
  readonly world: World
  /** `projection 'NAME'`, for messages. */
  readonly object: string
  /** Projection name (keys the random streams). */
  readonly name: string
  readonly nPre: number
  readonly nPost: number
  /** Offset added to a pre index to compare it with post indices when pre and post are one population; −1 otherwise. */
  readonly selfOffset: number
  /** Rounds a weight to the state dtype. */
  readonly round: (x: number) => number
}

/**
 * A validated comm layer, not yet built: `build(eid)` allocates its columns for the projection entity `eid`.
 * Validation never touches the world, so a refused projection leaves it unchanged.
 */
export interface ResolvedComm<C extends CommDataBase = CommDataBase> {
  build(eid: number): C
}

/** Per-projection scratch of on-the-fly rows (allocated with the plan). */
export interface RowScratch {
  readonly targets: Int32Array
  readonly weights: FloatArray
  readonly keys: Uint32Array
}

/**
 * The delivery kernel of a layer: for the presynaptic inputs idx[from..to) (minus `offset`, so indices are
 * relative to the layer's input), add each synapse's weight × the input's value into every column of
 * `targets`; returns the synaptic events (synapses reached). `vals` holds the value of each listed index
 * (`vals[q]` for `idx[q]`), or is null for spikes: value 1, and w·1 = w exactly, so one kernel is both the
 * event form and the graded form. Event layers are always called with null. `selfOffset` maps an input index
 * to the post index of the same neuron (−1 when pre and post differ); `scratch` is the layer's per-tick scratch.
 * Each target column receives its increments in ascending input order and, within a row, ascending post order.
 */
export type Deliver<C> = (
  c: C,
  idx: Int32Array,
  vals: Float64Array | null,
  from: number,
  to: number,
  offset: number,
  selfOffset: number,
  targets: readonly FloatArray[],
  scratch: RowScratch | null,
) => number

/**
 * Delivery restricted to one thread's posts (a world with more than one thread, see docs/architecture.md,
 * "Threads"). `prepare` runs when the plan is built, on the main thread, and returns plain data a worker can
 * receive: numbers, arrays, and columns of the arena as `ColRef`s (`threads/spec.ts`); `deliver` runs on every
 * thread t with that data, its columns as views of the shared memory, and adds the increments of the inputs
 * idx[0..n) (already re-indexed to the layer's input; `vals` as for `Deliver`) into the posts [lo, hi) of each
 * target column only, in the order `Deliver` adds them; it returns the events reaching those posts. Every
 * post then receives exactly the additions it receives on one thread, in the same order, whatever T.
 * `wasmRange`: the same through WebAssembly kernels, which the threads call instead in float32 `wasm` worlds.
 */
export interface RangeDelivery<C> {
  prepare(world: World, c: C, selfOffset: number, bounds: readonly number[]): object
  readonly deliver: RangeDeliver
  /**
   * The same through WebAssembly kernels (`ex`: the module's exports on the calling thread; `idx` a view of the
   * arena, `targets` the target columns' byte offsets); returns the events.
   */
  readonly wasmRange?: (
    r: never,
    ex: Record<string, (...a: number[]) => number>,
    idx: Int32Array,
    n: number,
    t: number,
    targets: readonly number[],
  ) => number
}

// The data is `prepare`'s, with its column references turned into views: each layer casts it to its own type.
export type RangeDeliver = (
  r: never,
  idx: Int32Array,
  vals: Float64Array | null,
  n: number,
  t: number,
  lo: number,
  hi: number,
  targets: readonly FloatArray[],
) => number

/** Live weight scaling (`setWeightScale`): remember the weights as built, later write round(base·s). */
export interface WeightScaling<C, B> {
  base(c: C): B
  apply(c: C, base: B, s: number, round: (x: number) => number): void
}

/** Synapses of a layer as lists, in the layer's own indices (pre re-indexed from 0). */
export interface SynapseList {
  readonly pre: Int32Array
  readonly post: Int32Array
  /** Per-synapse weights (as the layer uses them), or null when `homo` holds the one weight. */
  readonly w: Float64Array | null
  readonly homo: number
}

/** The random law rows were drawn from, so that an exporter can write a connector drawing the same law. */
export interface DrawnLaw {
  readonly prob: number
  readonly includeSelf: boolean
  /** BrainPy's fixed out-degree: floor(nPost·prob) distinct targets per row instead of Bernoulli pairs. */
  readonly fixedOutDegree: boolean
  readonly weight: RowWeight
}

/**
 * How an exporter (PyNN) can write a layer, in neutral terms: every pre to every post with one weight, pre i
 * to post i with one weight, lists of synapses (materialised on demand; with the law they were drawn from,
 * for random layers), or nothing, with the reason.
 */
export type CommExport =
  | { readonly kind: 'allToAll'; readonly weight: number; readonly includeSelf: boolean }
  | { readonly kind: 'oneToOne'; readonly weight: number }
  | { readonly kind: 'lists'; readonly synapses: () => SynapseList; readonly law: DrawnLaw | null }
  | { readonly kind: 'none'; readonly reason: string }

/**
 * One comm layer (`C`: its data, `P`: its descriptor's parameters, `B`: its weights as built). Adding a layer
 * is writing one such record and listing it in `comm/registry.ts` (see docs/architecture.md, "Adding a comm
 * layer"). Later capabilities (a column index for plasticity, delivery split by post range) are further
 * members of this record, read when the plan is built.
 */
export interface CommLayer<C extends CommDataBase = CommDataBase, P = never, B = unknown> {
  readonly kind: C['kind']
  /**
   * An event layer adds each synapse's weight once per listed index, whatever a value buffer says (its kernel
   * is called with `vals` null); a non-event layer multiplies by the value.
   */
  readonly event: boolean
  /** Validates the descriptor's parameters against the projection (`obj` names layer and projection). */
  resolve(ctx: CommContext, obj: string, p: P): ResolvedComm<C>
  readonly deliver: Deliver<C>
  /** Scratch the kernel needs per tick (taken from the pool when the plan is built), or absent. */
  readonly scratch?: (world: World, c: C) => RowScratch
  /** Synapses of the layer: exact when stored, the expectation for on-the-fly rows (`exact` false). */
  synapses(c: C): { readonly n: number; readonly exact: boolean }
  readonly weights: WeightScaling<C, B>
  /** The description an exporter writes (`selfOffset` as for `Deliver`). */
  describe(world: World, c: C, selfOffset: number): CommExport
  /** The WebAssembly kernel for a `wasm` float32 world, or null to run `deliver`. */
  readonly wasm?: (world: World, c: C, selfOffset: number, targets: readonly number[]) => WasmComm | null
  /** Delivery by post range, for threads (layers with `rows` need none). */
  readonly range?: RangeDelivery<C>
  /**
   * Layers whose rows come from a row generator: `stored(…)` of them generates the rows once and keeps them
   * as the stored layer `storedAs`. With threads, their rows are generated once per spike into per-thread
   * buckets (`threads/runner.ts`) instead of a range kernel.
   */
  readonly rows?: { readonly storedAs: string; generator(ctx: CommContext, obj: string, p: P): RowGenerator }
}

export type { CommDataBase }
