/**
 * Fused kernels. For a population whose model and incoming synapses and outputs all have emitters, one
 * loop per tick advances each synapse state, forms the output sums and integrates the neuron — the work of
 * `AlignPostSystem`, `OutputSystem` and `NeuronSystem` in one pass over memory. The loop is generated once
 * per population when the plan is built (parameters are read at each call, so live changes apply), and
 * evaluates exactly the expressions of the unfused kernels in the same order, with the same rounding to
 * the state dtype wherever the unfused path stores into a state column; sums that have no term are the
 * literal 0 the unfused sums would hold. The tests run both paths and compare them bit for bit.
 */
import type { PopulationData, World } from '@spikecs/ecs-core'
import type { NeuronInputs, NeuronModel } from './models/neuron-model.js'
import { flushLimit, flushed, synapseModels } from './models/synapses.js'
import { emitOutput } from './models/outputs.js'

export type FusedKernel = (inp: NeuronInputs, tick: number) => void

/** True when every part feeding `pop` can be fused with its model. */
export function canFuse(pop: PopulationData, model: NeuronModel): boolean {
  if (model.fused === null) return false
  return pop.states.every((s) => synapseModels[s.kind] !== undefined) && pop.outputs.length === pop.states.length
}

/** Generates the fused kernel of `pop` (see the module comment). */
export function compileFused(world: World, pop: PopulationData, model: NeuronModel, hasArr: boolean): FusedKernel {
  const emitter = model.fused
  if (emitter === null) throw new Error(`model ${model.kind} has no fused emitter`)
  const round = world.dtype === 'float32' ? (x: string) => `fr(${x})` : (x: string) => `(${x})`
  const pro: string[] = ['const P = pop.params;', `const fl = ${flushLimit(world.dtype)};`, emitter.prologue()]
  const body: string[] = []
  const G: string[] = ['0'], GE: string[] = ['0'], Ic: string[] = ['0']
  pop.states.forEach((s, k) => {
    const syn = synapseModels[s.kind]!.emit(k, s.merged, round)
    pro.push(syn.prologue)
    body.push(`// synapse state ${k}: ${s.kind}${s.merged ? ' (merged)' : ''}`, syn.body)
    const o = emitOutput(pop.outputs[k], k)
    pro.push(o.prologue)
    if (o.body) body.push(o.body)
    if (o.G) G.push(o.G)
    if (o.GE) GE.push(o.GE)
    if (o.Ic) Ic.push(o.Ic)
  })
  body.push(emitter.body({ G: G.join(' + '), GE: GE.join(' + '), Ic: Ic.join(' + '), ia: hasArr ? 'ia[i]' : '0' }, round))
  const safe = pop.name.replace(/[^A-Za-z0-9_]/g, '_')
  const code = [
    `return function fused_${safe}(inp, tick) {`,
    ...pro,
    'const iS = inp.iScalar, ia = inp.iArr;',
    'let ns = 0;',
    `for (let i = 0, n = ${pop.size}; i < n; i++) {`,
    ...body,
    '}',
    'pop.nSpikes = ns;',
    '}',
  ].join('\n')
  // Built once per population at plan time; the generated loop is monomorphic and allocation-free.
  const factory = new Function('pop', 'st', 'out', 'fr', 'fz', code) as (
    pop: PopulationData, st: unknown, out: unknown, fr: (x: number) => number, fz: typeof flushed) => FusedKernel
  return factory(pop, pop.states, pop.outputs, Math.fround, flushed)
}
