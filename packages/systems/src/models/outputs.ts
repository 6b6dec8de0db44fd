/**
 * Outputs turn a synapse state's bound conductance g into input of the post population, per neuron:
 * - `COBA(E)`:  adds g to Σg and g·E to Σ(g·E); the current g·(E − V) follows from the two sums.
 * - `CUBA()`:   adds g to the current (V ignored; inhibition by negative weights).
 * - `MgBlock(E, ccMg, alpha, beta, vOffset)`: adds the conductance g·B(V) (and g·B(V)·E) with
 *   B(V) = 1 / (1 + (ccMg/β)·exp(α·(vOffset − V))) evaluated at the previous V (B = 1 when ccMg = 0).
 * Units follow the post model (LIF family: conductance in 1/R, E in mV).
 */
import { SpikecsError, checkKnownKeys, type OutputData, type OutputKind } from '@spikecs/ecs-core'
import { param, resolveParams, type ParamSpec } from './params.js'
import type { NeuronInputs } from './neuron-model.js'

export interface OutputDesc {
  readonly kind: OutputKind
  readonly given: Readonly<Record<string, unknown>>
}

interface OutputModel {
  readonly kind: OutputKind
  readonly params: readonly ParamSpec[]
  readonly required: readonly string[]
  readonly needsV: boolean
}

const models: Record<OutputKind, OutputModel> = {
  COBA: { kind: 'COBA', params: [param('E', NaN, 'mV', 'finite', 'reversal potential')], required: ['E'], needsV: false },
  CUBA: { kind: 'CUBA', params: [], required: [], needsV: false },
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
    needsV: true,
  },
}

export function resolveOutput(object: string, desc: OutputDesc): { kind: OutputKind; params: Record<string, number>; needsV: boolean } {
  if (desc === null || typeof desc !== 'object' || !(desc.kind in models)) {
    throw new SpikecsError(object, 'out', desc && (desc as OutputDesc).kind,
      `must be an output description: COBA({ E }), CUBA() or MgBlock({...})`)
  }
  const m = models[desc.kind]
  const oObj = `${object} output ${desc.kind}`
  checkKnownKeys(oObj, desc.given, m.params.map((p) => p.name))
  for (const r of m.required) {
    if (desc.given[r] === undefined) throw new SpikecsError(oObj, r, undefined, 'is required')
  }
  return { kind: m.kind, params: resolveParams(oObj, m.params, desc.given), needsV: m.needsV }
}

/** One output's contribution for one tick (unfused `OutputSystem`). */
export function applyOutput(o: OutputData, inp: NeuronInputs, V: ArrayLike<number> | null): void {
  const c = o.state.cond.array
  const n = c.length
  const G = inp.G, GE = inp.GE
  switch (o.kind) {
    case 'COBA': {
      const E = o.params.E
      for (let i = 0; i < n; i++) {
        const g = c[i]
        G[i] += g
        GE[i] += g * E
      }
      return
    }
    case 'CUBA': {
      const I = inp.I
      for (let i = 0; i < n; i++) I[i] += c[i]
      return
    }
    case 'MgBlock': {
      const p = o.params
      const E = p.E, k = p.ccMg / p.beta, alpha = p.alpha, vOff = p.vOffset
      const v = V as ArrayLike<number>
      for (let i = 0; i < n; i++) {
        // Without magnesium (k = 0) B = 1 even where exp overflows (0·∞ would be NaN).
        const gb = c[i] * (k === 0 ? 1 : 1 / (1 + k * Math.exp(alpha * (vOff - v[i]))))
        G[i] += gb
        GE[i] += gb * E
      }
      return
    }
  }
}

/** Fused emitter: contributions of output k (conductance in `c{k}`) to the sum expressions. */
export function emitOutput(o: OutputData, k: number): { prologue: string; G: string; GE: string; Ic: string; body: string } {
  switch (o.kind) {
    case 'COBA':
      return { prologue: `const E${k} = out[${k}].params.E;`, body: '', G: `c${k}`, GE: `c${k} * E${k}`, Ic: '' }
    case 'CUBA':
      return { prologue: '', body: '', G: '', GE: '', Ic: `c${k}` }
    case 'MgBlock':
      return {
        prologue: [
          `const E${k} = out[${k}].params.E, k${k} = out[${k}].params.ccMg / out[${k}].params.beta;`,
          `const al${k} = out[${k}].params.alpha, vo${k} = out[${k}].params.vOffset;`,
        ].join('\n'),
        body: `const gb${k} = c${k} * (k${k} === 0 ? 1 : 1 / (1 + k${k} * Math.exp(al${k} * (vo${k} - V[i]))));`,
        G: `gb${k}`, GE: `gb${k} * E${k}`, Ic: '',
      }
  }
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
