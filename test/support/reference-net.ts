// Random small networks described once and built two ways: as a spikecs world through the public API, and as
// the description the independent naive loop (naive.ts) runs. The on-the-fly and FixedProb layers reach the naive
// loop through their stored form: the synapse list read from the world (rows from `generateRow`, CSR columns);
// explicit lists are handed over as written. Used by reference.test.ts and wasm-reference.test.ts.
import { createWorld, Stream, type Dtype, type PopulationData, type ProjectionData, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addSpikeBuffer,
  addSpikeMonitor,
  spikeData,
  setSpikes,
  insertSystem,
  generateRow,
  CommSystem,
  Lif,
  LifRef,
  LifLTC,
  LifRefLTC,
  fromQueue,
  EventCSRLinear,
  FromList,
  FixedProb,
  EventJitFPHomoLinear,
  EventJitFPUniformLinear,
  EventJitFPNormalLinear,
  JitFPHomoLinear,
  Expon,
  DualExponV2,
  Alpha,
  DualExpon,
  COBA,
  CUBA,
  MgBlock,
  FullProjAlignPost,
  FullProjAlignPostMg,
  HalfProjAlignPost,
  HalfProjAlignPostMg,
  type CommDesc,
  type SynapseDesc,
  type OutputDesc,
} from '@spikecs/systems'
import type { NaivePop, NaiveProj, NaiveSyn, NaiveOut, NaiveSource } from './naive.js'

export const DT = 0.1

export type LifModel = 'Lif' | 'LifRef' | 'LifLTC' | 'LifRefLTC'
export type CommSpec =
  | { kind: 'list'; syn: { pre: number; post: number; w: number }[] }
  | { kind: 'fixedProb'; prob: number; w: number }
  | { kind: 'jitHomo' | 'jitGradedHomo'; prob: number; w: number; includeSelf: boolean }
  | { kind: 'jitUniform'; prob: number; lo: number; hi: number }
  | { kind: 'jitNormal'; prob: number; mu: number; sigma: number }

export interface PopSpec extends NaivePop {
  model: LifModel
}
export interface ProjSpec {
  name: string
  merged: boolean
  source: NaiveSource
  post: string
  comm: CommSpec
  synapse: NaiveSyn
  out: NaiveOut
  /** Leave the model's defaults out of the description given to spikecs (the naive loop gets them written). */
  synDefaults: boolean
  outDefaults: boolean
  label: string | null
}
export interface NetSpec {
  seed: number
  pops: PopSpec[]
  projs: ProjSpec[]
  /** Spike buffer 'ext': indices per tick. */
  buffer: { size: number; ticks: number[][] }
  /** The projection the 'partner' projection (the other kind, equal synapse, output and label) must merge with. */
  partnerOf: string
}

const SYN_DEFAULTS: Record<NaiveSyn['kind'], NaiveSyn> = {
  Expon: { kind: 'Expon', tau: 8 },
  DualExponV2: { kind: 'DualExponV2', tauDecay: 10, tauRise: 1 },
  Alpha: { kind: 'Alpha', tauDecay: 10 },
  DualExpon: { kind: 'DualExpon', tauDecay: 10, tauRise: 1 },
}
const MG_DEFAULTS: NaiveOut = { kind: 'MgBlock', E: 0, ccMg: 1.2, alpha: 0.062, beta: 3.57, vOffset: 0 }

/** Options of `randomNet`: which models a network may use. */
export interface NetOptions {
  /** Synapse kinds to draw from (default all four). */
  synapses?: NaiveSyn['kind'][]
  /** Output kinds to draw from (default all three). */
  outputs?: NaiveOut['kind'][]
  /** Populations and their size range. */
  pops?: [number, number]
  size?: [number, number]
  /** Most synapse states per post population (the WebAssembly kernel takes four). */
  maxStatesPerPost?: number
  ticks: number
}

/**
 * A random network: 2–3 LIF populations of the four models with per-neuron inputs near threshold; 4–6
 * projections of the four kinds (the first on the spike buffer; full ones with delays among 0.1, 0.3, 0.7, 1.2, 2.3 ms and none, half
 * ones on
 * queue slices at latencies 1–5 or on the spike buffer), every comm kind above, random synapse and output
 * models (defaults sometimes left to spikecs), labels; then the Mg partner of an Mg projection: the other
 * projection kind with an equal synapse, output and label onto the same post, so full and half merge.
 */
export function randomNet(seed: number, opt: NetOptions): NetSpec {
  const s = new Stream(0x5eed0000 + seed)
  const u = (a: number, b: number) => a + (b - a) * s.uniform()
  const int = (a: number, b: number) => Math.floor(u(a, b + 1))
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(s.uniform() * xs.length)]
  const synKinds = opt.synapses ?? ['Expon', 'DualExponV2', 'Alpha', 'DualExpon']
  const outKinds = opt.outputs ?? ['COBA', 'CUBA', 'MgBlock']
  const [pLo, pHi] = opt.pops ?? [2, 3]
  const [nLo, nHi] = opt.size ?? [12, 40]
  const pops: PopSpec[] = []
  for (let k = 0, n = int(pLo, pHi); k < n; k++) {
    const model = pick(['Lif', 'LifRef', 'LifLTC', 'LifRefLTC'] as const)
    const size = int(nLo, nHi)
    const R = u(0.8, 1.5),
      vRest = -60,
      vTh = -50
    pops.push({
      name: `P${k}`,
      model,
      size,
      ltc: model.endsWith('LTC'),
      vRest,
      vReset: u(-66, -58),
      vTh,
      R,
      tau: u(10, 25),
      tauRef: model.startsWith('LifRef') ? pick([0, 0.5, 1, 2.5]) : 0,
      v0: Array.from({ length: size }, () => u(-65, -51)),
      // R·I from 9 to 16 mV above rest: some neurons fire on their own, the others only with synaptic input.
      input: Array.from({ length: size }, () => u(9, 16) / R),
    })
  }
  const bufSize = 16
  // The buffer's spikes come from a stream of their own, so the network does not depend on the run's length.
  const sb = new Stream(0xb0ff0000 + seed)
  const buffer = {
    size: bufSize,
    ticks: Array.from({ length: opt.ticks }, () => Array.from({ length: bufSize }, (_, i) => i).filter(() => sb.uniform() < 0.01)),
  }
  const statesPer = new Map<string, number>()
  const projs: ProjSpec[] = []
  const nProj = int(4, 6)
  for (let q = 0; q < nProj; q++) {
    const post = pick(pops)
    const merged = s.uniform() < 0.5
    if ((statesPer.get(post.name) ?? 0) >= (opt.maxStatesPerPost ?? Infinity)) continue
    // The first projection reads the spike buffer; the others draw their source.
    const half = q === 0 || s.uniform() < 0.5
    let source: NaiveSource,
      nPre: number,
      prePop: PopSpec | null = null
    if (q === 0) {
      source = { kind: 'buffer', buffer: 'ext' }
      nPre = bufSize
    } else if (!half) {
      prePop = pick(pops)
      source = { kind: 'full', pre: prePop.name, delayMs: pick([null, 0, 0.1, 0.3, 0.7, 1.2, 2.3]) }
      nPre = prePop.size
    } else if (s.uniform() < 0.3) {
      source = { kind: 'buffer', buffer: 'ext' }
      nPre = bufSize
    } else {
      prePop = pick(pops)
      const a = int(0, prePop.size - 2),
        b = int(a + 1, prePop.size)
      source = { kind: 'slice', pre: prePop.name, start: a, end: b, latency: int(1, 5) }
      nPre = b - a
    }
    const synKind = pick(synKinds)
    const synDefaults = s.uniform() < 0.25
    const synapse: NaiveSyn = synDefaults
      ? SYN_DEFAULTS[synKind]
      : synKind === 'Expon'
        ? { kind: 'Expon', tau: u(2, 12) }
        : synKind === 'Alpha'
          ? { kind: 'Alpha', tauDecay: u(1, 6) }
          : { kind: synKind, tauDecay: u(4, 12), tauRise: u(0.3, 2), ...(s.uniform() < 0.3 ? { A: u(0.5, 2) } : {}) }
    const outKind = pick(outKinds)
    const outDefaults = outKind === 'MgBlock' && s.uniform() < 0.5
    const out: NaiveOut =
      outKind === 'COBA'
        ? { kind: 'COBA', E: s.uniform() < 0.6 ? 0 : -80 }
        : outKind === 'CUBA'
          ? { kind: 'CUBA' }
          : outDefaults
            ? MG_DEFAULTS
            : { kind: 'MgBlock', E: 0, ccMg: u(0.5, 1.5), alpha: u(0.05, 0.08), beta: 3.57, vOffset: u(-5, 5) }
    // Weight scale per unit of the output: conductances (in 1/R) of a few hundredths, MgBlock larger (B ≈ 0.1
    // near −55 mV), currents of a few mV either way; the Alpha kernel peaks at 1/e.
    const recurrent = prePop === post
    const scale =
      (out.kind === 'COBA' ? (out.E === 0 ? 0.06 : 0.2) : out.kind === 'MgBlock' ? 0.6 : recurrent ? u(-2, -0.5) : u(-1.5, 2)) *
      (synKind === 'Alpha' ? Math.E : 1) *
      (source.kind === 'buffer' ? 3 : 1)
    const prob = u(0.08, 0.3)
    const kind = pick(['list', 'fixedProb', 'jitHomo', 'jitGradedHomo', 'jitUniform', 'jitNormal'] as const)
    const comm: CommSpec =
      kind === 'list'
        ? {
            kind,
            syn: Array.from({ length: int(nPre, 4 * nPre) }, () => ({
              pre: int(0, nPre - 1),
              post: int(0, post.size - 1),
              w: scale * u(0.5, 1.5),
            })),
          }
        : kind === 'fixedProb'
          ? { kind, prob, w: scale }
          : kind === 'jitHomo' || kind === 'jitGradedHomo'
            ? { kind, prob, w: scale, includeSelf: !recurrent || s.uniform() < 0.5 }
            : kind === 'jitUniform'
              ? { kind, prob, lo: Math.min(0.5 * scale, 1.5 * scale), hi: Math.max(0.5 * scale, 1.5 * scale) }
              : { kind, prob, mu: scale, sigma: 0.15 * Math.abs(scale) }
    const label = s.uniform() < 0.2 ? 'dend' : null
    projs.push({ name: `p${q}`, merged, source, post: post.name, comm, synapse, out, synDefaults, outDefaults, label })
    if (!merged || !projs.some((p, k) => k < projs.length - 1 && p.merged && sameState(p, projs[projs.length - 1]))) {
      statesPer.set(post.name, (statesPer.get(post.name) ?? 0) + 1)
    }
  }
  // The Mg partner: full ↔ half, equal synapse, output and label, onto the same post (a shared state).
  const first = projs.find((p) => p.merged) ?? projs[0]
  first.merged = true
  const toHalf = first.source.kind === 'full'
  const pre = pick(pops)
  const source: NaiveSource = toHalf
    ? { kind: 'slice', pre: pre.name, start: 0, end: pre.size, latency: int(2, 4) }
    : { kind: 'full', pre: pre.name, delayMs: pick([0.3, 0.7, 2.3]) }
  const w = first.out.kind === 'CUBA' ? 1.5 : first.out.kind === 'MgBlock' ? 0.8 : 0.1
  projs.push({
    ...first,
    name: 'partner',
    source,
    comm: { kind: 'jitHomo', prob: 0.15, w: first.synapse.kind === 'Alpha' ? w * Math.E : w, includeSelf: true },
    // Spelled the other way round (defaults written out where the first left them out, or the reverse).
    synDefaults: !first.synDefaults && sameSyn(first.synapse, SYN_DEFAULTS[first.synapse.kind]),
    outDefaults: first.out.kind === 'MgBlock' && !first.outDefaults && sameSyn(first.out, MG_DEFAULTS),
  })
  return { seed, pops, projs, buffer, partnerOf: first.name }
}

function sameSyn(a: object, b: object): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
function sameState(a: ProjSpec, b: ProjSpec): boolean {
  return a.post === b.post && a.label === b.label && sameSyn(a.synapse, b.synapse) && sameSyn(a.out, b.out)
}

function synDesc(p: ProjSpec): SynapseDesc {
  const y = p.synapse
  if (p.synDefaults) return { Expon, DualExponV2, Alpha, DualExpon }[y.kind]({})
  switch (y.kind) {
    case 'Expon':
      return Expon({ tau: y.tau })
    case 'Alpha':
      return Alpha({ tauDecay: y.tauDecay })
    case 'DualExponV2':
      return DualExponV2({ tauDecay: y.tauDecay, tauRise: y.tauRise, ...(y.A === undefined ? {} : { A: y.A }) })
    case 'DualExpon':
      return DualExpon({ tauDecay: y.tauDecay, tauRise: y.tauRise, ...(y.A === undefined ? {} : { A: y.A }) })
  }
}
function outDesc(p: ProjSpec): OutputDesc {
  const o = p.out
  if (o.kind === 'COBA') return COBA({ E: o.E })
  if (o.kind === 'CUBA') return CUBA()
  if (p.outDefaults) return MgBlock()
  return MgBlock({ E: o.E, ccMg: o.ccMg, alpha: o.alpha, beta: o.beta, vOffset: o.vOffset })
}
function commDesc(c: CommSpec): CommDesc {
  switch (c.kind) {
    case 'list':
      return EventCSRLinear({
        conn: FromList({ pre: c.syn.map((e) => e.pre), post: c.syn.map((e) => e.post), weight: c.syn.map((e) => e.w) }),
      })
    case 'fixedProb':
      return EventCSRLinear({ conn: FixedProb({ prob: c.prob }), weight: c.w })
    case 'jitHomo':
      return EventJitFPHomoLinear({ prob: c.prob, weight: c.w, includeSelf: c.includeSelf })
    case 'jitGradedHomo':
      return JitFPHomoLinear({ prob: c.prob, weight: c.w, includeSelf: c.includeSelf })
    case 'jitUniform':
      return EventJitFPUniformLinear({ prob: c.prob, wLow: c.lo, wHigh: c.hi })
    case 'jitNormal':
      return EventJitFPNormalLinear({ prob: c.prob, wMu: c.mu, wSigma: c.sigma })
  }
}

export interface Built {
  world: World
  P: Record<string, PopulationData>
  proj: Record<string, ProjectionData>
  mon: ReturnType<typeof addSpikeMonitor>
}

export function buildWorld(net: NetSpec, dtype: Dtype, fuse: boolean, kernel: 'js' | 'wasm' = 'js'): Built {
  const world = createWorld({ dtMs: DT, seed: 1000 + net.seed, dtype, fuse, kernel })
  const P: Record<string, PopulationData> = {}
  for (const p of net.pops) {
    const make = { Lif, LifRef, LifLTC, LifRefLTC }[p.model]
    const par = { size: p.size, vRest: p.vRest, vReset: p.vReset, vTh: p.vTh, R: p.R, tau: p.tau, v0: p.v0 }
    P[p.name] = addPopulation(world, p.name, make(p.model.startsWith('LifRef') ? { ...par, tauRef: p.tauRef } : par))
    addInput(world, P[p.name], p.input)
  }
  const buf = addSpikeBuffer(world, 'ext', net.buffer.size)
  insertSystem(
    world,
    (w) => {
      if (w.tick < net.buffer.ticks.length) setSpikes(buf, net.buffer.ticks[w.tick])
    },
    { before: CommSystem },
  )
  const proj: Record<string, ProjectionData> = {}
  for (const p of net.projs) {
    const common = { comm: commDesc(p.comm), syn: synDesc(p), out: outDesc(p), post: P[p.post], outLabel: p.label }
    const src = p.source
    if (src.kind === 'full') {
      const make = p.merged ? FullProjAlignPostMg : FullProjAlignPost
      proj[p.name] = addProjection(world, p.name, make({ ...common, pre: P[src.pre], delay: src.delayMs }))
    } else {
      const make = p.merged ? HalfProjAlignPostMg : HalfProjAlignPost
      const source = src.kind === 'buffer' ? buf : fromQueue(P[src.pre], { start: src.start, end: src.end, latency: src.latency })
      proj[p.name] = addProjection(world, p.name, make({ ...common, source }))
    }
  }
  const mon = addSpikeMonitor(
    world,
    net.pops.map((p) => P[p.name]),
  )
  return { world, P, proj, mon }
}

/** The synapse list of a projection of a built world, in the order its kernel adds them. */
function storedList(b: Built, p: ProjSpec): { pre: number; post: number; w: number }[] {
  const c = b.proj[p.name].comm
  const out: { pre: number; post: number; w: number }[] = []
  if (c.kind === 'EventCSRLinear') {
    const ptr = c.indptr.array,
      ind = c.indices.array,
      W = c.weights?.array
    for (let i = 0; i < c.nPre; i++)
      for (let k = ptr[i]; k < ptr[i + 1]; k++) out.push({ pre: i, post: ind[k], w: W === undefined ? c.weight : W[k] })
    return out
  }
  if (!('gen' in c)) throw new Error(`projection ${p.name}: no stored form`)
  const gen = c.gen,
    src = p.source
  const selfOffset = src.kind === 'full' ? (src.pre === p.post ? 0 : -1) : src.kind === 'slice' && src.pre === p.post ? src.start : -1
  const targets = new Int32Array(gen.nPost),
    keys = new Uint32Array(2)
  const weights = b.world.dtype === 'float32' ? new Float32Array(gen.nPost) : new Float64Array(gen.nPost)
  for (let i = 0; i < c.nPre; i++) {
    const n = generateRow(gen, i, selfOffset < 0 ? -1 : i + selfOffset, targets, gen.weight.kind === 'homo' ? null : weights, keys)
    for (let k = 0; k < n; k++) out.push({ pre: i, post: targets[k], w: gen.weight.kind === 'homo' ? gen.weight.value : weights[k] })
  }
  return out
}

/** The naive loop's description of the network: explicit lists as written, the others as the world stores them. */
export function naiveOf(net: NetSpec, b: Built): NaiveProj[] {
  return net.projs.map((p) => ({
    name: p.name,
    source: p.source,
    merged: p.merged,
    post: p.post,
    syn: p.comm.kind === 'list' ? p.comm.syn : storedList(b, p),
    synapse: p.synapse,
    out: p.out,
    label: p.label,
  }))
}

/** Spikes of a monitor, per population, per tick (indices within the population). */
export function spikesPerTick(b: Built, net: NetSpec, ticks: number): Record<string, number[][]> {
  const out: Record<string, number[][]> = {}
  for (const p of net.pops) out[p.name] = Array.from({ length: ticks }, () => [])
  const { ticks: t, indices } = spikeData(b.mon)
  for (let k = 0; k < t.length; k++) {
    for (const p of net.pops) {
      const i = indices[k] - b.P[p.name].start
      if (i >= 0 && i < p.size) out[p.name][t[k]].push(i)
    }
  }
  return out
}
