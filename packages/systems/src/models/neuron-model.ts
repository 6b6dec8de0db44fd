/**
 * What a neuron model provides: parameters (with defaults and units), derived constants, state variables
 * with their initializers, and its integration kernel for `NeuronSystem`. Every integrating model is built
 * from a record (`record.ts`) whose snippets generate all its kernels.
 */
import { checkObject, type PopulationData, type World } from '@spikecs/ecs-core'
import type { ParamSpec } from './params.js'
import { blockLayout, stateVarsOf, type NeuronInputs, type NeuronRecord, type StateVarSpec } from './record.js'
import { unfusedNeuronKernel } from '../codegen/js.js'

export type { NeuronInputs, StateVarSpec } from './record.js'

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
  /** Layout of the parameter block: the parameters, then the constants derived from them and dt. */
  readonly layout: readonly string[]
  /** Fills the derived slots of a parameter block (at build, and after a live parameter change). */
  derive(block: Float64Array, dtMs: number): void
  /** Checks across parameters (e.g. vReset < vTh); throws naming the object. */
  check(object: string, p: Readonly<Record<string, number>>): void
  readonly stateVars: readonly StateVarSpec[]
  /** Integrates one tick (unfused path): reads `inp`, writes state, fills `pop.spikes`, sets `pop.nSpikes`. */
  update(pop: PopulationData, inp: NeuronInputs, tick: number): void
  /** The model's record, from which every kernel is generated; null for spike sources (no equation to integrate). */
  readonly record: NeuronRecord | null
  /** Keys of a description that are neither parameters nor initial values, read by `setup` (e.g. `times`). */
  readonly extraKeys?: readonly string[]
  /**
   * Optional setup for what a numeric parameter cannot express: spike schedules, a random stream's key,
   * initial values that depend on another variable's initial value (HH gates at their steady state for the
   * initial V). Called when the population is added, after its parameters are checked and before the world
   * changes (so it may refuse its arguments, naming `object`); returns a function that finishes the
   * population once its state columns are initialised (it may add constant columns of its own).
   */
  readonly setup?: (object: string, given: Readonly<Record<string, unknown>>, size: number, world: World) => (pop: PopulationData) => void
}

/**
 * The model of a record: parameter block layout, derivation and state from the record, and its unfused
 * kernel generated from the record's snippets (compiled on first use, per dtype).
 */
export function modelFromRecord(rec: NeuronRecord): NeuronModel {
  const layout = blockLayout(rec)
  const nParams = rec.params.length
  return {
    kind: rec.kind,
    equation: rec.equation,
    params: rec.params,
    layout,
    derive(block, dtMs) {
      const p: Record<string, number> = {}
      for (let k = 0; k < nParams; k++) p[layout[k]] = block[k]
      rec.derived.forEach((d, j) => {
        const v = d.f(p, dtMs)
        p[d.name] = v
        block[nParams + j] = v
      })
    },
    check: rec.check,
    stateVars: stateVarsOf(rec),
    update(pop, inp, tick) {
      const dtype = pop.state.V.array instanceof Float32Array ? 'float32' : 'float64'
      pop.nSpikes = unfusedNeuronKernel(rec, dtype)(pop, inp, tick, 0, pop.size, 0)
    },
    record: rec,
    extraKeys: rec.extraKeys,
    setup: rec.setup,
  }
}

/** A neuron description `{ model, size, given }` from a user's parameter object, which must be an object. */
export function neuronDesc(model: string, p: object): NeuronDesc {
  checkObject(model, p, '{ size: 100 }')
  return { model, size: (p as { size: number }).size, given: p as Record<string, unknown> }
}
