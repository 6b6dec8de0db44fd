/**
 * Spike injection between frames, two ways:
 *
 * `injectEvents(world, proj, indices, weight)` delivers one synaptic event of `weight` to each of the post
 * neurons `indices` through an existing projection: it adds the weight into the projection's synapse state
 * (every input column, as the comm kernels do) between two ticks, which is what `CommSystem` would do in
 * the next tick for a presynaptic spike reaching those neurons. It creates nothing, so it costs nothing per
 * tick; the kick has that projection's synapse time course (e.g. a 5 ms conductance).
 *
 * A spike injector (`addSpikeInjector`, then `injectSpikes`) gives a pulse of its own shape: a spike buffer
 * the size of a population feeding it one-to-one through a `HalfProjAlignPost` with a short `Expon` synapse
 * and a `CUBA` output. Its synapse state is advanced every tick, used or not (about 10-15 % of a 4000-neuron
 * preset's tick with the WebAssembly kernels). Spikes queued with `injectSpikes` are delivered by `CommSystem` in the next tick, each as
 * a current pulse into its own
 * neuron; with the default weight (R·I jump of 5000 mV decaying with τ 0.1 ms) a LIF neuron of the presets
 * that is not refractory crosses threshold in that very tick, so "inject" reads as "make these neurons fire".
 * A smaller weight gives an ordinary external input spike.
 *
 * An injector that is never used changes nothing: its conductance stays 0 and adds 0 to the sums (the
 * tests check the spikes are bit-identical). Like every projection it is added before the first tick.
 */
import {
  SpikecsError,
  checkFinite,
  checkPositive,
  type PopulationData,
  type ProjectionData,
  type SpikeBufferData,
  type World,
} from '@spikecs/ecs-core'
import { addSpikeBuffer } from '../builders/spike-buffer.js'
import { HalfProjAlignPost, addProjection } from '../builders/projection.js'
import { checkPopulation } from '../builders/common.js'
import { One2One } from '../comm/one2one.js'
import { Expon } from '../models/synapses.js'
import { CUBA } from '../models/outputs.js'

export interface SpikeInjectorOptions {
  /** Name of the projection (the buffer is `NAME:buffer`), default `inject:POP`. */
  name?: string
  /** Current jump per injected spike, in the population's current units (R·I in mV for LIF), default 5000. */
  weight?: number
  /** Decay time constant of the pulse (ms), default 0.1. */
  tauMs?: number
}

export interface SpikeInjector {
  readonly pop: PopulationData
  readonly buffer: SpikeBufferData
  readonly projection: ProjectionData
}

/**
 * Delivers one event of `weight` (in the projection's weight units) to each post neuron in `indices`
 * (post-population-local, any order; a repeated index gets one event per occurrence) through projection
 * `proj`, in the next tick (see the module comment). Returns the number of events.
 */
export function injectEvents(world: World, proj: ProjectionData, indices: ArrayLike<number>, weight: number): number {
  if (proj === null || typeof proj !== 'object' || world.components.Projection.byEid[proj.eid] !== proj) {
    throw new SpikecsError(
      'injectEvents',
      'proj',
      proj && typeof proj === 'object' ? proj.name : proj,
      'must be a projection added to this world with addProjection',
    )
  }
  const object = `projection '${proj.name}'`
  checkFinite(object, 'weight', weight)
  const n = proj.post.size
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]
    if (!(Number.isInteger(i) && i >= 0 && i < n)) {
      throw new SpikecsError(object, `indices[${k}]`, i, `must be an integer in [0, ${n}) (a neuron of population '${proj.post.name}')`)
    }
  }
  const cols = proj.state.inputCols
  const w = world.dtype === 'float32' ? Math.fround(weight) : weight
  for (let c = 0; c < cols.length; c++) {
    const g = cols[c].array
    for (let k = 0; k < indices.length; k++) g[indices[k]] += w
  }
  return indices.length
}

/** Adds a spike injector into population `pop` (see the module comment). */
export function addSpikeInjector(world: World, pop: PopulationData, options: SpikeInjectorOptions = {}): SpikeInjector {
  checkPopulation(world, 'addSpikeInjector', 'pop', pop)
  const name = options.name ?? `inject:${pop.name}`
  const object = `spike injector '${name}'`
  const weight = checkFinite(object, 'weight', options.weight ?? 5000)
  const tau = checkPositive(object, 'tauMs', options.tauMs ?? 0.1, 'ms')
  const buffer = addSpikeBuffer(world, `${name}:buffer`, pop.size)
  const projection = addProjection(
    world,
    name,
    HalfProjAlignPost({ source: buffer, post: pop, comm: One2One({ weight }), syn: Expon({ tau }), out: CUBA() }),
  )
  return { pop, buffer, projection }
}

/**
 * Queues spikes of the neurons `indices` (population-local, any order, repeats counted once) for the next
 * tick, merged with those already queued. Returns the number queued.
 */
export function injectSpikes(inj: SpikeInjector, indices: ArrayLike<number>): number {
  const b = inj.buffer
  const n = inj.pop.size
  const marks = new Uint8Array(n)
  for (let k = 0; k < b.count; k++) marks[b.indices[k]] = 1
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]
    if (!(Number.isInteger(i) && i >= 0 && i < n)) {
      throw new SpikecsError(
        `spike injector '${inj.projection.name}'`,
        `indices[${k}]`,
        i,
        `must be an integer in [0, ${n}) (a neuron of population '${inj.pop.name}')`,
      )
    }
    marks[i] = 1
  }
  let c = 0
  for (let i = 0; i < n; i++) if (marks[i] === 1) b.indices[c++] = i
  b.count = c
  return c
}
