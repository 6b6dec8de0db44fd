/**
 * `cobahh`: the COBAHH benchmark of Brette et al. (2007) — 4000 Hodgkin–Huxley neurons (3200 excitatory, 800
 * inhibitory) with the Traub–Miles kinetics, every ordered pair connected with probability 0.02 (self-pairs
 * allowed), conductance-based exponential synapses — as Brian2's COBAHH example and BrainPy's COBAHH benchmark
 * script run it:
 *
 *   C dV/dt = g_L(E_L − V) + g_Na·m³h·(E_Na − V) + g_K·n⁴·(E_K − V) + g_e(E_e − V) + g_i(E_i − V)
 *   dg_e/dt = −g_e/τ_e, dg_i/dt = −g_i/τ_i; a spike of an E (I) neuron adds w_e (w_i) to g_e (g_i) of its targets
 *
 * Units: nS, pF, mV, ms (the HH model's; see `@spikecs/systems` `HH`). Neurons are `HHLTC` (synaptic conductances
 * inside the exponential step, as Brian2's exponential Euler); four projections E→E, E→I, I→E, I→I, each a
 * `FullProjAlignPost` (decay, then add, as Brian2), latency one tick (Brian2's default zero delay). Initial
 * state as Brian2's example: V = E_L + 5·N(0,1) − 5 mV, g_e = 10·(1.5·N(0,1) + 4) nS, g_i = 10·(12·N(0,1) + 20) nS,
 * gates m = h = n = 0; each drawn from the stream of (world seed, population, variable).
 * Spikes are upward crossings of −20 mV (Brian2's example uses `v > −20 mV` with a 3 ms refractory period
 * that only blocks re-detection; a crossing counts each action potential once as well).
 * There is no external drive: the neurons fire tonically on their own (about 14 Hz in isolation), and the
 * recurrent inhibition shapes the network activity.
 */
import { Stream, entityKey, type PopulationData } from '@spikecs/ecs-core'
import { FullProjAlignPost, HHLTC, addPopulation, normal } from '@spikecs/systems'
import { addEIProjections, cobaFrom, fromSide, groupsOf, presetNetwork, worldFor } from './build.js'
import { eiPairSpecs, reversalSpecs, synapseTauSpecs, type EIPairParams, type ReversalParams, type SynapseTauParams } from './ei-params.js'
import { resolvePreset, spec, type PresetDef } from './params.js'
import type { CommonOptions, PresetNetwork } from './types.js'

/** Model parameters of `cobahh`; every field optional (the benchmark's values). */
export interface CobahhParams extends EIPairParams, SynapseTauParams, ReversalParams {
  /** Excitatory conductance increment per spike (nS), default 6. */
  wE: number
  /** Inhibitory conductance increment per spike (nS), default 67. */
  wI: number
}

export type CobahhVariant = 'default'
export type CobahhOptions = CommonOptions<CobahhVariant> & Partial<CobahhParams>
export type CobahhNetwork = PresetNetwork<CobahhParams, CobahhVariant, { E: PopulationData; I: PopulationData }>

export const cobahhDef: PresetDef<CobahhVariant> = {
  name: 'cobahh',
  summary: 'Brette et al. 2007 COBAHH benchmark: 4000 Hodgkin–Huxley neurons (HHLTC), 4 conductance projections',
  variants: ['default'],
  defaultVariant: 'default',
  variantDocs: { default: 'four FullProjAlignPost (decay, then add, as Brian2)' },
  connectivities: ['csr', 'jit'],
  defaultConn: 'csr',
  params: [
    ...eiPairSpecs,
    spec('wE', 6, 'nS', 'nonNegative', 'excitatory conductance increment per spike'),
    spec('wI', 67, 'nS', 'nonNegative', 'inhibitory conductance increment per spike'),
    ...synapseTauSpecs,
    ...reversalSpecs,
  ],
}

/** Fills `g` with scale·(mean + std·N(0,1)) from the stream of (seed, name). */
function initConductance(
  g: ArrayLike<number> & { [i: number]: number },
  seed: number,
  name: string,
  mean: number,
  std: number,
  scale: number,
): void {
  const s = new Stream(entityKey(seed, name))
  for (let i = 0; i < g.length; i++) g[i] = scale * (mean + std * s.normal())
}

/** Builds the COBAHH network (see the module comment); nothing is built when an option is invalid. */
export function cobahh(options: CobahhOptions = {}): CobahhNetwork {
  const r = resolvePreset(cobahhDef, options)
  const P = r.params as unknown as CobahhParams
  const world = worldFor(r)
  const hh = (size: number) => HHLTC({ size, v0: normal(-60 - 5, 5), m0: 0, h0: 0, n0: 0 })
  const pops = { E: addPopulation(world, 'E', hh(P.nE)), I: addPopulation(world, 'I', hh(P.nI)) }
  const projs = addEIProjections(world, pops, (pre, post, from) =>
    FullProjAlignPost({ pre, post, ...fromSide(r.options.conn, P, from), out: cobaFrom(P, from) }),
  )
  // Brian2's initial conductances (nS), stored as the synapse state the first tick binds.
  for (const { from, post, proj } of projs) {
    const g = proj.state.cols.g.array
    if (from === 'E') initConductance(g, r.options.seed, `init:${post.name}:ge`, 4, 1.5, 10)
    else initConductance(g, r.options.seed, `init:${post.name}:gi`, 20, 12, 10)
  }
  return presetNetwork('cobahh', r, world, pops, groupsOf(pops.E, pops.I), [], P)
}
