/**
 * The adaptive quadratic integrate-and-fire family (BrainPy `AdQuaIF`, `AdQuaIFRef`, `AdQuaIFLTC`,
 * `AdQuaIFRefLTC`; Izhikevich 2004, Touboul 2008), with BrainPy's parameters and defaults; integration and
 * spikes in `nonlinear-if.ts`:
 *
 *   τ dV/dt = c·(V − V_rest)·(V − V_c) − w + I,   τ_w dw/dt = a·(V − V_rest) − w;   spike: V = V_reset, w += b
 *
 * As in BrainPy the equation has no R: I and w are in mV (conductances of outputs in units where g·(E − V) is
 * in mV). Without input the neuron rests at V_rest with w = 0. Initial V defaults to V_rest (BrainPy's
 * default, 0 mV, lies above V_th and fires at once), w to 0.
 */
import { SpikecsError } from '@spikecs/ecs-core'
import { checkBelow, param } from './params.js'
import type { Initializer } from '../init.js'
import { derived } from './record.js'
import { describe, ifFamily, invTauDerived } from './nonlinear-if.js'

export const adQuaIfModels = ifFamily({
  name: 'AdQuaIF',
  equation: 'tau dV/dt = c (V - vRest)(V - vC) - w + I, tauW dw/dt = a (V - vRest) - w; spike: w += b',
  params: [
    param('vRest', -65, 'mV', 'finite', 'resting potential (stable fixed point without adaptation)'),
    param('vReset', -68, 'mV', 'finite', 'reset potential after a spike'),
    param('vTh', -30, 'mV', 'finite', 'spike threshold (spike when V >= vTh)'),
    param('vC', -50, 'mV', 'finite', 'critical voltage of spike initiation'),
    param('a', 1, '1', 'finite', 'subthreshold adaptation: coupling of w to V − vRest'),
    param('b', 0.1, 'mV', 'finite', 'spike-triggered adaptation: w += b at each spike'),
    param('c', 0.07, '1/mV', 'positive', 'curvature of the quadratic'),
    param('tau', 10, 'ms', 'positive', 'membrane time constant'),
    param('tauW', 10, 'ms', 'positive', 'adaptation time constant'),
  ],
  derived: [invTauDerived, derived('kW', (p, dt) => Math.exp(-dt / p.tauW), 'e^(−dt/τ_w)')],
  state: [
    { name: 'V', type: 'state', initParam: 'v0', initDefault: (p) => p.vRest, unit: 'mV', doc: 'membrane potential' },
    { name: 'w', type: 'state', initParam: 'w0', initDefault: () => 0, unit: 'mV', doc: 'adaptation current' },
  ],
  // w is linear in itself: exact for V held, w ← w∞ + (w − w∞)·e^(−dt/τ_w), w∞ = a·(V − V_rest).
  always: `
    let wInf = a * (V - vRest)
    w = wInf + (w - wInf) * kW`,
  f: '(c * (V - vRest) * (V - vC) - w + (Is + Ia + Ic + GE - G * V)) * invTau',
  A: (ltc) => (ltc ? '(c * (2 * V - vRest - vC) - G) * invTau' : 'c * (2 * V - vRest - vC) * invTau'),
  reset: 'V = vReset; w = w + b',
  check(object, p) {
    checkBelow(object, 'vReset', p.vReset, 'vTh', p.vTh)
    if (!(p.vRest < p.vC)) throw new SpikecsError(object, 'vC', p.vC, `must be above vRest (${p.vRest})`)
  },
})

/** Parameters of the `AdQuaIF` models (every field optional; BrainPy's defaults). */
export interface AdQuaIFParams {
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
  /** Subthreshold adaptation, default 1. */
  a?: number
  /** Spike-triggered adaptation increment (mV), default 0.1. */
  b?: number
  /** Curvature (1/mV), default 0.07. */
  c?: number
  /** Membrane time constant (ms), default 10. */
  tau?: number
  /** Adaptation time constant (ms), default 10. */
  tauW?: number
  /** Initial V (mV), default vRest. */
  v0?: Initializer
  /** Initial w (mV), default 0. */
  w0?: Initializer
}
/** Parameters of `AdQuaIFRef` / `AdQuaIFRefLTC`. */
export interface AdQuaIFRefParams extends AdQuaIFParams {
  /** Refractory period (ms), default 0. */
  tauRef?: number
}

/** Adaptive quadratic integrate-and-fire (BrainPy `AdQuaIF`). */
export const AdQuaIF = describe<AdQuaIFParams>('AdQuaIF')
/** `AdQuaIF` with refractoriness (BrainPy `AdQuaIFRef`). */
export const AdQuaIFRef = describe<AdQuaIFRefParams>('AdQuaIFRef')
/** `AdQuaIF` with conductances inside the exponential step (BrainPy `AdQuaIFLTC`). */
export const AdQuaIFLTC = describe<AdQuaIFParams>('AdQuaIFLTC')
/** `AdQuaIFLTC` with refractoriness (BrainPy `AdQuaIFRefLTC`). */
export const AdQuaIFRefLTC = describe<AdQuaIFRefParams>('AdQuaIFRefLTC')
