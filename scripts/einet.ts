/**
 * The 4000-neuron EINet of BrainPy's align-post documentation, built with the systems API: one LifRef
 * population N (E = [0, 3200), I = [3200, 4000)), two half Mg projections reading slices of N's spikes of the
 * previous tick through on-the-fly Bernoulli(0.02) connectivity, COBA outputs, a constant input of 20.
 * Shared by the soak and checker-cost scripts (the presets package will provide `einet` itself).
 */
import { createWorld, type Dtype, type PopulationData, type World } from '@spikecs/ecs-core'
import {
  addPopulation, addProjection, addInput, LifRef, normal, fromQueue, EventJitFPHomoLinear, Expon, COBA, HalfProjAlignPostMg,
} from '@spikecs/systems'

export function docsEinet(seed = 42, dtype: Dtype = 'float32'): { world: World; N: PopulationData } {
  const world = createWorld({ seed, dtype })
  const N = addPopulation(world, 'N', LifRef({ size: 4000, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: normal(-55, 2) }))
  addProjection(world, 'E', HalfProjAlignPostMg({ source: fromQueue(N, { start: 0, end: 3200 }), comm: EventJitFPHomoLinear({ prob: 0.02, weight: 0.6 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post: N }))
  addProjection(world, 'I', HalfProjAlignPostMg({ source: fromQueue(N, { start: 3200, end: 4000 }), comm: EventJitFPHomoLinear({ prob: 0.02, weight: 6.7 }), syn: Expon({ tau: 10 }), out: COBA({ E: -80 }), post: N }))
  addInput(world, N, 20)
  return { world, N }
}
