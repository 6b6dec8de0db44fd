/**
 * Entities by name. Names are unique in a world (populations, projections, inputs, monitors… share one
 * namespace), so a name finds at most one record; asking for the wrong kind or a missing name is an error that
 * lists the names of that kind the world has. Build-time and between-frame use only: a system resolves its
 * records once, never per tick.
 */
import { SpikecsError, type InputData, type PopulationData, type ProjectionData, type Store, type World } from '@spikecs/ecs-core'

function byName<T extends object>(world: World, store: Store<T>, fn: string, kind: string, name: string): T {
  const eid = world.names.get(name)
  const record = eid === undefined ? undefined : store.byEid[eid]
  if (record !== undefined) return record
  const names = store.list.map((r) => JSON.stringify((r as { name: string }).name))
  let why = names.length > 0 ? `must be one of the world's ${kind}s: ${names.join(', ')}` : `must name a ${kind}, and the world has none`
  if (eid !== undefined) {
    const owner = Object.values(world.components).find((s) => s !== undefined && s.byEid[eid] !== undefined)
    if (owner !== undefined) why += `; ${JSON.stringify(name)} is a ${owner.name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`
  }
  throw new SpikecsError(fn, 'name', name, why)
}

/** The population named `name`, e.g. `populationOf(net.world, 'E')`. */
export function populationOf(world: World, name: string): PopulationData {
  return byName(world, world.components.Population, 'populationOf', 'population', name)
}

/** The projection named `name`, e.g. `projectionOf(net.world, 'E2I')`. */
export function projectionOf(world: World, name: string): ProjectionData {
  return byName(world, world.components.Projection, 'projectionOf', 'projection', name)
}

/** The input named `name` (the presets name theirs `<population>:iExt`, e.g. `inputOf(net.world, 'E:iExt')`). */
export function inputOf(world: World, name: string): InputData {
  return byName(world, world.components.Input, 'inputOf', 'input', name)
}
