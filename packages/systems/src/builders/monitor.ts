/**
 * Monitors are entities processed by `MonitorSystem` after `NeuronSystem` (Brian2's scheduled monitors):
 * - spike monitors keep compact parallel arrays of ticks and global neuron indices (never an object per spike);
 * - state probes sample one variable of chosen neurons every `every` ticks;
 * - rate monitors keep the spike count of each watched population per tick.
 * Storage grows by doubling up to `max` records; past it the oldest records are dropped (`ring: true`) or
 * recording stops; `dropped` counts what was not kept, so nothing is lost silently.
 */
import {
  SpikecsError,
  addRecord,
  getComponent,
  Monitor,
  Projection,
  checkInteger,
  durationTicks,
  type Column,
  type MonitorData,
  type PopulationData,
  type ProjectionData,
  type World,
} from '@spikecs/ecs-core'
import { checkPopulation } from './common.js'
import { Plasticity } from '../plasticity/stdp.js'
import type { CsrData } from '../comm/csr.js'

export interface MonitorOptions {
  name?: string
  /** Start recording at this time (ms, default 0). */
  startMs?: number
  /** Stop recording at this time (ms, default never). */
  stopMs?: number
  /** Most records kept (default 2^26 spikes / samples). */
  max?: number
  /** Keep the newest `max` records instead of the first ones. */
  ring?: boolean
}

function window(world: World, object: string, o: MonitorOptions) {
  const startTick = o.startMs === undefined ? 0 : durationTicks(object, 'startMs', o.startMs, world.dtMs)
  const stopTick = o.stopMs === undefined ? 2 ** 31 - 1 : durationTicks(object, 'stopMs', o.stopMs, world.dtMs)
  if (stopTick < startTick) throw new SpikecsError(object, 'stopMs', o.stopMs, 'must not be before startMs')
  const max = checkInteger(object, 'max', o.max ?? 2 ** 26, 1, 2 ** 30)
  return { startTick, stopTick, max, ring: o.ring === true }
}

function asList(world: World, object: string, pops: PopulationData | readonly PopulationData[]): PopulationData[] {
  const list = Array.isArray(pops) ? [...pops] : [pops as PopulationData]
  if (list.length === 0) throw new SpikecsError(object, 'pops', pops, 'must name at least one population')
  list.forEach((p, k) => checkPopulation(world, object, `pops[${k}]`, p))
  return list
}

/**
 * Adds a monitor's record: its window, and buffers for the first min(max, 1024) records (they grow as records
 * come): a tick per record, `indicesPerRecord` int32 and `valuesPerRecord` float64 values per record.
 */
function addMonitorRecord(
  world: World,
  name: string,
  w: ReturnType<typeof window>,
  m: Pick<MonitorData, 'kind' | 'pops' | 'every' | 'width'> & { indicesPerRecord: number; valuesPerRecord: number },
  column: Column | null = null,
  probeIndices: Int32Array | null = null,
): MonitorData {
  const cap = Math.min(w.max, 1024)
  return addRecord<MonitorData>(world, Monitor, name, (eid) => ({
    eid,
    name,
    kind: m.kind,
    pops: m.pops,
    ...w,
    every: m.every,
    ticks: new Int32Array(cap),
    indices: new Int32Array(cap * m.indicesPerRecord),
    values: new Float64Array(cap * m.valuesPerRecord),
    width: m.width,
    column,
    probeIndices,
    count: 0,
    dropped: 0,
    first: 0,
  }))
}

/** Records every spike of the given populations. */
export function addSpikeMonitor(world: World, pops: PopulationData | readonly PopulationData[], o: MonitorOptions = {}): MonitorData {
  const name = o.name ?? `spikes${world.components.Monitor.list.length}`
  const object = `spike monitor '${name}'`
  const list = asList(world, object, pops)
  const w = window(world, object, o)
  return addMonitorRecord(world, name, w, { kind: 'spikes', pops: list, every: 1, width: 0, indicesPerRecord: 1, valuesPerRecord: 0 })
}

/** Records the number of spikes of each population per tick. */
export function addRateMonitor(world: World, pops: PopulationData | readonly PopulationData[], o: MonitorOptions = {}): MonitorData {
  const name = o.name ?? `rate${world.components.Monitor.list.length}`
  const object = `rate monitor '${name}'`
  const list = asList(world, object, pops)
  const w = window(world, object, o)
  const width = list.length
  return addMonitorRecord(world, name, w, { kind: 'rate', pops: list, every: 1, width, indicesPerRecord: width, valuesPerRecord: 0 })
}

/**
 * Samples `variable` of the chosen neurons every `every` ticks after `NeuronSystem`. The target is a
 * population (variables `V`, `lastSpike`…) or a projection (variable `g`: the conductance bound to its output
 * this tick; or a state column such as `gRise`; for a plastic projection also `w`, its weights, with synapse
 * indices in the order of `weightsOf`, and its traces `Apre`, `Apost`).
 */
export function addStateProbe(
  world: World,
  target: PopulationData | ProjectionData,
  variable: string,
  indices: ArrayLike<number>,
  o: MonitorOptions & { every?: number } = {},
): MonitorData {
  const name = o.name ?? `probe${world.components.Monitor.list.length}`
  const object = `state probe '${name}'`
  let column: Column
  let size: number
  let pops: PopulationData[]
  const proj = getComponent(world, (target as ProjectionData)?.eid, Projection) === target ? (target as ProjectionData) : null
  const plastic = proj === null ? undefined : getComponent(world, proj.eid, Plasticity)
  if (proj !== null && plastic !== undefined && (variable === 'w' || variable === 'Apre' || variable === 'Apost')) {
    // A plastic projection's weights (indices: synapses, in the order of weightsOf) or traces.
    const c = proj.comm as CsrData
    column = variable === 'w' ? (c.weights as Column) : variable === 'Apre' ? plastic.Apre : plastic.Apost
    size = variable === 'w' ? c.nSynapses : variable === 'Apre' ? c.nPre : c.nPost
    pops = [proj.state.post]
  } else if (proj !== null) {
    const st = proj.state
    const col = variable === 'g' ? st.cond : st.cols[variable]
    if (col === undefined) {
      const known = ['g', ...Object.keys(st.cols).filter((k) => k !== 'g'), ...(plastic !== undefined ? ['w', 'Apre', 'Apost'] : [])]
      throw new SpikecsError(object, 'variable', variable, `is not a variable of projection '${proj.name}' (known: ${known.join(', ')})`)
    }
    column = col
    size = st.post.size
    pops = [st.post]
  } else {
    const pop = checkPopulation(world, object, 'target', target)
    const col = pop.state[variable]
    if (col === undefined) {
      throw new SpikecsError(
        object,
        'variable',
        variable,
        `is not a state variable of population '${pop.name}' (known: ${Object.keys(pop.state).join(', ')})`,
      )
    }
    column = col
    size = pop.size
    pops = [pop]
  }
  if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number') {
    throw new SpikecsError(object, 'indices', indices, 'must be an array of neuron indices')
  }
  const idx = Int32Array.from(indices)
  if (idx.length === 0) throw new SpikecsError(object, 'indices', indices, 'must list at least one neuron')
  idx.forEach((v, k) => checkInteger(object, `indices[${k}]`, v, 0, size - 1))
  const every = checkInteger(object, 'every', o.every ?? 1, 1)
  const w = window(world, object, o)
  const width = idx.length
  return addMonitorRecord(world, name, w, { kind: 'state', pops, every, width, indicesPerRecord: 0, valuesPerRecord: width }, column, idx)
}

/** Recorded spikes in chronological order: ticks and global neuron indices (copies). */
export function spikeData(m: MonitorData): { ticks: Int32Array; indices: Int32Array } {
  return { ticks: chronological(m, m.ticks, 1), indices: chronological(m, m.indices, 1) }
}

/** Recorded samples of a state probe: ticks and values (row k = sample k, `width` values each). */
export function probeData(m: MonitorData): { ticks: Int32Array; values: Float64Array; width: number } {
  return { ticks: chronological(m, m.ticks, 1), values: chronological(m, m.values, m.width), width: m.width }
}

/** Spike counts of a rate monitor: ticks and counts (row k = tick k, one count per population). */
export function rateData(m: MonitorData): { ticks: Int32Array; counts: Int32Array; width: number } {
  return { ticks: chronological(m, m.ticks, 1), counts: chronological(m, m.indices, m.width), width: m.width }
}

function chronological<A extends Int32Array | Float64Array>(m: MonitorData, a: A, width: number): A {
  const n = m.count
  const out = new (a.constructor as new (n: number) => A)(n * width)
  if (!m.ring || m.first === 0) {
    out.set(a.subarray(0, n * width) as never)
  } else {
    const head = a.subarray(m.first * width, n * width)
    out.set(head as never)
    out.set(a.subarray(0, m.first * width) as never, head.length)
  }
  return out
}

/** Mean firing rate (Hz) of population `pop` from a spike monitor, over [fromMs, toMs). */
export function meanRateHz(world: World, m: MonitorData, pop: PopulationData, fromMs: number, toMs: number): number {
  const t0 = Math.round(fromMs / world.dtMs),
    t1 = Math.round(toMs / world.dtMs)
  const { ticks, indices } = spikeData(m)
  let n = 0
  for (let k = 0; k < ticks.length; k++) {
    const i = indices[k]
    if (ticks[k] >= t0 && ticks[k] < t1 && i >= pop.start && i < pop.start + pop.size) n++
  }
  return n / ((pop.size * ((t1 - t0) * world.dtMs)) / 1000)
}
