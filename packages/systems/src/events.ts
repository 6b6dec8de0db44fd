/**
 * The synaptic-event counter: events delivered since the world was created, a plain field of the systems'
 * plan (`CommSystem` adds each tick's count; a rebuilt plan carries it over). It is state, so the systems
 * register a snapshot section for it on every world that has a projection (the only source of events).
 */
import { addSnapshotSection, type SnapshotSection, type World } from '@spikecs/ecs-core'
import { planOf, type Plan } from './plan.js'

const eventsSection: SnapshotSection<number> = {
  name: 'systems.events',
  write: (world, w) => w.f64((world.plan as Plan | null)?.events ?? 0),
  read: (_, r) => {
    const events = r.f64()
    if (!(Number.isInteger(events) && events >= 0)) r.fail(`synaptic event count ${events} is not a count`)
    return events
  },
  // The plan is derived from the structure; building it here (if the world has none yet) gives the counter its place.
  commit: (world, events) => {
    planOf(world).events = events
  },
}

/** Registers the counter's snapshot section on `world` (once; called with each projection). */
export function registerEventCounter(world: World): void {
  addSnapshotSection(world, eventsSection)
}

/** Synaptic events delivered so far. */
export function synapticEvents(world: World): number {
  return planOf(world).events
}
