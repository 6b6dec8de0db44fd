/**
 * The plan: what the systems walk each tick, compiled from the world's entities whenever the world's
 * structure changed (its `version`). Records are gathered into dense arrays in creation order, every lookup
 * (model kinds, merge keys, queue slots' owners) is resolved here, scratch comes from the pool, and fused
 * kernels are generated. Per tick the systems never query, hash or allocate.
 */
import {
  Population, getComponent, releaseScratch, scratchF64, type CheckerData, type CommData, type DelayQueueData,
  type FloatArray, type InputData, type MonitorData, type OutputData, type PopulationData, type ProjectionData,
  type SpikeBufferData, type SynapseStateData, type World,
} from '@spikecs/ecs-core'
import { neuronModels } from './models/index.js'
import type { NeuronInputs, NeuronModel } from './models/neuron-model.js'
import { synapseModels } from './models/synapses.js'
import { commLayerOf, commSelfOffset } from './comm/registry.js'
import type { Deliver, RowScratch } from './comm/types.js'
import { canFuse, compileFused, type FusedKernel } from './fuse.js'
import { createWasmTask, wasmEligible, type WasmTask } from './wasm/lif-wasm.js'
import { wasmCommTargets, type WasmComm } from './wasm/comm-wasm.js'
import { compileChecks, type CheckPlan } from './checks.js'

export interface QueueTask {
  readonly queue: DelayQueueData
  readonly pop: PopulationData
}

export interface CommTask {
  readonly proj: ProjectionData
  /** The layer's data and its record's delivery kernel (see `comm/types.ts`). */
  readonly comm: CommData
  readonly deliver: Deliver<CommData>
  /** Event layer: its kernel gets null for the values (a value buffer's indices count as spikes). */
  readonly event: boolean
  readonly targets: readonly FloatArray[]
  /** Maps a comm-input index to the post index of the same neuron (−1 when pre and post differ). */
  readonly selfOffset: number
  /** The kernel's per-tick scratch (on-the-fly rows), or null. */
  readonly rows: RowScratch | null
  /** The WebAssembly comm kernel (kernel `wasm`, float32, a layer that has one), or null. */
  readonly wasm: WasmComm | null
}

export interface StateTask {
  readonly state: SynapseStateData
  readonly advance: (s: SynapseStateData) => void
}

export interface OutputTask {
  readonly output: OutputData
  readonly inp: NeuronInputs
  readonly V: FloatArray | null
}

export interface NeuronTask {
  readonly pop: PopulationData
  readonly model: NeuronModel
  readonly inp: NeuronInputs
  readonly scalarInputs: readonly InputData[]
  readonly arrayInputs: readonly InputData[]
  /** The fused kernel, or null when the population runs the unfused path. */
  readonly fused: FusedKernel | null
  /** The WebAssembly kernel, or null (kernel `js`, or models it does not cover). */
  readonly wasm: WasmTask | null
}

export interface Plan {
  readonly version: number
  readonly queues: readonly QueueTask[]
  readonly comm: readonly CommTask[]
  readonly buffers: readonly SpikeBufferData[]
  readonly states: readonly StateTask[]
  readonly outputs: readonly OutputTask[]
  readonly neurons: readonly NeuronTask[]
  readonly monitors: readonly MonitorData[]
  readonly checkers: readonly CheckerData[]
  /** The checkers' count limits and the columns finite checks scan. */
  readonly checks: CheckPlan
  /** Synaptic events delivered since the world was created. */
  events: number
}

/** The world's plan, rebuilt first if the world changed since it was compiled. */
export function planOf(world: World): Plan {
  const p = world.plan as Plan | null
  if (p !== null && p.version === world.version) return p
  return buildPlan(world, p)
}

function buildPlan(world: World, previous: Plan | null): Plan {
  // A non-shared arena that grows while the plan is built (kernel scratch is allocated on first use)
  // detaches the views captured so far: build again, when nothing new is allocated any more.
  const buffer = world.arena?.memory.buffer
  const plan = compilePlan(world, previous)
  if (world.arena !== null && world.arena.memory.buffer !== buffer) return compilePlan(world, previous)
  return plan
}

function compilePlan(world: World, previous: Plan | null): Plan {
  releaseScratch(world)
  const c = world.components
  const queues: QueueTask[] = c.DelayQueue.list.map((queue) => ({
    queue, pop: getComponent(world, queue.pop, Population) as PopulationData,
  }))

  const comm: CommTask[] = c.Projection.list.map((proj) => {
    const layer = commLayerOf(proj.comm)
    const selfOffset = commSelfOffset(proj)
    const wasmTargets = layer.wasm === undefined ? null : wasmCommTargets(world, proj)
    const wasm = wasmTargets === null ? null : layer.wasm!(world, proj.comm, selfOffset, wasmTargets)
    const rows = wasm === null && layer.scratch !== undefined ? layer.scratch(world, proj.comm) : null
    return {
      proj, comm: proj.comm, deliver: layer.deliver, event: layer.event,
      targets: proj.state.inputCols.map((col) => col.array), selfOffset, rows, wasm,
    }
  })

  const neurons: NeuronTask[] = []
  const fusedPops = new Set<PopulationData>()
  const inputsOf = new Map<PopulationData, NeuronInputs>()
  for (const pop of c.Population.list) {
    const model = neuronModels[pop.model] as NeuronModel
    const arrayInputs = pop.inputs.filter((x) => x.perNeuron)
    const scalarInputs = pop.inputs.filter((x) => !x.perNeuron)
    const wasm = wasmEligible(world, pop) ? createWasmTask(world, pop) : null
    const fuse = wasm !== null || (world.fuse && canFuse(pop, model))
    const n = pop.size
    const inp: NeuronInputs = fuse
      ? { G: scratchF64(world, 0), GE: scratchF64(world, 0), I: scratchF64(world, 0), iArr: scratchF64(world, n), hasArr: arrayInputs.length > 0, iScalar: 0 }
      : { G: scratchF64(world, n), GE: scratchF64(world, n), I: scratchF64(world, n), iArr: scratchF64(world, n), hasArr: arrayInputs.length > 0, iScalar: 0 }
    inputsOf.set(pop, inp)
    if (fuse) fusedPops.add(pop)
    neurons.push({
      pop, model, inp, scalarInputs, arrayInputs,
      fused: fuse && wasm === null ? compileFused(world, pop, model, arrayInputs.length > 0) : null,
      wasm,
    })
  }

  const states: StateTask[] = c.SynapseState.list
    .filter((s) => !fusedPops.has(s.post))
    .map((state) => ({ state, advance: synapseModels[state.kind]!.advance }))
  const outputs: OutputTask[] = c.Output.list
    .filter((o) => !fusedPops.has(o.post))
    .map((output) => ({
      output, inp: inputsOf.get(output.post) as NeuronInputs,
      V: output.post.state.V ? (output.post.state.V.array as FloatArray) : null,
    }))

  const plan: Plan = {
    version: world.version, queues, comm, buffers: c.SpikeBuffer.list, states, outputs, neurons,
    monitors: c.Monitor.list, checkers: c.Checker.list, checks: compileChecks(world), events: previous?.events ?? 0,
  }
  world.plan = plan
  return plan
}

/** True when population `pop` runs a fused kernel in the current plan. */
export function isFused(world: World, pop: PopulationData): boolean {
  return planOf(world).neurons.some((t) => t.pop === pop && (t.fused !== null || t.wasm !== null))
}
