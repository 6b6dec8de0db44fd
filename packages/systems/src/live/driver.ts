/**
 * A fixed-timestep driver for real-time hosts (a browser's animation frames, a worker's timer, a game
 * engine's update). The host tells it how much wall-clock time passed since the last frame; the driver
 * turns that into whole ticks of dt:
 *
 *   carry ← carry + elapsedMs · speed / dtMs        (ticks owed, in ticks; speed = biological ms per wall ms)
 *   n     ← min(floor(carry), maxTicksPerFrame)     (the cap: a slow frame cannot demand ever more ticks)
 *   carry ← carry − floor(carry)                    (only the fraction of a tick is carried; a backlog beyond
 *                                                     the cap is dropped and counted, never caught up later)
 *
 * so the simulation clock follows the wall clock at `speed` × real time while the host keeps up, and falls
 * behind gracefully (fewer ticks per frame, the dropped ones reported) when it does not. Paused, the clock
 * stops: elapsed time is ignored and nothing is owed. `singleStep` runs exactly one tick whatever the state.
 */
import { SpikecsError, checkFinite, checkInteger, type World } from '@spikecs/ecs-core'
import { step } from '../run.js'
import { clearTap, type SpikeTap } from './tap.js'

/** Ticks owed within this tolerance of a whole number count as that number (elapsed·speed/dt is inexact). */
const WHOLE_TICK_TOLERANCE = 1e-9

export interface DriverOptions {
  /** Biological ms per wall-clock ms (1 = real time), default 1. */
  speed?: number
  /** Lowest speed `setSpeed` accepts, default 0.1. */
  minSpeed?: number
  /** Highest speed `setSpeed` accepts, default 100. */
  maxSpeed?: number
  /** Most ticks one frame runs, default the ticks of 100 ms of biological time (1000 at dt = 0.1 ms). */
  maxTicksPerFrame?: number
  /** Start paused (default false). */
  paused?: boolean
  /** Spike taps cleared at the start of every frame, so after a frame each holds that frame's spikes. */
  taps?: readonly SpikeTap[]
  /** Runs one tick (default `step`: the world's pipeline). */
  tick?: (world: World) => void
  /** Wall clock in ms for the compute-time readout (default `performance.now`). */
  now?: () => number
}

/** What one frame did. */
export interface FrameReport {
  /** Ticks run in this frame. */
  ticks: number
  /** Whole ticks owed but not run because of the cap (biological time dropped = dropped·dt). */
  dropped: number
  /** Wall-clock ms the host said had passed (0 when paused). */
  elapsedMs: number
  /** Wall-clock ms spent running the ticks. */
  computeMs: number
  /** Biological ms simulated per wall-clock ms elapsed in this frame (0 when nothing elapsed). */
  realTimeFactor: number
}

export interface Driver {
  readonly world: World
  readonly minSpeed: number
  readonly maxSpeed: number
  readonly maxTicksPerFrame: number
  /** Biological ms per wall-clock ms; change it with `setSpeed`. */
  readonly speed: number
  readonly paused: boolean
  /** Fraction of a tick owed to the next frame, in ticks, in [0, 1). */
  readonly carry: number
  /** Frames advanced, ticks run and dropped, wall ms elapsed while running and spent computing, since creation. */
  readonly totals: { frames: number; ticks: number; dropped: number; elapsedMs: number; computeMs: number }
  /** The last frame's report. */
  readonly last: FrameReport
}

interface DriverState {
  world: World
  minSpeed: number
  maxSpeed: number
  maxTicksPerFrame: number
  speed: number
  paused: boolean
  carry: number
  totals: Driver['totals']
  last: FrameReport
  taps: readonly SpikeTap[]
  tick: (world: World) => void
  now: () => number
}

const OBJECT = 'driver'

function defaultNow(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance
  return perf !== undefined ? () => perf.now() : () => Date.now()
}

function emptyReport(): FrameReport {
  return { ticks: 0, dropped: 0, elapsedMs: 0, computeMs: 0, realTimeFactor: 0 }
}

/** A driver for `world` (see the module comment). */
export function createDriver(world: World, options: DriverOptions = {}): Driver {
  const minSpeed = checkFinite(OBJECT, 'minSpeed', options.minSpeed ?? 0.1)
  if (minSpeed <= 0) throw new SpikecsError(OBJECT, 'minSpeed', minSpeed, 'must be > 0')
  const maxSpeed = checkFinite(OBJECT, 'maxSpeed', options.maxSpeed ?? 100)
  if (maxSpeed < minSpeed) throw new SpikecsError(OBJECT, 'maxSpeed', maxSpeed, `must be >= minSpeed (${minSpeed})`)
  const maxTicksPerFrame = checkInteger(
    OBJECT,
    'maxTicksPerFrame',
    options.maxTicksPerFrame ?? Math.max(1, Math.round(100 / world.dtMs)),
    1,
  )
  const tick = options.tick ?? step
  if (typeof tick !== 'function') throw new SpikecsError(OBJECT, 'tick', tick, 'must be a function of the world')
  const d: DriverState = {
    world,
    minSpeed,
    maxSpeed,
    maxTicksPerFrame,
    speed: 1,
    paused: options.paused === true,
    carry: 0,
    totals: { frames: 0, ticks: 0, dropped: 0, elapsedMs: 0, computeMs: 0 },
    last: emptyReport(),
    taps: [...(options.taps ?? [])],
    tick,
    now: options.now ?? defaultNow(),
  }
  setSpeed(d, options.speed ?? 1)
  return d
}

function runTicks(d: DriverState, n: number): number {
  for (let k = 0; k < d.taps.length; k++) clearTap(d.taps[k])
  const t0 = d.now()
  const world = d.world,
    tick = d.tick
  for (let k = 0; k < n; k++) tick(world)
  return d.now() - t0
}

/**
 * Advances the world by the ticks that fit in `elapsedMs` of wall-clock time at the driver's speed (see the
 * module comment) and returns what the frame did. Paused, it runs nothing and owes nothing.
 */
export function advanceFrame(driver: Driver, elapsedMs: number): FrameReport {
  const d = driver as DriverState
  if (typeof elapsedMs !== 'number' || !(elapsedMs >= 0) || elapsedMs === Infinity) {
    throw new SpikecsError(OBJECT, 'elapsedMs', elapsedMs, 'must be a finite number of ms >= 0')
  }
  const r = emptyReport()
  d.totals.frames++
  if (d.paused) {
    for (let k = 0; k < d.taps.length; k++) clearTap(d.taps[k])
    d.last = r
    return r
  }
  const owed = d.carry + (elapsedMs * d.speed) / d.world.dtMs
  let whole = Math.floor(owed)
  let frac = owed - whole
  if (1 - frac < WHOLE_TICK_TOLERANCE) {
    whole++
    frac = 0
  }
  const n = Math.min(whole, d.maxTicksPerFrame)
  r.ticks = n
  r.dropped = whole - n
  r.elapsedMs = elapsedMs
  d.carry = frac < WHOLE_TICK_TOLERANCE ? 0 : frac
  r.computeMs = runTicks(d, n)
  r.realTimeFactor = elapsedMs > 0 ? (n * d.world.dtMs) / elapsedMs : 0
  d.totals.ticks += n
  d.totals.dropped += r.dropped
  d.totals.elapsedMs += elapsedMs
  d.totals.computeMs += r.computeMs
  d.last = r
  return r
}

/** Runs exactly one tick (paused or not); the carried fraction is left as it was. */
export function singleStep(driver: Driver): FrameReport {
  const d = driver as DriverState
  const r = emptyReport()
  r.ticks = 1
  r.computeMs = runTicks(d, 1)
  d.totals.frames++
  d.totals.ticks++
  d.totals.computeMs += r.computeMs
  d.last = r
  return r
}

/** Stops the clock: frames run nothing until `resumeDriver`. The carried fraction is kept. */
export function pauseDriver(driver: Driver): void {
  ;(driver as DriverState).paused = true
}

/** Restarts the clock; time that passed while paused is not owed. */
export function resumeDriver(driver: Driver): void {
  ;(driver as DriverState).paused = false
}

/**
 * Changes the most ticks one frame runs (e.g. a host that budgets a frame's compute time from the measured
 * cost of a tick); applies from the next frame.
 */
export function setTickCap(driver: Driver, maxTicksPerFrame: number): void {
  ;(driver as DriverState).maxTicksPerFrame = checkInteger(OBJECT, 'maxTicksPerFrame', maxTicksPerFrame, 1)
}

/** Sets the speed (biological ms per wall-clock ms) within [minSpeed, maxSpeed]; applies from the next frame. */
export function setSpeed(driver: Driver, speed: number): void {
  const d = driver as DriverState
  checkFinite(OBJECT, 'speed', speed)
  if (speed < d.minSpeed || speed > d.maxSpeed) {
    throw new SpikecsError(OBJECT, 'speed', speed, `must be in [${d.minSpeed}, ${d.maxSpeed}] (x real time)`)
  }
  d.speed = speed
}
