/**
 * On-the-fly layers (BrainPy's `EventJitFP*Linear` and `JitFP*Linear`): Bernoulli(p) connectivity whose row i
 * is regenerated from a counter-based stream at each input of pre neuron i (`comm/rows.ts`), so nothing is
 * stored. Six records from one factory: event or not, times one weight, Uniform or Normal weights drawn from
 * the row's stream. Each has a stored form, `stored(…)` (`comm/csr.ts`).
 */
import { SpikecsError, checkFinite, checkKnownKeys, scratchF32, scratchF64, scratchI32, type World } from '@spikecs/ecs-core'
import { checkIncludeSelf, checkSizes, type SizeHints } from './checks.js'
import { generateRow, generateRows, rowGenerator, type RowGenerator, type RowWeight } from './rows.js'
import { listsFromRows } from './csr-build.js'
import { jitWasm } from '../wasm/comm-wasm.js'
import type { CommContext, CommLayer, Deliver, RowScratch } from './types.js'

export interface JitParams extends SizeHints {
  /** Connection probability of each (pre, post) pair. */
  prob: number
  /**
   * Allow the pair of a neuron with itself (default true). `false` needs the spikes to come from the post
   * population through its queue (pre = post, or a half projection reading a slice of post); refused otherwise.
   */
  includeSelf?: boolean
  /** Replaces the world seed for this projection's connectivity. */
  seed?: number
}
export type HomoParams = JitParams & { weight: number }
export type UniformParams = JitParams & { wLow: number; wHigh: number }
export type NormalParams = JitParams & { wMu: number; wSigma: number }

type HomoKind = 'EventJitFPHomoLinear' | 'JitFPHomoLinear'
type UniformKind = 'EventJitFPUniformLinear' | 'JitFPUniformLinear'
type NormalKind = 'EventJitFPNormalLinear' | 'JitFPNormalLinear'
type JitKind = HomoKind | UniformKind | NormalKind

/** The descriptor of an on-the-fly layer (what `stored` accepts). */
export type JitCommDesc =
  | { readonly kind: HomoKind; readonly p: HomoParams }
  | { readonly kind: UniformKind; readonly p: UniformParams }
  | { readonly kind: NormalKind; readonly p: NormalParams }

/** Data of an on-the-fly layer: its row generator, nothing stored. */
export interface JitData<K extends JitKind = JitKind> {
  readonly kind: K
  readonly nPre: number
  readonly nPost: number
  readonly gen: RowGenerator
}

/** Event-driven on-the-fly connectivity with one weight (BrainPy `EventJitFPHomoLinear`). */
export function EventJitFPHomoLinear(p: HomoParams): JitCommDesc {
  return { kind: 'EventJitFPHomoLinear', p }
}
/** On-the-fly connectivity with Uniform(wLow, wHigh) weights drawn from the row's stream. */
export function EventJitFPUniformLinear(p: UniformParams): JitCommDesc {
  return { kind: 'EventJitFPUniformLinear', p }
}
/** On-the-fly connectivity with Normal(wMu, wSigma) weights drawn from the row's stream. */
export function EventJitFPNormalLinear(p: NormalParams): JitCommDesc {
  return { kind: 'EventJitFPNormalLinear', p }
}
/** Non-event on-the-fly connectivity with one weight (BrainPy `JitFPHomoLinear`): adds weight × input value. */
export function JitFPHomoLinear(p: HomoParams): JitCommDesc {
  return { kind: 'JitFPHomoLinear', p }
}
/** Non-event on-the-fly connectivity with Uniform(wLow, wHigh) weights (BrainPy `JitFPUniformLinear`). */
export function JitFPUniformLinear(p: UniformParams): JitCommDesc {
  return { kind: 'JitFPUniformLinear', p }
}
/** Non-event on-the-fly connectivity with Normal(wMu, wSigma) weights (BrainPy `JitFPNormalLinear`). */
export function JitFPNormalLinear(p: NormalParams): JitCommDesc {
  return { kind: 'JitFPNormalLinear', p }
}

type Law = 'homo' | 'uniform' | 'normal'
const LAW_KEYS: Readonly<Record<Law, readonly string[]>> = { homo: ['weight'], uniform: ['wLow', 'wHigh'], normal: ['wMu', 'wSigma'] }

/** Validates an on-the-fly layer's parameters and returns its row generator. */
function generator(law: Law, kind: string) {
  return (ctx: CommContext, obj: string, params: JitParams): RowGenerator => {
    const p = params as JitParams & Record<string, number>
    const wKeys = LAW_KEYS[law]
    checkKnownKeys(obj, p, ['nPre', 'nPost', 'prob', 'includeSelf', 'seed', ...wKeys])
    checkSizes(ctx, kind, p)
    for (const k of wKeys) checkFinite(obj, k, p[k])
    let weight: RowWeight
    if (law === 'homo') weight = { kind: 'homo', value: ctx.round(p.weight) }
    else if (law === 'uniform') {
      if (!(p.wHigh >= p.wLow)) throw new SpikecsError(obj, 'wHigh', p.wHigh, `must be >= wLow (${p.wLow})`)
      weight = { kind: 'uniform', low: p.wLow, high: p.wHigh }
    } else {
      if (!(p.wSigma >= 0)) throw new SpikecsError(obj, 'wSigma', p.wSigma, 'must be >= 0')
      weight = { kind: 'normal', mean: p.wMu, std: p.wSigma }
    }
    return rowGenerator(ctx, obj, p.prob, checkIncludeSelf(ctx, obj, p.includeSelf), p.seed, weight)
  }
}

/** Regenerates row i at each input, then adds weight × value into each target. */
const deliverJit: Deliver<JitData> = (c, idx, vals, from, to, offset, selfOffset, targets, scratch) => {
  const gen = c.gen
  const homo = gen.weight.kind === 'homo'
  const w = gen.weight.kind === 'homo' ? gen.weight.value : 0
  const s = scratch as RowScratch
  const rowT = s.targets,
    rowW = s.weights
  let events = 0
  for (let q = from; q < to; q++) {
    const x = vals === null ? 1 : vals[q]
    const i = idx[q] - offset
    const n = generateRow(gen, i, selfOffset < 0 ? -1 : i + selfOffset, rowT, homo ? null : rowW, s.keys)
    events += n
    const wx = w * x
    for (let t = 0; t < targets.length; t++) {
      const g = targets[t]
      if (homo) for (let k = 0; k < n; k++) g[rowT[k]] += wx
      else for (let k = 0; k < n; k++) g[rowT[k]] += rowW[k] * x
    }
  }
  return events
}

function rowScratch(world: World, c: JitData): RowScratch {
  return {
    targets: scratchI32(world, c.nPost),
    weights: world.dtype === 'float32' ? scratchF32(world, c.nPost) : scratchF64(world, c.nPost),
    keys: new Uint32Array(2),
  }
}

function jitLayer<K extends JitKind>(kind: K, event: boolean, law: Law, storedAs: string): CommLayer<JitData<K>, JitParams, RowWeight> {
  const gen = generator(law, kind)
  return {
    kind,
    event,
    resolve: (ctx, obj, p) => {
      const g = gen(ctx, obj, p)
      return { build: () => ({ kind, nPre: ctx.nPre, nPost: ctx.nPost, gen: g }) }
    },
    deliver: deliverJit,
    scratch: rowScratch,
    // Minus the expected self pair per presynaptic neuron when self-connections are excluded.
    synapses: (c) => ({ n: c.nPre * c.nPost * c.gen.prob - (c.gen.includeSelf ? 0 : c.nPre * c.gen.prob), exact: false }),
    weights: {
      base: (c) => c.gen.weight,
      // The laws' parameters are scaled, so drawn weights agree with base·s to rounding.
      apply: (c, b, s, round) => {
        ;(c.gen as { weight: RowWeight }).weight =
          b.kind === 'homo'
            ? { kind: 'homo', value: round(b.value * s) }
            : b.kind === 'uniform'
              ? { kind: 'uniform', low: b.low * s, high: b.high * s }
              : { kind: 'normal', mean: b.mean * s, std: b.std * s }
      },
    },
    describe: (world, c, selfOffset) =>
      !event
        ? { kind: 'none', reason: 'has no PyNN equivalent (non-event layer)' }
        : {
            kind: 'lists',
            law: { prob: c.gen.prob, includeSelf: c.gen.includeSelf, fixedOutDegree: false, weight: c.gen.weight },
            synapses: () => {
              const rows = generateRows(c.gen, c.nPre, selfOffset, world.dtype === 'float32')
              const homo = c.gen.weight.kind === 'homo' ? c.gen.weight.value : NaN
              return listsFromRows(rows.indptr, rows.indices, rows.weights, homo)
            },
          },
    wasm: event && law === 'homo' ? (world, c, selfOffset, targets) => jitWasm(world, c.gen, selfOffset, targets) : undefined,
    rows: { storedAs, generator: gen },
  }
}

export const eventJitHomo = jitLayer('EventJitFPHomoLinear', true, 'homo', 'EventCSRLinear')
export const eventJitUniform = jitLayer('EventJitFPUniformLinear', true, 'uniform', 'EventCSRLinear')
export const eventJitNormal = jitLayer('EventJitFPNormalLinear', true, 'normal', 'EventCSRLinear')
export const jitHomo = jitLayer('JitFPHomoLinear', false, 'homo', 'CSRLinear')
export const jitUniform = jitLayer('JitFPUniformLinear', false, 'uniform', 'CSRLinear')
export const jitNormal = jitLayer('JitFPNormalLinear', false, 'normal', 'CSRLinear')
