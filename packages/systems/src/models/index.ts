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
  ...lifModels, ...expIfModels, ...quaIfModels, ...adQuaIfModels, ...gifModels, ...ifModels, ...izhikevichModels,
  ...hhModels, ...sourceModels,
}
