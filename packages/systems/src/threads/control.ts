/**
 * The control block of a threaded world and its synchronisation: one Int32Array in the shared arena that the
 * main thread and every worker read with `Atomics`. A phase starts when the main thread bumps the generation
 * (`GEN`); a worker finishes it by storing that generation in its `DONE` slot. Threads that must meet inside a
 * phase (on-the-fly rows: every thread generates, then every thread applies) use a generation barrier.
 *
 * Waiting spins on `Atomics.load` for a bounded number of reads, adapted per thread (`Spin`; a hand-over then
 * costs about a microsecond when the other thread is running; the clock is not read while spinning, see
 * `SPIN_READS`), then blocks in `Atomics.wait` until notified (a wake-up costs tens of
 * microseconds); with more threads than cores the spin budget is 0, since a spinning thread would take the
 * core of the one it waits for. A thread that cannot block (a browser page's main thread) only spins.
 */

/** Slots of the control block. */
export const CTRL = {
  /** Phase generation: bumped by the main thread to start a phase. */
  GEN: 0,
  /** What the phase runs: a mask of `PHASE` bits. */
  MASK: 1,
  /** The tick being run. */
  TICK: 2,
  /** Command with the generation: `CMD_PHASE`, `CMD_RELOAD` (take the next message) or `CMD_EXIT`. */
  CMD: 3,
  /** Barrier: threads arrived, and its generation. */
  BAR_COUNT: 4,
  BAR_GEN: 5,
  /** 0, or 1 + the index of the first thread that failed in this phase. */
  ERROR: 6,
  /** Set by a thread whose on-the-fly buckets were too small this tick (the rows are then regenerated). */
  OVERFLOW: 7,
  /** Threads blocked (or about to block) in `Atomics.wait`: a store wakes them only when this is not 0. */
  SLEEPERS: 8,
  /** Per-thread slots from here: the generation each worker finished last. */
  DONE: 16,
} as const

export const CMD_PHASE = 0
export const CMD_RELOAD = 1
export const CMD_EXIT = 2

/** Bits of a phase mask: the simulation slots a phase runs, in tick order. */
export const PHASE = { COMM: 1, ALIGN: 2, OUTPUT: 4, NEURON: 8 } as const

/** Int32 slots of the control block for T threads. */
export function controlSlots(T: number): number {
  return CTRL.DONE + T
}

/** Bytes of the error message area. */
export const ERROR_BYTES = 8192

let blockable: boolean | null = null
/** True when this thread may block in `Atomics.wait` (not a browser page's main thread). */
export function canBlock(ctrl: Int32Array): boolean {
  if (blockable === null) {
    try {
      Atomics.wait(ctrl, CTRL.ERROR, -1, 0)
      blockable = true
    } catch {
      blockable = false
    }
  }
  return blockable
}

/**
 * A thread's spin budget, adapted to how its spins end: a spin that saw the value it waited for doubles the
 * budget (up to `max`), one that ran out quarters it (down to `MIN_SPIN` reads), and every 64th wait spins for
 * the whole `max`, so a budget that shrank while the other core was busy (the thread it waited for was not
 * running: spinning only burned the budget) grows back once that core is free again.
 */
export interface Spin {
  /** Reads the next wait spins for. */
  reads: number
  /** Most reads (the spec's budget; 0: never spin). */
  readonly max: number
  /** Waits so far. */
  waits: number
}

/** Smallest adapted budget (reads, about 1.5 µs): a wait whose spin fails costs at most this much more. */
export const MIN_SPIN = 256

/** A spin budget of at most `max` reads. */
export function spinState(max: number): Spin {
  return { reads: max, max, waits: 0 }
}

/** The reads of this wait (every 64th spins for the whole budget). */
export function budget(s: Spin): number {
  s.waits++
  return (s.waits & 63) === 0 ? s.max : s.reads
}

/** A spin of `n` reads ended: it saw the value (`ok`) or ran out. */
export function spun(s: Spin, n: number, ok: boolean): void {
  s.reads = ok ? Math.min(s.max, 2 * n) : Math.max(Math.min(MIN_SPIN, s.max), n >> 2)
}

/** Waits until ctrl[index] differs from `value`: spins (budget `s`), then blocks (or keeps spinning). */
export function waitWhile(ctrl: Int32Array, index: number, value: number, s: Spin, block: boolean): void {
  const n = budget(s)
  for (let k = 0; k < n; k++) {
    if (Atomics.load(ctrl, index) !== value) {
      spun(s, n, true)
      return
    }
  }
  if (n > 0) spun(s, n, false)
  if (block) {
    while (Atomics.load(ctrl, index) === value) sleep(ctrl, index, value)
  } else {
    while (Atomics.load(ctrl, index) === value) {
      // spin: this thread cannot block
    }
  }
}

/** Waits until ctrl[index] equals `value` (the main thread waiting for a worker's DONE slot). */
export function waitFor(ctrl: Int32Array, index: number, value: number, s: Spin, block: boolean): void {
  const n = budget(s)
  for (let k = 0; k < n; k++) {
    if (Atomics.load(ctrl, index) === value) {
      spun(s, n, true)
      return
    }
  }
  if (n > 0) spun(s, n, false)
  for (;;) {
    const v = Atomics.load(ctrl, index)
    if (v === value) return
    if (block) sleep(ctrl, index, v)
  }
}

/**
 * Blocks while ctrl[index] is `value`, counted in SLEEPERS. A storing thread reads SLEEPERS after its store
 * (sequentially consistent atomics): either it sees this thread counted and wakes it, or this thread's wait
 * sees the new value and does not block.
 */
export function sleep(ctrl: Int32Array, index: number, value: number, timeoutMs = Infinity): void {
  Atomics.add(ctrl, CTRL.SLEEPERS, 1)
  Atomics.wait(ctrl, index, value, timeoutMs)
  Atomics.sub(ctrl, CTRL.SLEEPERS, 1)
}

/** Stores and wakes whoever waits on the slot. */
export function signal(ctrl: Int32Array, index: number, value: number): void {
  Atomics.store(ctrl, index, value)
  if (Atomics.load(ctrl, CTRL.SLEEPERS) !== 0) Atomics.notify(ctrl, index)
}

/** A barrier of all T threads (main included); the last to arrive releases the others. */
export function barrier(ctrl: Int32Array, T: number, spin: Spin, block: boolean): void {
  const g = Atomics.load(ctrl, CTRL.BAR_GEN)
  if (Atomics.add(ctrl, CTRL.BAR_COUNT, 1) === T - 1) {
    Atomics.store(ctrl, CTRL.BAR_COUNT, 0)
    Atomics.add(ctrl, CTRL.BAR_GEN, 1)
    if (Atomics.load(ctrl, CTRL.SLEEPERS) !== 0) Atomics.notify(ctrl, CTRL.BAR_GEN)
  } else waitWhile(ctrl, CTRL.BAR_GEN, g, spin, block)
}
