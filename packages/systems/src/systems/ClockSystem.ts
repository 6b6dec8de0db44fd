/** The last slot of every tick: the clock advances to the next tick. */
import { advanceClock, type World } from '@spikecs/ecs-core'

export function ClockSystem(world: World): void {
  advanceClock(world)
}
