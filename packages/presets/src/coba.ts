/**
 * `coba`: the COBA benchmark of Brette et al. (2007) as the Brian2, C and JS references of the project's
 * performance anchors implement it (leaky integrate-and-fire neurons with conductance-based exponential
 * synapses and a constant bias, the network of BrainPy's EINet):
 *
 *   τ_m dV/dt = −(V − V_rest) + I_ext + g_E·(E_E − V) + g_I·(E_I − V)
 *   dg_E/dt = −g_E/τ_E,  dg_I/dt = −g_I/τ_I;  a spike of an E (I) neuron adds w_E (w_I) to g_E (g_I) of its targets
 *
 * Conductances are in units of the leak conductance (dimensionless), so w_E = 0.6 means 0.6·g_leak.
 * Neurons are `LifRefLTC` (the conductances stay inside the exponential step, as Brian2's exponential Euler);
 * four projections E→E, E→I, I→E, I→I, each every pair with probability p (self-pairs allowed), latency one tick.
 * Variants: `default` uses `FullProjAlignPost` (the synapse decays, then adds: the references' numbers);
 * `mg` uses `FullProjAlignPostMg` (adds, then decays: each increment is felt attenuated by e^(−dt/τ)).
 * Where the references differ from docs/semantics.md (threshold `>` versus `≥`, 49 versus 50 refractory
 * ticks), spikecs follows docs/semantics.md.
 */
import type { PopulationData } from '@spikecs/ecs-core'
import { FullProjAlignPost, FullProjAlignPostMg, LifRefLTC, addPopulation, normal } from '@spikecs/systems'
import { addEIProjections, cobaFrom, constantInputs, fromSide, groupsOf, presetNetwork, worldFor } from './build.js'
import { lifCobaSpecs, lifMembrane, type LifCobaParams } from './ei-params.js'
import { resolvePreset, spec, type PresetDef } from './params.js'
import type { CommonOptions, PresetNetwork } from './types.js'

/** Model parameters of `coba`; every field optional, defaults from the anchors' model. */
export interface CobaParams extends LifCobaParams {
  /** Constant external drive R·I (mV), default 20. */
  iExt: number
}

export type CobaVariant = 'default' | 'mg'
export type CobaOptions = CommonOptions<CobaVariant> & Partial<CobaParams>
export type CobaNetwork = PresetNetwork<CobaParams, CobaVariant, { E: PopulationData; I: PopulationData }>

export const cobaDef: PresetDef<CobaVariant> = {
  name: 'coba',
  summary: 'Brette et al. 2007 COBA benchmark as the Brian2/C/JS anchors run it (LifRefLTC, 4 stored projections)',
  variants: ['default', 'mg'],
  defaultVariant: 'default',
  variantDocs: {
    default: "four FullProjAlignPost (decay, then add: the references' numerics)",
    mg: 'four FullProjAlignPostMg (add, then decay; equal synapses merged per post population)',
  },
  connectivities: ['csr', 'jit'],
  defaultConn: 'csr',
  params: lifCobaSpecs(spec('iExt', 20, 'mV', 'finite', 'constant external drive R·I')),
}

/** Builds the `coba` network (see the module comment); nothing is built when an option is invalid. */
export function coba(options: CobaOptions = {}): CobaNetwork {
  const r = resolvePreset(cobaDef, options)
  const P = r.params as unknown as CobaParams
  const world = worldFor(r)
  const lif = (size: number) => LifRefLTC({ size, ...lifMembrane(P), v0: normal(P.v0Mean, P.v0Std) })
  const pops = { E: addPopulation(world, 'E', lif(P.nE)), I: addPopulation(world, 'I', lif(P.nI)) }
  const Proj = r.options.variant === 'mg' ? FullProjAlignPostMg : FullProjAlignPost
  // No delay: a spike of tick j is first felt by the synapse in tick j + 1 (Brian2's default delay 0).
  addEIProjections(world, pops, (pre, post, from) => Proj({ pre, post, ...fromSide(r.options.conn, P, from), out: cobaFrom(P, from) }))
  const inputs = constantInputs(world, [pops.E, pops.I], P.iExt)
  return presetNetwork('coba', r, world, pops, groupsOf(pops.E, pops.I), inputs, P)
}
