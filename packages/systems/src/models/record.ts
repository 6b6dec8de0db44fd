/**
 * Model records: every neuron, synapse and output model is one declarative record — parameters (with units
 * and constraints), constants derived from them and dt, state variables with their initialisers, and its
 * update written once in the snippet language of `expr.ts`. Every kernel is generated from the record:
 * the unfused and fused TypeScript kernels (`codegen/js.ts`) and the WebAssembly SIMD kernels
 * (`codegen/wasm.ts`, at build time). The parameter block's layout is derived from the record by `blockLayout`
 * alone, and every generator reads it from there.
 */
import type { ColumnType, PopulationData, World } from '@spikecs/ecs-core'
import type { ParamSpec } from './params.js'
import type { Initializer } from '../init.js'

/** The synaptic and external input of one tick, as `OutputSystem` and the input stage leave it. */
export interface NeuronInputs {
  /** Σ g over conductance outputs (COBA, MgBlock), per neuron; zeroed by the kernel after use. */
  readonly G: Float64Array
  /** Σ g·E over conductance outputs, per neuron; zeroed by the kernel after use. */
  readonly GE: Float64Array
  /** Σ of current outputs (CUBA), per neuron; zeroed by the kernel after use. */
  readonly I: Float64Array
  /** Per-neuron external input of this tick (zeros when the population has none). */
  readonly iArr: Float64Array
  /** True when some input of the population gives one value per neuron. */
  hasArr: boolean
  /** Scalar external input of this tick (sum of all scalar inputs). */
  iScalar: number
}

export interface StateVarSpec {
  readonly name: string
  readonly type: ColumnType
  /** Parameter naming the initializer (e.g. `v0`), or null for a fixed initial value. */
  readonly initParam: string | null
  /** Initial value when `initParam` is not given (may depend on the parameters). */
  readonly initDefault: (p: Readonly<Record<string, number>>) => Initializer
  readonly unit: string
  readonly doc: string
}

/** A constant derived from the parameters and dt (ms), computed when a population is built or a parameter changes. */
export interface DerivedSpec {
  readonly name: string
  readonly f: (p: Readonly<Record<string, number>>, dtMs: number) => number
  readonly doc: string
}

export function derived(name: string, f: DerivedSpec['f'], doc: string): DerivedSpec {
  return { name, f, doc }
}

/**
 * A neuron model. Names a snippet may read: its parameters and derived constants, its state variables (the
 * values at the start of the tick), its `let` temporaries, and the inputs of the tick that the generators
 * provide — `G` (Σg of conductance outputs), `GE` (Σg·E), `Ic` (Σ of current outputs), `Is` (the scalar
 * external input) and `Ia` (this neuron's per-neuron external input).
 */
export interface NeuronRecord {
  readonly kind: string
  /** One-line equation, for docs and summaries. */
  readonly equation: string
  readonly params: readonly ParamSpec[]
  /** Constants derived from params and dt, stored after the params in the parameter block. */
  readonly derived: readonly DerivedSpec[]
  /** State variables (V first); `lastSpike` is added by the record when the model spikes. */
  readonly state: readonly StateVarSpec[]
  /** Statements run in every tick, also while the neuron is refractory (e.g. an adaptation current). */
  readonly always?: string
  /** The update: statements run unless the neuron is refractory; assignments give the new state. */
  readonly update: string
  /** Spike condition, reading the new state (and `old(X)`); null for a model that never spikes. */
  readonly spike: string | null
  /** Statements run for a neuron that spiked, reading the new state (e.g. `V = vReset; w = w + b`). */
  readonly reset: string
  /**
   * Refractoriness: `update` is skipped for `nRef` ticks after a spike (`tick − lastSpike ≤ nRef`); the record
   * must derive `nRef`.
   */
  readonly refractory: boolean
  /** Keeps the tick of each neuron's last spike in the `lastSpike` column (every model with a reset does). */
  readonly lastSpike: boolean
  /**
   * Target-specific forms, generated from and tested against the same record: `wasm` replaces `update` in
   * the WebAssembly kernel (e.g. float32 series for an exponential, with its operation order).
   */
  readonly targets?: { readonly wasm?: { readonly update?: string } }
  /** Checks across parameters (e.g. vReset < vTh); throws naming the object. */
  check(object: string, p: Readonly<Record<string, number>>): void
  /** Keys of a description that are neither parameters nor initial values, read by `setup`. */
  readonly extraKeys?: readonly string[]
  readonly setup?: (object: string, given: Readonly<Record<string, unknown>>, size: number, world: World) => (pop: PopulationData) => void
}

/** The `lastSpike` state variable of spiking models. */
export const lastSpikeVar: StateVarSpec = {
  name: 'lastSpike',
  type: 'i32',
  initParam: null,
  initDefault: () => -1e9,
  unit: 'tick',
  doc: 'tick of the last spike (-1e9 before the first)',
}

/**
 * The layout of a neuron's parameter block, the one place it is defined: the parameters in record order,
 * then the derived constants. The TypeScript kernels read `Float64Array` slot k; the WebAssembly kernels read
 * the same slot k of their float32 block (see `codegen/wasm.ts`), followed by the pointers of `wasmSlots`.
 */
export function blockLayout(rec: Pick<NeuronRecord, 'params' | 'derived'>): string[] {
  return [...rec.params.map((p) => p.name), ...rec.derived.map((d) => d.name)]
}

/** State variables of a record as the population builder allocates them (`lastSpike` last). */
export function stateVarsOf(rec: NeuronRecord): StateVarSpec[] {
  return rec.lastSpike ? [...rec.state, lastSpikeVar] : [...rec.state]
}

/**
 * A synapse model: post-sized state columns, the columns that receive the comm increments, constants derived
 * from params and dt (propagators rounded to the state dtype once), the one-tick advance (assignments to the
 * columns, from their values at the start of the tick) and the conductance bound to the output. The
 * generators apply the Mg/non-Mg order and the flush to zero to every column the advance writes:
 *   Mg:     state ← advance(state);  cond = conductance(new state)
 *   non-Mg: cond = conductance(state);  state ← advance(state)
 */
export interface SynapseRecord {
  readonly kind: string
  readonly equation: string
  readonly params: readonly ParamSpec[]
  readonly columns: readonly string[]
  readonly inputs: readonly string[]
  /** Derived constants in order (the state's `derived` array); `round` ones are rounded to the state dtype. */
  readonly derived: readonly { readonly name: string; readonly f: DerivedSpec['f']; readonly round: boolean }[]
  readonly advance: string
  readonly conductance: string
  /** Checks across parameters and fills computed defaults (e.g. a normalisation), naming `object`. */
  resolve?(object: string, params: Record<string, number>): void
}

/**
 * An output model: how a bound conductance `c` of one post neuron enters the input sums. `let` temporaries
 * first (they may read `c`, the parameters, derived constants and `V`, the post neuron's V at the start of the
 * tick), then the contribution to each sum it feeds.
 */
export interface OutputRecord {
  readonly kind: string
  readonly params: readonly ParamSpec[]
  readonly required: readonly string[]
  readonly derived: readonly DerivedSpec[]
  readonly temps: string
  readonly G: string | null
  readonly GE: string | null
  readonly Ic: string | null
}

export interface SynapseModel {
  readonly kind: string
  readonly equation: string
  readonly params: readonly ParamSpec[]
  /** State column names; the first ones listed in `inputs` receive the comm increments. */
  readonly columns: readonly string[]
  readonly inputs: readonly string[]
  /** Derived constants: decay factors (rounded to the dtype) and normalisation, in the record's order. */
  derive(p: Readonly<Record<string, number>>, dtMs: number, round: (x: number) => number): Float64Array
  /** Checks across parameters and fills computed defaults (e.g. a normalisation), naming `object`. */
  resolve?(object: string, params: Record<string, number>): void
  /** The record every kernel of this model is generated from. */
  readonly record: SynapseRecord
}

/** The model of a synapse record. */
export function synapseFromRecord(rec: SynapseRecord): SynapseModel {
  return {
    kind: rec.kind,
    equation: rec.equation,
    params: rec.params,
    columns: rec.columns,
    inputs: rec.inputs,
    derive: (p, dtMs, round) => Float64Array.from(rec.derived, (d) => (d.round ? round(d.f(p, dtMs)) : d.f(p, dtMs))),
    resolve: rec.resolve,
    record: rec,
  }
}

/** A synapse description (BrainPy's `Expon.desc(...)`); `size`, when given, must equal the post size. */
export interface SynapseDesc {
  readonly kind: string
  readonly given: Readonly<Record<string, unknown>>
}
