/**
 * The generalized integrate-and-fire family (BrainPy `Gif`, `GifRef`, `GifLTC`, `GifRefLTC`; Mihalaş & Niebur
 * 2009), with BrainPy's parameters and defaults; integration in `nonlinear-if.ts`:
 *
 *   dI₁/dt = −k₁·I₁,   dI₂/dt = −k₂·I₂
 *   dV_th/dt = a·(V − V_rest) − b·(V_th − V_th∞)
 *   τ dV/dt = −(V − V_rest) + R·(I + I₁ + I₂)
 *
 * A spike is V ≥ V_th with the new V and the threshold of the start of the tick (as BrainPy compares); then
 * V = V_reset, I₁ = R₁·I₁ + A₁, I₂ = R₂·I₂ + A₂, V_th = max(V_th_reset, V_th). Each of I₁, I₂ and V_th is linear in
 * itself and advanced exactly with V held (they keep integrating while V is held by a refractory period);
 * V by the exponential step of the IF families (exact here, the membrane being linear). Units: V in mV, τ in ms,
 * R·I in mV (I₁, I₂ in the units of I), a and b in 1/ms, k₁ and k₂ in 1/ms. Initial values: V = V_rest,
 * V_th = V_th∞, I₁ = I₂ = 0 (BrainPy starts V_th at −50 mV whatever V_th∞: the same with the defaults).
 */
import { checkBelow, param } from './params.js'
import type { Initializer } from '../init.js'
import { derived } from './record.js'
import { describe, ifFamily, invTauDerived } from './nonlinear-if.js'

/** (e^(−k·dt) − 1)/(−k): the exact step factor of dx/dt = F − k·x with F held (dt when k = 0). */
function stepFactor(k: number, dt: number): number {
  return k === 0 ? dt : Math.expm1(-k * dt) / -k
}

export const gifModels = ifFamily({
  name: 'Gif',
  equation:
    'dI1/dt = -k1 I1, dI2/dt = -k2 I2, dVth/dt = a (V - vRest) - b (Vth - vThInf), tau dV/dt = -(V - ' +
    'vRest) + R (I + I1 + I2); spike V >= Vth',
  params: [
    param('vRest', -70, 'mV', 'finite', 'resting potential'),
    param('vReset', -70, 'mV', 'finite', 'reset potential after a spike'),
    param('vThInf', -50, 'mV', 'finite', 'target value of the threshold V_th'),
    param('vThReset', -60, 'mV', 'finite', 'lower bound of V_th after a spike: V_th = max(vThReset, V_th)'),
    param('R', 20, '', 'positive', 'membrane resistance (R·I in mV)'),
    param('tau', 20, 'ms', 'positive', 'membrane time constant'),
    param('a', 0, '1/ms', 'finite', 'dependence of V_th on V − vRest'),
    param('b', 0.01, '1/ms', 'nonNegative', 'rate of V_th towards vThInf'),
    param('k1', 0.2, '1/ms', 'nonNegative', 'decay rate of I1'),
    param('k2', 0.02, '1/ms', 'nonNegative', 'decay rate of I2'),
    param('R1', 0, '1', 'finite', 'I1 after a spike: R1·I1 + A1'),
    param('R2', 1, '1', 'finite', 'I2 after a spike: R2·I2 + A2'),
    param('A1', 0, 'units of I', 'finite', 'I1 after a spike: R1·I1 + A1'),
    param('A2', 0, 'units of I', 'finite', 'I2 after a spike: R2·I2 + A2'),
  ],
  derived: [
    invTauDerived,
    derived('k1Decay', (p, dt) => Math.exp(-p.k1 * dt), 'e^(−k1·dt)'),
    derived('k2Decay', (p, dt) => Math.exp(-p.k2 * dt), 'e^(−k2·dt)'),
    derived('thStep', (p, dt) => stepFactor(p.b, dt), '(1 − e^(−b·dt))/b, dt when b = 0'),
  ],
  state: [
    { name: 'V', type: 'state', initParam: 'v0', initDefault: (p) => p.vRest, unit: 'mV', doc: 'membrane potential' },
    { name: 'I1', type: 'state', initParam: 'I10', initDefault: () => 0, unit: 'units of I', doc: 'internal current 1' },
    { name: 'I2', type: 'state', initParam: 'I20', initDefault: () => 0, unit: 'units of I', doc: 'internal current 2' },
    { name: 'Vth', type: 'state', initParam: 'vTh0', initDefault: (p) => p.vThInf, unit: 'mV', doc: 'spike threshold' },
  ],
  // The internal currents and the threshold, exact for V held: x ← x + F(x)·(1 − e^(−k·dt))/k.
  always: `
    I1 = I1 * k1Decay
    I2 = I2 * k2Decay
    Vth = Vth + (a * (V - vRest) - b * (Vth - vThInf)) * thStep`,
  f: '(-(V - vRest) + R * (Is + Ia + Ic + GE - G * V + I1 + I2)) * invTau',
  A: (ltc) => (ltc ? '(-1 - R * G) * invTau' : '-invTau'),
  spike: 'V >= old(Vth)',
  reset: 'V = vReset; I1 = R1 * I1 + A1; I2 = R2 * I2 + A2; Vth = Vth > vThReset ? Vth : vThReset',
  check(object, p) {
    checkBelow(object, 'vReset', p.vReset, 'vThReset', p.vThReset)
  },
})

/** Parameters of the `Gif` models (every field optional; BrainPy's defaults). */
export interface GifParams {
  /** Number of neurons. */
  size: number
  /** Resting potential (mV), default −70. */
  vRest?: number
  /** Reset potential (mV), default −70. */
  vReset?: number
  /** Target threshold (mV), default −50. */
  vThInf?: number
  /** Lower bound of the threshold after a spike (mV), default −60. */
  vThReset?: number
  /** Membrane resistance, default 20. */
  R?: number
  /** Membrane time constant (ms), default 20. */
  tau?: number
  /** Dependence of the threshold on V − vRest (1/ms), default 0. */
  a?: number
  /** Rate of the threshold towards vThInf (1/ms), default 0.01. */
  b?: number
  /** Decay rate of I1 (1/ms), default 0.2. */
  k1?: number
  /** Decay rate of I2 (1/ms), default 0.02. */
  k2?: number
  /** I1 after a spike: R1·I1 + A1; default R1 0, A1 0. */
  R1?: number
  A1?: number
  /** I2 after a spike: R2·I2 + A2; default R2 1, A2 0. */
  R2?: number
  A2?: number
  /** Initial V (mV), default vRest. */
  v0?: Initializer
  /** Initial I1, I2, default 0. */
  I10?: Initializer
  I20?: Initializer
  /** Initial threshold (mV), default vThInf. */
  vTh0?: Initializer
}
/** Parameters of `GifRef` / `GifRefLTC`. */
export interface GifRefParams extends GifParams {
  /** Refractory period (ms), default 0. */
  tauRef?: number
}

/** Generalized integrate-and-fire (BrainPy `Gif`). */
export const Gif = describe<GifParams>('Gif')
/** `Gif` with refractoriness (BrainPy `GifRef`). */
export const GifRef = describe<GifRefParams>('GifRef')
/** `Gif` with conductances inside the exponential step (BrainPy `GifLTC`). */
export const GifLTC = describe<GifParams>('GifLTC')
/** `GifLTC` with refractoriness (BrainPy `GifRefLTC`). */
export const GifRefLTC = describe<GifRefParams>('GifRefLTC')
