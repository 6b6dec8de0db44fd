/**
 * Spike taps: the spikes of the ticks since the tap was last cleared, for drawing a frame. Unlike a spike
 * monitor, a tap holds no history: a driver clears it at the start of every frame, so it stays as small as
 * one frame's spikes and reading it copies nothing.
 *
 * Layout (CSR by tick): the spikes of tick `firstTick + k` are `indices[offsets[k] .. offsets[k+1])`, global
 * neuron indices, ascending within a population and populations in the order given; `nTicks` ticks are held.
 * The tap's system runs after `NeuronSystem` (where monitors see the tick's spikes) and appends one tick.
 * Its arrays double when a frame needs more (amortised; never per neuron).
 */
import { SpikecsError, checkName, type PopulationData, type System, type World } from '@spikecs/ecs-core'
import { insertSystem } from '../run.js'
import { NeuronSystem } from '../systems/NeuronSystem.js'
import { checkPopulation } from '../builders/common.js'

export interface SpikeTap {
  readonly name: string
  readonly pops: readonly PopulationData[]
  /** Tick of the first tick held (the world's tick when the tap was cleared). */
  firstTick: number
  /** Ticks held. */
  nTicks: number
  /** offsets[k] is the first spike of tick firstTick + k; offsets[nTicks] = count. Valid: nTicks + 1 entries. */
  offsets: Int32Array
  /** Global neuron indices; valid: `count` entries. */
  indices: Int32Array
  count: number
  /** The world the tap records (its clock gives `firstTick` on clearing). */
  readonly world: World
  /** The system appending each tick (in the world's pipeline after `NeuronSystem`). */
  readonly system: System
}

/** The spikes a tap holds, as views into its arrays (valid until the next tick or clear). */
export interface TapFrame {
  readonly firstTick: number
  readonly nTicks: number
  /** nTicks + 1 offsets into `indices`. */
  readonly offsets: Int32Array
  readonly indices: Int32Array
}

function grow(a: Int32Array, need: number): Int32Array {
  let cap = a.length
  while (cap < need) cap *= 2
  const b = new Int32Array(cap)
  b.set(a)
  return b
}

function record(tap: SpikeTap, world: World): void {
  if (tap.nTicks === 0) tap.firstTick = world.tick
  if (tap.nTicks + 2 > tap.offsets.length) tap.offsets = grow(tap.offsets, tap.nTicks + 2)
  let total = 0
  const pops = tap.pops
  for (let p = 0; p < pops.length; p++) total += pops[p].nSpikes
  if (tap.count + total > tap.indices.length) tap.indices = grow(tap.indices, tap.count + total)
  const out = tap.indices
  let c = tap.count
  for (let p = 0; p < pops.length; p++) {
    const pop = pops[p]
    const spk = pop.spikes.array,
      ns = pop.nSpikes,
      start = pop.start
    for (let k = 0; k < ns; k++) out[c++] = start + spk[k]
  }
  tap.count = c
  tap.nTicks++
  tap.offsets[tap.nTicks] = c
}

/**
 * Adds a spike tap over `pops` (one population or several) and inserts its system after `NeuronSystem` in
 * the world's pipeline (so `step`, `run` and drivers fill it).
 */
export function addSpikeTap(world: World, pops: PopulationData | readonly PopulationData[], options: { name?: string } = {}): SpikeTap {
  const name = checkName('spike tap', options.name ?? 'tap')
  const object = `spike tap '${name}'`
  const list = Array.isArray(pops) ? [...pops] : [pops as PopulationData]
  if (list.length === 0) throw new SpikecsError(object, 'pops', pops, 'must name at least one population')
  list.forEach((p, k) => checkPopulation(world, object, `pops[${k}]`, p))
  const tap: SpikeTap = {
    name,
    pops: list,
    firstTick: world.tick,
    nTicks: 0,
    offsets: new Int32Array(64),
    indices: new Int32Array(1024),
    count: 0,
    world,
    system: (w: World) => record(tap, w),
  }
  Object.defineProperty(tap.system, 'name', { value: `SpikeTapSystem(${name})` })
  insertSystem(world, tap.system, { after: NeuronSystem })
  return tap
}

/** Forgets what the tap holds; the next tick recorded becomes its first. */
export function clearTap(tap: SpikeTap): void {
  tap.firstTick = tap.world.tick
  tap.nTicks = 0
  tap.count = 0
  tap.offsets[0] = 0
}

/** The spikes the tap holds (views, no copy). */
export function tapSpikes(tap: SpikeTap): TapFrame {
  return {
    firstTick: tap.firstTick,
    nTicks: tap.nTicks,
    offsets: tap.offsets.subarray(0, tap.nTicks + 1),
    indices: tap.indices.subarray(0, tap.count),
  }
}
