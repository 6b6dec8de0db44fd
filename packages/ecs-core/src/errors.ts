/**
 * Errors raised by spikecs at construction time. Every message names the offending object (a population,
 * projection, model, world…), the parameter and the value, e.g.
 * `population 'E' (LifRef): tau must be > 0 ms (got -5)`.
 */
export class SpikecsError extends Error {
  /** The object the error is about, e.g. `projection 'E2E'`. */
  readonly object: string
  /** The parameter that is wrong, e.g. `tau`. */
  readonly param: string
  /** The value that was given. */
  readonly value: unknown

  constructor(object: string, param: string, value: unknown, requirement: string) {
    super(`${object}: ${param} ${requirement} (got ${formatValue(value)})`)
    this.name = 'SpikecsError'
    this.object = object
    this.param = param
    this.value = value
  }
}

/** A string as JSON, with DEL, the C1 controls and U+2028/U+2029 escaped too (JSON.stringify leaves them raw). */
function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** A short, readable rendering of a value for an error message. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return quote(value)
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value)
  if (value === null || value === undefined || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value)
  }
  if (ArrayBuffer.isView(value)) {
    const n = (value as unknown as { length: number }).length
    return `${value.constructor.name}(${n})`
  }
  if (Array.isArray(value)) return `array of length ${value.length}`
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`
  try {
    const s = JSON.stringify(value)
    return s.length > 80 ? `${s.slice(0, 77)}...` : s
  } catch {
    return Object.prototype.toString.call(value)
  }
}
