/**
 * Slot 4 of every tick. Every output adds its bound conductance into its post population's input sums,
 * per neuron: COBA adds g to Σg and g·E to Σ(g·E); CUBA adds g to the current; MgBlock adds g·B(V) and
 * g·B(V)·E with B evaluated at the previous V. Outputs are applied in creation order. Outputs of fused
 * populations are applied inside their fused kernel in `NeuronSystem`, with the same numbers.
 */
import type { World } from '@spikecs/ecs-core'
import { PHASE } from '../threads/control.js'
import { runThreadPhase } from '../threads/phase.js'
import { planOf } from '../plan.js'

export function OutputSystem(world: World): void {
  const plan = planOf(world)
  if (plan.threads !== null) {
    runThreadPhase(world, plan, PHASE.OUTPUT)
    return
  }
  const outputs = plan.outputs
  for (let k = 0; k < outputs.length; k++) {
    const t = outputs[k]
    t.apply(t.output, t.inp, t.V, 0, t.n)
  }
}
