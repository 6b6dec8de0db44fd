/**
 * The quadratic integrate-and-fire family (BrainPy `QuaIF`, `QuaIFRef`, `QuaIFLTC`, `QuaIFRefLTC`; Latham et
 * al. 2000), with BrainPy's parameters and defaults; integration and spikes in `nonlinear-if.ts`:
 *
 *   τ dV/dt = c·(V − V_rest)·(V − V_c) + R·I
 *
 * V_rest is the stable fixed point and V_c (> V_rest) the unstable one: without input V rests at V_rest exactly;
 * above V_c it runs away to V_th. Units: V in mV, τ in ms, c in 1/mV, R·I in mV. Initial V defaults to V_rest
 * (BrainPy's default, 0 mV, lies above V_th and fires at once).
 */
import { SpikecsError } from '@spikecs/ecs-core'
import { checkBelow, param } from './params.js'
import type { Initializer } from '../init.js'
import { describe, ifFamily, invTauDerived } from './nonlinear-if.js'

export const quaIfModels = ifFamily({
  name: 'QuaIF',
  equation: 'tau dV/dt = c (V - vRest)(V - vC) + R I',
  params: [
    param('vRest', -65, 'mV', 'finite', 'resting potential (stable fixed point)'),
    param('vReset', -68, 'mV', 'finite', 'reset potential after a spike'),
    param('vTh', -30, 'mV', 'finite', 'spike threshold (spike when V >= vTh)'),
    param('vC', -50, 'mV', 'finite', 'critical voltage of spike initiation (unstable fixed point)'),
    param('c', 0.07, '1/mV', 'positive', 'curvature of the quadratic'),
    param('R', 1, '', 'positive', 'membrane resistance (R·I in mV)'),
    param('tau', 10, 'ms', 'positive', 'membrane time constant'),
  ],
  derived: [invTauDerived],
  state: [{ name: 'V', type: 'state', initParam: 'v0', initDefault: (p) => p.vRest, unit: 'mV', doc: 'membrane potential' }],
  f: '(c * (V - vRest) * (V - vC) + R * (Is + Ia + Ic + GE - G * V)) * invTau',
  A: (ltc) => (ltc ? '(c * (2 * V - vRest - vC) - R * G) * invTau' : 'c * (2 * V - vRest - vC) * invTau'),
  reset: 'V = vReset',
  check(object, p) {
    checkBelow(object, 'vReset', p.vReset, 'vTh', p.vTh)
    if (!(p.vRest < p.vC)) throw new SpikecsError(object, 'vC', p.vC, `must be above vRest (${p.vRest})`)
  },
})

/** Parameters of the `QuaIF` models (every field optional; BrainPy's defaults). */
export interface QuaIFParams {
  /** Number of neurons. */
  size: number
  /** Resting potential (mV), default −65. */
  vRest?: number
  /** Reset potential (mV), default −68. */
  vReset?: number
  /** Threshold (mV), default −30. */
  vTh?: number
  /** Critical voltage (mV), default −50. */
  vC?: number
  /** Curvature (1/mV), default 0.07. */
  c?: number
  /** Membrane resistance, default 1. */
  R?: number
  /** Membrane time constant (ms), default 10. */
  tau?: number
  /** Initial V (mV), default vRest. */
  v0?: Initializer
}
/** Parameters of `QuaIFRef` / `QuaIFRefLTC`. */
export interface QuaIFRefParams extends QuaIFParams {
  /** Refractory period (ms), default 0. */
  tauRef?: number
}

/** Quadratic integrate-and-fire (BrainPy `QuaIF`). */
export const QuaIF = describe<QuaIFParams>('QuaIF')
/** `QuaIF` with refractoriness (BrainPy `QuaIFRef`). */
export const QuaIFRef = describe<QuaIFRefParams>('QuaIFRef')
/** `QuaIF` with conductances inside the exponential step (BrainPy `QuaIFLTC`). */
export const QuaIFLTC = describe<QuaIFParams>('QuaIFLTC')
/** `QuaIFLTC` with refractoriness (BrainPy `QuaIFRefLTC`). */
export const QuaIFRefLTC = describe<QuaIFRefParams>('QuaIFRefLTC')
