/**
 * The exponential integrate-and-fire families, with BrainPy's parameters and defaults (`ExpIF`, `AdExIF`,
 * each with `Ref`, `LTC` and `RefLTC` variants; integration and spike handling in `nonlinear-if.ts`):
 *
 *   ExpIF:  τ dV/dt = −(V − V_rest) + ΔT·e^((V − V_T)/ΔT) + R·I
 *   AdExIF: τ dV/dt = −(V − V_rest) + ΔT·e^((V − V_T)/ΔT) − R·w + R·I,   τ_w dw/dt = a·(V − V_rest) − w
 *           after a spike V = V_reset and w += b.
 *
 * Units: V in mV, τ and τ_w in ms, ΔT in mV, R·I and R·w in mV (so w is in the current units of I).
 * Without input the neuron rests at the stable fixed point V* < V_T of
 * V* − V_rest = ΔT·e^((V* − V_T)/ΔT) (about −64.0 mV with the defaults, not V_rest itself).
 * Initial V defaults to V_rest (BrainPy's default, 0 mV, lies above V_th and fires at once).
 */
import { SpikecsError } from '@spikecs/ecs-core'
import { checkBelow, param, type ParamSpec } from './params.js'
import type { StateVarSpec } from './neuron-model.js'
import type { Initializer } from '../init.js'
import { derived } from './record.js'
import { describe, ifFamily, invTauDerived } from './nonlinear-if.js'

const expParams: readonly ParamSpec[] = [
  param('vRest', -65, 'mV', 'finite', 'resting potential'),
  param('vReset', -68, 'mV', 'finite', 'reset potential after a spike'),
  param('vTh', -30, 'mV', 'finite', 'numerical spike threshold (spike when V >= vTh)'),
  param('vT', -59.9, 'mV', 'finite', 'threshold of the exponential spike initiation'),
  param('deltaT', 3.48, 'mV', 'positive', 'slope factor of the exponential'),
  param('R', 1, '', 'positive', 'membrane resistance (R·I in mV)'),
  param('tau', 10, 'ms', 'positive', 'membrane time constant'),
]
const adaptParams: readonly ParamSpec[] = [
  param('a', 1, '1/R', 'finite', 'subthreshold adaptation: coupling of w to V − vRest'),
  param('b', 1, 'current units of I', 'finite', 'spike-triggered adaptation: w += b at each spike'),
  param('tauW', 30, 'ms', 'positive', 'adaptation time constant'),
]

const vVar: StateVarSpec = { name: 'V', type: 'state', initParam: 'v0', initDefault: (p) => p.vRest, unit: 'mV', doc: 'membrane potential' }
const wVar: StateVarSpec = {
  name: 'w',
  type: 'state',
  initParam: 'w0',
  initDefault: () => 0,
  unit: 'current units of I',
  doc: 'adaptation current',
}

function checkExp(object: string, p: Readonly<Record<string, number>>): void {
  checkBelow(object, 'vReset', p.vReset, 'vTh', p.vTh)
  if (!(p.vT < p.vTh)) throw new SpikecsError(object, 'vT', p.vT, `must be below vTh (${p.vTh})`)
}

const expDerived = [invTauDerived, derived('invDeltaT', (p) => 1 / p.deltaT, '1/ΔT')]
/** The exponential term and its V-derivative e^((V − V_T)/ΔT). */
const expPre = 'let ex = exp((V - vT) * invDeltaT)'
/** The adaptation current, exact for V held: w ← w∞ + (w − w∞)·e^(−dt/τ_w), w∞ = a·(V − V_rest). */
const adaptAlways = `
  let wInf = a * (V - vRest)
  w = wInf + (w - wInf) * kW`
const kWDerived = derived('kW', (p, dt) => Math.exp(-dt / p.tauW), 'e^(−dt/τ_w)')

export const expIfModels = {
  ...ifFamily({
    name: 'ExpIF',
    equation: 'tau dV/dt = -(V - vRest) + deltaT exp((V - vT)/deltaT) + R I',
    params: expParams,
    derived: expDerived,
    state: [vVar],
    pre: expPre,
    f: '(-V + vRest + deltaT * ex + R * (Is + Ia + Ic + GE - G * V)) * invTau',
    A: (ltc) => (ltc ? '(-1 + ex - R * G) * invTau' : '(-1 + ex) * invTau'),
    reset: 'V = vReset',
    check: checkExp,
  }),
  ...ifFamily({
    name: 'AdExIF',
    equation: 'tau dV/dt = -(V - vRest) + deltaT exp((V - vT)/deltaT) - R w + R I, tauW dw/dt = a (V - vRest) - w; spike: w += b',
    params: [...expParams, ...adaptParams],
    derived: [...expDerived, kWDerived],
    state: [vVar, wVar],
    always: adaptAlways,
    pre: expPre,
    f: '(-V + vRest + deltaT * ex - R * w + R * (Is + Ia + Ic + GE - G * V)) * invTau',
    A: (ltc) => (ltc ? '(-1 + ex - R * G) * invTau' : '(-1 + ex) * invTau'),
    reset: 'V = vReset; w = w + b',
    check: checkExp,
  }),
}

/** Parameters of the `ExpIF` models (every field optional; BrainPy's defaults). */
export interface ExpIFParams {
  /** Number of neurons. */
  size: number
  /** Resting potential (mV), default −65. */
  vRest?: number
  /** Reset potential (mV), default −68. */
  vReset?: number
  /** Numerical threshold (mV), default −30. */
  vTh?: number
  /** Threshold of the exponential (mV), default −59.9. */
  vT?: number
  /** Slope factor (mV), default 3.48. */
  deltaT?: number
  /** Membrane resistance, default 1. */
  R?: number
  /** Membrane time constant (ms), default 10. */
  tau?: number
  /** Initial V (mV), default vRest. */
  v0?: Initializer
}
/** Parameters of `ExpIFRef` / `ExpIFRefLTC`. */
export interface ExpIFRefParams extends ExpIFParams {
  /** Refractory period (ms), default 0. */
  tauRef?: number
}
/** Parameters of the `AdExIF` models. */
export interface AdExIFParams extends ExpIFParams {
  /** Subthreshold adaptation (1/R), default 1. */
  a?: number
  /** Spike-triggered adaptation increment (units of I), default 1. */
  b?: number
  /** Adaptation time constant (ms), default 30. */
  tauW?: number
  /** Initial w, default 0. */
  w0?: Initializer
}
/** Parameters of `AdExIFRef` / `AdExIFRefLTC`. */
export interface AdExIFRefParams extends AdExIFParams {
  /** Refractory period (ms), default 0. */
  tauRef?: number
}

/** Exponential integrate-and-fire (BrainPy `ExpIF`). */
export const ExpIF = describe<ExpIFParams>('ExpIF')
/** `ExpIF` with refractoriness (BrainPy `ExpIFRef`). */
export const ExpIFRef = describe<ExpIFRefParams>('ExpIFRef')
/** `ExpIF` with conductances inside the exponential step (BrainPy `ExpIFLTC`). */
export const ExpIFLTC = describe<ExpIFParams>('ExpIFLTC')
/** `ExpIFLTC` with refractoriness (BrainPy `ExpIFRefLTC`). */
export const ExpIFRefLTC = describe<ExpIFRefParams>('ExpIFRefLTC')
/** Adaptive exponential integrate-and-fire (BrainPy `AdExIF`). */
export const AdExIF = describe<AdExIFParams>('AdExIF')
/** `AdExIF` with refractoriness (BrainPy `AdExIFRef`). */
export const AdExIFRef = describe<AdExIFRefParams>('AdExIFRef')
/** `AdExIF` with conductances inside the exponential step (BrainPy `AdExIFLTC`). */
export const AdExIFLTC = describe<AdExIFParams>('AdExIFLTC')
/** `AdExIFLTC` with refractoriness (BrainPy `AdExIFRefLTC`). */
export const AdExIFRefLTC = describe<AdExIFRefParams>('AdExIFRefLTC')
