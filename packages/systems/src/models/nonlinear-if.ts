/**
 * One kernel for BrainPy's nonlinear integrate-and-fire families — `ExpIF`, `AdExIF`, `QuaIF` and
 * `Izhikevich`, each in its four variants (plain, `Ref`, `LTC`, `RefLTC`). Every one of them is a case of
 *
 *   τ dV/dt = q2·(V − r1)·(V − r2) + q1·V + q0 + ΔT·e^((V − V_T)/ΔT) − R·w + R·I
 *   dw/dt   = (κ·(V − V_w) − w) / τ_w                       (only the two-variable families)
 *
 * with I = I_ext + I_CUBA + Σg·(E − V) and the exponential term present only when ΔT > 0:
 * ExpIF is (q2 = 0, q1 = −1, q0 = V_rest, ΔT > 0), AdExIF adds w, QuaIF is (q2 = c, r1 = V_rest, r2 = V_c),
 * Izhikevich is (τ = R = 1, q2 = 0.04, q1 = 5, q0 = 140, w = u, κ = b, V_w = 0, τ_w = 1/a). Each family maps its
 * own parameters onto these coefficients once, when the population is built or a parameter changes.
 *
 * Integration: BrainPy's `exp_auto` (exponential Euler), one variable at a time with the others held at their
 * values from the start of the tick:
 *   V ← V + F·(e^(A·dt) − 1)/A   with F = dV/dt and A = ∂F/∂V at the old V (V + F·dt when A = 0);
 *   w ← w∞ + (w − w∞)·e^(−dt/τ_w), w∞ = κ·(V_old − V_w)   (exact for V held over the tick).
 * Non-LTC variants take the synaptic current at the old V as a constant input (A has no −R·Σg/τ term); LTC
 * variants keep the conductances inside the derivative (A includes −R·Σg/τ: exact for a linear membrane
 * with constant g). F itself is the same in both, since both evaluate it at the old V.
 *
 * Spike when the stored V ≥ V_th; then V = V_reset and w += the jump (AdEx b, Izhikevich d). `Ref` variants
 * hold V for round(τ_ref/dt) ticks after a spike (as `LifRef`); w keeps integrating while V is held, as in BrainPy.
 * Units as the LIF family: V in mV, τ in ms, R·I in mV, conductances in units of 1/R (Izhikevich: I in mV/ms,
 * conductances in 1/ms).
 */
import type { PopulationData } from '@spikecs/ecs-core'
import { param, type ParamSpec } from './params.js'
import { neuronDesc, type NeuronDesc, type NeuronInputs, type NeuronModel, type StateVarSpec } from './neuron-model.js'

/** The generic coefficients, stored after a family's parameters at the end of the parameter block. */
export const IF_COEFFICIENTS = [
  'q2', 'r1', 'r2', 'q1', 'q0', 'deltaTExp', 'vTExp', 'rIn', 'invTau', 'ltcR',
  'kW', 'wK', 'wV', 'wJump', 'vResetIF', 'vThIF', 'nRef', 'dtMs',
] as const
const Q2 = 0, R1 = 1, R2 = 2, Q1 = 3, Q0 = 4, DT_EXP = 5, VT_EXP = 6, RIN = 7, INV_TAU = 8, LTC_R = 9,
  KW = 10, WK = 11, WV = 12, WJUMP = 13, VRESET = 14, VTH = 15, NREF = 16, DT = 17
const NCOEF = IF_COEFFICIENTS.length

export type IfCoefficients = Record<(typeof IF_COEFFICIENTS)[number], number>

/**
 * One tick of every neuron of an IF-family population (the unfused path). Reads the sums and zeroes them,
 * advances w (if the family has one), integrates V unless the neuron is refractory, detects spikes and resets.
 */
function updateNonlinearIF(pop: PopulationData, inp: NeuronInputs, tick: number): void {
  const P = pop.params
  const o = P.length - NCOEF
  const q2 = P[o + Q2], r1 = P[o + R1], r2 = P[o + R2], q1 = P[o + Q1], q0 = P[o + Q0]
  const dT = P[o + DT_EXP], vT = P[o + VT_EXP], rIn = P[o + RIN], invTau = P[o + INV_TAU], ltcR = P[o + LTC_R]
  const kW = P[o + KW], wK = P[o + WK], wV = P[o + WV], wJump = P[o + WJUMP]
  const vReset = P[o + VRESET], vTh = P[o + VTH], nRef = P[o + NREF], dt = P[o + DT]
  const hasExp = dT > 0, invDT = hasExp ? 1 / dT : 0
  const V = pop.state.V.array
  const wCol = pop.state.w ?? pop.state.u
  const hasW = wCol !== undefined
  const W = hasW ? wCol.array : V
  const last = pop.state.lastSpike.array as Int32Array
  const spk = pop.spikes.array
  const G = inp.G, GE = inp.GE, Ic = inp.I, ia = inp.iArr, iS = inp.iScalar
  let ns = 0
  for (let i = 0, n = pop.size; i < n; i++) {
    const g = G[i], ge = GE[i], ic = Ic[i]
    G[i] = 0; GE[i] = 0; Ic[i] = 0
    const v = V[i]
    let w = 0
    if (hasW) {
      w = W[i]
      const wInf = wK * (v - wV)
      W[i] = wInf + (w - wInf) * kW
    }
    if (tick - last[i] <= nRef) continue // refractory: V held, w integrates
    const ex = hasExp ? Math.exp((v - vT) * invDT) : 0
    const f = (q2 * (v - r1) * (v - r2) + q1 * v + q0 + dT * ex - rIn * w + rIn * (iS + ia[i] + ic + ge - g * v)) * invTau
    const a = (q2 * (2 * v - r1 - r2) + q1 + ex - ltcR * g) * invTau
    const z = a * dt
    V[i] = z === 0 ? v + f * dt : v + (f * Math.expm1(z)) / a
    if (V[i] >= vTh) {
      V[i] = vReset
      if (hasW) W[i] += wJump
      last[i] = tick
      spk[ns++] = i
    }
  }
  pop.nSpikes = ns
}

/** What a family supplies; `ifFamily` turns it into the four models. */
export interface IfFamilySpec {
  readonly name: string
  readonly equation: string
  /** Parameters without `tauRef` (the `Ref` variants add it). */
  readonly params: readonly ParamSpec[]
  /** The generic coefficients from the family's parameters (`ltcR`, `nRef` and `dtMs` are filled in here). */
  coefficients(p: Readonly<Record<string, number>>, dtMs: number): Omit<IfCoefficients, 'ltcR' | 'nRef' | 'dtMs'>
  /** Factor of Σg in τ·A for the LTC variants: R (1 for Izhikevich, whose equation has no R). */
  ltcScale(p: Readonly<Record<string, number>>): number
  check(object: string, p: Readonly<Record<string, number>>): void
  /** State variables besides `lastSpike` (V first). */
  readonly stateVars: readonly StateVarSpec[]
  readonly setup?: NeuronModel['setup']
}

const tauRefParam = param('tauRef', 0, 'ms', 'nonNegative', 'refractory period: V held for round(tauRef/dt) ticks after a spike')

const lastSpikeVar: StateVarSpec = {
  name: 'lastSpike', type: 'i32', initParam: null, initDefault: () => -1e9, unit: 'tick',
  doc: 'tick of the last spike (-1e9 before the first)',
}

function variant(spec: IfFamilySpec, ltc: boolean, ref: boolean): NeuronModel {
  const kind = `${spec.name}${ref ? 'Ref' : ''}${ltc ? 'LTC' : ''}`
  const params = ref ? [...spec.params, tauRefParam] : spec.params
  const names = params.map((p) => p.name)
  return {
    kind,
    equation: `${spec.equation}${ltc ? '; conductances inside the exponential step' : '; synaptic current at the previous V'}`,
    params,
    blockLayout: names,
    derived: IF_COEFFICIENTS,
    derive(block, dtMs) {
      const p: Record<string, number> = {}
      names.forEach((n, k) => { p[n] = block[k] })
      const c: IfCoefficients = {
        ...spec.coefficients(p, dtMs),
        ltcR: ltc ? spec.ltcScale(p) : 0,
        // Without refractoriness nRef = −1, so `tick − last ≤ nRef` never holds.
        nRef: ref ? Math.round(p.tauRef / dtMs) : -1,
        dtMs,
      }
      const o = names.length
      IF_COEFFICIENTS.forEach((n, k) => { block[o + k] = c[n] })
    },
    check: spec.check,
    stateVars: [...spec.stateVars, lastSpikeVar],
    update: updateNonlinearIF,
    fused: null,
    setup: spec.setup,
  }
}

/** The four models of a family, by kind: `X`, `XRef`, `XLTC`, `XRefLTC`. */
export function ifFamily(spec: IfFamilySpec): Record<string, NeuronModel> {
  const out: Record<string, NeuronModel> = {}
  for (const ref of [false, true]) {
    for (const ltc of [false, true]) {
      const m = variant(spec, ltc, ref)
      out[m.kind] = m
    }
  }
  return out
}

/** A descriptor factory: `describe<P>('ExpIF')` returns `(p) => ({ model: 'ExpIF', size, given })`. */
export function describe<P extends { size: number }>(model: string): (p: P) => NeuronDesc {
  return (p) => neuronDesc(model, p)
}
