/**
 * BrainPy's nonlinear integrate-and-fire families — `ExpIF`, `AdExIF`, `QuaIF`, `AdQuaIF`, `Izhikevich`, `Gif`
 * — each in its four variants (plain, `Ref`, `LTC`, `RefLTC`). A family writes its right-hand side once,
 *
 *   dV/dt = F(V, w…, I),  I = I_ext + I_CUBA + Σg·(E − V)
 *
 * as the snippet `f` (F at the start-of-tick values) and its derivative `A` = ∂F/∂V (with or without the
 * −R·Σg/τ term: `ltc`), and this file turns it into the four records. Integration is BrainPy's `exp_auto`
 * (exponential Euler), one variable at a time with the others held at their start-of-tick values:
 *   V ← V + F·(e^(A·dt) − 1)/A   (V + F·dt when A·dt = 0);
 * variables linear in themselves (an adaptation current) are advanced exactly for V held, in `always` (they keep
 * integrating while V is held by the refractory period, as in BrainPy). Non-LTC variants take the synaptic
 * current at the old V as a constant input (A has no −R·Σg/τ term); LTC variants keep the conductances inside
 * the derivative (exact for a linear membrane with constant g). F is the same in both.
 *
 * Spike when the stored V ≥ V_th; then the family's reset. `Ref` variants hold V for round(τ_ref/dt) ticks
 * after a spike. Units as the LIF family: V in mV, τ in ms, R·I in mV, conductances in units of 1/R
 * (Izhikevich: I in mV/ms, conductances in 1/ms).
 */
import type { ParamSpec } from './params.js'
import { modelFromRecord, neuronDesc, type NeuronDesc, type NeuronModel, type StateVarSpec } from './neuron-model.js'
import { derived, type DerivedSpec, type NeuronRecord } from './record.js'
import { nRefDerived, tauRefParam } from './lif.js'

/** What a family supplies; `ifFamily` turns it into the four models. */
export interface IfFamilySpec {
  readonly name: string
  readonly equation: string
  /** Parameters without `tauRef` (the `Ref` variants add it). */
  readonly params: readonly ParamSpec[]
  /** Derived constants besides `dtMs` and `nRef`. */
  readonly derived: readonly DerivedSpec[]
  /** State variables besides `lastSpike` (V first). */
  readonly state: readonly StateVarSpec[]
  /** Statements of variables that integrate in every tick, refractory or not. */
  readonly always?: string
  /** Temporaries F and A may use (e.g. the exponential term). */
  readonly pre?: string
  /** F = dV/dt at the start-of-tick values (an expression). */
  readonly f: string
  /** A = ∂F/∂V, without (ltc false) or with (ltc true) the conductance term. */
  A(ltc: boolean): string
  readonly reset: string
  check(object: string, p: Readonly<Record<string, number>>): void
  readonly setup?: NeuronRecord['setup']
  /** Variants other than the four (e.g. `IF` has no spikes, hence no Ref variants). */
  readonly variants?: readonly { readonly ltc: boolean; readonly ref: boolean }[]
  readonly spike?: string | null
}

const dtDerived = derived('dtMs', (_p, dt) => dt, 'the time step')

/** The record of one variant of a family. */
export function ifRecord(spec: IfFamilySpec, ltc: boolean, ref: boolean): NeuronRecord {
  const spike = spec.spike === undefined ? 'V >= vTh' : spec.spike
  return {
    kind: `${spec.name}${ref ? 'Ref' : ''}${ltc ? 'LTC' : ''}`,
    equation: `${spec.equation}${ltc ? '; conductances inside the exponential step' : '; synaptic current at the previous V'}`,
    params: ref ? [...spec.params, tauRefParam] : spec.params,
    derived: [...spec.derived, dtDerived, ...(ref ? [nRefDerived] : [])],
    state: spec.state,
    always: spec.always,
    update: `
      ${spec.pre ?? ''}
      let f = ${spec.f}
      let A = ${spec.A(ltc)}
      let z = A * dtMs
      V = z == 0 ? V + f * dtMs : V + f * expm1(z) / A`,
    spike,
    reset: spec.reset,
    refractory: ref,
    lastSpike: spike !== null,
    check: spec.check,
    setup: spec.setup,
  }
}

/** The models of a family, by kind: `X`, `XRef`, `XLTC`, `XRefLTC`. */
export function ifFamily(spec: IfFamilySpec): Record<string, NeuronModel> {
  const out: Record<string, NeuronModel> = {}
  const variants = spec.variants ?? [
    { ltc: false, ref: false },
    { ltc: true, ref: false },
    { ltc: false, ref: true },
    { ltc: true, ref: true },
  ]
  for (const { ltc, ref } of variants) {
    const m = modelFromRecord(ifRecord(spec, ltc, ref))
    out[m.kind] = m
  }
  return out
}

/** A descriptor factory: `describe<P>('ExpIF')` returns `(p) => ({ model: 'ExpIF', size, given })`. */
export function describe<P extends { size: number }>(model: string): (p: P) => NeuronDesc {
  return (p) => neuronDesc(model, p)
}

/** 1/τ, the factor every IF family's F carries. */
export const invTauDerived = derived('invTau', (p) => 1 / p.tau, '1/τ')
