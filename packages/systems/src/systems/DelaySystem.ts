/**
 * Slot 1 of every tick. Each population that has a delay queue pushes the spikes it emitted in the
 * previous tick (tick k−1, left in its spike list by `NeuronSystem`) into the queue's next ring slot.
 * One queue per population, shared by all projections leaving it.
 */
import { pushSpikes, type World } from '@spikecs/ecs-core'
import { planOf } from '../plan.js'

export function DelaySystem(world: World): void {
  const queues = planOf(world).queues
  for (let k = 0; k < queues.length; k++) {
    const t = queues[k]
    pushSpikes(world, t.queue, t.pop.spikes.array, t.pop.nSpikes)
  }
}
