/**
 * The control block of a threaded world and its synchronisation: one Int32Array in the shared arena that the
 * main thread and every worker read with `Atomics`. A phase starts when the main thread bumps the generation
 * (`GEN`); a worker finishes it by storing that generation in its `DONE` slot. Threads that must meet inside a
 * phase (on-the-fly rows: every thread generates, then every thread applies) use a generation barrier.
 *
 * Waiting spins on `Atomics.load` for a bounded time (a hand-over then costs about a microsecond when the
 * other thread is running), then blocks in `Atomics.wait` until notified (a wake-up costs tens of
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

/** Reads between two looks at the clock while spinning. */
const SPIN_CHUNK = 64

/**
 * Spins while ctrl[index] is `value` (`differ`: false) or until it is (`differ`: true), for at most `spinUs`
 * microseconds; true when the wait is over.
 */
function spinOn(ctrl: Int32Array, index: number, value: number, spinUs: number, differ: boolean): boolean {
  if (spinUs <= 0) return false
  let until = 0
  for (;;) {
    for (let k = 0; k < SPIN_CHUNK; k++) if ((Atomics.load(ctrl, index) === value) !== differ) return true
    const now = performance.now()
    if (until === 0) until = now + spinUs / 1000
    else if (now >= until) return false
  }
}

/** Waits until ctrl[index] differs from `value`: spins up to `spinUs` µs, then blocks (or keeps spinning). */
export function waitWhile(ctrl: Int32Array, index: number, value: number, spinUs: number, block: boolean): void {
  if (spinOn(ctrl, index, value, spinUs, true)) return
  if (block) {
    while (Atomics.load(ctrl, index) === value) sleep(ctrl, index, value)
  } else {
    while (Atomics.load(ctrl, index) === value) {
      // spin: this thread cannot block
    }
  }
}

/** Waits until ctrl[index] equals `value` (the main thread waiting for a worker's DONE slot). */
export function waitFor(ctrl: Int32Array, index: number, value: number, spinUs: number, block: boolean): void {
  if (spinOn(ctrl, index, value, spinUs, false)) return
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
export function barrier(ctrl: Int32Array, T: number, spinUs: number, block: boolean): void {
  const g = Atomics.load(ctrl, CTRL.BAR_GEN)
  if (Atomics.add(ctrl, CTRL.BAR_COUNT, 1) === T - 1) {
    Atomics.store(ctrl, CTRL.BAR_COUNT, 0)
    Atomics.add(ctrl, CTRL.BAR_GEN, 1)
    if (Atomics.load(ctrl, CTRL.SLEEPERS) !== 0) Atomics.notify(ctrl, CTRL.BAR_GEN)
  } else waitWhile(ctrl, CTRL.BAR_GEN, g, spinUs, block)
}
