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
import type { PopulationData } from '@spikecs/ecs-core'
import { param, checkBelow, type ParamSpec } from './params.js'
import { neuronDesc, type NeuronDesc, type NeuronInputs, type NeuronModel, type FusedNeuronEmitter } from './neuron-model.js'
import type { Initializer } from '../init.js'

// Parameter block layout shared by the four models.
const VREST = 0, VRESET = 1, VTH = 2, R = 3, TAU = 4, TAUREF = 5, KV = 6, NEG_DT_TAU = 7, NREF = 8

const baseParams: readonly ParamSpec[] = [
  param('vRest', 0, 'mV', 'finite', 'resting potential'),
  param('vReset', -5, 'mV', 'finite', 'reset potential after a spike'),
  param('vTh', 20, 'mV', 'finite', 'spike threshold (spike when V >= vTh)'),
  param('R', 1, '', 'positive', 'membrane resistance (R·I in mV)'),
  param('tau', 10, 'ms', 'positive', 'membrane time constant'),
]
const refParams: readonly ParamSpec[] = [
  ...baseParams,
  param('tauRef', 0, 'ms', 'nonNegative', 'refractory period: V held for round(tauRef/dt) ticks after a spike'),
]

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

function deriveLif(block: Float64Array, dtMs: number, hasRef: boolean): void {
  block[KV] = Math.exp(-dtMs / block[TAU])
  block[NEG_DT_TAU] = -dtMs / block[TAU]
  // Lif without refractoriness: nRef = −1, so `tick − last ≤ nRef` never holds.
  block[NREF] = hasRef ? Math.round(block[TAUREF] / dtMs) : -1
}

/**
 * Non-LTC kernel: I from the previous V, exact integration with I held. The expressions here are the
 * reference for the fused emitter below.
 */
function updateLif(pop: PopulationData, inp: NeuronInputs, tick: number): void {
  const P = pop.params
  const vRest = P[VREST], vReset = P[VRESET], vTh = P[VTH], r = P[R], kV = P[KV], nRef = P[NREF]
  const V = pop.state.V.array as Float32Array
  const last = pop.state.lastSpike.array as Int32Array
  const spk = pop.spikes.array
  const G = inp.G, GE = inp.GE, I = inp.I, ia = inp.iArr, iS = inp.iScalar
  let ns = 0
  for (let i = 0, n = pop.size; i < n; i++) {
    const g = G[i], ge = GE[i], ic = I[i]
    G[i] = 0
    GE[i] = 0
    I[i] = 0
    if (tick - last[i] <= nRef) continue // refractory: V held
    const v = V[i]
    const ii = iS + ia[i] + ic
    const vInf = vRest + r * (ii + ge - g * v)
    V[i] = vInf + (v - vInf) * kV
    if (V[i] >= vTh) {
      V[i] = vReset
      last[i] = tick
      spk[ns++] = i
    }
  }
  pop.nSpikes = ns
}

/** LTC kernel: conductances inside the derivative, exponential Euler (exact for g constant over the tick). */
function updateLifLTC(pop: PopulationData, inp: NeuronInputs, tick: number): void {
  const P = pop.params
  const vRest = P[VREST], vReset = P[VRESET], vTh = P[VTH], r = P[R], kNeg = P[NEG_DT_TAU], nRef = P[NREF]
  const V = pop.state.V.array as Float32Array
  const last = pop.state.lastSpike.array as Int32Array
  const spk = pop.spikes.array
  const G = inp.G, GE = inp.GE, I = inp.I, ia = inp.iArr, iS = inp.iScalar
  let ns = 0
  for (let i = 0, n = pop.size; i < n; i++) {
    const g = G[i], ge = GE[i], ic = I[i]
    G[i] = 0
    GE[i] = 0
    I[i] = 0
    if (tick - last[i] <= nRef) continue // refractory: V held
    const v = V[i]
    const ii = iS + ia[i] + ic
    const g1 = 1 + r * g
    const vInf = (vRest + r * (ii + ge)) / g1
    V[i] = vInf + (v - vInf) * Math.exp(kNeg * g1)
    if (V[i] >= vTh) {
      V[i] = vReset
      last[i] = tick
      spk[ns++] = i
    }
  }
  pop.nSpikes = ns
}

function lifEmitter(ltc: boolean): FusedNeuronEmitter {
  return {
    prologue: () => [
      'const vRest = P[0], vReset = P[1], vTh = P[2], r = P[3], kV = P[6], kNeg = P[7], nRef = P[8];',
      'const V = pop.state.V.array, last = pop.state.lastSpike.array, spk = pop.spikes.array;',
    ].join('\n'),
    body: (s, round) => {
      const integrate = ltc
        ? [
            `const g1 = 1 + r * (${s.G});`,
            `const vInf = (vRest + r * (ii + (${s.GE}))) / g1;`,
            `const vn = ${round('vInf + (v - vInf) * Math.exp(kNeg * g1)')};`,
          ]
        : [
            `const vInf = vRest + r * (ii + (${s.GE}) - (${s.G}) * v);`,
            `const vn = ${round('vInf + (v - vInf) * kV')};`,
          ]
      return [
        'if (tick - last[i] <= nRef) continue;',
        'const v = V[i];',
        `const ii = iS + (${s.ia}) + (${s.Ic});`,
        ...integrate,
        'if (vn >= vTh) { V[i] = vReset; last[i] = tick; spk[ns++] = i; } else V[i] = vn;',
      ].join('\n')
    },
  }
}

// The parameter block always has the six LIF parameters (tauRef = 0 for the models without it) then the
// three derived constants, so one layout serves the four models.
const LIF_BLOCK_PARAMS = ['vRest', 'vReset', 'vTh', 'R', 'tau', 'tauRef'] as const

function lifModel(kind: string, ltc: boolean, hasRef: boolean): NeuronModel {
  return {
    kind,
    equation: ltc
      ? 'tau dV/dt = -(V - vRest) + R (I_ext + I_cuba + Σg (E - V)), conductances inside the exponential step'
      : 'tau dV/dt = -(V - vRest) + R I, I = I_ext + I_cuba + Σg (E - V_prev)',
    params: hasRef ? refParams : baseParams,
    blockLayout: LIF_BLOCK_PARAMS,
    derived: ['kV', 'negDtOverTau', 'nRef'],
    derive: (block, dtMs) => deriveLif(block, dtMs, hasRef),
    check: (object, p) => checkBelow(object, 'vReset', p.vReset, 'vTh', p.vTh),
    stateVars: [
      { name: 'V', type: 'state', initParam: 'v0', initDefault: () => 0, unit: 'mV', doc: 'membrane potential' },
      {
        name: 'lastSpike', type: 'i32', initParam: null, initDefault: () => -1e9, unit: 'tick',
        doc: 'tick of the last spike (-1e9 before the first)',
      },
    ],
    update: ltc ? updateLifLTC : updateLif,
    fused: lifEmitter(ltc),
  }
}

export const lifModels: Record<string, NeuronModel> = {
  Lif: lifModel('Lif', false, false),
  LifRef: lifModel('LifRef', false, true),
  LifLTC: lifModel('LifLTC', true, false),
  LifRefLTC: lifModel('LifRefLTC', true, true),
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
