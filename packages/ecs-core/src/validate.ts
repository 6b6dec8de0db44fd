/**
 * Argument checks shared by every constructor. Each throws a {@link SpikecsError} naming the object, the
 * parameter and the value; none of them is ever called inside a per-tick loop.
 */
import { SpikecsError } from './errors.js'

/** A finite number (not NaN, not ±Infinity). */
export function checkFinite(object: string, param: string, value: unknown, unit = ''): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SpikecsError(object, param, value, `must be a finite number${unit ? ` in ${unit}` : ''}`)
  }
  return value
}

/** A finite number strictly greater than zero (time constants, dt, sizes in ms). */
export function checkPositive(object: string, param: string, value: unknown, unit = ''): number {
  checkFinite(object, param, value, unit)
  if ((value as number) <= 0) throw new SpikecsError(object, param, value, `must be > 0${unit ? ` ${unit}` : ''}`)
  return value as number
}

/** A finite number ≥ 0 (delays, refractory periods). */
export function checkNonNegative(object: string, param: string, value: unknown, unit = ''): number {
  checkFinite(object, param, value, unit)
  if ((value as number) < 0) throw new SpikecsError(object, param, value, `must be >= 0${unit ? ` ${unit}` : ''}`)
  return value as number
}

/** A probability in [0, 1]. */
export function checkProbability(object: string, param: string, value: unknown): number {
  checkFinite(object, param, value)
  if ((value as number) < 0 || (value as number) > 1) {
    throw new SpikecsError(object, param, value, 'must be a probability in [0, 1]')
  }
  return value as number
}

/** An integer in [min, max]. */
export function checkInteger(object: string, param: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new SpikecsError(object, param, value, 'must be an integer')
  }
  if (value < min) throw new SpikecsError(object, param, value, `must be >= ${min}`)
  if (value > max) throw new SpikecsError(object, param, value, `must be <= ${max}`)
  return value
}

/** C0 and C1 control characters, and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters a name must not contain
const NAME_BREAKERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/**
 * A non-empty name without surrounding white space and without control characters or line separators: names
 * are identifiers, written into messages, JSON records and exported scripts.
 */
export function checkName(object: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.trim() !== value) {
    throw new SpikecsError(object, 'name', value, 'must be a non-empty string without surrounding spaces')
  }
  const bad = NAME_BREAKERS.exec(value)
  if (bad !== null) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')
    throw new SpikecsError(
      object,
      'name',
      value,
      `must not contain control characters or line separators (U+${code} at index ${bad.index})`,
    )
  }
  return value
}

/** Every element of an array-like of numbers is finite. */
export function checkFiniteArray(object: string, param: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new SpikecsError(object, `${param}[${i}]`, v, 'must be a finite number')
    }
  }
}

/** Throws unless `given` is an object (a constructor's parameter record), e.g. `FixedProb(null)`. */
export function checkObject(object: string, given: unknown, example: string): void {
  if (given === null || typeof given !== 'object') {
    throw new SpikecsError(object, 'parameters', given, `must be an object of parameters such as ${example}`)
  }
}

/** Rejects keys that are not part of a parameter record (catches typos such as `taus: 5`). */
export function checkKnownKeys(object: string, given: object, known: readonly string[]): void {
  if (given === null || typeof given !== 'object') {
    throw new SpikecsError(object, 'parameters', given, `must be an object of parameters (known: ${known.join(', ')})`)
  }
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw new SpikecsError(object, key, (given as Record<string, unknown>)[key], `is not a parameter (known: ${known.join(', ')})`)
    }
  }
}
