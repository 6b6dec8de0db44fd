/**
 * Spike injection between frames: a spike injector is a spike buffer the size of a population feeding it
 * one-to-one through a `HalfProjAlignPost` with a short `Expon` synapse and a `CUBA` output. Spikes queued
 * with `injectSpikes` are delivered by `CommSystem` in the next tick, each as a current pulse into its own
 * neuron; with the default weight (R·I jump of 5000 mV decaying with τ 0.1 ms) a LIF neuron of the presets
 * that is not refractory crosses threshold in that very tick, so "inject" reads as "make these neurons fire".
 * A smaller weight gives an ordinary external input spike.
 *
 * An injector that is never used changes nothing: its conductance stays 0 and adds 0 to the sums (the
 * tests check the spikes are bit-identical). Like every projection it is added before the first tick.
 */
import {
  SpikecsError, checkFinite, checkPositive, type PopulationData, type ProjectionData, type SpikeBufferData, type World,
} from '@spikecs/ecs-core'
import { addSpikeBuffer } from '../builders/spike-buffer.js'
import { HalfProjAlignPost, addProjection } from '../builders/projection.js'
import { checkPopulation } from '../builders/common.js'
import { One2One } from '../comm/layers.js'
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

/** Adds a spike injector into population `pop` (see the module comment). */
export function addSpikeInjector(world: World, pop: PopulationData, options: SpikeInjectorOptions = {}): SpikeInjector {
  checkPopulation(world, 'addSpikeInjector', 'pop', pop)
  const name = options.name ?? `inject:${pop.name}`
  const object = `spike injector '${name}'`
  const weight = checkFinite(object, 'weight', options.weight ?? 5000)
  const tau = checkPositive(object, 'tauMs', options.tauMs ?? 0.1, 'ms')
  const buffer = addSpikeBuffer(world, `${name}:buffer`, pop.size)
  const projection = addProjection(world, name, HalfProjAlignPost({
    source: buffer, post: pop, comm: One2One({ weight }), syn: Expon({ tau }), out: CUBA(),
  }))
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
      throw new SpikecsError(`spike injector '${inj.projection.name}'`, `indices[${k}]`, i,
        `must be an integer in [0, ${n}) (a neuron of population '${inj.pop.name}')`)
    }
    marks[i] = 1
  }
  let c = 0
  for (let i = 0; i < n; i++) if (marks[i] === 1) b.indices[c++] = i
  b.count = c
  return c
}
