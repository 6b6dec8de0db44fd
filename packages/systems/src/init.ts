/**
 * Initializers of state variables (BrainPy's `bp.init.*`): a constant, one value per element, or a
 * distribution drawn from a stream of (world seed, entity name, variable), so a population's initial state
 * depends on nothing else in the world.
 */
import {
  SpikecsError,
  Stream,
  checkFinite,
  checkFiniteArray,
  checkNonNegative,
  entityKey,
  formatValue,
  type AnyTypedArray,
  type World,
} from '@spikecs/ecs-core'

export interface NormalInit {
  readonly kind: 'normal'
  readonly mean: number
  readonly std: number
}
export interface UniformInit {
  readonly kind: 'uniform'
  readonly low: number
  readonly high: number
}
export type Initializer = number | ArrayLike<number> | NormalInit | UniformInit

/** Normal(mean, std) initial values (BrainPy's `bp.init.Normal`). */
export function normal(mean: number, std: number): NormalInit {
  return { kind: 'normal', mean, std }
}

/** Uniform(low, high) initial values (BrainPy's `bp.init.Uniform`). */
export function uniform(low: number, high: number): UniformInit {
  return { kind: 'uniform', low, high }
}

/** Checks an initializer for a variable of `size` elements; throws naming object and variable. */
export function checkInitializer(object: string, name: string, init: unknown, size: number): Initializer {
  if (typeof init === 'number') {
    checkFinite(object, name, init)
    return init
  }
  if (init !== null && typeof init === 'object') {
    const o = init as Record<string, unknown>
    if (o.kind === 'normal') {
      checkFinite(object, `${name}.mean`, o.mean)
      checkNonNegative(object, `${name}.std`, o.std)
      return init as NormalInit
    }
    if (o.kind === 'uniform') {
      checkFinite(object, `${name}.low`, o.low)
      checkFinite(object, `${name}.high`, o.high)
      if (!((o.high as number) >= (o.low as number))) {
        throw new SpikecsError(object, `${name}.high`, o.high, `must be >= ${name}.low (${formatValue(o.low)})`)
      }
      return init as UniformInit
    }
    if (typeof (o as { length?: unknown }).length === 'number') {
      const arr = init as ArrayLike<number>
      if (arr.length !== size) {
        throw new SpikecsError(object, name, init, `must have one value per neuron (${size})`)
      }
      checkFiniteArray(object, name, arr)
      return arr
    }
  }
  throw new SpikecsError(
    object,
    name,
    init,
    'must be a number, an array with one value per element, normal(mean, std) or uniform(low, high)',
  )
}

/** Writes the initial values into `out` (a state column). */
export function applyInitializer(world: World, entity: string, name: string, init: Initializer, out: AnyTypedArray): void {
  if (typeof init === 'number') {
    out.fill(init)
    return
  }
  if ('kind' in init && init.kind === 'normal') {
    const s = new Stream(entityKey(world.seed, `init:${entity}:${name}`))
    for (let i = 0; i < out.length; i++) out[i] = init.mean + init.std * s.normal()
    return
  }
  if ('kind' in init && init.kind === 'uniform') {
    const s = new Stream(entityKey(world.seed, `init:${entity}:${name}`))
    for (let i = 0; i < out.length; i++) out[i] = init.low + (init.high - init.low) * s.uniform()
    return
  }
  const arr = init as ArrayLike<number>
  for (let i = 0; i < out.length; i++) out[i] = arr[i]
}
