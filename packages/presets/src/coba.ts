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
import {
  COBA,
  Expon,
  FullProjAlignPost,
  FullProjAlignPostMg,
  LifRefLTC,
  addInput,
  addPopulation,
  addProjection,
  normal,
} from '@spikecs/systems'
import { fixedProb, groupsOf, monitorFor, worldFor } from './build.js'
import { resolvePreset, spec, type PresetDef } from './params.js'
import type { CommonOptions, PresetNetwork } from './types.js'

/** Model parameters of `coba`; every field optional, defaults from the anchors' model. */
export interface CobaParams {
  /** Excitatory neurons, default round(3200·K). */
  nE: number
  /** Inhibitory neurons, default round(800·K). */
  nI: number
  /** Connection probability of every ordered pair, default 0.02/K. */
  p: number
  /** Excitatory weight (units of the leak conductance), default 0.6. */
  wE: number
  /** Inhibitory weight (units of the leak conductance), default 6.7. */
  wI: number
  /** Excitatory synaptic time constant (ms), default 5. */
  tauE: number
  /** Inhibitory synaptic time constant (ms), default 10. */
  tauI: number
  /** Excitatory reversal potential (mV), default 0. */
  eE: number
  /** Inhibitory reversal potential (mV), default −80. */
  eI: number
  /** Constant external drive R·I (mV), default 20. */
  iExt: number
  /** Resting potential (mV), default −60. */
  vRest: number
  /** Threshold (mV): spike when V ≥ vTh, default −50. */
  vTh: number
  /** Reset potential (mV), default −60. */
  vReset: number
  /** Membrane time constant (ms), default 20. */
  tauM: number
  /** Refractory period (ms): V held for round(tauRef/dt) ticks, default 5. */
  tauRef: number
  /** Mean of the initial V (mV), default −55. */
  v0Mean: number
  /** Standard deviation of the initial V (mV), default 2. */
  v0Std: number
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
  params: [
    spec('nE', 3200, 'neurons', 'count', 'excitatory neurons', 'times'),
    spec('nI', 800, 'neurons', 'count', 'inhibitory neurons', 'times'),
    spec('p', 0.02, '', 'probability', 'connection probability of every ordered pair (self-pairs allowed)', 'over'),
    spec('wE', 0.6, 'g_leak', 'nonNegative', 'excitatory conductance increment per spike'),
    spec('wI', 6.7, 'g_leak', 'nonNegative', 'inhibitory conductance increment per spike'),
    spec('tauE', 5, 'ms', 'positive', 'excitatory synaptic time constant'),
    spec('tauI', 10, 'ms', 'positive', 'inhibitory synaptic time constant'),
    spec('eE', 0, 'mV', 'finite', 'excitatory reversal potential'),
    spec('eI', -80, 'mV', 'finite', 'inhibitory reversal potential'),
    spec('iExt', 20, 'mV', 'finite', 'constant external drive R·I'),
    spec('vRest', -60, 'mV', 'finite', 'resting potential'),
    spec('vTh', -50, 'mV', 'finite', 'spike threshold (V ≥ vTh)'),
    spec('vReset', -60, 'mV', 'finite', 'reset potential'),
    spec('tauM', 20, 'ms', 'positive', 'membrane time constant'),
    spec('tauRef', 5, 'ms', 'nonNegative', 'refractory period'),
    spec('v0Mean', -55, 'mV', 'finite', 'mean of the initial V (normal)'),
    spec('v0Std', 2, 'mV', 'nonNegative', 'standard deviation of the initial V'),
  ],
}

/** Builds the `coba` network (see the module comment); nothing is built when an option is invalid. */
export function coba(options: CobaOptions = {}): CobaNetwork {
  const r = resolvePreset(cobaDef, options)
  const P = r.params as unknown as CobaParams
  const world = worldFor(r)
  const lif = (size: number) =>
    LifRefLTC({ size, vRest: P.vRest, vTh: P.vTh, vReset: P.vReset, tau: P.tauM, tauRef: P.tauRef, v0: normal(P.v0Mean, P.v0Std) })
  const E = addPopulation(world, 'E', lif(P.nE))
  const I = addPopulation(world, 'I', lif(P.nI))
  const Proj = r.options.variant === 'mg' ? FullProjAlignPostMg : FullProjAlignPost
  const conn = r.options.conn
  // No delay: a spike of tick j is first felt by the synapse in tick j + 1 (Brian2's default delay 0).
  const wires = [
    ['E2E', E, E, P.wE, P.tauE, P.eE],
    ['E2I', E, I, P.wE, P.tauE, P.eE],
    ['I2E', I, E, P.wI, P.tauI, P.eI],
    ['I2I', I, I, P.wI, P.tauI, P.eI],
  ] as const
  for (const [name, pre, post, w, tau, rev] of wires) {
    addProjection(world, name, Proj({ pre, post, comm: fixedProb(conn, P.p, w), syn: Expon({ tau }), out: COBA({ E: rev }) }))
  }
  const inputs = [addInput(world, E, P.iExt, 'E:iExt'), addInput(world, I, P.iExt, 'I:iExt')]
  return {
    preset: 'coba',
    options: r.options,
    world,
    pops: { E, I },
    groups: groupsOf(E, I),
    inputs,
    monitors: { spikes: monitorFor(world, [E, I], r.record) },
    params: P,
  }
}
