/**
 * The comm layers (BrainPy's `bp.dnn` names), one record each: they map a tick's presynaptic spikes (or a
 * value buffer's values) to post-sized increments. A descriptor (`EventJitFPHomoLinear({ prob, weight })`, …)
 * is a plain value `{ kind, p }`; `resolveComm` validates it against the projection through the record of its
 * kind and builds the layer's data once. Everything else — `CommSystem`, the plan, `setWeightScale`,
 * summaries, the PyNN exporter — reaches a layer through `commLayerOf(data)`.
 *
 * Adding a layer: write its record (see `comm/types.ts` and docs/architecture.md, "Adding a comm layer") and
 * list it here. This list is the only one; its order is the order error messages name the layers in.
 */
import { SpikecsError, type ProjectionData } from '@spikecs/ecs-core'
import { eventJitHomo, eventJitNormal, eventJitUniform, jitHomo, jitNormal, jitUniform, type JitCommDesc } from './jit.js'
import { csr, eventCsr, resolveStoredRows } from './csr.js'
import { one2one } from './one2one.js'
import { all2all } from './all2all.js'
import { linear } from './linear.js'
import type { CommContext, CommDataBase, CommLayer, ResolvedComm } from './types.js'

export const commLayers = {
  EventJitFPHomoLinear: eventJitHomo,
  EventJitFPUniformLinear: eventJitUniform,
  EventJitFPNormalLinear: eventJitNormal,
  EventCSRLinear: eventCsr,
  One2One: one2one,
  All2All: all2all,
  Linear: linear,
  JitFPHomoLinear: jitHomo,
  JitFPUniformLinear: jitUniform,
  JitFPNormalLinear: jitNormal,
  CSRLinear: csr,
} as const

type Layers = typeof commLayers
type DataOf<L> = L extends { resolve(ctx: CommContext, obj: string, p: never): ResolvedComm<infer C> } ? C : never
type ParamsOf<L> = L extends { resolve(ctx: CommContext, obj: string, p: infer P): unknown } ? P : never

/** The data of any comm layer (what `ProjectionData.comm` holds). */
export type CommLayerData = { [K in keyof Layers]: DataOf<Layers[K]> }[keyof Layers]

/** A comm layer descriptor: `{ kind, p }` of a registered layer, or `stored(layer)` of an on-the-fly one. */
export type CommDesc =
  | { [K in keyof Layers]: { readonly kind: K; readonly p: ParamsOf<Layers[K]> } }[keyof Layers]
  | { readonly kind: 'stored'; readonly p: { readonly layer: JitCommDesc } }

declare module '@spikecs/ecs-core' {
  interface CommLayerTypes {
    systems: CommLayerData
  }
}

const hasOwn = (o: object, k: string) => Object.hasOwn(o, k)

/** A record seen from outside: any layer's data, parameters and base weights. */
export type AnyCommLayer = CommLayer<CommLayerData, unknown, unknown>

const records = commLayers as unknown as Readonly<Record<string, AnyCommLayer>>

function recordOf(kind: string): AnyCommLayer | undefined {
  return hasOwn(records, kind) ? records[kind] : undefined
}

/** The record of a layer's data. */
export function commLayerOf(c: CommDataBase): AnyCommLayer {
  return recordOf(c.kind) as AnyCommLayer
}

/** Validates a descriptor against the projection (`ctx`) and returns its builder. */
export function resolveComm(ctx: CommContext, desc: CommDesc): ResolvedComm<CommLayerData> {
  const kind = desc !== null && typeof desc === 'object' ? (desc as { kind?: unknown }).kind : undefined
  if (typeof kind !== 'string') {
    throw new SpikecsError(ctx.object, 'comm', desc, 'must be a comm layer such as EventJitFPHomoLinear({ prob, weight })')
  }
  if (kind === 'stored') return resolveStored(ctx, (desc as Extract<CommDesc, { kind: 'stored' }>).p.layer)
  const layer = recordOf(kind)
  if (layer === undefined) {
    throw new SpikecsError(ctx.object, 'comm', kind, `is not a comm layer (known: ${Object.keys(commLayers).join(', ')}, stored(…))`)
  }
  return layer.resolve(ctx, `${ctx.object} comm ${kind}`, desc.p)
}

/** `stored(layer)`: the rows of a layer with a row generator, generated now and kept as its stored layer. */
function resolveStored(ctx: CommContext, layer: JitCommDesc): ResolvedComm<CommLayerData> {
  const kind = layer !== null && typeof layer === 'object' ? (layer as { kind?: unknown }).kind : undefined
  const record = typeof kind === 'string' ? recordOf(kind) : undefined
  if (record === undefined || record.rows === undefined) {
    const withRows = Object.values(records)
      .filter((l) => l.rows !== undefined)
      .map((l) => l.kind)
    throw new SpikecsError(`${ctx.object} comm stored`, 'layer', kind ?? layer, `must be an on-the-fly layer (${withRows.join(', ')})`)
  }
  const obj = `${ctx.object} comm stored(${kind})`
  const gen = record.rows.generator(ctx, obj, layer.p)
  return resolveStoredRows(ctx, obj, record.rows.storedAs as 'EventCSRLinear' | 'CSRLinear', gen, `stored(${kind})`)
}

/** Maps an input index of a projection's comm layer to the post index of the same neuron (−1 when pre and post differ). */
export function commSelfOffset(proj: ProjectionData): number {
  const src = proj.source
  return src.kind === 'queue' && src.pop === proj.post ? src.offset : -1
}

/** Synapses of a projection's comm layer: exact when stored, expected for on-the-fly rows. */
export function commSynapses(proj: ProjectionData): { readonly n: number; readonly exact: boolean } {
  return commLayerOf(proj.comm).synapses(proj.comm)
}
