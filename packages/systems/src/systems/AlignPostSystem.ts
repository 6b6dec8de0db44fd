/**
 * Slot 3 of every tick. Every synapse state advances one tick and binds its conductance to its output:
 * states of Mg projections decay after this tick's increments (g_k = (g_{k−1} + Δ_k)·a); states of non-Mg
 * projections already hold g_{k−1}·a + Δ_k, which becomes the bound conductance before the state decays
 * for the next tick (g_k = g_{k−1}·a + Δ_k). States of fused populations advance inside their fused
 * kernel in `NeuronSystem`, with the same numbers.
 */
import type { World } from '@spikecs/ecs-core'
import { PHASE } from '../threads/control.js'
import { runThreadPhase } from '../threads/phase.js'
import { planOf } from '../plan.js'

export function AlignPostSystem(world: World): void {
  const plan = planOf(world)
  if (plan.threads !== null) {
    runThreadPhase(world, plan, PHASE.ALIGN)
    return
  }
  const states = plan.states
  for (let k = 0; k < states.length; k++) {
    const t = states[k]
    t.advance(t.state, 0, t.n)
  }
}
