/**
 * The plan: what the systems walk each tick, compiled from the world's entities whenever the world's
 * structure changed (its `version`). Records are gathered into dense arrays in creation order, every lookup
 * (model kinds, merge keys, queue slots' owners) is resolved here, scratch comes from the pool, and fused
 * kernels are generated. Per tick the systems never query, hash or allocate.
 */
import {
  Population,
  getComponent,
  releaseScratch,
  scratchF64,
  type CheckerData,
  type CommData,
  type DelayQueueData,
  type FloatArray,
  type InputData,
  type MonitorData,
  type OutputData,
  type PopulationData,
  type ProjectionData,
  type SpikeBufferData,
  type SynapseStateData,
  type World,
} from '@spikecs/ecs-core'
import { neuronModels } from './models/index.js'
import type { NeuronInputs, NeuronModel } from './models/neuron-model.js'
import { flushLimit, flushed, synapseModels } from './models/synapses.js'
import { outputRecord } from './models/outputs.js'
import {
  unfusedNeuronKernel,
  unfusedOutputKernel,
  unfusedSynapseKernel,
  type NeuronKernel,
  type OutputKernel,
  type SynapseKernel,
} from './codegen/js.js'
import { commLayerOf, commSelfOffset } from './comm/registry.js'
import type { Deliver, RowScratch } from './comm/types.js'
import { canFuse, compileFused } from './fuse.js'
import { createWasmTask, wasmEligible, type WasmTask } from './wasm/lif-wasm.js'
import { wasmCommTargets, type WasmComm } from './wasm/comm-wasm.js'
import { compileChecks, type CheckPlan } from './checks.js'
import { arenaF64, buildThreads, stopThreads, threadsOf, trialRunning, type ThreadPlan } from './threads/build.js'
import { Plasticity, type StdpData } from './plasticity/stdp.js'

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
  /** The projection's plasticity (`STDP_Song2000`), run before its delivery; null for static weights. */
  readonly stdp: StdpData | null
}

export interface StateTask {
  readonly state: SynapseStateData
  /** The unfused advance generated from the synapse record, over [0, n). */
  readonly advance: SynapseKernel
  readonly n: number
}

export interface OutputTask {
  readonly output: OutputData
  readonly inp: NeuronInputs
  readonly V: FloatArray | null
  /** The unfused output kernel generated from the output record, over [0, n). */
  readonly apply: OutputKernel
  readonly n: number
}

export interface NeuronTask {
  readonly pop: PopulationData
  readonly model: NeuronModel
  readonly inp: NeuronInputs
  readonly scalarInputs: readonly InputData[]
  readonly arrayInputs: readonly InputData[]
  /**
   * The TypeScript kernel generated from the records: the population's fused kernel (slots 3–5), or its
   * model's unfused neuron kernel (slot 5 only); null for spike sources and WebAssembly populations.
   */
  readonly kernel: NeuronKernel | null
  /** True when `kernel` is fused. */
  readonly fused: boolean
  /** The WebAssembly kernel, or null (kernel `js`, `fuse: false`, or models it does not cover). */
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
  /** The threads running the parallel slots (more than one thread), or null (one thread). */
  readonly threads: ThreadPlan | null
  /**
   * A fault tests inject (`world.caches.set('threads:fault', { population, tick })`, set before the plan is
   * built): the neuron task index and tick at which its kernel throws, on any thread count; −1: none.
   */
  readonly fault: { readonly pop: number; readonly tick: number }
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
  // With threads, every per-neuron array a kernel reads lives in the shared arena.
  const T = threadsOf(world)
  const f64 = (key: string, n: number) => (T > 1 ? arenaF64(world, key, n) : scratchF64(world, n))
  const queues: QueueTask[] = c.DelayQueue.list.map((queue) => ({
    queue,
    pop: getComponent(world, queue.pop, Population) as PopulationData,
  }))

  const comm: CommTask[] = c.Projection.list.map((proj) => {
    const layer = commLayerOf(proj.comm)
    const selfOffset = commSelfOffset(proj)
    const wasmTargets = layer.wasm === undefined ? null : wasmCommTargets(world, proj)
    const wasm = wasmTargets === null ? null : layer.wasm!(world, proj.comm, selfOffset, wasmTargets)
    const rows = wasm === null && layer.scratch !== undefined ? layer.scratch(world, proj.comm) : null
    return {
      proj,
      comm: proj.comm,
      deliver: layer.deliver,
      event: layer.event,
      targets: proj.state.inputCols.map((col) => col.array),
      selfOffset,
      rows,
      wasm,
      stdp: getComponent(world, proj.eid, Plasticity) ?? null,
    }
  })

  const neurons: NeuronTask[] = []
  const fusedPops = new Set<PopulationData>()
  const inputsOf = new Map<PopulationData, NeuronInputs>()
  for (const pop of c.Population.list) {
    const model = neuronModels[pop.model] as NeuronModel
    const arrayInputs = pop.inputs.filter((x) => x.perNeuron)
    const scalarInputs = pop.inputs.filter((x) => !x.perNeuron)
    const wasm = wasmEligible(world, pop) ? createWasmTask(world, pop, arrayInputs.length > 0) : null
    const fuse = wasm !== null || (world.fuse && canFuse(pop, model))
    let kernel: NeuronKernel | null = null
    if (wasm === null && model.record !== null) {
      kernel = fuse ? compileFused(world, pop, model, arrayInputs.length > 0) : unfusedNeuronKernel(model.record, world.dtype)
    }
    const n = pop.size
    const nSums = fuse ? 0 : n
    const inp: NeuronInputs = {
      G: f64(`G.${pop.eid}`, nSums),
      GE: f64(`GE.${pop.eid}`, nSums),
      I: f64(`I.${pop.eid}`, nSums),
      iArr: f64(`iArr.${pop.eid}`, n),
      hasArr: arrayInputs.length > 0,
      iScalar: 0,
    }
    inputsOf.set(pop, inp)
    if (fuse) fusedPops.add(pop)
    neurons.push({ pop, model, inp, scalarInputs, arrayInputs, kernel, fused: fuse && wasm === null, wasm })
  }

  const states: StateTask[] = c.SynapseState.list
    .filter((s) => !fusedPops.has(s.post))
    .map((state) => ({
      state,
      n: state.cond.array.length,
      advance: unfusedSynapseKernel(synapseModels[state.kind]!.record, state, world.dtype, flushLimit(world.dtype), flushed),
    }))
  const outputs: OutputTask[] = c.Output.list
    .filter((o) => !fusedPops.has(o.post))
    .map((output) => ({
      output,
      inp: inputsOf.get(output.post) as NeuronInputs,
      V: output.post.state.V ? (output.post.state.V.array as FloatArray) : null,
      apply: unfusedOutputKernel(outputRecord(output.kind)),
      n: output.state.cond.array.length,
    }))

  const plan: Plan = {
    version: world.version,
    queues,
    comm,
    buffers: c.SpikeBuffer.list,
    states,
    outputs,
    neurons,
    monitors: c.Monitor.list,
    checkers: c.Checker.list,
    checks: compileChecks(world),
    events: previous?.events ?? 0,
    threads: null,
    fault: faultOf(world, neurons),
  }
  if (T > 1) (plan as { threads: ThreadPlan | null }).threads = buildThreads(world, plan, T)
  else if (!trialRunning(world)) stopThreads(world)
  world.plan = plan
  return plan
}

function faultOf(world: World, neurons: readonly NeuronTask[]): Plan['fault'] {
  const f = world.caches.get('threads:fault') as { population: string; tick: number } | undefined
  if (f === undefined) return { pop: -1, tick: -1 }
  return { pop: neurons.findIndex((t) => t.pop.name === f.population), tick: f.tick }
}

/** True when population `pop` runs a fused kernel in the current plan. */
export function isFused(world: World, pop: PopulationData): boolean {
  return planOf(world).neurons.some((t) => t.pop === pop && (t.fused || t.wasm !== null))
}

/** Where one population's work runs in the current plan (see `describePlan`). */
export interface PopulationPlan {
  readonly population: string
  readonly model: string
  /**
   * `wasm-fused`: one WebAssembly SIMD call does slots 3–5 (the LIF family's fused kernel); `wasm`: WebAssembly
   * SIMD kernels generated from the records do slots 3–5 (one call per incoming synapse state, then one for the
   * neurons, through float32 sums); `fused`: one generated TypeScript loop does slots
   * 3–5; `unfused`: slots 3 (`AlignPostSystem`), 4 (`OutputSystem`) and 5 (`NeuronSystem`) run the generated
   * TypeScript kernels one after the other; `source`: a spike source's own update in slot 5.
   */
  readonly kernel: 'wasm-fused' | 'wasm' | 'fused' | 'unfused' | 'source'
  /** The slots (3 synapse states, 4 outputs, 5 neurons) each kind of kernel runs for this population. */
  readonly slots: { readonly wasm: readonly number[]; readonly fused: readonly number[]; readonly unfused: readonly number[] }
  /** Incoming synapse states (`kind`, `Mg` or not) and their outputs, in creation order. */
  readonly states: readonly string[]
  /** Why the population is not on a faster kernel, when it is not (empty otherwise). */
  readonly note: string
}

/** Per population, which kernel runs which slots of the tick — so a user can see where the work happens. */
export function describePlan(world: World): PopulationPlan[] {
  const plan = planOf(world)
  return plan.neurons.map((t) => {
    const pop = t.pop
    const states = pop.states.map((s, k) => `${s.kind}${s.merged ? ' (Mg)' : ''} → ${pop.outputs[k]?.kind ?? '?'}`)
    const hasSyn = pop.states.length > 0
    let kernel: PopulationPlan['kernel']
    let slots: PopulationPlan['slots']
    if (t.wasm !== null) {
      kernel = t.wasm.kind === 'lif' ? 'wasm-fused' : 'wasm'
      slots = { wasm: [3, 4, 5], fused: [], unfused: [] }
    } else if (t.kernel === null) {
      kernel = 'source'
      slots = { wasm: [], fused: [], unfused: [5] }
    } else if (t.fused) {
      kernel = 'fused'
      slots = { wasm: [], fused: [3, 4, 5], unfused: [] }
    } else {
      kernel = 'unfused'
      slots = { wasm: [], fused: [], unfused: hasSyn ? [3, 4, 5] : [5] }
    }
    let note = ''
    if (t.wasm === null && t.kernel !== null) {
      if (world.kernel === 'wasm') {
        note =
          world.dtype !== 'float32'
            ? 'WebAssembly kernels run float32 worlds only'
            : !world.fuse
              ? 'fuse: false runs the TypeScript kernels slot by slot'
              : `no WebAssembly kernel for ${pop.model} with these synapse states and outputs`
      } else if (!t.fused && world.fuse) note = 'some incoming synapse state or output cannot be fused'
      else if (!t.fused) note = 'fuse: false'
    }
    return { population: pop.name, model: pop.model, kernel, slots, states, note }
  })
}
