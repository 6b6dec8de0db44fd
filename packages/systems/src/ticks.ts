/**
 * Times given by the user that must fall on ticks (spike times, section durations): ms → a whole number of
 * ticks, or an error naming the object and the parameter; `round` accepts times between ticks (nearest tick).
 */
import { SpikecsError, TICK_TOLERANCE, checkFinite } from '@spikecs/ecs-core'

export function wholeTicks(object: string, param: string, ms: unknown, dtMs: number, round: boolean, roundOption: string): number {
  const t = checkFinite(object, param, ms, 'ms')
  if (t < 0) throw new SpikecsError(object, param, t, 'must be >= 0 ms')
  const exact = t / dtMs
  const tick = Math.round(exact)
  if (!round && Math.abs(exact - tick) > TICK_TOLERANCE) {
    throw new SpikecsError(object, param, t,
      `must be a whole number of ticks of dt = ${dtMs} ms (it is ${exact} ticks${roundOption ? `; pass ${roundOption}: true to round` : ''})`)
  }
  return tick
}
