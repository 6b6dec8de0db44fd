/**
 * BrainPy's four align-post projections, as descriptors for `addProjection(world, name, desc)`:
 *
 * | kind                  | spikes from                         | synapse state                          |
 * |-----------------------|-------------------------------------|----------------------------------------|
 * | `FullProjAlignPostMg` | its own entry on `pre`'s delay queue | shared with equal (syn, out, label)    |
 * | `FullProjAlignPost`   | its own entry on `pre`'s delay queue | its own                                |
 * | `HalfProjAlignPostMg` | a `source`: a queue slice or buffer  | shared with equal (syn, out, label)    |
 * | `HalfProjAlignPost`   | a `source`: a queue slice or buffer  | its own                                |
 *
 * A spike emitted in tick j through a full projection with delay D first changes the synapse state in tick
 * j + max(1, round(D/dt)); D must be a whole number of ticks unless `roundDelay` is set.
 *
 * `STDP_Song2000` is a full projection with a merged (Mg) synapse state whose stored weights learn by BrainPy's
 * pair rule (`plasticity/stdp.ts`).
 */
import {
  SpikecsError,
  addComponent,
  addRecord,
  allocColumn,
  createDelayQueue,
  addDelayEntry,
  checkInteger,
  checkName,
  getComponent,
  lookupMerged,
  mergeKey,
  msToTicks,
  registerMerged,
  DelayQueue,
  Output,
  Projection,
  SpikeBuffer,
  SynapseState,
  MAX_DELAY_TICKS,
  type DelayQueueData,
  type OutputData,
  type PopulationData,
  type ProjectionData,
  type ProjectionKind,
  type SpikeBufferData,
  type SpikeSource,
  type SynapseStateData,
  type World,
} from '@spikecs/ecs-core'
import { commLayers, resolveComm, type CommDesc, type CommLayerData } from '../comm/registry.js'
import type { CsrData } from '../comm/csr.js'
import { Plasticity, buildStdp, checkStdpKeys, resolveStdp, type StdpParams, type StdpResolved } from '../plasticity/stdp.js'
import { registerEventCounter } from '../events.js'
import { resolveSynapse, type SynapseDesc } from '../models/synapses.js'
import { resolveOutput, type OutputDesc } from '../models/outputs.js'
import { assertNotStarted, checkPopulation, dtypeRound } from './common.js'

/** Spikes of population `pop`, neurons [start, end), read through its delay queue `latency` ticks later. */
export interface QueueSlice {
  readonly kind: 'queueSlice'
  readonly pop: PopulationData
  readonly start: number
  readonly end: number
  readonly latency: number
}

/**
 * A half projection's source: neurons [start, end) of `pop` (default all), as they spiked `latency` ticks
 * ago (default 1: the previous tick, BrainPy's `delay.at('I')` of the documentation's EINet).
 */
export function fromQueue(pop: PopulationData, opts: { start?: number; end?: number; latency?: number } = {}): QueueSlice {
  return { kind: 'queueSlice', pop, start: opts.start ?? 0, end: opts.end ?? pop.size, latency: opts.latency ?? 1 }
}

interface Common {
  comm: CommDesc
  syn: SynapseDesc
  out: OutputDesc
  post: PopulationData
  /** Output label (part of the merge key of Mg projections). */
  outLabel?: string | null
}
interface FullOpts extends Common {
  pre: PopulationData
  /** Synaptic delay in ms (null, undefined or 0: one tick). */
  delay?: number | null
  /** Round a delay that is not a whole number of ticks instead of refusing it. */
  roundDelay?: boolean
}
interface HalfOpts extends Common {
  /** Where the spikes come from: `fromQueue(pop, …)` or a spike buffer filled by a system of your own. */
  source: QueueSlice | SpikeBufferData
}

export type ProjectionDesc =
  | ({ readonly kind: 'FullProjAlignPostMg' | 'FullProjAlignPost' } & FullOpts)
  | ({ readonly kind: 'HalfProjAlignPostMg' | 'HalfProjAlignPost' } & HalfOpts)
  | ({ readonly kind: 'STDP_Song2000' } & FullOpts & StdpParams)

/** Full projection with synapse merging (BrainPy `FullProjAlignPostMg`). */
export function FullProjAlignPostMg(p: FullOpts): ProjectionDesc {
  return { ...p, kind: 'FullProjAlignPostMg' }
}
/** Full projection with its own synapse state (BrainPy `FullProjAlignPost`). */
export function FullProjAlignPost(p: FullOpts): ProjectionDesc {
  return { ...p, kind: 'FullProjAlignPost' }
}
/** Half projection with synapse merging (BrainPy `HalfProjAlignPostMg`). */
export function HalfProjAlignPostMg(p: HalfOpts): ProjectionDesc {
  return { ...p, kind: 'HalfProjAlignPostMg' }
}
/** Half projection with its own synapse state (BrainPy `HalfProjAlignPost`). */
export function HalfProjAlignPost(p: HalfOpts): ProjectionDesc {
  return { ...p, kind: 'HalfProjAlignPost' }
}

/**
 * BrainPy's `STDP_Song2000`: a full projection (delay entry on `pre`'s queue) into a merged (Mg) synapse state,
 * whose stored weights change by the pair rule of docs/semantics.md ("Plasticity") before each tick's
 * delivery. `comm` must hold one weight per synapse: `EventCSRLinear` (any connector; one weight is expanded
 * to one per synapse) or `stored(…)` of an event on-the-fly layer. Rule parameters: `tauS` (16.8 ms), `tauT`
 * (33.7 ms), `A1` (0.96), `A2` (0.53), optional bounds `wMin`, `wMax`.
 */
export function STDP_Song2000(p: FullOpts & StdpParams): ProjectionDesc {
  return { ...p, kind: 'STDP_Song2000' }
}

const KINDS: readonly ProjectionKind[] = [
  'HalfProjAlignPostMg',
  'FullProjAlignPostMg',
  'HalfProjAlignPost',
  'FullProjAlignPost',
  'STDP_Song2000',
]
const FULL_KEYS = ['kind', 'pre', 'post', 'delay', 'roundDelay', 'comm', 'syn', 'out', 'outLabel'] as const

/** The stored layer a plastic projection's comm descriptor builds, or throws why it cannot learn. */
function checkPlasticComm(obj: string, comm: CommDesc): void {
  const kind = comm !== null && typeof comm === 'object' ? (comm as { kind?: unknown }).kind : undefined
  if (kind === 'EventCSRLinear') return
  const records = commLayers as unknown as Record<string, { rows?: { storedAs: string } }>
  if (kind === 'stored') {
    const inner = (comm as Extract<CommDesc, { kind: 'stored' }>).p?.layer?.kind
    if (typeof inner === 'string' && records[inner]?.rows?.storedAs === 'EventCSRLinear') return
    throw new SpikecsError(obj, 'comm', `stored(${String(inner)})`, 'must store an event layer (EventJitFP…): the rule acts on spikes')
  }
  if (typeof kind === 'string' && Object.hasOwn(records, kind) && records[kind].rows !== undefined) {
    throw new SpikecsError(
      obj,
      'comm',
      kind,
      `is an on-the-fly layer: it regenerates its rows at every spike and keeps no weights the rule could change; ` +
        `use stored(${kind}({ … })) or EventCSRLinear`,
    )
  }
  throw new SpikecsError(
    obj,
    'comm',
    kind ?? comm,
    'must hold one stored weight per synapse for the rule to change: EventCSRLinear or stored(an event on-the-fly layer)',
  )
}

/** A plastic projection's stored rows with one weight per synapse (one weight given: expanded). */
function perSynapseWeights(world: World, eid: number, c: CommLayerData): CommLayerData {
  const csr = c as CsrData
  if (csr.weights !== null) return c
  const weights = allocColumn(world, eid, 'csr.weights', 'state', csr.nSynapses)
  weights.array.fill(csr.weight)
  return { ...csr, weight: NaN, weights } as CommLayerData
}

/** Adds a projection. Everything is validated before the world is touched: a refused projection changes nothing. */
export function addProjection(world: World, name: string, desc: ProjectionDesc): ProjectionData {
  checkName('projection', name) // before any record is added: a refused projection changes nothing
  const object = `projection '${name}'`
  assertNotStarted(world, object)
  if (desc === null || typeof desc !== 'object' || !KINDS.includes(desc.kind)) {
    throw new SpikecsError(
      object,
      'kind',
      desc && (desc as { kind?: unknown }).kind,
      `must be one of ${KINDS.join(', ')} (build it with e.g. FullProjAlignPostMg({...}))`,
    )
  }
  if (world.names.has(name)) {
    throw new SpikecsError(object, 'name', name, 'is already used by another entity of this world (names must be unique)')
  }
  const kind = desc.kind
  const obj = `${object} (${kind})`
  const plastic = kind === 'STDP_Song2000'
  const merged = kind === 'HalfProjAlignPostMg' || kind === 'FullProjAlignPostMg' || plastic
  let stdp: StdpResolved | null = null
  if (plastic) {
    checkStdpKeys(obj, desc, FULL_KEYS)
    checkPlasticComm(obj, desc.comm)
    stdp = resolveStdp(obj, desc)
  }
  const post = checkPopulation(world, obj, 'post', desc.post)
  const label = desc.outLabel ?? null
  if (label !== null && (typeof label !== 'string' || label.length === 0)) {
    throw new SpikecsError(obj, 'outLabel', label, 'must be a non-empty string or null')
  }

  // --- the spike source
  let srcPop: PopulationData | null = null
  let offset = 0,
    count = 0,
    latency = 1
  let buffer: SpikeBufferData | null = null
  let delayMs: number | null = null
  if (kind === 'FullProjAlignPostMg' || kind === 'FullProjAlignPost' || plastic) {
    const d = desc as FullOpts
    srcPop = checkPopulation(world, obj, 'pre', d.pre)
    count = srcPop.size
    if (d.delay !== undefined && d.delay !== null) {
      delayMs = d.delay
      latency = Math.max(1, msToTicks(obj, 'delay', d.delay, world.dtMs, d.roundDelay === true))
      if (latency > MAX_DELAY_TICKS) {
        throw new SpikecsError(
          obj,
          'delay',
          d.delay,
          `must be at most ${MAX_DELAY_TICKS} ticks (${MAX_DELAY_TICKS * world.dtMs} ms at dt = ` +
            `${world.dtMs} ms): the delay queue keeps one spike list per tick`,
        )
      }
    }
  } else {
    const src = (desc as HalfOpts).source as QueueSlice | SpikeBufferData
    if (src !== null && typeof src === 'object' && (src as QueueSlice).kind === 'queueSlice') {
      const s = src as QueueSlice
      srcPop = checkPopulation(world, obj, 'source.pop', s.pop)
      checkInteger(obj, 'source.start', s.start, 0, srcPop.size - 1)
      checkInteger(obj, 'source.end', s.end, s.start + 1, srcPop.size)
      latency = checkInteger(obj, 'source.latency', s.latency, 1, MAX_DELAY_TICKS)
      offset = s.start
      count = s.end - s.start
    } else if (src !== null && typeof src === 'object' && getComponent(world, (src as SpikeBufferData).eid, SpikeBuffer) === src) {
      buffer = src as SpikeBufferData
      count = buffer.size
    } else {
      throw new SpikecsError(obj, 'source', src, 'must be fromQueue(pop, { start, end }) or a spike buffer of this world')
    }
  }

  // --- synapse, output and comm descriptions
  const syn = resolveSynapse(obj, desc.syn, post.size)
  const out = resolveOutput(obj, desc.out)
  if (out.needsV && post.state.V === undefined) {
    throw new SpikecsError(obj, 'out', out.kind, `needs a membrane potential V, which population '${post.name}' has not`)
  }
  const round = dtypeRound(world)
  const sameAsPost = srcPop === post
  const comm = resolveComm(
    { world, object: obj, name, nPre: count, nPost: post.size, selfOffset: sameAsPost ? offset : -1, round },
    desc.comm,
  )

  // --- everything is valid: create entities
  let queue: DelayQueueData | null = null
  if (srcPop !== null) {
    queue = srcPop.queue
    if (queue === null) {
      const p = srcPop
      queue = addRecord(world, DelayQueue, null, (eid) => createDelayQueue(world, eid, p.eid, p.name, p.size))
      srcPop.queue = queue
    }
    addDelayEntry(world, queue, name, latency)
  }
  const source: SpikeSource =
    queue !== null && srcPop !== null
      ? { kind: 'queue', pop: srcPop, queue, offset, count, latency }
      : { kind: 'buffer', buffer: buffer as SpikeBufferData }

  let state: SynapseStateData | null = null
  const synDesc = { kind: syn.model.kind, params: syn.params }
  const outDesc = { kind: out.kind, params: out.params }
  const key = merged ? mergeKey(post.eid, label, synDesc, outDesc) : null
  if (key !== null) {
    const existing = lookupMerged(world.merge, key)
    if (existing !== 0) state = getComponent(world, existing, SynapseState) as SynapseStateData
  }
  if (state === null) {
    state = addRecord(world, SynapseState, null, (eid) => {
      const cols: SynapseStateData['cols'] = {}
      for (const c of syn.model.columns) cols[c] = allocColumn(world, eid, c, 'state', post.size)
      const aliasCond = merged && syn.model.kind === 'Expon'
      const cond = aliasCond ? cols.g : allocColumn(world, eid, 'cond', 'state', post.size)
      return {
        eid,
        kind: syn.model.kind,
        post,
        params: syn.params,
        merged,
        mergeKey: key,
        cols,
        inputCols: syn.model.inputs.map((c) => cols[c]),
        cond,
        derived: syn.model.derive(syn.params, world.dtMs, round),
        output: null,
        projections: [],
      }
    })
    const st = state
    const output = addRecord<OutputData>(world, Output, null, (eid) => ({
      eid,
      kind: out.kind,
      post,
      label,
      params: out.params,
      state: st,
    }))
    state.output = output
    post.states.push(state)
    post.outputs.push(output)
    if (key !== null) registerMerged(world.merge, key, state.eid)
  }
  const st = state
  const proj = addRecord<ProjectionData>(world, Projection, name, (eid) => ({
    eid,
    name,
    kind,
    pre: srcPop,
    post,
    source,
    comm: plastic ? perSynapseWeights(world, eid, comm.build(eid)) : comm.build(eid),
    state: st,
    output: st.output as OutputData,
    delayMs,
  }))
  if (buffer !== null) buffer.readers++
  st.projections.push(proj)
  if (stdp !== null) addComponent(world, proj.eid, Plasticity, buildStdp(world, proj, proj.comm as CsrData, stdp))
  registerEventCounter(world)
  return proj
}
