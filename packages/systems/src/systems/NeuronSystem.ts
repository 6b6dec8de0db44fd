/**
 * Slot 5 of every tick. Every population sums its external inputs for this tick (scalar inputs into one
 * number, per-neuron inputs into one array, each in creation order), then integrates its state with them and
 * the synaptic sums, handles refractoriness, detects spikes (V ≥ V_th), resets, and leaves this tick's spike
 * indices in its spike list. Populations with a fused kernel also advance their synapse states and outputs here.
 */
import type { World } from '@spikecs/ecs-core'
import { PHASE } from '../threads/control.js'
import { runThreadPhase } from '../threads/phase.js'
import { planOf } from '../plan.js'
import { gatherInputs } from '../gather.js'
import { runWasmTask } from '../wasm/lif-wasm.js'
import { injectedFault } from '../threads/runner.js'

export function NeuronSystem(world: World): void {
  const plan = planOf(world)
  if (plan.threads !== null) {
    runThreadPhase(world, plan, PHASE.NEURON)
    return
  }
  const tasks = plan.neurons
  const tick = world.tick
  for (let k = 0; k < tasks.length; k++) {
    const t = tasks[k]
    if (k === plan.fault.pop && tick === plan.fault.tick) throw injectedFault(t.pop.name, tick)
    gatherInputs(t, tick, world)
    if (t.wasm !== null) runWasmTask(t.wasm, t.inp, tick)
    else if (t.kernel !== null) t.pop.nSpikes = t.kernel(t.pop, t.inp, tick, 0, t.pop.size, 0)
    else t.model.update(t.pop, t.inp, tick)
  }
}
