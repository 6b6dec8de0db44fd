/**
 * Resolving a preset's options: every key is known, every value valid, `scale` applied to the defaults it
 * touches, explicit values kept as given. Everything is checked before a world exists, so a refused preset
 * builds nothing; errors name the preset, the parameter and the value.
 */
import { MAX_THREADS, SpikecsError, checkInteger, checkPositive, formatValue, type Dtype } from '@spikecs/ecs-core'
import type { Connectivity, PresetParamSpec, ResolvedOptions } from './types.js'

/** The static description of a preset: what the CLI lists and the resolver checks against. */
export interface PresetDef<V extends string = string> {
  readonly name: string
  /** One line for listings. */
  readonly summary: string
  readonly variants: readonly V[]
  readonly defaultVariant: V
  /** What each variant builds (one line each). */
  readonly variantDocs: Readonly<Record<V, string>>
  readonly connectivities: readonly Connectivity[]
  readonly defaultConn: Connectivity
  readonly params: readonly PresetParamSpec[]
  /** Duration `spikecs run` simulates without `--duration` (ms), default 1000. */
  readonly defaultDurationMs?: number
}

/** Option keys every preset accepts besides its parameters. */
export const COMMON_OPTION_KEYS = ['variant', 'seed', 'dtype', 'dtMs', 'conn', 'scale', 'fuse', 'record', 'kernel', 'threads'] as const

/** Builds a parameter spec (a small helper so the preset tables read as tables). */
export function spec(
  name: string,
  def: number,
  unit: string,
  kind: PresetParamSpec['kind'],
  doc: string,
  scaled?: 'times' | 'over',
): PresetParamSpec {
  return scaled === undefined ? { name, default: def, unit, kind, doc } : { name, default: def, unit, kind, doc, scaled }
}

export interface Resolved<V extends string> {
  readonly options: ResolvedOptions<V>
  readonly params: Record<string, number>
  readonly fuse: boolean
  readonly record: boolean
}

function checkParamValue(object: string, s: PresetParamSpec, value: unknown): number {
  const unit = s.unit === '' || s.unit === 'neurons' ? '' : s.unit
  switch (s.kind) {
    case 'count':
      return checkInteger(object, s.name, value, 1, 2 ** 30)
    case 'probability':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
        throw new SpikecsError(object, s.name, value, 'must be a probability in [0, 1]')
      }
      return value
    case 'positive':
      return checkPositive(object, s.name, value, unit)
    case 'nonNegative':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new SpikecsError(object, s.name, value, `must be a finite number >= 0${unit ? ` ${unit}` : ''}`)
      }
      return value
    case 'finite':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new SpikecsError(object, s.name, value, `must be a finite number${unit ? ` in ${unit}` : ''}`)
      }
      return value
  }
}

/** Resolves and validates `given` against `def`; throws a `SpikecsError` naming the preset on the first problem. */
export function resolvePreset<V extends string>(def: PresetDef<V>, given: object | undefined): Resolved<V> {
  const object = `preset '${def.name}'`
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) {
    throw new SpikecsError(object, 'options', given, 'must be an object of options and parameters')
  }
  const g = (given ?? {}) as Record<string, unknown>
  const paramNames = def.params.map((p) => p.name)
  for (const key of Object.keys(g)) {
    if (g[key] === undefined) continue
    if (!(COMMON_OPTION_KEYS as readonly string[]).includes(key) && !paramNames.includes(key)) {
      throw new SpikecsError(
        object,
        key,
        g[key],
        `is not an option or parameter of this preset (parameters: ${paramNames.join(', ')}; options: ${COMMON_OPTION_KEYS.join(', ')})`,
      )
    }
  }

  const variant = (g.variant ?? def.defaultVariant) as V
  if (!def.variants.includes(variant)) {
    throw new SpikecsError(object, 'variant', variant, `must be one of ${def.variants.join(', ')}`)
  }
  const seed = checkInteger(object, 'seed', g.seed ?? 1, 0, 0xffffffff)
  const dtype = (g.dtype ?? 'float32') as Dtype
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new SpikecsError(object, 'dtype', dtype, "must be 'float32' or 'float64'")
  }
  const dtMs = checkPositive(object, 'dtMs', g.dtMs ?? 0.1, 'ms')
  const conn = (g.conn ?? def.defaultConn) as Connectivity
  if (!def.connectivities.includes(conn)) {
    throw new SpikecsError(object, 'conn', conn, `must be one of ${def.connectivities.join(', ')}`)
  }
  const scale = checkPositive(object, 'scale', g.scale ?? 1)
  const kernel = (g.kernel ?? 'wasm') as 'js' | 'wasm'
  if (kernel !== 'js' && kernel !== 'wasm') {
    throw new SpikecsError(object, 'kernel', kernel, "must be 'js' or 'wasm'")
  }
  const threads = (g.threads ?? 1) as number | 'auto'
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
    throw new SpikecsError(object, 'threads', threads, `must be 'auto' or a whole number from 1 to ${MAX_THREADS}`)
  }
  for (const flag of ['fuse', 'record'] as const) {
    if (g[flag] !== undefined && typeof g[flag] !== 'boolean') {
      throw new SpikecsError(object, flag, g[flag], 'must be true or false')
    }
  }

  // Round(default·K) ≥ 1 ⟺ default·K ≥ 0.5: the smallest K that keeps every scaled population non-empty.
  const minK = Math.max(0, ...def.params.filter((s) => s.scaled === 'times').map((s) => 0.5 / s.default))
  const params: Record<string, number> = {}
  for (const s of def.params) {
    if (g[s.name] !== undefined) {
      params[s.name] = checkParamValue(object, s, g[s.name])
      continue
    }
    if (s.scaled === 'times') {
      // Population sizes grow with K; a K that rounds a population away is refused.
      const n = Math.round(s.default * scale)
      if (n < 1) {
        throw new SpikecsError(
          object,
          'scale',
          scale,
          `must leave every population non-empty (${s.name} = round(${s.default}·K) = ${n}); use K >= ${formatValue(minK)}`,
        )
      }
      if (n > 2 ** 30) throw new SpikecsError(object, 'scale', scale, `makes ${s.name} = ${n}, more than 2^30 neurons`)
      params[s.name] = n
    } else if (s.scaled === 'over') {
      // The connection probability shrinks as 1/K so the mean in-degree stays fixed; p > 1 is refused.
      const p = s.default / scale
      if (p > 1) {
        throw new SpikecsError(
          object,
          'scale',
          scale,
          `makes ${s.name} = ${s.default}/K = ${formatValue(p)} > 1; use K >= ${formatValue(s.default)}`,
        )
      }
      params[s.name] = p
    } else {
      params[s.name] = s.default
    }
  }
  if ('vReset' in params && 'vTh' in params && !(params.vReset < params.vTh)) {
    throw new SpikecsError(object, 'vReset', params.vReset, `must be below vTh (${formatValue(params.vTh)} mV)`)
  }
  return {
    options: { variant, seed, dtype, dtMs, conn, scale, kernel, threads },
    params,
    fuse: (g.fuse as boolean | undefined) ?? true,
    record: (g.record as boolean | undefined) ?? true,
  }
}
