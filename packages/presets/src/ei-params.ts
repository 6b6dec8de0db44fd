/**
 * Parameter blocks the E/I presets share, each as its TSDoc'd fields and its rows of the preset's table (the
 * rows are what `spikecs list` prints and the resolver checks). A preset's table lists its blocks in order,
 * with the parameters that are its own between them.
 */
import { spec } from './params.js'
import type { PresetParamSpec } from './types.js'

/** Brette et al. 2007's two populations and their connection probability, scaled by K. */
export interface EIPairParams {
  /** Excitatory neurons, default round(3200·K). */
  nE: number
  /** Inhibitory neurons, default round(800·K). */
  nI: number
  /** Connection probability of every ordered pair (self-pairs allowed), default 0.02/K. */
  p: number
}
export const eiPairSpecs: readonly PresetParamSpec[] = [
  spec('nE', 3200, 'neurons', 'count', 'excitatory neurons', 'times'),
  spec('nI', 800, 'neurons', 'count', 'inhibitory neurons', 'times'),
  spec('p', 0.02, '', 'probability', 'connection probability of every ordered pair (self-pairs allowed)', 'over'),
]

/** The decay time constants of the excitatory and inhibitory `Expon` synapses. */
export interface SynapseTauParams {
  /** Excitatory synaptic time constant (ms), default 5. */
  tauE: number
  /** Inhibitory synaptic time constant (ms), default 10. */
  tauI: number
}
export const synapseTauSpecs: readonly PresetParamSpec[] = [
  spec('tauE', 5, 'ms', 'positive', 'excitatory synaptic time constant'),
  spec('tauI', 10, 'ms', 'positive', 'inhibitory synaptic time constant'),
]

/** The reversal potentials of the excitatory and inhibitory `COBA` outputs. */
export interface ReversalParams {
  /** Excitatory reversal potential (mV), default 0. */
  eE: number
  /** Inhibitory reversal potential (mV), default −80. */
  eI: number
}
export const reversalSpecs: readonly PresetParamSpec[] = [
  spec('eE', 0, 'mV', 'finite', 'excitatory reversal potential'),
  spec('eI', -80, 'mV', 'finite', 'inhibitory reversal potential'),
]

/** The LIF membrane (`LifRef`, `LifRefLTC`): rest, threshold, reset, time constant, refractory period. */
export interface LifMembraneParams {
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
}
/** The membrane's rows; `vRest` takes the preset's default and description. */
export function lifMembraneSpecs(vRest: number, vRestDoc: string): readonly PresetParamSpec[] {
  return [
    spec('vRest', vRest, 'mV', 'finite', vRestDoc),
    spec('vTh', -50, 'mV', 'finite', 'spike threshold (V ≥ vTh)'),
    spec('vReset', -60, 'mV', 'finite', 'reset potential'),
    spec('tauM', 20, 'ms', 'positive', 'membrane time constant'),
    spec('tauRef', 5, 'ms', 'nonNegative', 'refractory period'),
  ]
}
/** The parameters of `LifRef`/`LifRefLTC` a preset's membrane block gives (`tau` is the block's `tauM`). */
export function lifMembrane(P: LifMembraneParams) {
  return { vRest: P.vRest, vTh: P.vTh, vReset: P.vReset, tau: P.tauM, tauRef: P.tauRef }
}

/**
 * The LIF network with conductance synapses that `coba` and `einet` build: the E/I pair, weights in units of
 * the leak conductance, `Expon` synapses with `COBA` outputs, the LIF membrane and a normal initial V.
 */
export interface LifCobaParams extends EIPairParams, SynapseTauParams, ReversalParams, LifMembraneParams {
  /** Excitatory weight (units of the leak conductance), default 0.6. */
  wE: number
  /** Inhibitory weight (units of the leak conductance), default 6.7. */
  wI: number
  /** Mean of the initial V (mV), default −55. */
  v0Mean: number
  /** Standard deviation of the initial V (mV), default 2. */
  v0Std: number
}
/** The rows of `LifCobaParams` in table order, with the preset's constant input `iExt` among them. */
export function lifCobaSpecs(iExt: PresetParamSpec): readonly PresetParamSpec[] {
  return [
    ...eiPairSpecs,
    spec('wE', 0.6, 'g_leak', 'nonNegative', 'excitatory conductance increment per spike'),
    spec('wI', 6.7, 'g_leak', 'nonNegative', 'inhibitory conductance increment per spike'),
    ...synapseTauSpecs,
    ...reversalSpecs,
    iExt,
    ...lifMembraneSpecs(-60, 'resting potential'),
    spec('v0Mean', -55, 'mV', 'finite', 'mean of the initial V (normal)'),
    spec('v0Std', 2, 'mV', 'nonNegative', 'standard deviation of the initial V'),
  ]
}
