/**
 * `song2000`: Brian2's STDP example (Song, Miller & Abbott 2000) — 1000 Poisson inputs at 15 Hz onto one
 * leaky integrate-and-fire neuron through synapses that learn by additive STDP, 100 s by default. The weights
 * start uniform on [0, gmax] and end bimodal, piled up near 0 and gmax.
 *
 * Brian2 writes the neuron with its synaptic current linearised at V_r (dimensionless g_e, in units of the
 * leak conductance):
 *
 *   τ_m dv/dt = g_e·(E_e − V_r) + E_l − v,   dg_e/dt = −g_e/τ_e,   an input spike adds w to g_e
 *
 * spikecs's `Lif` integrates τ dV/dt = −(V − V_rest) + R·I with a `CUBA` output (I = g), so V_rest = E_l and
 * R·g = (E_e − V_r)·g_e. The projection is `STDP_Song2000`, whose synapse state merges Mg-style as BrainPy's
 * does: each increment is first felt as w·a, a = fl(e^(−dt/τ_e)) = 0.980199 for τ_e 5 ms and dt 0.1 ms. The
 * preset compensates in R rather than in the weights (which the rule and the statistics read as Brian2's w):
 * R = (E_e − V_r)/a = 60/0.980199 = 61.2121, so an increment w moves V exactly as a non-Mg state would, which
 * is Brian2's `ge += w` felt from the next step with g held over the tick (Brian2 integrates g's decay inside
 * the step, an O(dt/τ_e) = 1 % difference in the effective weight). No refractoriness; V starts at V_r.
 *
 * The rule (docs/semantics.md, "Plasticity"): traces τ_pre = τ_post = 20 ms, A1 = aPlus·gmax per unit of the
 * pre trace at a post spike, A2 = aMinusRatio·aPlus·gmax per unit of the post trace at an arriving pre spike,
 * weights clipped to [0, gmax] — Brian2's dApre = 0.01·gmax and dApost = −1.05·dApre·τ_pre/τ_post. Inputs
 * are delivered with one tick of latency (Brian2's default zero delay); where the tick order differs from
 * Brian2's `on_pre`/`on_post` is in docs/semantics.md.
 */
import type { PopulationData } from '@spikecs/ecs-core'
import {
  CUBA,
  EventCSRLinear,
  Expon,
  FixedProb,
  Lif,
  PoissonGroup,
  STDP_Song2000,
  addPopulation,
  addProjection,
  uniform,
} from '@spikecs/systems'
import { presetNetwork, worldFor } from './build.js'
import { resolvePreset, spec, type PresetDef } from './params.js'
import type { CommonOptions, PresetNetwork } from './types.js'

/** Model parameters of `song2000`; every field optional, defaults from Brian2's STDP example. */
export interface Song2000Params {
  /** Poisson inputs, default 1000. */
  nIn: number
  /** Rate of every input (Hz), default 15. */
  rateHz: number
  /** Membrane time constant (ms), default 10. */
  tauM: number
  /** Leak reversal (resting) potential E_l (mV), default −74. */
  eL: number
  /** Threshold (mV), default −54. */
  vTh: number
  /** Reset and initial potential V_r (mV), default −60. */
  vReset: number
  /** Excitatory reversal potential E_e (mV), default 0: the current is g·(E_e − V_r). */
  eE: number
  /** Synaptic time constant (ms), default 5. */
  tauE: number
  /** Largest weight (units of the leak conductance), default 0.01. */
  gmax: number
  /** Pre and post trace time constants (ms), default 20. */
  tauPre: number
  tauPost: number
  /** Potentiation per pre-trace unit, relative to gmax, default 0.01. */
  aPlus: number
  /** Depression relative to potentiation, default 1.05. */
  aMinusRatio: number
}

export type Song2000Variant = 'default'
export type Song2000Options = CommonOptions<Song2000Variant> & Partial<Song2000Params>
export type Song2000Network = PresetNetwork<Song2000Params, Song2000Variant, { In: PopulationData; Out: PopulationData }>

export const song2000Def: PresetDef<Song2000Variant> = {
  name: 'song2000',
  summary: "Brian2's STDP example (Song, Miller & Abbott 2000): 1000 Poisson inputs onto one Lif neuron, STDP_Song2000",
  variants: ['default'],
  defaultVariant: 'default',
  variantDocs: { default: 'one STDP_Song2000 projection (EventCSRLinear, all to all) into a CUBA output' },
  connectivities: ['csr'],
  defaultConn: 'csr',
  defaultDurationMs: 100_000,
  params: [
    spec('nIn', 1000, 'neurons', 'count', 'Poisson inputs'),
    spec('rateHz', 15, 'Hz', 'nonNegative', 'rate of every input'),
    spec('tauM', 10, 'ms', 'positive', 'membrane time constant'),
    spec('eL', -74, 'mV', 'finite', 'leak reversal (resting) potential'),
    spec('vTh', -54, 'mV', 'finite', 'spike threshold'),
    spec('vReset', -60, 'mV', 'finite', 'reset and initial potential V_r'),
    spec('eE', 0, 'mV', 'finite', 'excitatory reversal: the synaptic current is g·(eE − vReset)'),
    spec('tauE', 5, 'ms', 'positive', 'synaptic time constant'),
    spec('gmax', 0.01, '', 'positive', 'largest weight; initial weights uniform on [0, gmax]'),
    spec('tauPre', 20, 'ms', 'positive', 'presynaptic trace time constant'),
    spec('tauPost', 20, 'ms', 'positive', 'postsynaptic trace time constant'),
    spec('aPlus', 0.01, '', 'nonNegative', 'potentiation A1 = aPlus·gmax per unit of the pre trace'),
    spec('aMinusRatio', 1.05, '', 'nonNegative', 'depression A2 = aMinusRatio·aPlus·gmax·tauPre/tauPost per unit of the post trace'),
  ],
}

/** Builds the `song2000` network (see the module comment); nothing is built when an option is invalid. */
export function song2000(options: Song2000Options = {}): Song2000Network {
  const r = resolvePreset(song2000Def, options)
  const P = r.params as unknown as Song2000Params
  const world = worldFor(r)
  const round = world.dtype === 'float32' ? Math.fround : (x: number) => x
  const a = round(Math.exp(-world.dtMs / P.tauE)) // the Mg attenuation of each increment (module comment)
  const In = addPopulation(world, 'In', PoissonGroup({ size: P.nIn, rateHz: P.rateHz }))
  const Out = addPopulation(
    world,
    'Out',
    Lif({ size: 1, vRest: P.eL, vTh: P.vTh, vReset: P.vReset, tau: P.tauM, R: (P.eE - P.vReset) / a, v0: P.vReset }),
  )
  const A1 = P.aPlus * P.gmax
  const plastic = addProjection(
    world,
    'S',
    STDP_Song2000({
      pre: In,
      post: Out,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 1 }), weight: uniform(0, P.gmax) }),
      syn: Expon({ tau: P.tauE }),
      out: CUBA(),
      tauS: P.tauPre,
      tauT: P.tauPost,
      A1,
      A2: (P.aMinusRatio * A1 * P.tauPre) / P.tauPost,
      wMin: 0,
      wMax: P.gmax,
    }),
  )
  const groups = [
    { name: 'In', start: In.start, size: In.size },
    { name: 'Out', start: Out.start, size: Out.size },
  ]
  return { ...presetNetwork('song2000', r, world, { In, Out }, groups, [], P), plastic: { projection: plastic, wMax: P.gmax } }
}
