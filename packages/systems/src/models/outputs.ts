/**
 * Outputs turn a synapse state's bound conductance g into input of the post population, per neuron:
 * - `COBA(E)`:  adds g to Σg and g·E to Σ(g·E); the current g·(E − V) follows from the two sums.
 * - `CUBA()`:   adds g to the current (V ignored; inhibition by negative weights).
 * - `MgBlock(E, ccMg, alpha, beta, vOffset)`: adds the conductance g·B(V) (and g·B(V)·E) with
 *   B(V) = 1 / (1 + (ccMg/β)·exp(α·(vOffset − V))) evaluated at the previous V (B = 1 when ccMg = 0).
 * Units follow the post model (LIF family: conductance in 1/R, E in mV).
 */
import { SpikecsError, checkKnownKeys, type OutputKind } from '@spikecs/ecs-core'
import { param, resolveParams } from './params.js'
import { derived, type OutputRecord } from './record.js'

export interface OutputDesc {
  readonly kind: OutputKind
  readonly given: Readonly<Record<string, unknown>>
}

const models: Record<string, OutputRecord> = {
  COBA: {
    kind: 'COBA',
    params: [param('E', NaN, 'mV', 'finite', 'reversal potential')],
    required: ['E'],
    derived: [],
    temps: '',
    G: 'c',
    GE: 'c * E',
    Ic: null,
  },
  CUBA: { kind: 'CUBA', params: [], required: [], derived: [], temps: '', G: null, GE: null, Ic: 'c' },
  MgBlock: {
    kind: 'MgBlock',
    params: [
      param('E', 0, 'mV', 'finite', 'reversal potential'),
      param('ccMg', 1.2, 'mM', 'nonNegative', 'extracellular magnesium concentration'),
      param('alpha', 0.062, '1/mV', 'finite', 'voltage sensitivity'),
      param('beta', 3.57, 'mM', 'positive', 'magnesium sensitivity'),
      param('vOffset', 0, 'mV', 'finite', 'voltage offset'),
    ],
    required: [],
    derived: [derived('k', (p) => p.ccMg / p.beta, 'cc_Mg/β')],
    // Without magnesium (k = 0) B = 1 even where exp overflows (0·∞ would be NaN).
    temps: 'let gb = c * (k == 0 ? 1 : 1 / (1 + k * exp(alpha * (vOffset - V))))',
    G: 'gb',
    GE: 'gb * E',
    Ic: null,
  },
}

/** Every output kind. */
export function outputKinds(): string[] {
  return Object.keys(models)
}

/** The record of an output kind. */
export function outputRecord(kind: string): OutputRecord {
  return models[kind]
}

/** True when an output of this kind reads the post population's V. */
export function outputNeedsV(kind: string): boolean {
  return /\bV\b/.test(models[kind].temps) || [models[kind].G, models[kind].GE, models[kind].Ic].some((e) => e !== null && /\bV\b/.test(e))
}

export function resolveOutput(object: string, desc: OutputDesc): { kind: OutputKind; params: Record<string, number>; needsV: boolean } {
  if (desc === null || typeof desc !== 'object' || typeof desc.kind !== 'string' || !Object.hasOwn(models, desc.kind)) {
    throw new SpikecsError(
      object,
      'out',
      desc && (desc as OutputDesc).kind,
      `must be an output description: COBA({ E }), CUBA() or MgBlock({...})`,
    )
  }
  const m = models[desc.kind]
  const oObj = `${object} output ${desc.kind}`
  checkKnownKeys(
    oObj,
    desc.given,
    m.params.map((p) => p.name),
  )
  for (const r of m.required) {
    if (desc.given[r] === undefined) throw new SpikecsError(oObj, r, undefined, 'is required')
  }
  return { kind: m.kind, params: resolveParams(oObj, m.params, desc.given), needsV: outputNeedsV(m.kind) }
}

/** Conductance-based output (BrainPy `COBA`): reversal potential `E` in mV (required). */
export function COBA(p: { E: number }): OutputDesc {
  return { kind: 'COBA', given: p }
}
/** Current-based output (BrainPy `CUBA`). */
export function CUBA(p: Record<string, never> = {}): OutputDesc {
  return { kind: 'CUBA', given: p }
}
/** Magnesium-blocked conductance output (BrainPy `MgBlock`). */
export function MgBlock(p: { E?: number; ccMg?: number; alpha?: number; beta?: number; vOffset?: number } = {}): OutputDesc {
  return { kind: 'MgBlock', given: p }
}
