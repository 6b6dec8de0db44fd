/**
 * The leaky integrate-and-fire family, with BrainPy's defaults (V_rest 0, V_reset −5, V_th 20 mV, R 1,
 * τ 10 ms, τ_ref 0 ms, V0 = 0):
 *
 *   τ dV/dt = −(V − V_rest) + R·I,   I = I_ext + Σ_CUBA g + Σ_COBA g·(E − V)
 *
 * Units: V in mV, τ in ms, R·I in mV (R dimensionless by convention, conductances in units of 1/R).
 *
 * - `Lif`, `LifRef` (non-LTC): I is evaluated with the previous V, then exact exponential integration with
 *   I held: V ← V_inf + (V − V_inf)·e^(−dt/τ), V_inf = V_rest + R·I (e^(−dt/τ) derived once).
 * - `LifLTC`, `LifRefLTC`: conductances stay inside the derivative (exponential Euler, exact for constant g):
 *   V_inf = (V_rest + R·(I_ext + I_CUBA + Σg·E)) / (1 + R·Σg), V ← V_inf + (V − V_inf)·e^(−dt(1 + R·Σg)/τ).
 * - Spike when V ≥ V_th (V as stored in the dtype); then V = V_reset. `Ref` variants hold V for
 *   round(τ_ref/dt) ticks after a spike (50 for 5 ms at 0.1 ms) and integrate again from the tick after.
 */
import { msToTicks } from '@spikecs/ecs-core'
import { param, checkBelow, type ParamSpec } from './params.js'
import { modelFromRecord, neuronDesc, type NeuronDesc, type NeuronModel } from './neuron-model.js'
import { derived, type DerivedSpec, type NeuronRecord } from './record.js'
import type { Initializer } from '../init.js'

const baseParams: readonly ParamSpec[] = [
  param('vRest', 0, 'mV', 'finite', 'resting potential'),
  param('vReset', -5, 'mV', 'finite', 'reset potential after a spike'),
  param('vTh', 20, 'mV', 'finite', 'spike threshold (spike when V >= vTh)'),
  param('R', 1, '', 'positive', 'membrane resistance (R·I in mV)'),
  param('tau', 10, 'ms', 'positive', 'membrane time constant'),
]
export const tauRefParam = param('tauRef', 0, 'ms', 'nonNegative', 'refractory period: V held for round(tauRef/dt) ticks after a spike')
/** round(τ_ref/dt): the ticks V is held after a spike. */
export const nRefDerived = derived(
  'nRef',
  (p, dt) => msToTicks('refractory period', 'tauRef', p.tauRef, dt, true),
  'ticks V is held after a spike, round(tauRef/dt)',
)

/** Parameters of `Lif` / `LifLTC` (every field optional; BrainPy's defaults). */
export interface LifParams {
  /** Number of neurons. */
  size: number
  /** Resting potential (mV), default 0. */
  vRest?: number
  /** Reset potential (mV), default −5. */
  vReset?: number
  /** Threshold (mV), default 20. */
  vTh?: number
  /** Membrane resistance, default 1. */
  R?: number
  /** Membrane time constant (ms), default 10. */
  tau?: number
  /** Initial V (mV): a number, an array, normal(mean, std) or uniform(low, high); default 0. */
  v0?: Initializer
}

/** Parameters of `LifRef` / `LifRefLTC`. */
export interface LifRefParams extends LifParams {
  /** Refractory period (ms), default 0. */
  tauRef?: number
}

/**
 * The LTC step's e^(−dt(1 + R·Σg)/τ) in the WebAssembly kernel: `expc(r)` is e^(r + c) by the float32 series
 * around c = −0.175 (falling back to a range-reduced exp away from c), so the centre is folded into the
 * constant term: r = (−dt/τ − c) + (−dt/τ·R)·Σg. Tested against the record's `exp` form in test/systems/wasm/wasm.test.ts.
 */
const LTC_WASM_UPDATE = `
  let ii = Is + Ia + Ic
  let g1 = 1 + R * G
  let vInf = (vRest + R * (ii + GE)) / g1
  V = vInf + (V - vInf) * expc(negDtOverTau - -0.175 + negDtOverTau * R * G)
`

/** The LIF record of one variant: the update is written here once; every kernel is generated from it. */
export function lifRecord(kind: string, ltc: boolean, ref: boolean): NeuronRecord {
  const d: DerivedSpec[] = [
    derived('kV', (p, dt) => Math.exp(-dt / p.tau), 'e^(−dt/τ), the non-LTC step factor'),
    derived('negDtOverTau', (p, dt) => -dt / p.tau, '−dt/τ'),
  ]
  if (ref) d.push(nRefDerived)
  return {
    kind,
    equation: ltc
      ? 'tau dV/dt = -(V - vRest) + R (I_ext + I_cuba + Σg (E - V)), conductances inside the exponential step'
      : 'tau dV/dt = -(V - vRest) + R I, I = I_ext + I_cuba + Σg (E - V_prev)',
    params: ref ? [...baseParams, tauRefParam] : baseParams,
    derived: d,
    state: [{ name: 'V', type: 'state', initParam: 'v0', initDefault: () => 0, unit: 'mV', doc: 'membrane potential' }],
    update: ltc
      ? `
        let ii = Is + Ia + Ic
        let g1 = 1 + R * G
        let vInf = (vRest + R * (ii + GE)) / g1
        V = vInf + (V - vInf) * exp(negDtOverTau * g1)`
      : `
        let ii = Is + Ia + Ic
        let vInf = vRest + R * (ii + GE - G * V)
        V = vInf + (V - vInf) * kV`,
    spike: 'V >= vTh',
    reset: 'V = vReset',
    refractory: ref,
    lastSpike: true,
    targets: ltc ? { wasm: { update: LTC_WASM_UPDATE } } : undefined,
    check: (object, p) => checkBelow(object, 'vReset', p.vReset, 'vTh', p.vTh),
  }
}

export const lifModels: Record<string, NeuronModel> = {
  Lif: modelFromRecord(lifRecord('Lif', false, false)),
  LifRef: modelFromRecord(lifRecord('LifRef', false, true)),
  LifLTC: modelFromRecord(lifRecord('LifLTC', true, false)),
  LifRefLTC: modelFromRecord(lifRecord('LifRefLTC', true, true)),
}

/** Leaky integrate-and-fire neurons without refractoriness (BrainPy `Lif`). */
export function Lif(p: LifParams): NeuronDesc {
  return neuronDesc('Lif', p)
}
/** LIF with refractoriness (BrainPy `LifRef`). */
export function LifRef(p: LifRefParams): NeuronDesc {
  return neuronDesc('LifRef', p)
}
/** LIF with conductances inside the exponential step (BrainPy `LifLTC`). */
export function LifLTC(p: LifParams): NeuronDesc {
  return neuronDesc('LifLTC', p)
}
/** LTC LIF with refractoriness (BrainPy `LifRefLTC`). */
export function LifRefLTC(p: LifRefParams): NeuronDesc {
  return neuronDesc('LifRefLTC', p)
}
