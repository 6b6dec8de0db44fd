/**
 * Parameter records. A model lists its parameters (name, default, unit, constraint), the constants derived
 * from them and dt (computed once, never per tick), and its state variables: the three are kept apart.
 */
import { SpikecsError, checkFinite, checkKnownKeys, checkNonNegative, checkPositive } from '@spikecs/ecs-core'

export type Constraint = 'finite' | 'positive' | 'nonNegative'

export interface ParamSpec {
  readonly name: string
  readonly default: number
  /** Unit as written in the docs: `ms`, `mV`, `1/R`… */
  readonly unit: string
  readonly constraint: Constraint
  readonly doc: string
}

export function param(name: string, def: number, unit: string, constraint: Constraint, doc: string): ParamSpec {
  return { name, default: def, unit, constraint, doc }
}

/** Checks one value against its spec; returns it. */
export function checkParam(object: string, spec: ParamSpec, value: unknown): number {
  switch (spec.constraint) {
    case 'finite':
      return checkFinite(object, spec.name, value, spec.unit)
    case 'positive':
      return checkPositive(object, spec.name, value, spec.unit)
    case 'nonNegative':
      return checkNonNegative(object, spec.name, value, spec.unit)
  }
}

/**
 * Resolves a user's parameter record against the specs: unknown keys are errors, missing keys take their
 * defaults, every value is checked. `extra` lists keys accepted but handled elsewhere (e.g. `size`, `v0`).
 */
export function resolveParams(
  object: string,
  specs: readonly ParamSpec[],
  given: object,
  extra: readonly string[] = [],
): Record<string, number> {
  checkKnownKeys(object, given, [...specs.map((s) => s.name), ...extra])
  const out: Record<string, number> = {}
  const g = given as Record<string, unknown>
  for (const spec of specs) {
    out[spec.name] = checkParam(object, spec, g[spec.name] === undefined ? spec.default : g[spec.name])
  }
  return out
}

/** Throws unless `a < b` (e.g. vReset below vTh). */
export function checkBelow(object: string, aName: string, a: number, bName: string, b: number): void {
  if (!(a < b)) throw new SpikecsError(object, aName, a, `must be below ${bName} (${b})`)
}
