/**
 * What a neuron model provides: parameters (with defaults and units), derived constants, state variables
 * with their initializers, and its integration kernel for `NeuronSystem`. A model may also provide a fused
 * emitter (see `fuse.ts`) that produces the same numbers in one loop with its synapses and outputs.
 */
import { checkObject, type ColumnType, type PopulationData, type World } from '@spikecs/ecs-core'
import type { Initializer } from '../init.js'
import type { ParamSpec } from './params.js'

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

/** A population description, as returned by `LifRef({...})` and friends. */
export interface NeuronDesc {
  readonly model: string
  readonly size: number
  /** User-given parameter values (validated when the population is added). */
  readonly given: Readonly<Record<string, unknown>>
}

export interface NeuronModel {
  readonly kind: string
  /** One-line equation, for docs and summaries. */
  readonly equation: string
  readonly params: readonly ParamSpec[]
  /**
   * Layout of the parameter block: parameter names in block order, then `derived`. A name listed here but
   * not in `params` is fixed at 0 for this model (e.g. `tauRef` of `Lif`), so related models share kernels.
   */
  readonly blockLayout: readonly string[]
  /** Names of constants derived from params and dt, stored after the params in the parameter block. */
  readonly derived: readonly string[]
  /** Fills the derived slots of a parameter block (at build, and after a live parameter change). */
  derive(block: Float64Array, dtMs: number): void
  /** Checks across parameters (e.g. vReset < vTh); throws naming the object. */
  check(object: string, p: Readonly<Record<string, number>>): void
  readonly stateVars: readonly StateVarSpec[]
  /** Integrates one tick (unfused path): reads `inp`, writes state, fills `pop.spikes`, sets `pop.nSpikes`. */
  update(pop: PopulationData, inp: NeuronInputs, tick: number): void
  /** Code emitter for the fused path; absent when the model is never fused. */
  readonly fused: FusedNeuronEmitter | null
  /** Keys of a description that are neither parameters nor initial values, read by `setup` (e.g. `times`). */
  readonly extraKeys?: readonly string[]
  /**
   * Optional setup for what a numeric parameter cannot express: spike schedules, a random stream's key,
   * initial values that depend on another variable's initial value (HH gates at their steady state for the
   * initial V). Called when the population is added, after its parameters are checked and before the world
   * changes (so it may refuse its arguments, naming `object`); returns a function that finishes the
   * population once its state columns are initialised (it may add constant columns of its own).
   */
  readonly setup?: (object: string, given: Readonly<Record<string, unknown>>, size: number, world: World) =>
    (pop: PopulationData) => void
}

/**
 * Emits a neuron's part of a fused kernel. The generated body must evaluate exactly the expressions of
 * `update`, with `G`, `GE`, `Ic` and `ia` replaced by the given expression texts (a literal `0` where a
 * sum has no term, as the unfused sums would hold zero).
 */
export interface FusedNeuronEmitter {
  /** Statements run once per kernel call, before the loop (read parameters, hoist columns). */
  prologue(): string
  /** The loop body for neuron `i`; `round` wraps a value stored into a state column (Math.fround or nothing). */
  body(sums: { G: string; GE: string; Ic: string; ia: string }, round: (x: string) => string): string
}

/** A neuron description `{ model, size, given }` from a user's parameter object, which must be an object. */
export function neuronDesc(model: string, p: object): NeuronDesc {
  checkObject(model, p, '{ size: 100 }')
  return { model, size: (p as { size: number }).size, given: p as Record<string, unknown> }
}
