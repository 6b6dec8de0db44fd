/**
 * Checkers (Auryn-style): a system the user may leave out that stops a run with an error naming the
 * population and the tick when a state becomes NaN or infinite, or when a population's rate over a sliding
 * window exceeds a limit (a runaway network).
 */
import { addRecord, Checker, checkInteger, checkPositive, durationTicks, type CheckerData, type World } from '@spikecs/ecs-core'

export interface CheckerOptions {
  name?: string
  /** Check floating-point state for NaN/±Infinity (default true). */
  finite?: boolean
  /**
   * Check every `every` ticks (default 100, i.e. 10 ms at dt = 0.1 ms: measured at < 0.5 % of a tick of the 4000-neuron EINet, see
   * scripts/checker-cost.ts).
   */
  every?: number
  /** Largest allowed population rate in Hz over the window (default 1000; Infinity disables). */
  maxRateHz?: number
  /** Sliding window of the rate check in ms (default 100). */
  windowMs?: number
}

export function addChecker(world: World, o: CheckerOptions = {}): CheckerData {
  const name = o.name ?? `checker${world.components.Checker.list.length}`
  const object = `checker '${name}'`
  const every = checkInteger(object, 'every', o.every ?? 100, 1)
  const maxRateHz = o.maxRateHz === Infinity ? Infinity : checkPositive(object, 'maxRateHz', o.maxRateHz ?? 1000, 'Hz')
  const windowTicks = Math.max(1, durationTicks(object, 'windowMs', checkPositive(object, 'windowMs', o.windowMs ?? 100, 'ms'), world.dtMs))
  return addRecord<CheckerData>(world, Checker, name, (eid) => ({
    eid,
    name,
    checkFinite: o.finite ?? true,
    every,
    maxRateHz,
    windowTicks,
    windows: [],
    sums: new Float64Array(0),
    cursor: 0,
  }))
}
