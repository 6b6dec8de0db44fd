/**
 * Parsing and checking `spikecs` arguments. Everything a run needs is validated here, before any world is
 * built: a bad preset, variant, flag, parameter, value or output path becomes a `UsageError` (exit code 2)
 * whose one-line message says what is valid.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { MAX_THREADS, TICK_TOLERANCE } from '@spikecs/ecs-core'
import { defaultPreset, presets, type PresetDef } from '@spikecs/presets'
import { checkOutputPath } from './paths.js'
import { UsageError } from './usage-error.js'

export const RUN_FLAGS = [
  '--variant V',
  '--duration MS',
  '--dt MS',
  '--seed N',
  '--scale K',
  '--conn jit|csr',
  '--dtype float32|float64',
  '--kernel wasm|js',
  '--threads N|auto',
  '--set NAME=VALUE',
  '--raster FILE.svg|FILE.png',
  '--weights FILE.svg|FILE.png',
  '--save-state FILE',
  '--resume FILE',
  '--no-checker',
  '--json',
  '--quiet',
  '--help',
] as const

/** A fully checked `spikecs run`. */
export interface RunRequest extends PresetSelection {
  readonly conn: string
  /** `wasm` (default): WebAssembly SIMD kernels; `js`: the TypeScript reference kernels. */
  readonly kernel: 'js' | 'wasm'
  /** Threads running the tick: a count, or `auto` (default: the cores for networks large enough to gain). */
  readonly threads: number | 'auto'
  readonly raster: { readonly path: string; readonly format: 'svg' | 'png' } | null
  /** Weight plot of the preset's plastic projection (final histogram, a few synapses over time). */
  readonly weights: { readonly path: string; readonly format: 'svg' | 'png' } | null
  /** Write the world's complete state here after the run (a snapshot). */
  readonly saveState: string | null
  /** Restore the world's state from this snapshot before the run (the network must be built the same way). */
  readonly resume: string | null
  /** Run with a checker (NaN/∞ state, rate above 1000 Hz), on by default. */
  readonly checker: boolean
  readonly json: boolean
  readonly quiet: boolean
}

/** `parseArgs` options of the flags that choose and parametrise a preset (shared by `run` and `export`). */
export const PRESET_OPTIONS = {
  variant: { type: 'string' },
  duration: { type: 'string' },
  dt: { type: 'string' },
  seed: { type: 'string' },
  scale: { type: 'string' },
  dtype: { type: 'string' },
  set: { type: 'string', multiple: true },
} as const

export type Command =
  | { readonly kind: 'run'; readonly request: RunRequest }
  | { readonly kind: 'list' }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }

type Options = NonNullable<ParseArgsConfig['options']>
/** What `parseArgs` returns for `options`, with positionals allowed. */
export type ParsedFlags<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>

/**
 * `parseArgs` with values that may begin with a dash (`--duration -5`, `--seed -1`): a flag that takes a value
 * takes the next argument whatever it looks like, as `--flag=value` does. Its own errors become one-line
 * `UsageError`s naming the flag; `flags` (e.g. `--duration MS`) lists the valid ones.
 */
export function parseFlags<O extends Options>(argv: readonly string[], options: O, flags: readonly string[]): ParsedFlags<O> {
  const args: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      args.push(...argv.slice(i))
      break
    }
    const name = a.startsWith('--') ? a.slice(2) : null
    if (name !== null && Object.hasOwn(options, name) && options[name].type === 'string' && i + 1 < argv.length) {
      args.push(`${a}=${argv[++i]}`)
    } else {
      args.push(a)
    }
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (e) {
    const err = e as { code?: string; message?: string }
    const msg = String(err.message ?? e)
    const flag = /'(-[^' ]*)/.exec(msg)?.[1] ?? '?'
    const spec = flags.find((f) => f.split(' ')[0] === flag)
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new UsageError(`unknown flag ${flag} (valid flags: ${flags.join(' ')})`)
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /does not take an argument/.test(msg)) {
      throw new UsageError(`${flag} takes no value (got ${JSON.stringify(argv.find((a) => a.startsWith(`${flag}=`)) ?? flag)})`)
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(`${flag} needs a value${spec !== undefined ? ` (${spec})` : ''}`)
    }
    throw new UsageError(msg.split('\n')[0])
  }
}

/** Parses a decimal number the whole string of which is a number ('' and '12abc' are not). */
export function parseNumber(text: string): number {
  return text.trim() === '' ? NaN : Number(text)
}

export function numberFlag(flag: string, text: string | undefined, fallback: number, rule: 'positive' | 'seed'): number {
  if (text === undefined) return fallback
  const v = parseNumber(text)
  if (rule === 'seed') {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new UsageError(`--${flag} must be an integer in [0, 4294967295] (got ${JSON.stringify(text)})`)
    }
    return v
  }
  if (!Number.isFinite(v) || v <= 0) throw new UsageError(`--${flag} must be a number > 0 (got ${JSON.stringify(text)})`)
  return v
}

function paramList(def: PresetDef): string {
  return def.params.map((p) => `${p.name}=${p.default}${p.unit && p.unit !== 'neurons' ? ` ${p.unit}` : ''}`).join(', ')
}

/** Parses `argv` (without node and the script); throws `UsageError` on any mistake. */
export function parseCommand(argv: readonly string[]): Command {
  const parsed = parseFlags(
    argv,
    {
      ...PRESET_OPTIONS,
      conn: { type: 'string' },
      kernel: { type: 'string' },
      threads: { type: 'string' },
      raster: { type: 'string' },
      weights: { type: 'string' },
      'save-state': { type: 'string' },
      resume: { type: 'string' },
      'no-checker': { type: 'boolean' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
    RUN_FLAGS,
  )
  const { values: v, positionals } = parsed
  if (v.version) return { kind: 'version' }
  const command = positionals[0]
  if (v.help || command === undefined || command === 'help') {
    if (command === undefined && !v.help) throw new UsageError('missing command (valid commands: run, list, help, export)')
    return { kind: 'help' }
  }
  if (command === 'list') {
    if (positionals.length > 1) throw new UsageError(`list takes no arguments (got ${positionals.slice(1).join(' ')})`)
    return { kind: 'list' }
  }
  if (command !== 'run') throw new UsageError(`unknown command ${JSON.stringify(command)} (valid commands: run, list, help, export)`)
  if (positionals.length > 2) {
    throw new UsageError(`run takes at most one preset (got ${positionals.slice(1).join(' ')})`)
  }

  const sel = presetSelection(positionals[1], v)
  const { preset, def } = sel
  const conn = v.conn ?? def.defaultConn
  if (!(def.connectivities as readonly string[]).includes(conn)) {
    throw new UsageError(`--conn must be one of ${def.connectivities.join(', ')} for preset ${preset} (got ${JSON.stringify(conn)})`)
  }
  const kernel = v.kernel ?? 'wasm'
  if (kernel !== 'js' && kernel !== 'wasm') {
    throw new UsageError(`--kernel must be wasm or js (got ${JSON.stringify(kernel)})`)
  }

  const threadsText = v.threads ?? 'auto'
  const threads = threadsText === 'auto' ? 'auto' : Number(threadsText)
  if (threads !== 'auto' && !(/^\d+$/.test(threadsText) && threads >= 1 && threads <= MAX_THREADS)) {
    throw new UsageError(`--threads must be auto or a whole number from 1 to ${MAX_THREADS} (got ${JSON.stringify(threadsText)})`)
  }

  const picture = (flag: string, path: string | undefined): RunRequest['raster'] => {
    if (path === undefined) return null
    const m = /\.(svg|png)$/i.exec(path)
    if (m === null) throw new UsageError(`${flag} must name a .svg or .png file (got ${JSON.stringify(path)})`)
    checkOutputPath(flag, path)
    return { path, format: m[1].toLowerCase() as 'svg' | 'png' }
  }
  const raster = picture('--raster', v.raster)
  const weights = picture('--weights', v.weights)
  if (v['save-state'] !== undefined) checkOutputPath('--save-state', v['save-state'])
  return {
    kind: 'run',
    request: {
      ...sel,
      conn,
      kernel,
      threads,
      raster,
      weights,
      saveState: v['save-state'] ?? null,
      resume: v.resume ?? null,
      checker: v['no-checker'] !== true,
      json: v.json === true,
      quiet: v.quiet === true,
    },
  }
}

/** The preset part of a command line, shared by `run` and `export`. */
export interface PresetSelection {
  readonly preset: string
  readonly def: PresetDef
  readonly variant: string
  readonly durationMs: number
  readonly dtMs: number
  readonly seed: number
  readonly scale: number
  readonly dtype: 'float32' | 'float64'
  /** Parameters given with --set, by name. */
  readonly set: Readonly<Record<string, number>>
}

/** The flags `presetSelection` reads (as `parseArgs` returns them). */
export interface PresetFlags {
  variant?: string
  duration?: string
  dt?: string
  seed?: string
  scale?: string
  dtype?: string
  set?: string[]
}

/** Checks the preset name, variant, dt, duration, seed, scale, dtype and --set values; throws `UsageError`. */
export function presetSelection(name: string | undefined, v: PresetFlags): PresetSelection {
  const preset = name ?? defaultPreset
  const entry = Object.hasOwn(presets, preset) ? presets[preset] : undefined
  if (entry === undefined) {
    throw new UsageError(`unknown preset ${JSON.stringify(preset)} (valid presets: ${Object.keys(presets).join(', ')})`)
  }
  const def = entry.def
  const variant = v.variant ?? def.defaultVariant
  if (!def.variants.includes(variant)) {
    throw new UsageError(`unknown variant ${JSON.stringify(variant)} of preset ${preset} (valid variants: ${def.variants.join(', ')})`)
  }
  const dtype = v.dtype ?? 'float32'
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new UsageError(`--dtype must be float32 or float64 (got ${JSON.stringify(dtype)})`)
  }
  const dtMs = numberFlag('dt', v.dt, 0.1, 'positive')
  const durationMs = numberFlag('duration', v.duration, def.defaultDurationMs ?? 1000, 'positive')
  const ticks = durationMs / dtMs
  if (Math.abs(ticks - Math.round(ticks)) > TICK_TOLERANCE || Math.round(ticks) < 1) {
    throw new UsageError(`--duration ${durationMs} ms must be a whole number (>= 1) of ticks of dt = ${dtMs} ms (it is ${ticks} ticks)`)
  }
  const seed = numberFlag('seed', v.seed, 1, 'seed')
  const scale = numberFlag('scale', v.scale, 1, 'positive')

  const set: Record<string, number> = {}
  for (const item of v.set ?? []) {
    const eq = item.indexOf('=')
    if (eq <= 0) throw new UsageError(`--set expects NAME=VALUE (got ${JSON.stringify(item)}); parameters of ${preset}: ${paramList(def)}`)
    const name = item.slice(0, eq).trim()
    const text = item.slice(eq + 1)
    if (!def.params.some((p) => p.name === name)) {
      throw new UsageError(`unknown parameter ${JSON.stringify(name)} of preset ${preset} (valid parameters: ${paramList(def)})`)
    }
    const value = parseNumber(text)
    if (!Number.isFinite(value)) throw new UsageError(`--set ${name} needs a finite number (got ${JSON.stringify(text)})`)
    set[name] = value
  }

  return { preset, def, variant, durationMs, dtMs, seed, scale, dtype, set }
}
