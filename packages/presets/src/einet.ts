/**
 * `einet`: the E/I balanced network of BrainPy's align-post documentation, one variant per projection kind.
 * 4000 `LifRef` neurons (non-LTC: the synaptic current g·(E − V) is taken at the previous V), the first 3200
 * excitatory; on-the-fly fixed-probability connectivity (p = 0.02, weights 0.6 and 6.7), `Expon` synapses
 * (τ 5 and 10 ms) with `COBA` outputs (E 0 and −80 mV), constant input 20 (R·I in mV).
 *
 * | variant  | populations | projections                                                               |
 * |----------|-------------|---------------------------------------------------------------------------|
 * | `halfMg` | N           | `E`, `I`: `HalfProjAlignPostMg` from slices [0, nE) and [nE, nE+nI) of N's spikes |
 * | `half`   | N           | the same with `HalfProjAlignPost`                                         |
 * | `fullMg` | E, I        | `E2E`, `E2I`, `I2E`, `I2I`: `FullProjAlignPostMg`, delay 0.1 ms           |
 * | `full`   | E, I        | the same with `FullProjAlignPost`                                         |
 *
 * Mg and non-Mg variants of one shape share projection and population names, hence one seed gives them the
 * same connectivity and initial V: only the synapse order differs (Mg adds then decays, non-Mg decays then
 * adds), so their statistics are close but their spikes are not equal.
 */
import { SpikecsError, TICK_TOLERANCE, type PopulationData } from '@spikecs/ecs-core'
import {
  COBA,
  Expon,
  FullProjAlignPost,
  FullProjAlignPostMg,
  HalfProjAlignPost,
  HalfProjAlignPostMg,
  LifRef,
  addInput,
  addPopulation,
  addProjection,
  fromQueue,
  normal,
} from '@spikecs/systems'
import { fixedProb, groupsOf, monitorFor, worldFor } from './build.js'
import { resolvePreset, spec, type PresetDef } from './params.js'
import type { CommonOptions, Group, PresetNetwork } from './types.js'

/** Model parameters of `einet`; every field optional, defaults from BrainPy's documentation. */
export interface EinetParams {
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
  /** Constant external input R·I (mV), default 20. */
  iExt: number
  /** Resting potential (mV), default −60. */
  vRest: number
  /** Threshold (mV): spike when V ≥ vTh, default −50. */
  vTh: number
  /** Reset potential (mV), default −60. */
  vReset: number
  /** Membrane time constant (ms), default 20. */
  tauM: number
  /** Refractory period (ms), default 5. */
  tauRef: number
  /** Mean of the initial V (mV), default −55. */
  v0Mean: number
  /** Standard deviation of the initial V (mV), default 2. */
  v0Std: number
  /**
   * Synaptic delay (ms), default 0.1: full variants pass it to their projections; half variants read the
   * spikes of max(1, round(delay/dt)) ticks ago (0.1 ms = the previous tick, the docs' `delay.at('I')`).
   */
  delay: number
}

export type EinetVariant = 'halfMg' | 'fullMg' | 'half' | 'full'
export type EinetOptions = CommonOptions<EinetVariant> & Partial<EinetParams>
/** The half variants' network: one population N (E = its first nE neurons). */
export type EinetHalfNetwork = PresetNetwork<EinetParams, EinetVariant, { N: PopulationData }>
/** The full variants' network: populations E and I. */
export type EinetFullNetwork = PresetNetwork<EinetParams, EinetVariant, { E: PopulationData; I: PopulationData }>
export type EinetNetwork = EinetHalfNetwork | EinetFullNetwork

export const einetDef: PresetDef<EinetVariant> = {
  name: 'einet',
  summary: "BrainPy's align-post docs EINet (LifRef, on-the-fly connectivity), one variant per projection kind",
  variants: ['halfMg', 'fullMg', 'half', 'full'],
  defaultVariant: 'halfMg',
  variantDocs: {
    halfMg: "one population N; HalfProjAlignPostMg E and I reading slices of the previous tick's spikes",
    fullMg: 'populations E and I; four FullProjAlignPostMg with delay 0.1 ms',
    half: 'one population N; HalfProjAlignPost E and I',
    full: 'populations E and I; four FullProjAlignPost with delay 0.1 ms',
  },
  connectivities: ['jit', 'csr'],
  defaultConn: 'jit',
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
    spec('iExt', 20, 'mV', 'finite', 'constant external input R·I'),
    spec('vRest', -60, 'mV', 'finite', 'resting potential'),
    spec('vTh', -50, 'mV', 'finite', 'spike threshold (V ≥ vTh)'),
    spec('vReset', -60, 'mV', 'finite', 'reset potential'),
    spec('tauM', 20, 'ms', 'positive', 'membrane time constant'),
    spec('tauRef', 5, 'ms', 'nonNegative', 'refractory period'),
    spec('v0Mean', -55, 'mV', 'finite', 'mean of the initial V (normal)'),
    spec('v0Std', 2, 'mV', 'nonNegative', 'standard deviation of the initial V'),
    spec('delay', 0.1, 'ms', 'nonNegative', 'synaptic delay (latency max(1, round(delay/dt)) ticks)'),
  ],
}

/** Builds the `einet` network (see the module comment); nothing is built when an option is invalid. */
export function einet(options: EinetOptions & { variant: 'fullMg' | 'full' }): EinetFullNetwork
export function einet(options?: EinetOptions & { variant?: 'halfMg' | 'half' }): EinetHalfNetwork
export function einet(options?: EinetOptions): EinetNetwork
export function einet(options: EinetOptions = {}): EinetNetwork {
  const r = resolvePreset(einetDef, options)
  const P = r.params as unknown as EinetParams
  const { variant, conn } = r.options
  // Checked before the world exists so a delay that is not a whole number of ticks builds nothing.
  const ticks = P.delay / r.options.dtMs
  if (Math.abs(ticks - Math.round(ticks)) > TICK_TOLERANCE) {
    throw new SpikecsError(
      `preset 'einet'`,
      'delay',
      P.delay,
      `must be a whole number of ticks of dt = ${r.options.dtMs} ms (it is ${ticks} ticks); use a multiple of dt, or 0 for one tick`,
    )
  }
  const latency = Math.max(1, Math.round(ticks))
  const world = worldFor(r)
  const lif = (size: number) =>
    LifRef({ size, vRest: P.vRest, vTh: P.vTh, vReset: P.vReset, tau: P.tauM, tauRef: P.tauRef, v0: normal(P.v0Mean, P.v0Std) })
  const synE = () => ({ syn: Expon({ tau: P.tauE }), out: COBA({ E: P.eE }) })
  const synI = () => ({ syn: Expon({ tau: P.tauI }), out: COBA({ E: P.eI }) })

  if (variant === 'halfMg' || variant === 'half') {
    const N = addPopulation(world, 'N', lif(P.nE + P.nI))
    const Half = variant === 'halfMg' ? HalfProjAlignPostMg : HalfProjAlignPost
    // The docs' spk[:3200] and spk[3200:] of the spikes read through N's delay queue.
    addProjection(
      world,
      'E',
      Half({ source: fromQueue(N, { start: 0, end: P.nE, latency }), comm: fixedProb(conn, P.p, P.wE), post: N, ...synE() }),
    )
    addProjection(
      world,
      'I',
      Half({ source: fromQueue(N, { start: P.nE, end: P.nE + P.nI, latency }), comm: fixedProb(conn, P.p, P.wI), post: N, ...synI() }),
    )
    const groups: Group[] = [
      { name: 'E', start: N.start, size: P.nE },
      { name: 'I', start: N.start + P.nE, size: P.nI },
    ]
    return {
      preset: 'einet',
      options: r.options,
      world,
      pops: { N },
      groups,
      inputs: [addInput(world, N, P.iExt, 'N:iExt')],
      monitors: { spikes: monitorFor(world, [N], r.record) },
      params: P,
    }
  }

  const E = addPopulation(world, 'E', lif(P.nE))
  const I = addPopulation(world, 'I', lif(P.nI))
  const Full = variant === 'fullMg' ? FullProjAlignPostMg : FullProjAlignPost
  const delay = P.delay
  addProjection(world, 'E2E', Full({ pre: E, post: E, delay, comm: fixedProb(conn, P.p, P.wE), ...synE() }))
  addProjection(world, 'E2I', Full({ pre: E, post: I, delay, comm: fixedProb(conn, P.p, P.wE), ...synE() }))
  addProjection(world, 'I2E', Full({ pre: I, post: E, delay, comm: fixedProb(conn, P.p, P.wI), ...synI() }))
  addProjection(world, 'I2I', Full({ pre: I, post: I, delay, comm: fixedProb(conn, P.p, P.wI), ...synI() }))
  return {
    preset: 'einet',
    options: r.options,
    world,
    pops: { E, I },
    groups: groupsOf(E, I),
    inputs: [addInput(world, E, P.iExt, 'E:iExt'), addInput(world, I, P.iExt, 'I:iExt')],
    monitors: { spikes: monitorFor(world, [E, I], r.record) },
    params: P,
  }
}
