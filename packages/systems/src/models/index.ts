import type { NeuronModel } from './neuron-model.js'
import { lifModels } from './lif.js'
import { expIfModels } from './exp-if.js'
import { quaIfModels } from './qua-if.js'
import { izhikevichModels } from './izhikevich.js'
import { hhModels } from './hh.js'
import { sourceModels } from './sources.js'

/** Every neuron model, by kind (a constant table: nothing registers itself at import). */
export const neuronModels: Readonly<Record<string, NeuronModel>> = {
  ...lifModels, ...expIfModels, ...quaIfModels, ...izhikevichModels, ...hhModels, ...sourceModels,
}
