/**
 * The 4000-neuron EINet of BrainPy's align-post documentation (the `einet` preset, variant halfMg: one LifRef
 * population N, E = [0, 3200), I = [3200, 4000), two half Mg projections reading slices of N's spikes of the
 * previous tick through on-the-fly Bernoulli(0.02) connectivity, COBA outputs, a constant input of 20),
 * without its spike monitor. Shared by the soak and checker-cost scripts.
 */
import type { Dtype, PopulationData, World } from '@spikecs/ecs-core'
import { einet } from '@spikecs/presets'

export function docsEinet(seed = 42, dtype: Dtype = 'float32', kernel: 'js' | 'wasm' = 'wasm'): { world: World; N: PopulationData } {
  const net = einet({ seed, dtype, kernel, variant: 'halfMg', record: false })
  return { world: net.world, N: net.pops.N }
}
