import type { NeuronModel } from './neuron-model.js'
import { lifModels } from './lif.js'

/** Every neuron model, by kind (a constant table: nothing registers itself at import). */
export const neuronModels: Readonly<Record<string, NeuronModel>> = { ...lifModels }
