/**
 * `addPopulation(world, name, LifRef({...}))`: a population entity owning the slice
 * [start, start+size) of the world's neuron index space, its parameter block and its state columns.
 */
import { SpikecsError, addRecord, Population, allocColumn, checkInteger, type PopulationData, type World } from '@spikecs/ecs-core'
import { neuronModels } from '../models/index.js'
import type { NeuronDesc, NeuronModel } from '../models/neuron-model.js'
import { checkParam, resolveParams } from '../models/params.js'
import { applyInitializer, checkInitializer, type Initializer } from '../init.js'
import { assertNotStarted, checkPopulation } from './common.js'

/** Adds a neuron population. Throws, naming the population, on any invalid parameter or initializer. */
export function addPopulation(world: World, name: string, desc: NeuronDesc): PopulationData {
  const object = `population '${name}'`
  assertNotStarted(world, object)
  if (desc === null || typeof desc !== 'object' || typeof desc.model !== 'string') {
    throw new SpikecsError(object, 'model', desc, 'must be a neuron description such as LifRef({ size: 100 })')
  }
  const model = neuronModels[desc.model]
  if (model === undefined) {
    throw new SpikecsError(object, 'model', desc.model, `is not a neuron model (known: ${Object.keys(neuronModels).join(', ')})`)
  }
  const mObj = `${object} (${model.kind})`
  const size = checkInteger(mObj, 'size', desc.size, 1, 2 ** 30)
  const initParams = model.stateVars.filter((v) => v.initParam !== null).map((v) => v.initParam as string)
  const params = resolveParams(mObj, model.params, desc.given, ['size', ...initParams, ...(model.extraKeys ?? [])])
  model.check(mObj, params)
  const finish = model.setup !== undefined ? model.setup(mObj, desc.given, size, world) : null
  const inits: Initializer[] = model.stateVars.map((v) => {
    const given = v.initParam !== null ? desc.given[v.initParam] : undefined
    return checkInitializer(mObj, v.initParam ?? v.name, given === undefined ? v.initDefault(params) : given, size)
  })

  return addRecord(world, Population, name, (eid) => {
    const layout = model.layout
    // With threads the block lives in the shared arena (kernel scratch, owner 0: not a column of the
    // population's state), so every thread reads live parameter changes.
    const block =
      world.threads !== 1 && world.arena !== null && world.arena.shared
        ? allocColumn(world, 0, `threads.params.${name}`, 'f64', layout.length).array
        : new Float64Array(layout.length)
    const paramIndex: Record<string, number> = {}
    layout.forEach((n, k) => {
      paramIndex[n] = k
      if (k < model.params.length) block[k] = params[n]
    })
    model.derive(block, world.dtMs)
    const state: PopulationData['state'] = {}
    model.stateVars.forEach((v, k) => {
      const col = allocColumn(world, eid, v.name, v.type as 'state', size)
      applyInitializer(world, name, v.name, inits[k], col.array)
      state[v.name] = col
    })
    // Kernel columns (the WebAssembly parameter block and input staging) are allocated when a plan runs the
    // population on a kernel that needs them (plan.ts), not here.
    const aux: PopulationData['aux'] = {}
    const pop: PopulationData = {
      eid,
      name,
      model: model.kind,
      size,
      start: world.nNeurons,
      params: block,
      paramIndex,
      state,
      aux,
      spikes: allocColumn(world, eid, 'spikes', 'i32', size),
      nSpikes: 0,
      queue: null,
      inputs: [],
      outputs: [],
      states: [],
    }
    if (finish !== null) finish(pop)
    world.nNeurons += size
    return pop
  })
}

/** The model of a population. */
export function modelOf(pop: PopulationData): NeuronModel {
  return neuronModels[pop.model] as NeuronModel
}

/** A state column of a population, e.g. `stateOf(pop, 'V')`. */
export function stateOf(pop: PopulationData, variable: string): PopulationData['state'][string]['array'] {
  const col = pop.state[variable]
  if (col === undefined) {
    throw new SpikecsError(
      `population '${pop.name}' (${pop.model})`,
      'variable',
      variable,
      `is not a state variable (known: ${Object.keys(pop.state).join(', ')})`,
    )
  }
  return col.array
}

/**
 * Changes a parameter of a running population (e.g. `tau`, `vTh`); derived constants are recomputed at once.
 * The new value is checked like the original one.
 */
export function setParam(world: World, pop: PopulationData, name: string, value: number): void {
  checkPopulation(world, 'setParam', 'pop', pop)
  const model = modelOf(pop)
  const mObj = `population '${pop.name}' (${model.kind})`
  const spec = model.params.find((p) => p.name === name)
  if (spec === undefined) {
    throw new SpikecsError(mObj, name, value, `is not a parameter (known: ${model.params.map((p) => p.name).join(', ')})`)
  }
  checkParam(mObj, spec, value)
  const current: Record<string, number> = {}
  for (const p of model.params) current[p.name] = pop.params[pop.paramIndex[p.name]]
  current[name] = value
  model.check(mObj, current)
  pop.params[pop.paramIndex[name]] = value
  model.derive(pop.params, world.dtMs)
}

/** The current value of a population parameter. */
export function getParam(pop: PopulationData, name: string): number {
  const k = pop.paramIndex[name]
  if (k === undefined) throw new SpikecsError(`population '${pop.name}'`, 'param', name, 'is not a parameter')
  return pop.params[k]
}
