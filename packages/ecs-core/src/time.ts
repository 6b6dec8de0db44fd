/**
 * The one place where milliseconds become ticks. Tick k covers [k·dt, (k+1)·dt); integer ticks are the clock.
 */
import { SpikecsError } from './errors.js'
import { checkFinite } from './validate.js'

/** Largest allowed distance, in ticks, between a time and the nearest whole number of ticks. */
export const TICK_TOLERANCE = 1e-6

/**
 * Converts a time or duration in ms (finite, ≥ 0) to a whole number of ticks. A value that is not a whole
 * number of ticks (|ms/dt − round(ms/dt)| > 1e-6) is an error naming the object and the parameter, unless
 * `round` is set (nearest tick); the message suggests the option `roundOption` that sets it, when there is one.
 */
export function msToTicks(object: string, param: string, ms: unknown, dtMs: number, round = false, roundOption = 'roundDelay'): number {
  const t = checkFinite(object, param, ms, 'ms')
  if (t < 0) throw new SpikecsError(object, param, t, 'must be >= 0 ms')
  const exact = t / dtMs
  const ticks = Math.round(exact)
  if (!round && Math.abs(exact - ticks) > TICK_TOLERANCE) {
    throw new SpikecsError(
      object,
      param,
      t,
      `must be a whole number of ticks of dt = ${dtMs} ms (it is ${exact} ` +
        `ticks${roundOption ? `; pass ${roundOption}: true to round` : ''})`,
    )
  }
  return ticks
}

/** A duration in ms as a whole number of ticks, for run lengths, sections and monitors' windows (no rounding). */
export function durationTicks(object: string, param: string, ms: unknown, dtMs: number): number {
  return msToTicks(object, param, ms, dtMs, false, '')
}
