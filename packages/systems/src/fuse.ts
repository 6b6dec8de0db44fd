/**
 * Fused kernels. For a population whose model and incoming synapses and outputs all come from records, one
 * loop per tick advances each synapse state, forms the output sums and integrates the neuron — the work of
 * `AlignPostSystem`, `OutputSystem` and `NeuronSystem` in one pass over memory. The loop is generated from the
 * records (`codegen/js.ts`) once per population when the plan is built (parameters are read at each call, so
 * live changes apply), and evaluates exactly the expressions of the unfused kernels in the same order, with
 * the same rounding to the state dtype; sums that have no term are the literal 0 the unfused sums would hold.
 * The tests run both paths and compare them bit for bit.
 */
import type { PopulationData, World } from '@spikecs/ecs-core'
import type { NeuronModel } from './models/neuron-model.js'
import { flushLimit, flushed, synapseModels } from './models/synapses.js'
import { outputRecord } from './models/outputs.js'
import { fusedSource, outputDerivers, type NeuronKernel } from './codegen/js.js'

export type FusedKernel = NeuronKernel

/** True when every part feeding `pop` can be fused with its model. */
export function canFuse(pop: PopulationData, model: NeuronModel): boolean {
  if (model.record === null) return false
  return (
    pop.states.every((s) => synapseModels[s.kind] !== undefined) &&
    pop.outputs.length === pop.states.length &&
    pop.outputs.every((o, k) => o.state === pop.states[k])
  )
}

/** Generates the fused kernel of `pop` (see the module comment). */
export function compileFused(world: World, pop: PopulationData, model: NeuronModel, hasArr: boolean): FusedKernel {
  const rec = model.record
  if (rec === null) throw new Error(`model ${model.kind} has no record`)
  const states = pop.states.map((s) => ({ rec: synapseModels[s.kind]!.record, s }))
  const outs = pop.outputs.map((o) => outputRecord(o.kind))
  const code = fusedSource(pop, rec, states, outs, world.dtype, flushLimit(world.dtype), hasArr)
  // Built once per population at plan time; the generated loop is monomorphic and allocation-free.
  const factory = new Function('st', 'out', 'od', 'fr', 'fz', code) as (
    st: unknown,
    out: unknown,
    od: unknown,
    fr: (x: number) => number,
    fz: typeof flushed,
  ) => FusedKernel
  return factory(pop.states, pop.outputs, outs.map(outputDerivers), Math.fround, flushed)
}
