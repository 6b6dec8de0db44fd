/**
 * External inputs into a population, summed each tick by `NeuronSystem` before integration (in the model's
 * current units; for the LIF family R·I is in mV):
 * - a number: the same constant for every neuron, every tick;
 * - an array (one value per neuron): a constant per neuron;
 * - `{ series, perNeuron?, after? }`: value(s) for each tick (`series[k]`, or `series[k·size + i]` per neuron);
 *   after the series ends the input is 0 (`after: 'zero'`) or holds its last value (`after: 'hold'`);
 * - a function `(tick, tMs) => number`, called once per tick; or `{ fn: (tick, tMs, out) => void,
 *   perNeuron: true }` filling one value per neuron.
 * Every input has a live `scale` (default 1) that multiplies it, for sliders and protocols.
 */
import {
  SpikecsError,
  addRecord,
  Input,
  checkFinite,
  checkFiniteArray,
  type InputData,
  type PopulationData,
  type World,
} from '@spikecs/ecs-core'
import { checkPopulation } from './common.js'

export type InputSpec =
  | number
  | ArrayLike<number>
  | ((tick: number, tMs: number) => number)
  | { series: ArrayLike<number>; perNeuron?: boolean; after?: 'zero' | 'hold' }
  | { fn: (tick: number, tMs: number, out: Float64Array) => void; perNeuron: true }

export function addInput(world: World, pop: PopulationData, spec: InputSpec, name?: string): InputData {
  const n = name ?? `${pop?.name || 'population'}:input${world.components.Input.list.length}`
  const object = `input '${n}'`
  checkPopulation(world, object, 'pop', pop)
  let kind: InputData['kind'] = 'constant'
  let perNeuron = false
  let values = new Float64Array(1)
  let fn: InputData['fn'] = null
  let after: InputData['after'] = 'zero'
  if (typeof spec === 'number') {
    values[0] = checkFinite(object, 'value', spec)
  } else if (typeof spec === 'function') {
    kind = 'function'
    fn = spec as InputData['fn']
  } else if (spec !== null && typeof spec === 'object' && 'series' in spec) {
    kind = 'series'
    perNeuron = spec.perNeuron === true
    after = spec.after ?? 'zero'
    if (after !== 'zero' && after !== 'hold') throw new SpikecsError(object, 'after', after, "must be 'zero' or 'hold'")
    const s = spec.series
    if (!s || typeof s.length !== 'number' || s.length === 0) throw new SpikecsError(object, 'series', s, 'must be a non-empty array')
    if (perNeuron && s.length % pop.size !== 0) {
      throw new SpikecsError(object, 'series', s, `must hold ticks x ${pop.size} values (one per neuron per tick)`)
    }
    checkFiniteArray(object, 'series', s)
    values = Float64Array.from(s)
  } else if (spec !== null && typeof spec === 'object' && 'fn' in spec) {
    if (typeof spec.fn !== 'function') throw new SpikecsError(object, 'fn', spec.fn, 'must be a function')
    kind = 'function'
    perNeuron = spec.perNeuron === true
    fn = spec.fn
    if (perNeuron) values = new Float64Array(pop.size)
  } else if (spec !== null && typeof spec === 'object' && typeof (spec as ArrayLike<number>).length === 'number') {
    const arr = spec as ArrayLike<number>
    if (arr.length !== pop.size) throw new SpikecsError(object, 'value', spec, `must have one value per neuron (${pop.size})`)
    checkFiniteArray(object, 'value', arr)
    perNeuron = true
    values = Float64Array.from(arr)
  } else {
    throw new SpikecsError(object, 'spec', spec, 'must be a number, an array, a function, { series } or { fn, perNeuron }')
  }
  const input = addRecord<InputData>(world, Input, n, (eid) => ({ eid, name: n, pop, kind, perNeuron, values, fn, after, scale: 1 }))
  pop.inputs.push(input)
  return input
}

/** Changes a constant scalar input (e.g. from a slider); takes effect in the next tick. */
export function setInput(input: InputData, value: number): void {
  if (input.kind !== 'constant' || input.perNeuron) {
    throw new SpikecsError(`input '${input.name}'`, 'value', value, 'can only be set on a constant scalar input (use scale otherwise)')
  }
  input.values[0] = checkFinite(`input '${input.name}'`, 'value', value)
}
