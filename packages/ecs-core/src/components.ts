/**
 * spikecs's own components: the records that populations, projections, delay queues, synapse states,
 * outputs, inputs, spike buffers, monitors and checkers carry; neurons and synapses are indices into the
 * typed-array columns these records hold. Each is a record component defined with the public component API
 * (`defineRecordComponent`), exactly as a user defines one, so `query(world, [Population])` works for anyone.
 * Each world owns one store per component (no globals).
 *
 * The systems never look a record up per tick by id: when a world's plan is built they collect the records
 * into dense arrays in creation order.
 */
import { createStore, defineRecordComponent, type Store } from './component-def.js'
import type { Column, FloatArray } from './storage.js'
import type { DelayQueueData } from './delay-queue.js'

// ---------------------------------------------------------------------------------------------------------
// Populations

/** A neuron population: a contiguous slice [start, start+size) of the world's neuron index space. */
export interface PopulationData {
  readonly eid: number
  readonly name: string
  /** Neuron model kind, e.g. `LifRef`. */
  readonly model: string
  readonly size: number
  /** First global neuron index of the population. */
  readonly start: number
  /** Parameter block (live: systems read it at each kernel entry); layout given by `paramIndex`. */
  readonly params: Float64Array
  readonly paramIndex: Readonly<Record<string, number>>
  /** Model state columns (e.g. `V`, `lastSpike`), each of length `size`. */
  readonly state: Record<string, Column>
  /** Columns kernels use besides the model state (e.g. the WebAssembly kernel's parameter block). */
  readonly aux: Record<string, Column>
  /** Population-local indices of the neurons that spiked in the last tick, ascending; `nSpikes` valid. */
  readonly spikes: Column<Int32Array>
  nSpikes: number
  /** Delay queue of this population's spikes, when a projection or a source reads them. */
  queue: DelayQueueData | null
  /** External inputs, in creation order. */
  readonly inputs: InputData[]
  /** Outputs feeding this population, in creation order. */
  readonly outputs: OutputData[]
  /** Incoming synapse states (for fusion and checks), in creation order. */
  readonly states: SynapseStateData[]
}

// ---------------------------------------------------------------------------------------------------------
// Synapse states and outputs

/**
 * An align-post synapse kind (the models, all linear in their input, live in @spikecs/systems: ecs-core lists
 * none, so a model is added without touching this package).
 */
export type SynapseKind = string

/**
 * A post-sized synapse state. `Mg` projections with equal descriptions share one; every non-`Mg` projection
 * owns its own. `targets` are the columns the comm layers add increments into; `cond` is the conductance
 * bound to the output in the current tick.
 */
export interface SynapseStateData {
  readonly eid: number
  readonly kind: SynapseKind
  readonly post: PopulationData
  readonly params: Readonly<Record<string, number>>
  /** True for states of `Mg` projections: add, then decay (`g_k = (g_{k−1} + Δ_k)·a`). */
  readonly merged: boolean
  readonly mergeKey: string | null
  /** State columns, e.g. `g`, or `gRise` and `gDecay`. */
  readonly cols: Record<string, Column<FloatArray>>
  /** Columns that receive each event's increment (all of the model's input variables). */
  readonly inputCols: Column<FloatArray>[]
  /** Conductance bound to the output this tick. */
  readonly cond: Column<FloatArray>
  /** Per-tick constants derived from params and dt (decay factors, normalisation). */
  readonly derived: Float64Array
  output: OutputData | null
  readonly projections: ProjectionData[]
}

/** An output kind (`COBA`, `CUBA`, `MgBlock`…: the models live in @spikecs/systems). */
export type OutputKind = string

/** An output turns its state's conductance into the post population's synaptic input. */
export interface OutputData {
  readonly eid: number
  readonly kind: OutputKind
  readonly post: PopulationData
  readonly label: string | null
  readonly params: Readonly<Record<string, number>>
  readonly state: SynapseStateData
}

// ---------------------------------------------------------------------------------------------------------
// Projections and their comm layers

/** BrainPy's four align-post projections, and `STDP_Song2000` (a full, merged projection whose weights learn). */
export type ProjectionKind = 'HalfProjAlignPostMg' | 'FullProjAlignPostMg' | 'HalfProjAlignPost' | 'FullProjAlignPost' | 'STDP_Song2000'

/** Where a projection's presynaptic spikes come from. */
export type SpikeSource =
  | {
      readonly kind: 'queue'
      readonly pop: PopulationData
      readonly queue: DelayQueueData
      /** Slice [offset, offset+count) of the population, re-indexed from 0 for the comm layer. */
      readonly offset: number
      readonly count: number
      /** Ticks from emission to delivery (≥ 1). */
      readonly latency: number
    }
  | { readonly kind: 'buffer'; readonly buffer: SpikeBufferData }

/**
 * The comm layers' data types. ecs-core knows no comm layer: the package that defines them (`@spikecs/systems`)
 * adds its union of data types here by declaration merging, and `CommData` becomes that union.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging (an empty type alias could not be)
export interface CommLayerTypes {}

/** What every comm layer's data has, whatever the layer. */
export interface CommDataBase {
  /** The layer's kind, which names its record in the comm layer registry. */
  readonly kind: string
  readonly nPre: number
  readonly nPost: number
}

/** A projection's comm layer data: opaque here (see `CommLayerTypes`). */
export type CommData = [keyof CommLayerTypes] extends [never] ? CommDataBase : CommLayerTypes[keyof CommLayerTypes]

export interface ProjectionData {
  readonly eid: number
  readonly name: string
  readonly kind: ProjectionKind
  /** Presynaptic population (full projections and queue-read half projections), else null. */
  readonly pre: PopulationData | null
  readonly post: PopulationData
  readonly source: SpikeSource
  readonly comm: CommData
  readonly state: SynapseStateData
  readonly output: OutputData
  /** Delay as given (ms), for summaries and export; latency in ticks is in `source`. */
  readonly delayMs: number | null
}

// ---------------------------------------------------------------------------------------------------------
// Spike buffers, inputs, monitors, checkers

/** A spike index buffer a user system fills before `CommSystem` runs; consumed (and emptied) in that tick. */
export interface SpikeBufferData {
  readonly eid: number
  readonly name: string
  readonly size: number
  readonly indices: Int32Array
  count: number
  /** Projections that read it (the last one to read empties it). */
  readers: number
  /**
   * Value buffers only: the value of each listed index (graded input of non-event comm layers, which
   * multiply by it; event layers count each listed index as one spike). Absent for spike buffers (value 1).
   */
  readonly values?: Float64Array
}

export type InputKind = 'constant' | 'series' | 'function'

/** An external current into a population (in the model's current units, e.g. mV for R·I of the LIF family). */
export interface InputData {
  readonly eid: number
  readonly name: string
  readonly pop: PopulationData
  readonly kind: InputKind
  /** True when the input gives one value per neuron, false for one value for all. */
  readonly perNeuron: boolean
  /** constant: [value] or per-neuron values; series: one value per tick (or per tick × neuron). */
  readonly values: Float64Array
  /** function inputs: called once per tick (never per neuron). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a function that fills `out` returns nothing
  readonly fn: ((tick: number, tMs: number, out: Float64Array) => number | void) | null
  /** series: what happens after the last tick of the series. */
  readonly after: 'zero' | 'hold'
  /** Multiplier applied to every value; live-editable (e.g. a slider). */
  scale: number
}

export type MonitorKind = 'spikes' | 'state' | 'rate'

export interface MonitorData {
  readonly eid: number
  readonly name: string
  readonly kind: MonitorKind
  /** Populations watched (spikes, rate) or the population or state owning the probed column (state). */
  readonly pops: PopulationData[]
  /** First tick recorded (inclusive) and first tick not recorded. */
  readonly startTick: number
  readonly stopTick: number
  /** Record every `every` ticks (state probes). */
  readonly every: number
  /** Records kept at most; the oldest are dropped past it when `ring` is set, otherwise recording stops. */
  readonly max: number
  readonly ring: boolean
  /** spikes: tick and global neuron index of each spike; rate: tick and count per population. */
  ticks: Int32Array
  indices: Int32Array
  /** state: sampled values, `width` per sample. */
  values: Float64Array
  readonly width: number
  /** state: the probed column and the indices within it. */
  readonly column: Column | null
  readonly probeIndices: Int32Array | null
  /** Number of records held. */
  count: number
  /** Records dropped (ring overflow or `max` reached). */
  dropped: number
  /** Index of the oldest record when `ring` is set. */
  first: number
}

export interface CheckerData {
  readonly eid: number
  readonly name: string
  /** Check state columns for NaN/±Infinity every `every` ticks. */
  readonly checkFinite: boolean
  readonly every: number
  /** Largest allowed population rate (Hz) over the sliding window; Infinity disables. */
  readonly maxRateHz: number
  readonly windowTicks: number
  /** Per population: spike counts of the last `windowTicks` ticks (ring) and their sum. */
  readonly windows: Int32Array[]
  sums: Float64Array
  cursor: number
}

// ---------------------------------------------------------------------------------------------------------
// The definitions

/** Neuron populations. */
export const Population = defineRecordComponent<PopulationData>('Population')
/** Projections (comm layer + synapse state + output). */
export const Projection = defineRecordComponent<ProjectionData>('Projection')
/** Delay queues of populations whose spikes are read through them. */
export const DelayQueue = defineRecordComponent<DelayQueueData>('DelayQueue')
/** Post-sized synapse states. */
export const SynapseState = defineRecordComponent<SynapseStateData>('SynapseState')
/** Outputs (COBA, CUBA, MgBlock). */
export const Output = defineRecordComponent<OutputData>('Output')
/** External inputs. */
export const Input = defineRecordComponent<InputData>('Input')
/** Spike and value buffers that user systems fill. */
export const SpikeBuffer = defineRecordComponent<SpikeBufferData>('SpikeBuffer')
/** Spike, rate and state monitors. */
export const Monitor = defineRecordComponent<MonitorData>('Monitor')
/** Checkers (NaN/∞ state, runaway rate). */
export const Checker = defineRecordComponent<CheckerData>('Checker')

/** spikecs's own components, in the order every world registers them. */
export const BUILTIN_COMPONENTS = Object.freeze([
  Population,
  Projection,
  DelayQueue,
  SynapseState,
  Output,
  Input,
  SpikeBuffer,
  Monitor,
  Checker,
])

/**
 * The component stores of a world by component name: spikecs's own (typed), then every component registered
 * since (`addComponent`, `registerComponent`), in registration order.
 */
export interface Components {
  readonly Population: Store<PopulationData>
  readonly Projection: Store<ProjectionData>
  readonly DelayQueue: Store<DelayQueueData>
  readonly SynapseState: Store<SynapseStateData>
  readonly Output: Store<OutputData>
  readonly Input: Store<InputData>
  readonly SpikeBuffer: Store<SpikeBufferData>
  readonly Monitor: Store<MonitorData>
  readonly Checker: Store<CheckerData>
  readonly [name: string]: Store<object> | undefined
}

/** The stores of a new world: one for each of spikecs's own components. */
export function createComponents(): Components {
  const out: Record<string, Store<object>> = {}
  for (const c of BUILTIN_COMPONENTS) out[c.name] = createStore<object>(c)
  return out as unknown as Components
}
