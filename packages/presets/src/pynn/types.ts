/**
 * Types of the PyNN export: its options and result (public), and the plan the script is written from
 * (internal), resolved from the world before any text is written.
 */
import type { PopulationData, ProjectionData, World } from '@spikecs/ecs-core'
import type { CommExport, SynapseList } from '@spikecs/systems'
import type { NpyArray } from '../npz.js'

export type PyNNSimulator = 'brian2' | 'nest' | 'neuron' | 'spiNNaker'
export const PYNN_SIMULATORS: readonly PyNNSimulator[] = ['brian2', 'nest', 'neuron', 'spiNNaker']

/** A named range of global neuron indices whose rate the script prints (e.g. a preset's E and I groups). */
export interface PyNNGroup {
  readonly name: string
  readonly start: number
  readonly size: number
}

export interface PyNNExportOptions {
  /** Biological time the script simulates (ms), default 1000; a whole number of ticks. */
  durationMs?: number
  /** `exact` (default): the realised connection lists; `statistical`: PyNN connectors drawing a new matrix. */
  conn?: 'exact' | 'statistical'
  /** Simulator the script uses when run without an argument, default `brian2`. */
  simulator?: PyNNSimulator
  /** Membrane resistance R_p (MΩ) of the unit conversion, default 100. */
  resistanceMOhm?: number
  /** Rate groups printed in the JSON line, default one per population. */
  groups?: readonly PyNNGroup[]
  /** File name of the side data file, relative to the script, default `net.npz`. */
  dataFile?: string
  /** `auto` (default): arrays inline up to `inlineLimit` values in total, else in the side file. */
  data?: 'auto' | 'inline' | 'file'
  /** Largest number of array values written into the script itself, default 2000. */
  inlineLimit?: number
  /** Seed of PyNN's random generator for statistical connectivity, default the world's seed. */
  seed?: number
  /** Populations whose membrane potential the script records and prints (`v`: one list per neuron). */
  recordV?: readonly string[]
  /** Print every population's spike times (ms, one list per neuron) in the JSON line. */
  spikeTimes?: boolean
  /** Print the final (pre, post, weight) lists of plastic projections in the JSON line (their statistics always). */
  finalWeights?: boolean
  /** First line of the script's header, e.g. the command that made it. */
  title?: string
  /** File name of the script, for the usage line of its header, default `net.py`. */
  scriptName?: string
}

export interface PyNNExport {
  /** The Python script. */
  readonly script: string
  /** The side `.npz` file, or null when every array is inline. */
  readonly data: Uint8Array | null
  /** Its file name as the script opens it (relative to the script), or null. */
  readonly dataFile: string | null
  /** Where the PyNN network's integration differs from spikecs's (also in the script's header). */
  readonly notes: readonly string[]
  /** Synapses written: exact count in exact mode, expected count in statistical mode. */
  readonly synapses: number
  readonly synapsesExact: boolean
}

/** The options, checked and with their defaults. */
export interface Settings {
  readonly world: World
  readonly durationMs: number
  readonly mode: 'exact' | 'statistical'
  readonly simulator: PyNNSimulator
  /** R_p (MΩ). */
  readonly Rp: number
  readonly dataMode: 'auto' | 'inline' | 'file'
  readonly inlineLimit: number
  readonly dataFile: string
  readonly seed: number
  readonly recordV: ReadonlySet<string>
  /** Writes float32 state at float32 precision (shortest decimals); identity for float64 worlds. */
  readonly show: (x: number) => number
}

/** Arrays of the network, by key (`pop0.v0`, `proj2.pre` …), in the order the plan made them. */
export type Arrays = [string, NpyArray][]

export type Receptor = 'excitatory' | 'inhibitory'

/** One receptor channel of a post population: the incoming synapse states that share (τ, E) or (τ, sign). */
export interface Channel {
  readonly tau: number
  /** COBA reversal potential, or NaN for CUBA. */
  readonly E: number
  /** CUBA: +1 or −1 (the sign of the weights); 0 for COBA. */
  readonly sign: number
  receptor: Receptor
}

/** Weight law of a random layer: homo `a`; uniform on [a, b]; normal with mean a, std b. */
export interface WeightLaw {
  readonly kind: 'homo' | 'uniform' | 'normal'
  readonly a: number
  readonly b: number
}

/** A checked projection: its receptor channel, its weight scale to PyNN units, and its synapses or law. */
export interface ProjInput {
  readonly proj: ProjectionData
  readonly channel: Channel
  /** R of the post population, times a for Mg projections (the PyNN weight is w·scale / R_p). */
  readonly scale: number
  /** Materialised synapses (exact lists, or to read the weights' sign), or null. */
  readonly syn: SynapseList | null
  readonly law: WeightLaw | null
  /** The layer's own description (its record's `describe`). */
  readonly desc: CommExport
  /** The rule of a plastic projection, or null. */
  readonly stdp: StdpPlan | null
}

/** Everything the projections imply for the populations: receptor channels and output kind per post. */
export interface Receptors {
  readonly channels: Map<PopulationData, Channel[]>
  readonly outKind: Map<PopulationData, 'COBA' | 'CUBA'>
}

export interface PopPlan {
  readonly pop: PopulationData
  readonly key: string
  readonly cell: 'IF_cond_exp' | 'IF_curr_exp' | 'SpikeSourcePoisson' | 'SpikeSourceArray'
  /** Cell parameters in PyNN units, by name; a string is an array reference (SpikeSourceArray: the key of its spike arrays). */
  readonly params: [string, number | string][]
  /** Initial V (a number, or an array reference); null for spike sources. */
  readonly v0: number | string | null
  readonly recordV: boolean
  /** Ticks V is held after a spike (0 without refractoriness). */
  readonly refTicks: number
  /** The LIF variant, or null for spike sources. */
  readonly lif: { readonly ltc: boolean; readonly ref: boolean } | null
}

/**
 * A plastic projection's rule as PyNN's `STDPMechanism(SpikePairRule, AdditiveWeightDependence)`: time
 * constants (ms), A± relative to w_max, and the bounds in PyNN weight units.
 */
export interface StdpPlan {
  readonly tauPlus: number
  readonly tauMinus: number
  readonly aPlus: number
  readonly aMinus: number
  readonly wMin: number
  readonly wMax: number
}

export interface ProjPlan {
  readonly proj: ProjectionData
  readonly preExpr: string
  readonly receptor: Receptor
  readonly connector: string
  /** Weight as Python text (a number in PyNN units or a RandomDistribution), or null when the list holds weights. */
  readonly weight: string | null
  readonly delayMs: number
  /** Synapses: the exact count, or the expected one for statistical connectors (`exactCount` false). */
  readonly synapses: number
  readonly exactCount: boolean
  /** The rule of a plastic projection (`STDP_Song2000`), or null for static synapses. */
  readonly stdp: StdpPlan | null
}

/** A rate group as slices of populations: (population name, first, end). */
export type GroupPieces = readonly [string, [string, number, number][]]
