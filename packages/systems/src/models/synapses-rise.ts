/**
 * Align-post synapses with a rise phase: a trace h that receives the increments and drives the conductance g.
 *
 * - `Alpha` (τ = `tauDecay`, BrainPy default 10 ms):  dh/dt = −h/τ,  dg/dt = (h − g)/τ.
 *   A unit increment gives g(t) = (t/τ)·e^(−t/τ): peak 1/e at t = τ.
 * - `DualExpon` (`tauDecay` 10, `tauRise` 1 ms), BrainPy's form:  dh/dt = −h/τ_r,  dg/dt = −g/τ_d + h, each
 *   increment x entering h as a·x with a = A·(τ_d − τ_r)/(τ_r·τ_d). A unit increment gives
 *   g(t) = A·(e^(−t/τ_d) − e^(−t/τ_r)) — the response of `DualExponV2` with the same A — with its peak at
 *   t_p = τ_r·τ_d/(τ_d − τ_r)·ln(τ_d/τ_r); by default A = τ_d/(τ_d − τ_r)·(τ_r/τ_d)^(τ_r/(τ_r − τ_d)), so the
 *   peak is 1 (A may be given, dimensionless).
 *
 * Both are linear in their input, so one post-sized state is exact. Integration is exact, not an
 * approximation: over one tick the pair (h, g) follows the linear propagator
 *   h ← a_h·h,   g ← a_g·g + c·h
 * with Alpha: a_h = a_g = e^(−dt/τ), c = (dt/τ)·e^(−dt/τ); DualExpon: a_h = e^(−dt/τ_r), a_g = e^(−dt/τ_d),
 * c = A·(a_g − a_h). DualExpon stores h/a, so a comm increment goes in unscaled and A lives in c.
 * The three constants are computed once and rounded to the state dtype.
 *
 * Mg / non-Mg order (docs/semantics.md), with Δ_k added to h only:
 * - Mg: comm adds Δ_k to the state of tick k − 1, then `AlignPostSystem` advances it; the bound conductance is
 *   the advanced g (so a spike's conductance rises in the tick it arrives).
 * - non-Mg: the state is stored already advanced (as Expon's, see `synapses.ts`), comm adds Δ_k to that h, and
 *   `AlignPostSystem` binds the stored g — which Δ_k cannot have changed yet — then advances the pair. So after
 *   an increment in tick k0, g is 0 in tick k0 and (j·dt/τ)·e^(−j·dt/τ) in tick k0 + j (Alpha): its samples are
 *   exactly the continuous response, with the peak in tick k0 + τ/dt. Under Mg every sample comes one tick
 *   earlier (the peak in tick k0 + τ/dt − 1).
 */
import { SpikecsError } from '@spikecs/ecs-core'
import { param } from './params.js'
import { synapseFromRecord, type SynapseDesc, type SynapseModel } from './record.js'

/** The exact one-tick propagator of the pair (h, g): the advance of both models. */
const RISE_ADVANCE = 'g = ag * g + c * h; h = ah * h'

/**
 * The unit-peak normalisation of e^(−t/τ_d) − e^(−t/τ_r) (BrainPy's default `A` of `DualExpon` and `DualExponV2`):
 * the inverse of its value at the peak t_p = τ_r·τ_d/(τ_d − τ_r)·ln(τ_d/τ_r).
 */
export function dualExpNorm(tauDecay: number, tauRise: number): number {
  return (tauDecay / (tauDecay - tauRise)) * (tauRise / tauDecay) ** (tauRise / (tauRise - tauDecay))
}

const AlphaModel = synapseFromRecord({
  kind: 'Alpha',
  equation: 'dh/dt = -h / tauDecay, dg/dt = (h - g) / tauDecay',
  params: [param('tauDecay', 10, 'ms', 'positive', 'time constant (time to peak)')],
  columns: ['h', 'g'],
  inputs: ['h'],
  derived: [
    { name: 'ah', f: (p, dt) => Math.exp(-dt / p.tauDecay), round: true },
    { name: 'ag', f: (p, dt) => Math.exp(-dt / p.tauDecay), round: true },
    { name: 'c', f: (p, dt) => (dt / p.tauDecay) * Math.exp(-dt / p.tauDecay), round: true },
  ],
  advance: RISE_ADVANCE,
  conductance: 'g',
})

const DualExponModel = synapseFromRecord({
  kind: 'DualExpon',
  equation: 'dh/dt = -h / tauRise, dg/dt = -g / tauDecay + h, h += A (tauDecay - tauRise) / (tauRise tauDecay) x',
  params: [
    param('tauDecay', 10, 'ms', 'positive', 'decay time constant'),
    param('tauRise', 1, 'ms', 'positive', 'rise time constant'),
    param('A', NaN, '', 'finite', 'amplitude: a unit increment gives A·(e^(−t/τd) − e^(−t/τr)) (default: unit peak)'),
  ],
  columns: ['h', 'g'],
  inputs: ['h'],
  derived: [
    { name: 'ah', f: (p, dt) => Math.exp(-dt / p.tauRise), round: true },
    { name: 'ag', f: (p, dt) => Math.exp(-dt / p.tauDecay), round: true },
    { name: 'c', f: (p, dt) => p.A * (Math.exp(-dt / p.tauDecay) - Math.exp(-dt / p.tauRise)), round: true },
  ],
  resolve(object, p) {
    if (p.tauDecay === p.tauRise) {
      throw new SpikecsError(object, 'tauRise', p.tauRise, `must differ from tauDecay (${p.tauDecay}); use Alpha for equal time constants`)
    }
    if (p.A === undefined) p.A = dualExpNorm(p.tauDecay, p.tauRise)
  },
  advance: RISE_ADVANCE,
  conductance: 'g',
})

export const riseSynapseModels: Record<string, SynapseModel> = { Alpha: AlphaModel, DualExpon: DualExponModel }

/** Alpha synapse: `tauDecay` in ms (default 10); a unit increment peaks at 1/e, tauDecay ms later. */
export function Alpha(p: { tauDecay?: number; size?: number } = {}): SynapseDesc {
  return { kind: 'Alpha', given: p }
}
/** Rise-then-decay synapse with unit peak by default (BrainPy `DualExpon`): `tauDecay` 10, `tauRise` 1 ms. */
export function DualExpon(p: { tauDecay?: number; tauRise?: number; A?: number; size?: number } = {}): SynapseDesc {
  return { kind: 'DualExpon', given: p }
}
