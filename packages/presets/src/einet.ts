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
  FullProjAlignPost,
  FullProjAlignPostMg,
  HalfProjAlignPost,
  HalfProjAlignPostMg,
  LifRef,
  addPopulation,
  addProjection,
  fromQueue,
  normal,
} from '@spikecs/systems'
import { addEIProjections, cobaFrom, constantInputs, fromSide, groupsOf, presetNetwork, worldFor } from './build.js'
import { lifCobaSpecs, lifMembrane, type LifCobaParams } from './ei-params.js'
import { resolvePreset, spec, type PresetDef } from './params.js'
import type { CommonOptions, Group, PresetNetwork } from './types.js'

/** Model parameters of `einet`; every field optional, defaults from BrainPy's documentation. */
export interface EinetParams extends LifCobaParams {
  /** Constant external input R·I (mV), default 20. */
  iExt: number
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
    ...lifCobaSpecs(spec('iExt', 20, 'mV', 'finite', 'constant external input R·I')),
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
  const lif = (size: number) => LifRef({ size, ...lifMembrane(P), v0: normal(P.v0Mean, P.v0Std) })

  if (variant === 'halfMg' || variant === 'half') {
    const N = addPopulation(world, 'N', lif(P.nE + P.nI))
    const Half = variant === 'halfMg' ? HalfProjAlignPostMg : HalfProjAlignPost
    // The docs' spk[:3200] and spk[3200:] of the spikes read through N's delay queue.
    const slices = { E: { start: 0, end: P.nE, latency }, I: { start: P.nE, end: P.nE + P.nI, latency } }
    for (const from of ['E', 'I'] as const) {
      addProjection(world, from, Half({ source: fromQueue(N, slices[from]), post: N, ...fromSide(conn, P, from), out: cobaFrom(P, from) }))
    }
    const groups: Group[] = [
      { name: 'E', start: N.start, size: P.nE },
      { name: 'I', start: N.start + P.nE, size: P.nI },
    ]
    return presetNetwork('einet', r, world, { N }, groups, constantInputs(world, [N], P.iExt), P)
  }

  const pops = { E: addPopulation(world, 'E', lif(P.nE)), I: addPopulation(world, 'I', lif(P.nI)) }
  const Full = variant === 'fullMg' ? FullProjAlignPostMg : FullProjAlignPost
  const delay = P.delay
  addEIProjections(world, pops, (pre, post, from) => Full({ pre, post, delay, ...fromSide(conn, P, from), out: cobaFrom(P, from) }))
  const inputs = constantInputs(world, [pops.E, pops.I], P.iExt)
  return presetNetwork('einet', r, world, pops, groupsOf(pops.E, pops.I), inputs, P)
}
