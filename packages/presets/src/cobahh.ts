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
import {
  SpikecsError, Stream, checkFinite, checkInteger, checkNonNegative, checkPositive, checkProbability, createWorld,
  entityKey, type Dtype, type MonitorData, type PopulationData, type World,
} from '@spikecs/ecs-core'
import {
  COBA, EventCSRLinear, EventJitFPHomoLinear, Expon, FixedProb, FullProjAlignPost, HHLTC, addPopulation, addProjection,
  addSpikeMonitor, normal,
} from '@spikecs/systems'

/** Parameters of `cobahh`; every field optional (the benchmark's values). */
export interface CobahhParams {
  /** Excitatory neurons, default 3200. */
  nE: number
  /** Inhibitory neurons, default 800. */
  nI: number
  /** Connection probability of every ordered pair (self-pairs allowed), default 0.02. */
  p: number
  /** Excitatory conductance increment per spike (nS), default 6. */
  wE: number
  /** Inhibitory conductance increment per spike (nS), default 67. */
  wI: number
  /** Excitatory synaptic time constant (ms), default 5. */
  tauE: number
  /** Inhibitory synaptic time constant (ms), default 10. */
  tauI: number
  /** Excitatory reversal potential (mV), default 0. */
  eE: number
  /** Inhibitory reversal potential (mV), default −80. */
  eI: number
  /** World seed (unsigned 32-bit integer), default 1. */
  seed: number
  /** Precision of the state columns, default `float32`. */
  dtype: Dtype
  /** Time step (ms), default 0.1. */
  dtMs: number
  /** Connectivity: stored rows (`csr`, default) or regenerated at each spike (`jit`); the same matrix. */
  conn: 'csr' | 'jit'
  /** Record every spike (default true). */
  record: boolean
}

export const cobahhDefaults: Readonly<CobahhParams> = Object.freeze({
  nE: 3200, nI: 800, p: 0.02, wE: 6, wI: 67, tauE: 5, tauI: 10, eE: 0, eI: -80,
  seed: 1, dtype: 'float32', dtMs: 0.1, conn: 'csr', record: true,
})

export interface CobahhNetwork {
  readonly world: World
  readonly pops: { readonly E: PopulationData; readonly I: PopulationData }
  /** Spikes of E and I (global indices: E first), or null when `record` is false. */
  readonly monitors: { readonly spikes: MonitorData | null }
  readonly params: Readonly<CobahhParams>
}

function resolve(given: Partial<CobahhParams>): CobahhParams {
  const o = 'preset cobahh'
  const known = Object.keys(cobahhDefaults)
  for (const k of Object.keys(given)) {
    if (!known.includes(k)) throw new SpikecsError(o, k, (given as Record<string, unknown>)[k], `is not a parameter (known: ${known.join(', ')})`)
  }
  const P = { ...cobahhDefaults, ...given }
  checkInteger(o, 'nE', P.nE, 1, 2 ** 30)
  checkInteger(o, 'nI', P.nI, 1, 2 ** 30)
  checkProbability(o, 'p', P.p)
  checkNonNegative(o, 'wE', P.wE, 'nS')
  checkNonNegative(o, 'wI', P.wI, 'nS')
  checkPositive(o, 'tauE', P.tauE, 'ms')
  checkPositive(o, 'tauI', P.tauI, 'ms')
  checkFinite(o, 'eE', P.eE, 'mV')
  checkFinite(o, 'eI', P.eI, 'mV')
  if (P.conn !== 'csr' && P.conn !== 'jit') throw new SpikecsError(o, 'conn', P.conn, "must be 'csr' or 'jit'")
  if (typeof P.record !== 'boolean') throw new SpikecsError(o, 'record', P.record, 'must be a boolean')
  return P
}

/** Fills `g` with scale·(mean + std·N(0,1)) from the stream of (seed, name). */
function initConductance(g: ArrayLike<number> & { [i: number]: number }, seed: number, name: string, mean: number, std: number, scale: number): void {
  const s = new Stream(entityKey(seed, name))
  for (let i = 0; i < g.length; i++) g[i] = scale * (mean + std * s.normal())
}

/** Builds the COBAHH network (see the module comment); nothing is built when a parameter is invalid. */
export function cobahh(params: Partial<CobahhParams> = {}): CobahhNetwork {
  const P = resolve(params)
  const world = createWorld({ seed: P.seed, dtype: P.dtype, dtMs: P.dtMs })
  const hh = (size: number) => HHLTC({ size, v0: normal(-60 - 5, 5), m0: 0, h0: 0, n0: 0 })
  const E = addPopulation(world, 'E', hh(P.nE))
  const I = addPopulation(world, 'I', hh(P.nI))
  const comm = (w: number) => P.conn === 'jit'
    ? EventJitFPHomoLinear({ prob: P.p, weight: w })
    : EventCSRLinear({ conn: FixedProb({ prob: P.p }), weight: w })
  const wires = [
    ['E2E', E, E, P.wE, P.tauE, P.eE, 'ge'], ['E2I', E, I, P.wE, P.tauE, P.eE, 'ge'],
    ['I2E', I, E, P.wI, P.tauI, P.eI, 'gi'], ['I2I', I, I, P.wI, P.tauI, P.eI, 'gi'],
  ] as const
  for (const [name, pre, post, w, tau, rev, g] of wires) {
    const proj = addProjection(world, name, FullProjAlignPost({ pre, post, comm: comm(w), syn: Expon({ tau }), out: COBA({ E: rev }) }))
    // Brian2's initial conductances (nS), stored as the synapse state the first tick binds.
    if (g === 'ge') initConductance(proj.state.cols.g.array, P.seed, `init:${post.name}:ge`, 4, 1.5, 10)
    else initConductance(proj.state.cols.g.array, P.seed, `init:${post.name}:gi`, 20, 12, 10)
  }
  const spikes = P.record ? addSpikeMonitor(world, [E, I], { name: 'spikes' }) : null
  return { world, pops: { E, I }, monitors: { spikes }, params: P }
}
