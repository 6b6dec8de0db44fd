/**
 * Hodgkin–Huxley neurons with the Traub–Miles channel kinetics of the COBAHH benchmark (Brette et al. 2007,
 * as in Brian2's and BrainPy's COBAHH scripts): `HH` and `HHLTC`.
 *
 *   C dV/dt = g_L·(E_L − V) + g_Na·m³h·(E_Na − V) + g_K·n⁴·(E_K − V) + I
 *   dx/dt   = α_x(V)·(1 − x) − β_x(V)·x        for x = m, h, n   (rates in 1/ms, V in mV)
 *
 *   α_m = 0.32·(13 − V + V_T)/(e^((13 − V + V_T)/4) − 1)     β_m = 0.28·(V − V_T − 40)/(e^((V − V_T − 40)/5) − 1)
 *   α_h = 0.128·e^((17 − V + V_T)/18)                          β_h = 4/(1 + e^((40 − V + V_T)/5))
 *   α_n = 0.032·(15 − V + V_T)/(e^((15 − V + V_T)/5) − 1)     β_n = 0.5·e^((10 − V + V_T)/40)
 *
 * Units are physical: V in mV, t in ms, C in pF, conductances in nS, currents in pA (pA/pF = mV/ms). The
 * defaults are the benchmark's membrane of 20 000 µm² with C_m = 1 µF/cm² (C = 200 pF), g_Na = 100 mS/cm²
 * (20 000 nS), g_K = 30 mS/cm² (6 000 nS), g_L = 0.05 mS/cm² (10 nS), E_Na 50, E_K −90, E_L −60, V_T −63 mV.
 * For this family an output's conductance is in nS (COBA adds g to Σg, g·E to Σg·E with E in mV), a CUBA
 * output's value and every external input are currents in pA.
 *
 * Integration (exponential Euler, as Brian2's `exponential_euler`): every variable is linear in itself once
 * the others are held at their values from the start of the tick, so each is advanced exactly for that
 * linear equation — x ← x∞ + (x − x∞)·e^(−dt(α + β)), x∞ = α/(α + β), and V ← V∞ + (V − V∞)·e^(−dt·G/C) with G the
 * total conductance and V∞ = (Σ g·E + I)/G. `HHLTC` keeps the synaptic conductances inside G (Brian2's
 * COBAHH); `HH` adds the synaptic current Σg·(E − V) at the previous V to I, as BrainPy's `HH` does.
 * The rates' removable singularities (0/0 at 13 − V + V_T = 0 and alike) use y/(e^y − 1) → 1; four
 * exponentials give the six rates (see `hhRates`), eight per neuron and tick in all.
 *
 * A spike is an upward crossing of V_th (−20 mV): the previous V below it, the new one at or above it.
 * There is no reset and no refractory period; the channels repolarise the membrane.
 */
import { param, type ParamSpec } from './params.js'
import { modelFromRecord, type NeuronModel, type StateVarSpec } from './neuron-model.js'
import { derived, type NeuronRecord } from './record.js'
import type { Initializer } from '../init.js'
import { describe } from './nonlinear-if.js'
import { snippetFunction } from '../codegen/js.js'

const hhParams: readonly ParamSpec[] = [
  param('C', 200, 'pF', 'positive', 'membrane capacitance (1 µF/cm² × 20 000 µm²)'),
  param('gNa', 20000, 'nS', 'nonNegative', 'maximal sodium conductance (100 mS/cm²)'),
  param('gK', 6000, 'nS', 'nonNegative', 'maximal potassium conductance (30 mS/cm²)'),
  param('gL', 10, 'nS', 'positive', 'leak conductance (0.05 mS/cm²)'),
  param('ENa', 50, 'mV', 'finite', 'sodium reversal potential'),
  param('EK', -90, 'mV', 'finite', 'potassium reversal potential'),
  param('EL', -60, 'mV', 'finite', 'leak reversal potential'),
  param('vT', -63, 'mV', 'finite', 'voltage shift of the rate functions (V_T)'),
  param('vTh', -20, 'mV', 'finite', 'spike detection: upward crossing of vTh'),
]

/**
 * y/(e^y − 1) given ey = e^y, continuous at y = 0 (value 1), where the series 1 − y/2 + y²/12 replaces the
 * quotient (for |y| < 1e-6 it is exact to double precision; the quotient's rounding error is ~1e-16/|y|).
 */
const yOverExpm1 = (y: string, ey: string): string => `(abs(${y}) < 1e-6 ? 1 - ${y} / 2 + ${y} * ${y} / 12 : ${y} / (${ey} - 1))`

/**
 * The six rates (1/ms) at V with x = V_T − V. Four exponentials serve the six: with e5 = e^((40 + x)/5),
 * β_h = 4/(1 + e5), β_m's e^((−40 − x)/5) is 1/e5 and α_n's e^((15 + x)/5) is e5·e^−5.
 */
const RATES = `
  let x = vT - V
  let e5 = exp((40 + x) / 5)
  let ym = (13 + x) / 4
  let zm = (-40 - x) / 5
  let yn = (15 + x) / 5
  let am = 1.28 * ${yOverExpm1('ym', 'exp(ym)')}
  let bm = 1.4 * ${yOverExpm1('zm', '1 / e5')}
  let ah = 0.128 * exp((17 + x) / 18)
  let bh = 4 / (1 + e5)
  let an = 0.16 * ${yOverExpm1('yn', 'e5 * expM5')}
  let bn = 0.5 * exp((10 + x) / 40)`

/** One exponential-Euler step of gate X with opening rate a and closing rate b (1/ms). */
const gate = (X: string, a: string, b: string): string => `
  let s${X} = ${a} + ${b}
  let inf${X} = ${a} / s${X}
  ${X} = inf${X} + (${X} - inf${X}) * exp(-dtMs * s${X})`

function gateVar(name: string, doc: string): StateVarSpec {
  return { name, type: 'state', initParam: `${name}0`, initDefault: () => 0, unit: '1', doc }
}

const gateNames = ['m', 'h', 'n'] as const

/** The record of `HH` (synaptic current at the previous V) or `HHLTC` (conductances inside the step). */
export function hhRecord(kind: string, ltc: boolean): NeuronRecord {
  return {
    kind,
    equation:
      `C dV/dt = gL (EL - V) + gNa m^3 h (ENa - V) + gK n^4 (EK - V) + I; Traub-Miles rates shifted by ` +
      `vT${ltc ? '; synaptic conductances inside the exponential step' : '; synaptic current at the previous V'}`,
    params: hhParams,
    derived: [
      derived('dtMs', (_p, dt) => dt, 'the time step'),
      derived('kC', (p, dt) => -dt / p.C, '−dt/C'),
      derived('gLEL', (p) => p.gL * p.EL, 'g_L·E_L'),
      derived('expM5', () => EXP_M5, 'e^−5'),
    ],
    state: [
      { name: 'V', type: 'state', initParam: 'v0', initDefault: (p) => p.EL, unit: 'mV', doc: 'membrane potential' },
      gateVar('m', 'sodium activation'),
      gateVar('h', 'sodium inactivation'),
      gateVar('n', 'potassium activation'),
    ],
    // Gates from the rates at the old V; V, linear in itself with the old gates, relaxes towards V∞ with rate G/C.
    update: `${RATES}${gate('m', 'am', 'bm')}${gate('h', 'ah', 'bh')}${gate('n', 'an', 'bn')}
      let gna = gNa * m * m * m * h
      let gk = gK * n * n * n * n
      ${
        ltc
          ? `let gTot = gL + gna + gk + G
      let vInf = (gLEL + gna * ENa + gk * EK + GE + Is + Ia + Ic) / gTot`
          : `let gTot = gL + gna + gk
      let vInf = (gLEL + gna * ENa + gk * EK + GE - G * V + Is + Ia + Ic) / gTot`
      }
      V = vInf + (V - vInf) * exp(kC * gTot)`,
    spike: 'old(V) < vTh && V >= vTh',
    reset: '',
    refractory: false,
    lastSpike: false,
    check: () => {},
    // Gates not given start at their steady state for each neuron's initial V.
    setup(_object, given) {
      const missing = gateNames.map((g, k) => (given[`${g}0`] === undefined ? k : -1)).filter((k) => k >= 0)
      return (pop) => {
        if (missing.length === 0) return
        const V = pop.state.V.array,
          vT = pop.params[pop.paramIndex.vT]
        for (let i = 0; i < pop.size; i++) {
          const ss = hhSteadyGates(V[i], vT)
          for (const k of missing) pop.state[gateNames[k]].array[i] = ss[k]
        }
      }
    },
  }
}

/** The six rates as a plain function of (V_T, V, e^−5), from the record's snippet. */
const rates = snippetFunction(RATES, ['vT', 'V', 'expM5'], ['am', 'bm', 'ah', 'bh', 'an', 'bn'])
const EXP_M5 = Math.exp(-5)

/** Steady-state gate values (m∞, h∞, n∞) at membrane potential v for rate shift vT. */
export function hhSteadyGates(v: number, vT: number): [number, number, number] {
  const [am, bm, ah, bh, an, bn] = rates(vT, v, EXP_M5)
  return [am / (am + bm), ah / (ah + bh), an / (an + bn)]
}

export const hhModels: Record<string, NeuronModel> = {
  HH: modelFromRecord(hhRecord('HH', false)),
  HHLTC: modelFromRecord(hhRecord('HHLTC', true)),
}

/** Parameters of `HH` / `HHLTC` (every field optional; defaults: the COBAHH benchmark's neuron). */
export interface HHParams {
  /** Number of neurons. */
  size: number
  /** Membrane capacitance (pF), default 200. */
  C?: number
  /** Maximal sodium conductance (nS), default 20 000. */
  gNa?: number
  /** Maximal potassium conductance (nS), default 6 000. */
  gK?: number
  /** Leak conductance (nS), default 10. */
  gL?: number
  /** Sodium reversal potential (mV), default 50. */
  ENa?: number
  /** Potassium reversal potential (mV), default −90. */
  EK?: number
  /** Leak reversal potential (mV), default −60. */
  EL?: number
  /** Shift of the rate functions (mV), default −63. */
  vT?: number
  /** Spike detection threshold (mV), default −20. */
  vTh?: number
  /** Initial V (mV), default EL. */
  v0?: Initializer
  /** Initial m, default its steady state at the initial V. */
  m0?: Initializer
  /** Initial h, default its steady state at the initial V. */
  h0?: Initializer
  /** Initial n, default its steady state at the initial V. */
  n0?: Initializer
}

/** Hodgkin–Huxley neurons, synaptic current taken at the previous V (BrainPy `HH`; COBAHH kinetics). */
export const HH = describe<HHParams>('HH')
/** Hodgkin–Huxley neurons with the synaptic conductances inside the exponential step (Brian2's COBAHH). */
export const HHLTC = describe<HHParams>('HHLTC')
