import type { NeuronModel } from './neuron-model.js'
import { lifModels } from './lif.js'
import { expIfModels } from './exp-if.js'
import { quaIfModels } from './qua-if.js'
import { izhikevichModels } from './izhikevich.js'
import { hhModels } from './hh.js'
import { sourceModels } from './sources.js'
import { ifModels } from './if.js'
import { adQuaIfModels } from './adqua-if.js'
import { gifModels } from './gif.js'

/** Every neuron model, by kind (a constant table: nothing registers itself at import). */
export const neuronModels: Readonly<Record<string, NeuronModel>> = {
  ...lifModels,
  ...expIfModels,
  ...quaIfModels,
  ...adQuaIfModels,
  ...gifModels,
  ...ifModels,
  ...izhikevichModels,
  ...hhModels,
  ...sourceModels,
}

/** The model of a kind, or undefined. */
export function modelOfKind(kind: string): NeuronModel | undefined {
  return Object.hasOwn(neuronModels, kind) ? neuronModels[kind] : undefined
}
