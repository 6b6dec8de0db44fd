/**
 * After the monitors: checkers (if any were added) stop a run with an error naming the population and the
 * tick when a floating-point state column holds NaN or ±Infinity, or when a population fires faster than
 * allowed (a runaway network, Auryn's rate checker).
 *
 * - Finite check, in ticks k with k mod `every` = 0: every floating-point state column of every population
 *   (e.g. V) and every synapse state column (e.g. g). The columns are listed when the plan is built; the
 *   scan multiplies each element by 0 and sums (x·0 is 0 for a finite x, NaN for NaN and ±Infinity), with
 *   four independent sums so the additions overlap, and only a column whose sum is not 0 is searched for
 *   the first bad element.
 * - Rate check, every tick: the window holds the spike counts of the last `windowTicks` ticks up to and
 *   including this one; the run stops in the first tick where, for some population of n neurons, the count
 *   in the window exceeds maxRateHz · n · windowMs / 1000 (rate = count / (n · windowMs) strictly above the
 *   limit). Before the window has filled (tick + 1 < windowTicks) nothing is checked. The count limit is
 *   computed once per population at plan time from windowMs written to 12 significant digits, so that a
 *   window of 500 ticks of 0.1 ms is 50 ms exactly and a limit that is a whole count is compared exactly.
 */
import { SpikecsError, type CheckerData, type FloatArray, type World } from '@spikecs/ecs-core'
import type { CheckTask, FiniteTarget } from '../checks.js'
import { planOf } from '../plan.js'

// Two monomorphic copies of the scan (one element type each), so that neither is slowed by the other.
function anyNonFinite32(a: Float32Array): boolean {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    i = 0
  for (const n = a.length - 3; i < n; i += 4) {
    s0 += a[i] * 0
    s1 += a[i + 1] * 0
    s2 += a[i + 2] * 0
    s3 += a[i + 3] * 0
  }
  for (; i < a.length; i++) s0 += a[i] * 0
  return s0 + s1 + s2 + s3 !== 0
}
function anyNonFinite64(a: Float64Array): boolean {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    i = 0
  for (const n = a.length - 3; i < n; i += 4) {
    s0 += a[i] * 0
    s1 += a[i + 1] * 0
    s2 += a[i + 2] * 0
    s3 += a[i + 3] * 0
  }
  for (; i < a.length; i++) s0 += a[i] * 0
  return s0 + s1 + s2 + s3 !== 0
}

function firstNonFinite(a: FloatArray): number {
  for (let i = 0; i < a.length; i++) if (!(a[i] - a[i] === 0)) return i
  return -1
}

function checkRates(world: World, task: CheckTask, tick: number): void {
  const ch = task.checker
  const pops = world.components.Population.list
  const cur = ch.cursor
  const full = tick + 1 >= ch.windowTicks
  for (let p = 0; p < pops.length; p++) {
    const w = ch.windows[p]
    const n = pops[p].nSpikes
    const sum = ch.sums[p] + n - w[cur]
    ch.sums[p] = sum
    w[cur] = n
    if (sum > task.maxCount[p] && full) {
      const rate = sum / ((pops[p].size * task.windowMs) / 1000)
      throw new SpikecsError(
        `population '${pops[p].name}'`,
        `rate over the last ${task.windowMs} ms`,
        rate,
        `must stay <= ${ch.maxRateHz} Hz (checker '${ch.name}'); exceeded at tick ${tick}`,
      )
    }
  }
  ch.cursor = cur + 1 === ch.windowTicks ? 0 : cur + 1
}

function checkFinite(finite: readonly FiniteTarget[], ch: CheckerData, tick: number): void {
  for (let k = 0; k < finite.length; k++) {
    const t = finite[k]
    const a = t.col.array
    if (!(t.f64 ? anyNonFinite64(a as Float64Array) : anyNonFinite32(a as Float32Array))) continue
    const i = firstNonFinite(a)
    throw new SpikecsError(t.object, `${t.col.name}[${i}]`, a[i], `must stay finite (checker '${ch.name}'); it did not at tick ${tick}`)
  }
}

export function CheckerSystem(world: World): void {
  const plan = planOf(world)
  const tasks = plan.checks.tasks
  if (tasks.length === 0) return
  const tick = world.tick
  for (let c = 0; c < tasks.length; c++) {
    const task = tasks[c]
    const ch = task.checker
    if (ch.maxRateHz !== Infinity) checkRates(world, task, tick)
    else ch.cursor = ch.cursor + 1 === ch.windowTicks ? 0 : ch.cursor + 1
    if (ch.checkFinite && tick % ch.every === 0) checkFinite(plan.checks.finite, ch, tick)
  }
}
