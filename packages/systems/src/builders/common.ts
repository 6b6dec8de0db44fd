import { Population, getComponent, SpikecsError, type PopulationData, type World } from '@spikecs/ecs-core'

/** Populations and projections are added before the first tick; the network is fixed once it runs. */
export function assertNotStarted(world: World, object: string): void {
  if (world.tick > 0) {
    throw new SpikecsError(
      object,
      'world.tick',
      world.tick,
      'must be 0: populations and projections are added before the first step (monitors and inputs may come later)',
    )
  }
}

/** Checks that `pop` is a population record of this world. */
export function checkPopulation(world: World, object: string, param: string, pop: unknown): PopulationData {
  const p = pop as PopulationData | null
  if (p === null || typeof p !== 'object' || typeof p.eid !== 'number' || getComponent(world, p.eid, Population) !== p) {
    throw new SpikecsError(
      object,
      param,
      p && typeof p === 'object' && 'name' in p ? (p as { name: unknown }).name : pop,
      'must be a population added to this world with addPopulation',
    )
  }
  return p
}

/** Rounds a value to the world's state dtype. */
export function dtypeRound(world: World): (x: number) => number {
  return world.dtype === 'float32' ? Math.fround : (x: number) => x
}
