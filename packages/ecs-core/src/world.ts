/**
 * The world: a bitecs world carrying the clock (integer tick, dt in ms), the seed, the state dtype, the
 * component stores, the column table, the snapshot sections registered by packages and users, and an opaque
 * slot where the systems keep what they compile from the structure. Everything hangs off the world: there are
 * no globals, so a program (or a test) can hold many worlds.
 */
import { createWorld as createBitecsWorld } from 'bitecs'
import { createComponents, type Components } from './components.js'
import { SpikecsError } from './errors.js'
import { createMergeRegistry, type MergeRegistry } from './merge-registry.js'
import { Stream, entityKey } from './rng.js'
import { createArena, type Arena, type Column, type Dtype } from './storage.js'
import { releaseScratch } from './scratch.js'
import type { SnapshotReader, SnapshotWriter } from './snapshot/binary.js'
import { checkInteger, checkPositive } from './validate.js'

export interface WorldOptions {
  /** Time step in ms (default 0.1). */
  dtMs?: number
  /** Seed of every random stream of the world (an unsigned 32-bit integer, default 1). */
  seed?: number
  /** Precision of state columns (default `float32`, BrainPy's default). */
  dtype?: Dtype
  /** Back columns with SharedArrayBuffer (default false). */
  shared?: boolean
  /**
   * Kernels: `js` (default) runs the TypeScript kernels; `wasm` places every column in one
   * WebAssembly memory and runs WebAssembly SIMD kernels (float32) where a population's models allow it,
   * TypeScript elsewhere.
   */
  kernel?: 'js' | 'wasm'
  /**
   * Fuse synapse decay, outputs and neuron integration into one loop per population where the model
   * combination allows it (default true). Numbers are identical either way; turn it off to observe synapse
   * states between `AlignPostSystem` and `NeuronSystem` from a system of your own.
   */
  fuse?: boolean
  /**
   * Threads that run the tick (default 1): a whole number ≥ 1, or `'auto'` — the host's cores when the
   * network is large enough to gain from them, else 1, decided when the plan is built (see the systems
   * package, `threadsOf`). With more than one thread every column lives in one shared `WebAssembly.Memory`
   * (also for `kernel: 'js'`), and the spikes and every state column are bit-identical for any thread count.
   */
  threads?: number | 'auto'
}

/** Most threads a world may ask for. */
export const MAX_THREADS = 256

/** A system: a function of the world, run once per tick. */
export type System = (world: World) => void

/**
 * A section of every snapshot of a world, for state kept outside columns and schema components' fields (the
 * systems register one for their synaptic-event counter). `write` appends the state to the payload; `read`
 * reads it back and checks it against this world without changing anything (`r.fail(why)` refuses the blob
 * as corrupted); `commit` puts what `read` returned into the world, once every section has been read. The
 * name of each registered section is part of the world's structure (see `addSnapshotSection`).
 */
export interface SnapshotSection<S = unknown> {
  readonly name: string
  write(world: World, w: SnapshotWriter): void
  read(world: World, r: SnapshotReader): S
  commit(world: World, staged: S): void
}

export interface WorldFields {
  readonly dtMs: number
  readonly seed: number
  readonly dtype: Dtype
  readonly shared: boolean
  readonly fuse: boolean
  readonly kernel: 'js' | 'wasm'
  /** Threads asked for (`threads` of the options): a count, or `'auto'`. */
  readonly threads: number | 'auto'
  /** The WebAssembly memory holding the columns (kernel `wasm`, or more than one thread), else null. */
  readonly arena: Arena | null
  /** The clock: index of the tick about to run (tick k covers [k·dt, (k+1)·dt)). */
  tick: number
  /** Neurons in all populations (the global neuron index space). */
  nNeurons: number
  /** Component stores by name: spikecs's own, then the components registered since. */
  readonly components: Components
  /** Every typed-array column, for snapshots and memory accounting. */
  readonly columns: Column[]
  /** Pool-backed scratch arrays held by the plan. */
  readonly scratch: ArrayBufferView[]
  /** Unique names of all named entities → entity id. */
  readonly names: Map<string, number>
  readonly merge: MergeRegistry
  /** Incremented by every structural change; the plan is rebuilt when it differs. */
  version: number
  /**
   * What the systems compile from the structure (their plan): opaque to this package, which never reads it;
   * rebuilt by its owner when `version` changes.
   */
  plan: unknown
  /** Systems `step()` runs, in order. */
  pipeline: System[]
  /** Sequential streams by purpose (for snapshots). */
  readonly streams: Map<string, Stream>
  /** Build-time caches (e.g. gap tables shared by projections with equal parameters); never read per tick. */
  readonly caches: Map<string, unknown>
  /** Snapshot sections registered with `addSnapshotSection`, in registration order. */
  readonly sections: SnapshotSection[]
  /** Called by `disposeWorld`, last registered first (e.g. the systems stop the world's worker threads). */
  readonly disposers: (() => void)[]
}

export type World = WorldFields

/** Creates a world. Throws on a non-positive or non-finite dt, a seed that is not a 32-bit integer, or an unknown dtype. */
export function createWorld(options: WorldOptions = {}): World {
  // A JavaScript caller may pass null or a non-object: name it rather than fail on a property read.
  if (options === null || typeof options !== 'object') {
    throw new SpikecsError('world', 'options', options, 'must be an object such as { dtMs: 0.1, seed: 1 }')
  }
  const dtMs = checkPositive('world', 'dtMs', options.dtMs ?? 0.1, 'ms')
  const seed = checkInteger('world', 'seed', options.seed ?? 1, 0, 0xffffffff)
  const dtype = options.dtype ?? 'float32'
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new SpikecsError('world', 'dtype', dtype, "must be 'float32' or 'float64'")
  }
  const kernel = options.kernel ?? 'js'
  if (kernel !== 'js' && kernel !== 'wasm') {
    throw new SpikecsError('world', 'kernel', kernel, "must be 'js' or 'wasm'")
  }
  const threads = options.threads ?? 1
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
    throw new SpikecsError('world', 'threads', threads, `must be 'auto' or a whole number from 1 to ${MAX_THREADS}`)
  }
  const fields: WorldFields = {
    dtMs,
    seed,
    dtype,
    shared: options.shared ?? false,
    fuse: options.fuse ?? true,
    kernel,
    threads,
    arena: kernel === 'wasm' || threads !== 1 ? createArena() : null,
    tick: 0,
    nNeurons: 0,
    components: createComponents(),
    columns: [],
    scratch: [],
    names: new Map(),
    merge: createMergeRegistry(),
    version: 0,
    plan: null,
    pipeline: [],
    streams: new Map(),
    caches: new Map(),
    sections: [],
    disposers: [],
  }
  return createBitecsWorld(fields) as World
}

/** Time in ms at the start of the current tick. */
export function timeMs(world: World): number {
  return world.tick * world.dtMs
}

/** Advances the clock by one tick (the last slot of every tick). */
export function advanceClock(world: World): void {
  world.tick++
}

/** The sequential random stream of (world seed, purpose); created on first use. */
export function streamFor(world: World, purpose: string): Stream {
  let s = world.streams.get(purpose)
  if (!s) {
    s = new Stream(entityKey(world.seed, purpose))
    world.streams.set(purpose, s)
  }
  return s
}

/**
 * Stops what the world runs besides the caller (its worker threads) and releases pooled scratch memory; the
 * world must not be stepped afterwards.
 */
export function disposeWorld(world: World): void {
  while (world.disposers.length > 0) (world.disposers.pop() as () => void)()
  releaseScratch(world)
  world.plan = null
}
