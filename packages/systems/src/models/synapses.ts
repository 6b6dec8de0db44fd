/**
 * Align-post synapse models. Each is linear in its input, so one post-sized state is exact however many
 * presynaptic neurons feed it. Per tick, with the increments Δ_k that `CommSystem` adds in tick k:
 *
 * - states of `Mg` projections add, then decay:  g_k = (g_{k−1} + Δ_k)·a
 * - states of non-`Mg` projections decay, then add:  g_k = g_{k−1}·a + Δ_k
 *
 * with a = e^(−dt/τ) computed once and rounded to the state dtype. A non-`Mg` state is stored already
 * decayed (it holds g_k·a between ticks), so `CommSystem` adds Δ_{k+1} straight into it and the sum is
 * g_{k+1}; `AlignPostSystem` copies that value into the output's bound conductance `cond`, then decays.
 * For an `Mg` state, `cond` is the state column itself.
 */
import { SpikecsError, checkObject, type Dtype, type FloatArray, type SynapseKind } from '@spikecs/ecs-core'
import { param, resolveParams } from './params.js'
import { synapseFromRecord, type SynapseDesc, type SynapseModel } from './record.js'
import { dualExpNorm, riseSynapseModels } from './synapses-rise.js'

export type { SynapseDesc } from './record.js'

export { synapseFromRecord, type SynapseModel } from './record.js'

// --- Flush to zero -------------------------------------------------------------------------------------

/**
 * Flush to zero, the rule of every synapse kernel (unfused, fused and WebAssembly): a state value that a
 * tick's propagation writes (g·a, each decayed trace, the advanced h and g) and whose magnitude in the state
 * dtype is below 2^−100 is stored as 0; increments added by the comm layers are not flushed. A decaying state
 * otherwise sinks into the subnormal range and stays there (g·a with a ≈ 0.98 rounds back to the same
 * subnormal and never reaches 0), where the WebAssembly kernel's float32 arithmetic runs several times slower
 * (`pnpm bench:subnormal`); a conductance below 2^−100 changes no membrane potential at either precision.
 *
 * The limit is applied to the double y a kernel computes, before or after rounding it to the dtype:
 * |y| < L ⟺ |round(y)| < 2^−100 with L = 2^−100 for float64 and, for float32, L = 2^−100 − 2^−125, the
 * midpoint between 2^−100 and the float32 below it (the midpoint itself rounds to 2^−100, whose last bit is
 * even). So the unfused kernels (which round by storing) and the fused ones (which round first) flush the
 * same values as the WebAssembly kernel, which compares the rounded float32 value with 2^−100.
 */
export function flushLimit(dtype: Dtype): number {
  return dtype === 'float32' ? 2 ** -100 - 2 ** -125 : 2 ** -100
}

/** y, or 0 when |y| < limit (`flushLimit` of the state's dtype). */
export function flushed(y: number, limit: number): number {
  return Math.abs(y) < limit ? 0 : y
}

/** The flush limit of a state column (by its dtype). */
export function flushLimitOf(col: FloatArray): number {
  return flushLimit(col instanceof Float32Array ? 'float32' : 'float64')
}

// --- Expon: dg/dt = −g/τ (BrainPy default τ = 8 ms) --------------------------------------------------

const ExponModel = synapseFromRecord({
  kind: 'Expon',
  equation: 'dg/dt = -g / tau',
  params: [param('tau', 8, 'ms', 'positive', 'decay time constant')],
  columns: ['g'],
  inputs: ['g'],
  derived: [{ name: 'a', f: (p, dt) => Math.exp(-dt / p.tau), round: true }],
  advance: 'g = g * a',
  conductance: 'g',
})

// --- DualExponV2: two traces with their own τ, both receive each increment; output A·(g_decay − g_rise) ----

const DualExponV2Model = synapseFromRecord({
  kind: 'DualExponV2',
  equation: 'g = A (g_decay - g_rise), dg_rise/dt = -g_rise / tauRise, dg_decay/dt = -g_decay / tauDecay',
  params: [
    param('tauDecay', 10, 'ms', 'positive', 'decay time constant'),
    param('tauRise', 1, 'ms', 'positive', 'rise time constant'),
    param('A', NaN, '', 'finite', 'normalisation (default: unit peak)'),
  ],
  columns: ['gRise', 'gDecay'],
  inputs: ['gRise', 'gDecay'],
  derived: [
    { name: 'ar', f: (p, dt) => Math.exp(-dt / p.tauRise), round: true },
    { name: 'ad', f: (p, dt) => Math.exp(-dt / p.tauDecay), round: true },
    { name: 'A', f: (p) => p.A, round: false },
  ],
  advance: 'gRise = gRise * ar; gDecay = gDecay * ad',
  conductance: 'A * (gDecay - gRise)',
  resolve(object, p) {
    if (p.tauDecay === p.tauRise) {
      throw new SpikecsError(object, 'tauRise', p.tauRise, `must differ from tauDecay (${p.tauDecay})`)
    }
    if (p.A === undefined) p.A = dualExpNorm(p.tauDecay, p.tauRise)
  },
})

export const synapseModels: Partial<Record<string, SynapseModel>> = {
  Expon: ExponModel,
  DualExponV2: DualExponV2Model,
  ...riseSynapseModels,
}

/** Synapse models that exist in BrainPy but cannot be post-aligned, with the reason. */
const notAlignPost: Record<string, string> = {
  NMDA:
    'its state is not linear in its input (dg/dt = −g/τd + a·x·(1−g)), so one post-sized state ' +
    'cannot sum the presynaptic contributions; use an align-pre projection',
  STD: 'short-term depression is a per-presynaptic state, not a post-sized one',
  STP: 'short-term plasticity is a per-presynaptic state, not a post-sized one',
  AMPA: 'its gating is not linear in its input',
  GABAa: 'its gating is not linear in its input',
  BioNMDA: 'its gating is not linear in its input',
}

/** Resolves a synapse description: known kind, known and valid parameters; returns the parameters. */
export function resolveSynapse(
  object: string,
  desc: SynapseDesc,
  postSize: number,
): { model: SynapseModel; params: Record<string, number> } {
  if (desc === null || typeof desc !== 'object' || typeof desc.kind !== 'string') {
    throw new SpikecsError(object, 'syn', desc, 'must be a synapse description such as Expon({ tau: 5 })')
  }
  const why = notAlignPost[desc.kind]
  if (why !== undefined) {
    throw new SpikecsError(object, 'syn', desc.kind, `cannot be an align-post synapse: ${why}`)
  }
  const model = synapseModels[desc.kind]
  if (model === undefined) {
    throw new SpikecsError(object, 'syn', desc.kind, `is not an align-post synapse model (known: ${Object.keys(synapseModels).join(', ')})`)
  }
  checkObject(`${object} synapse ${desc.kind}`, desc.given, desc.kind === 'Expon' ? '{ tau: 5 }' : '{ tauDecay: 10 }')
  const given = { ...desc.given }
  if (given.size !== undefined) {
    if (given.size !== postSize) {
      throw new SpikecsError(`${object} synapse ${desc.kind}`, 'size', given.size, `must equal the post population size (${postSize})`)
    }
    delete given.size
  }
  const sObj = `${object} synapse ${desc.kind}`
  const params = resolveParams(
    sObj,
    model.params.filter((p) => !Number.isNaN(p.default) || p.name in given),
    given,
    model.params.map((p) => p.name),
  )
  if (model.resolve !== undefined) model.resolve(sObj, params)
  return { model, params }
}

// Descriptor factories, named as in BrainPy. Parameters in ms.

/** Exponential synapse (BrainPy `Expon`): `tau` in ms (default 8). */
export function Expon(p: { tau?: number; size?: number } = {}): SynapseDesc {
  return { kind: 'Expon', given: p }
}
/** Difference of exponentials with unit peak (BrainPy `DualExponV2`): `tauDecay` 10, `tauRise` 1 ms by default. */
export function DualExponV2(p: { tauDecay?: number; tauRise?: number; A?: number; size?: number } = {}): SynapseDesc {
  return { kind: 'DualExponV2', given: p }
}
/** BrainPy's `NMDA`: refused by align-post projections (not linear in its input). */
export function NMDA(p: Record<string, number> = {}): SynapseDesc {
  return { kind: 'NMDA' as SynapseKind, given: p }
}
