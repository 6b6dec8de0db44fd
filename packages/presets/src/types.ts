/**
 * Types shared by the presets: the options every preset takes, the description of a preset parameter (its
 * default, unit and validity rule, which drive validation, the CLI's `--set` and the docs' tables), and the
 * network record a preset returns.
 */
import type { Dtype, InputData, MonitorData, PopulationData, ProjectionData, World } from '@spikecs/ecs-core'

/** How fixed-probability connectivity is held: regenerated at each spike (`jit`) or stored as CSR rows (`csr`). */
export type Connectivity = 'jit' | 'csr'

/** Options every preset takes besides its model parameters. */
export interface CommonOptions<V extends string = string> {
  /** Which projection kind builds the network; each preset documents its variants and its default. */
  variant?: V
  /** Seed of every random stream of the world (unsigned 32-bit integer), default 1. */
  seed?: number
  /** Precision of the state columns, default `float32`. */
  dtype?: Dtype
  /** Time step in ms, default 0.1. */
  dtMs?: number
  /** Connectivity representation; both give the same matrix for one seed. */
  conn?: Connectivity
  /**
   * Scaling factor K (default 1): nE = round(3200·K), nI = round(800·K), p = 0.02/K, so every neuron keeps
   * 80 inputs on average; weights are unchanged. A parameter given explicitly wins over the scaled default.
   */
  scale?: number
  /** Fuse synapse, output and neuron loops where possible (default true; numbers are identical either way). */
  fuse?: boolean
  /**
   * Kernels: `wasm` (default) runs WebAssembly SIMD kernels for float32 LIF populations and the comm layers;
   * `js` runs the TypeScript reference kernels. Each is deterministic; they agree to float32 rounding.
   */
  kernel?: 'js' | 'wasm'
  /** Record every spike with a spike monitor (default true). */
  record?: boolean
  /**
   * Threads running the tick (default 1): a count, or `'auto'` (the host's cores for networks large enough to
   * gain, else 1). The spikes and every state are bit-identical for any thread count.
   */
  threads?: number | 'auto'
}

/** The validity rule of a preset parameter. */
export type ParamKind = 'count' | 'probability' | 'positive' | 'nonNegative' | 'finite'

/** One model parameter of a preset. */
export interface PresetParamSpec {
  readonly name: string
  /** Default value (before scaling). */
  readonly default: number
  /** Unit as written in the docs: `ms`, `mV`, `neurons`, or `''` for a pure number. */
  readonly unit: string
  readonly kind: ParamKind
  readonly doc: string
  /**
   * How `scale` K changes the default: `times` → round(default·K) (population sizes), `over` → default/K
   * (connection probability).
   */
  readonly scaled?: 'times' | 'over'
}

/** A set of neurons in the world's global index space, for statistics and plots (E first, then I; or `In`, `Out`). */
export interface Group {
  readonly name: string
  /** First global neuron index. */
  readonly start: number
  readonly size: number
}

/** The resolved non-model options of a built preset. */
export interface ResolvedOptions<V extends string = string> {
  readonly variant: V
  readonly seed: number
  readonly dtype: Dtype
  readonly dtMs: number
  readonly conn: Connectivity
  readonly scale: number
  readonly kernel: 'js' | 'wasm'
  /** Threads asked for (a count, or `'auto'`; `threadsOf(world)` gives the count the plan uses). */
  readonly threads: number | 'auto'
}

/** What a preset returns: its world and handles to what it built. */
export interface PresetNetwork<P, V extends string, Pops> {
  /** Preset name, e.g. `coba`. */
  readonly preset: string
  readonly options: ResolvedOptions<V>
  readonly world: World
  /** The populations, by name. */
  readonly pops: Pops
  /** The E and I neurons as index ranges (one population may hold both, as in einet's half variants). */
  readonly groups: readonly Group[]
  /** Constant external inputs, one per population. */
  readonly inputs: readonly InputData[]
  /** The spike monitor over every neuron (null when `record` is false). */
  readonly monitors: { readonly spikes: MonitorData | null }
  /** Every model parameter as used (defaults, scaling and explicit values resolved). */
  readonly params: Readonly<P>
  /** The projection whose weights learn, with its upper bound (for weight statistics and plots); absent if none. */
  readonly plastic?: { readonly projection: ProjectionData; readonly wMax: number }
}

/** A network of one of the two shapes the presets build. */
export type AnyPresetNetwork = PresetNetwork<Record<string, number>, string, Record<string, PopulationData>>
