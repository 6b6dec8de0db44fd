/**
 * The checkers' work, resolved when the plan is built: per checker the largest allowed spike count in its
 * window for each population, and the floating-point columns a finite check scans, with the words of their
 * error messages. `CheckerSystem` runs it each tick (see that file for what the checks compute).
 */
import type { CheckerData, Column, FloatArray, World } from '@spikecs/ecs-core'

/** A column the finite check scans, with the words of its error message resolved at plan time. */
export interface FiniteTarget {
  readonly col: Column<FloatArray>
  readonly f64: boolean
  /** e.g. `population 'E'` or `synapse state of projection 'E2E' onto 'E'`. */
  readonly object: string
}

/** A checker with its per-population count limits. */
export interface CheckTask {
  readonly checker: CheckerData
  /** Largest allowed spike count in the window, per population (in `world.components.Population.list` order). */
  readonly maxCount: Float64Array
  /** Window length in ms, as written in messages. */
  readonly windowMs: number
}

export interface CheckPlan {
  readonly tasks: readonly CheckTask[]
  /** Columns scanned by finite checks (empty when no checker checks finiteness). */
  readonly finite: readonly FiniteTarget[]
}

/**
 * Resolves the checkers' work when the plan is built; gives each checker one window per population the first
 * time (a snapshot restored before the first plan brings its own windows, which are kept).
 */
export function compileChecks(world: World): CheckPlan {
  const pops = world.components.Population.list
  const checkers = world.components.Checker.list
  for (const ch of checkers) {
    if (ch.windows.length !== pops.length) {
      ch.windows.length = 0
      for (let k = 0; k < pops.length; k++) ch.windows.push(new Int32Array(ch.windowTicks))
      ch.sums = new Float64Array(pops.length)
    }
  }
  const tasks = checkers.map((checker) => {
    const windowMs = Number((checker.windowTicks * world.dtMs).toPrecision(12))
    const maxCount = Float64Array.from(pops, (p) => (checker.maxRateHz * p.size * windowMs) / 1000)
    return { checker, maxCount, windowMs }
  })
  const finite: FiniteTarget[] = []
  if (checkers.some((ch) => ch.checkFinite)) {
    const isFloat = (c: Column) => c.type === 'state' || c.type === 'f32' || c.type === 'f64'
    for (const pop of pops) {
      for (const col of Object.values(pop.state)) {
        if (isFloat(col))
          finite.push({ col: col as Column<FloatArray>, f64: col.array instanceof Float64Array, object: `population '${pop.name}'` })
      }
      for (const st of pop.states) {
        const proj = st.projections[0]?.name ?? `state ${st.eid}`
        for (const col of Object.values(st.cols)) {
          finite.push({ col, f64: col.array instanceof Float64Array, object: `synapse state of projection '${proj}' onto '${pop.name}'` })
        }
      }
    }
  }
  return { tasks, finite }
}
