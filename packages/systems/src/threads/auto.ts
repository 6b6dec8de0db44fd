/**
 * `threads: 'auto'` decided by measurement. Whether a second thread pays depends on the network and on the
 * host: how many of its cores are free, whether they share their arithmetic units, how much memory bandwidth
 * another core adds. So `run` (not `step`) times the network itself the first time it runs it: a stretch on one
 * thread, then a stretch on the host's cores, each a warm-up chunk followed by measured chunks, and keeps the
 * faster (the median time per tick of the measured chunks). The results of a run do not depend on the thread
 * count (bit-identical for any count), so switching during a run changes nothing but its speed.
 *
 * Only networks of at least `AUTO_MIN_NEURONS` neurons on a host with shared memory, workers and two cores or
 * more are tried; the decision holds until the network's size or kind of rows changes. A world that is only
 * stepped uses the static rule of `threadsOf` until a `run` decides.
 */
import type { World } from '@spikecs/ecs-core'

/** Ticks per chunk of a trial. */
export const TRIAL_CHUNK = 10
/** Wall time (ms) each thread count is measured for, at least (after its warm-up chunk). */
export const TRIAL_MS = 30
/** Measured chunks per thread count, at least. */
const TRIAL_MIN_CHUNKS = 3

/** A trial of one world: the stage (0: one thread, 1: the cores, 2: decided), per-tick times, the choice. */
export interface AutoTrial {
  /** The network the trial is for (its size and whether it has on-the-fly rows). */
  readonly key: string
  stage: 0 | 1 | 2
  /** Chunks run in this stage (the first is the warm-up). */
  chunks: number
  /** Measured wall time (ms) in this stage. */
  ms: number
  /** Per-tick times (µs) of this stage's measured chunks. */
  perTick: number[]
  /** Median µs per tick on one thread, and on the cores (NaN until measured). */
  one: number
  many: number
  /** Threads chosen (stage 2). */
  choice: number
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
  const t: AutoTrial = { key, stage: 0, chunks: 0, ms: 0, perTick: [], one: Number.NaN, many: Number.NaN, choice: 0 }
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
  if (t.chunks > 1) {
    t.ms += ms
    t.perTick.push((ms * 1000) / ticks)
  }
  if (t.ms < TRIAL_MS || t.perTick.length < TRIAL_MIN_CHUNKS) return
  if (t.stage === 0) {
    t.one = median(t.perTick)
    t.stage = 1
  } else if (t.stage === 1) {
    t.many = median(t.perTick)
    t.stage = 2
    t.choice = t.many < t.one ? cores : 1
  }
  t.chunks = 0
  t.ms = 0
  t.perTick = []
  world.version++
}
