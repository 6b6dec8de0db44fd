/**
 * `cuba`: the CUBA benchmark of Brette et al. (2007), with the parameters of Brian2's CUBA example:
 * leaky integrate-and-fire neurons with current-based exponential synapses, 3200 E and 800 I, p = 0.02.
 *
 * Brian2 writes it with voltage-like synaptic variables (mV):
 *
 *   τ_m dv/dt = (g_e + g_i) − (v − E_l),   dg_e/dt = −g_e/τ_e,   dg_i/dt = −g_i/τ_i
 *   a spike of an E (I) neuron adds w_e = 60·0.27/10 = 1.62 mV (w_i = −20·4.5/10 = −9 mV) to g_e (g_i)
 *
 * spikecs's `LifRef` integrates τ dV/dt = −(V − V_rest) + R·I with I = I_ext + Σ_CUBA g. With R = 1 the two
 * equations coincide term by term when V_rest = E_l = −49 mV, I_ext = 0 and each `Expon` state g (in mV) is
 * Brian2's g_e or g_i, fed by `CUBA` outputs with the same weights (the inhibitory weight is negative).
 * (E_l = −49 mV lies above the threshold −50 mV: every neuron fires on its own, inhibition keeps the rate
 * low; `vRest = −60, iExt = 11` is the same model written with a bias current.) Brian2 integrates v exactly
 * with g decaying inside the step; `LifRef` holds g over the tick, an O(dt/τ_e) = 2 % difference in the
 * effective weight. Threshold V ≥ vTh and refractoriness (V held 50 ticks, synapses keep decaying) follow
 * docs/semantics.md. Variants: `default` uses `FullProjAlignPost`, `mg` uses `FullProjAlignPostMg`.
 */
import { SpikecsError, formatValue, type PopulationData } from '@spikecs/ecs-core'
import { CUBA, FullProjAlignPost, FullProjAlignPostMg, LifRef, addPopulation, uniform } from '@spikecs/systems'
import { addEIProjections, constantInputs, fromSide, groupsOf, presetNetwork, worldFor } from './build.js'
import {
  eiPairSpecs,
  lifMembrane,
  lifMembraneSpecs,
  synapseTauSpecs,
  type EIPairParams,
  type LifMembraneParams,
  type SynapseTauParams,
} from './ei-params.js'
import { resolvePreset, spec, type PresetDef } from './params.js'
import type { CommonOptions, PresetNetwork } from './types.js'

/** Model parameters of `cuba`; every field optional, defaults from Brian2's CUBA example. */
export interface CubaParams extends EIPairParams, SynapseTauParams, LifMembraneParams {
  /** Excitatory weight: jump of the synaptic current R·I (mV), default 1.62. */
  wE: number
  /** Inhibitory weight: jump of the synaptic current R·I (mV), default −9. */
  wI: number
  /** Constant external input R·I (mV), default 0. */
  iExt: number
  /** Resting (leak reversal) potential (mV), default −49. */
  vRest: number
  /** Lower bound of the uniform initial V (mV), default −60. */
  v0Low: number
  /** Upper bound of the uniform initial V (mV), default −50. */
  v0High: number
}

export type CubaVariant = 'default' | 'mg'
export type CubaOptions = CommonOptions<CubaVariant> & Partial<CubaParams>
export type CubaNetwork = PresetNetwork<CubaParams, CubaVariant, { E: PopulationData; I: PopulationData }>

export const cubaDef: PresetDef<CubaVariant> = {
  name: 'cuba',
  summary: "Brette et al. 2007 CUBA benchmark with Brian2's example parameters (LifRef, current-based synapses)",
  variants: ['default', 'mg'],
  defaultVariant: 'default',
  variantDocs: { default: 'four FullProjAlignPost with CUBA outputs', mg: 'four FullProjAlignPostMg with CUBA outputs' },
  connectivities: ['csr', 'jit'],
  defaultConn: 'csr',
  params: [
    ...eiPairSpecs,
    spec('wE', 1.62, 'mV', 'finite', 'excitatory jump of the synaptic current R·I per spike'),
    spec('wI', -9, 'mV', 'finite', 'inhibitory jump of the synaptic current R·I per spike (negative)'),
    ...synapseTauSpecs,
    spec('iExt', 0, 'mV', 'finite', 'constant external input R·I'),
    ...lifMembraneSpecs(-49, 'resting (leak reversal) potential'),
    spec('v0Low', -60, 'mV', 'finite', 'lower bound of the uniform initial V'),
    spec('v0High', -50, 'mV', 'finite', 'upper bound of the uniform initial V'),
  ],
}

/** Builds the `cuba` network (see the module comment); nothing is built when an option is invalid. */
export function cuba(options: CubaOptions = {}): CubaNetwork {
  const r = resolvePreset(cubaDef, options)
  const P = r.params as unknown as CubaParams
  if (!(P.v0High >= P.v0Low)) {
    throw new SpikecsError(`preset 'cuba'`, 'v0High', P.v0High, `must be >= v0Low (${formatValue(P.v0Low)} mV)`)
  }
  const world = worldFor(r)
  const lif = (size: number) => LifRef({ size, ...lifMembrane(P), v0: uniform(P.v0Low, P.v0High) })
  const pops = { E: addPopulation(world, 'E', lif(P.nE)), I: addPopulation(world, 'I', lif(P.nI)) }
  const Proj = r.options.variant === 'mg' ? FullProjAlignPostMg : FullProjAlignPost
  addEIProjections(world, pops, (pre, post, from) => Proj({ pre, post, ...fromSide(r.options.conn, P, from), out: CUBA() }))
  const inputs = constantInputs(world, [pops.E, pops.I], P.iExt)
  return presetNetwork('cuba', r, world, pops, groupsOf(pops.E, pops.I), inputs, P)
}
