/**
 * `threads: 'auto'` decided by measurement. Whether a second thread pays depends on the network and on the
 * host: how many of its cores are free, whether they share their arithmetic units (then a thread that spins
 * while it waits slows the one it waits for), how much memory bandwidth another core adds. So `run` (not
 * `step`) times the network itself the first time it runs it: a stretch on one thread, one on the host's cores
 * with waits that spin, one on the cores with waits that block at once, each a warm-up followed by measured
 * chunks, and keeps the fastest (the median time per tick of the measured chunks) — the cores only when they
 * save at least `AUTO_MARGIN` of one thread's tick. The results of a run do not depend on the thread count
 * (bit-identical for any count), so switching during a run changes nothing but its speed.
 *
 * Only networks of at least `AUTO_MIN_NEURONS` neurons on a host with shared memory, workers and two cores or
 * more are tried; the decision holds until the network's size or kind of rows changes. A world that is only
 * stepped uses the static rule of `threadsOf` until a `run` decides.
 */
import type { World } from '@spikecs/ecs-core'

/** Ticks per chunk of a trial. */
export const TRIAL_CHUNK = 10
/** Wall time (ms) each stage is measured for, at least (after its warm-up). */
export const TRIAL_MS = 25
/**
 * Warm-up of a stage (ms, whole chunks, at least one): the first chunk holds the plan's rebuild; the first stage
 * also the first touch of the network's memory and the compilers' tier-up, hence twice as long.
 */
const WARM_MS = 10
/** Measured chunks per thread count, at least. */
const TRIAL_MIN_CHUNKS = 3
/**
 * The share of one thread's tick the cores must save to be chosen: a gain within the trial's noise is not worth
 * a busy core and a worker's memory (about 18 MiB in Node).
 */
export const AUTO_MARGIN = 0.1

/** What a stage of a trial runs: one thread, the cores spinning, the cores blocking; or decided. */
export const STAGE = { ONE: 0, SPIN: 1, BLOCK: 2, DONE: 3 } as const
/**
 * The stages in order: each setting twice, mirrored, so that activity drifting during the trial (a network's
 * opening burst settling) weighs on every setting alike; each setting's time is the mean of its two.
 */
const ORDER = [STAGE.ONE, STAGE.SPIN, STAGE.BLOCK, STAGE.BLOCK, STAGE.SPIN, STAGE.ONE] as const

/** A trial of one world: the stage (`STAGE`), per-tick times, the choice. */
export interface AutoTrial {
  /** The network the trial is for (its size and whether it has on-the-fly rows). */
  readonly key: string
  /** What the current stage runs (`STAGE`), and its place in the order. */
  stage: number
  step: number
  /** Chunks run in this stage, and their time (ms) while warming up. */
  chunks: number
  warm: number
  /** Measured wall time (ms) in this stage. */
  ms: number
  /** Per-tick times (µs) of this stage's measured chunks. */
  perTick: number[]
  /** µs per tick on one thread, on the cores spinning, on the cores blocking (sums of the stages' medians). */
  one: number
  spin: number
  block: number
  /** Threads chosen, and whether their waits spin (stage DONE). */
  choice: number
  spins: boolean
}

/** Where a world keeps its trial (`world.caches`). */
export const TRIAL_KEY = 'threads:auto'
const KEY = TRIAL_KEY

/** The world's trial for the network `key`, or undefined when none was started for it. */
export function trialOf(world: World, key: string): AutoTrial | undefined {
  const t = world.caches.get(KEY) as AutoTrial | undefined
  return t !== undefined && t.key === key ? t : undefined
}

/** Starts a trial for `key` (the plan is rebuilt: the next tick runs on one thread). */
export function startTrial(world: World, key: string): AutoTrial {
  const t: AutoTrial = {
    key,
    stage: STAGE.ONE,
    step: 0,
    chunks: 0,
    warm: 0,
    ms: 0,
    perTick: [],
    one: 0,
    spin: 0,
    block: 0,
    choice: 0,
    spins: true,
  }
  world.caches.set(KEY, t)
  world.version++
  return t
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * Records a chunk of `ticks` ticks that took `ms`; moves to the next stage (rebuilding the plan) when this one
 * has measured enough. `cores`: the thread count tried against one.
 */
export function recordChunk(world: World, t: AutoTrial, ticks: number, ms: number, cores: number): void {
  t.chunks++
  if (t.chunks === 1 || t.warm < (t.stage === STAGE.ONE ? 2 * WARM_MS : WARM_MS)) {
    t.warm += ms
    return
  }
  t.ms += ms
  t.perTick.push((ms * 1000) / ticks)
  if (t.ms < TRIAL_MS || t.perTick.length < TRIAL_MIN_CHUNKS) return
  const m = median(t.perTick) / 2
  if (t.stage === STAGE.ONE) t.one += m
  else if (t.stage === STAGE.SPIN) t.spin += m
  else t.block += m
  t.step++
  t.stage = t.step < ORDER.length ? ORDER[t.step] : STAGE.DONE
  if (t.stage === STAGE.DONE) {
    t.choice = Math.min(t.spin, t.block) < t.one * (1 - AUTO_MARGIN) ? cores : 1
    t.spins = t.spin <= t.block
  }
  t.chunks = 0
  t.warm = 0
  t.ms = 0
  t.perTick = []
  world.version++
}
