/**
 * The WebAssembly side of model records: names of the generated exports and the layout of their parameter
 * blocks (4-byte slots), read by the build-time generator (`wasm/model-kernels.ts`) and by the runtime
 * (`wasm/lif-wasm.ts`) alike — written once, here.
 *
 * Neuron kernel `n_<kind>(from, to, prm, tick, ns) → ns`: slots 0 … L−1 hold the record's parameter block
 * (`blockLayout`, as float32), then the fixed slots below, then one pointer per state variable (record order).
 * Synapse kernel `s_<kind>_<m|n>_<output>(from, to, prm)`: one pointer per state column (record order), the
 * bound conductance's pointer, the derived constants, the output's parameters and derived constants (float32),
 * then the pointers of the post population's sums and V.
 */
import { blockLayout, type NeuronRecord, type OutputRecord, type SynapseRecord } from '../models/record.js'

/** Fixed slots after a neuron's parameter block, as offsets from its length L. */
export const NEURON_SLOTS = {
  /** The scalar external input of the tick (f32). */
  iS: 0,
  /** Pointer to the per-neuron external input (f32 per neuron). */
  ia: 1,
  /** Pointers to the float32 sums the synapse kernels add into: Σg, Σg·E, Σ current. */
  G: 2,
  GE: 3,
  Ic: 4,
  /** Pointer to the spike list (i32). */
  spikes: 5,
  /** Pointer to `lastSpike` (i32), when the model keeps it. */
  last: 6,
  /** Refractory ticks (i32; −1 for none). */
  nRef: 7,
  /** First state pointer. */
  state: 8,
} as const

export function neuronExport(kind: string): string {
  return `n_${kind}`
}

/** Slots of a neuron kernel's block: the parameter block, the fixed slots, the state pointers. */
export function neuronSlots(rec: NeuronRecord): number {
  return blockLayout(rec).length + NEURON_SLOTS.state + rec.state.length
}

export function synapseExport(kind: string, merged: boolean, output: string): string {
  return `s_${kind}_${merged ? 'm' : 'n'}_${output}`
}

/** Slot offsets of a synapse kernel's block. */
export function synapseLayout(
  syn: SynapseRecord,
  out: OutputRecord,
): {
  cols: number
  cond: number
  derived: number
  outParams: number
  outDerived: number
  G: number
  GE: number
  Ic: number
  V: number
  size: number
} {
  const cols = 0
  const cond = syn.columns.length
  const derived = cond + 1
  const outParams = derived + syn.derived.length
  const outDerived = outParams + out.params.length
  const G = outDerived + out.derived.length
  return { cols, cond, derived, outParams, outDerived, G, GE: G + 1, Ic: G + 2, V: G + 3, size: G + 4 }
}
