/**
 * BrainPy's leaky integrator without spikes, `IF` and `IFLTC`:
 *
 *   τ dV/dt = −(V − V_rest) + R·I,   I = I_ext + I_CUBA + Σg·(E − V)
 *
 * `IF` takes the synaptic current at the previous V and steps exactly with I held,
 * V ← V_inf + (V − V_inf)·e^(−dt/τ), V_inf = V_rest + R·I; `IFLTC` keeps the conductances inside the step,
 * V_inf = (V_rest + R·(I_ext + I_CUBA + Σg·E))/(1 + R·Σg), V ← V_inf + (V − V_inf)·e^(−dt(1 + R·Σg)/τ).
 * Both are exact for constant input. No threshold, no reset: the population never spikes (its spike list
 * stays empty), so it is read through state probes. Units as the LIF family; BrainPy's defaults (V_rest 0 mV,
 * R 1, τ 10 ms, V0 = 0 mV).
 */
import { param } from './params.js'
import { modelFromRecord, type NeuronModel } from './neuron-model.js'
import { derived, type NeuronRecord } from './record.js'
import type { Initializer } from '../init.js'
import { describe } from './nonlinear-if.js'

export function ifRecordOf(kind: string, ltc: boolean): NeuronRecord {
  return {
    kind,
    equation:
      `tau dV/dt = -(V - vRest) + R ` +
      `I${ltc ? ', conductances inside the exponential step' : ', synaptic current at the previous V'}; no spikes`,
    params: [
      param('vRest', 0, 'mV', 'finite', 'resting potential'),
      param('R', 1, '', 'positive', 'membrane resistance (R·I in mV)'),
      param('tau', 10, 'ms', 'positive', 'membrane time constant'),
    ],
    derived: [derived('kV', (p, dt) => Math.exp(-dt / p.tau), 'e^(−dt/τ)'), derived('negDtOverTau', (p, dt) => -dt / p.tau, '−dt/τ')],
    state: [{ name: 'V', type: 'state', initParam: 'v0', initDefault: () => 0, unit: 'mV', doc: 'membrane potential' }],
    update: ltc
      ? `
        let g1 = 1 + R * G
        let vInf = (vRest + R * (Is + Ia + Ic + GE)) / g1
        V = vInf + (V - vInf) * exp(negDtOverTau * g1)`
      : `
        let vInf = vRest + R * (Is + Ia + Ic + GE - G * V)
        V = vInf + (V - vInf) * kV`,
    spike: null,
    reset: '',
    refractory: false,
    lastSpike: false,
    check: () => {},
  }
}

export const ifModels: Record<string, NeuronModel> = {
  IF: modelFromRecord(ifRecordOf('IF', false)),
  IFLTC: modelFromRecord(ifRecordOf('IFLTC', true)),
}

/** Parameters of `IF` / `IFLTC` (every field optional; BrainPy's defaults). */
export interface IFParams {
  /** Number of neurons. */
  size: number
  /** Resting potential (mV), default 0. */
  vRest?: number
  /** Membrane resistance, default 1. */
  R?: number
  /** Membrane time constant (ms), default 10. */
  tau?: number
  /** Initial V (mV), default 0. */
  v0?: Initializer
}

/** Leaky integrator without spikes (BrainPy `IF`). */
export const IF = describe<IFParams>('IF')
/** `IF` with the conductances inside the exponential step (BrainPy `IFLTC`). */
export const IFLTC = describe<IFParams>('IFLTC')
