/**
 * The one place where milliseconds become ticks. Tick k covers [k·dt, (k+1)·dt); integer ticks are the clock.
 */
import { SpikecsError } from './errors.js'
import { checkFinite, checkNonNegative } from './validate.js'

/** Largest allowed distance, in ticks, between a time and the nearest whole number of ticks. */
export const TICK_TOLERANCE = 1e-6

/**
 * Converts a duration in ms to a whole number of ticks. A duration that is not a whole number of ticks
 * (|ms/dt − round(ms/dt)| > 1e-6) is an error naming the object, unless `round` is set.
 */
export function msToTicks(object: string, param: string, ms: number, dtMs: number, round = false): number {
  checkNonNegative(object, param, ms, 'ms')
  const exact = ms / dtMs
  const ticks = Math.round(exact)
  if (!round && Math.abs(exact - ticks) > TICK_TOLERANCE) {
    throw new SpikecsError(object, param, ms,
      `must be a whole number of ticks of dt = ${dtMs} ms (it is ${exact} ticks${param === 'delay' ? '; pass roundDelay: true to round' : ''})`)
  }
  return ticks
}

/** Time in ms at the start of tick `tick`. */
export function ticksToMs(tick: number, dtMs: number): number {
  return tick * dtMs
}

/** A duration in ms as a (rounded) number of ticks, for run lengths and monitors' windows. */
export function durationTicks(object: string, param: string, ms: number, dtMs: number): number {
  checkFinite(object, param, ms, 'ms')
  return msToTicks(object, param, ms, dtMs, false)
}
