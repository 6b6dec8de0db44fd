/**
 * The WebAssembly SIMD neuron-side kernels at run time (float32 worlds created with `kernel: 'wasm'`): the
 * module (instantiated once per world on its arena), and per population the work of AlignPostSystem,
 * OutputSystem and NeuronSystem in 4-lane float32 arithmetic — one call of the LIF family's hand-fused kernel
 * (`wasm/lif-kernels.mjs`), or the kernels generated from the records (`wasm/model-kernels.ts`): each incoming
 * state's synapse kernel, then the neuron kernel. The TypeScript kernels stay the reference: they agree to
 * float32 rounding on short runs and statistically on long ones (the tests check both); each is deterministic
 * on its own.
 */
import { allocColumn, type Column, type PopulationData, type World } from '@spikecs/ecs-core'
import type { NeuronInputs } from '../models/neuron-model.js'
import { LIF_WASM_LOCAL, LIF_WASM_SHARED_AT, LIF_WASM_SHARED_FLAGS } from './lif-bytes.gen.js'
import { modelOfKind } from '../models/index.js'
import { synapseModels } from '../models/synapses.js'
import { outputRecord } from '../models/outputs.js'
import { blockLayout } from '../models/record.js'
import { NEURON_SLOTS, neuronExport, neuronSlots, synapseExport, synapseLayout } from '../codegen/wasm-layout.js'

/** Most incoming synapse states a population may have for the WebAssembly kernel. */
export const WASM_MAX_STATES = 4
const LIF_KINDS = new Set(['Lif', 'LifRef', 'LifLTC', 'LifRefLTC'])
/** Parameter block slots (see the module text). */
export const WASM_PARAM_SLOTS = 12 + 8 * WASM_MAX_STATES

type Kernel = (from: number, to: number, V: number, last: number, spikes: number, prm: number, tick: number, ns: number) => number

const modules: { shared: WebAssembly.Module | null; local: WebAssembly.Module | null } = { shared: null, local: null }

/** The kernel module's bytes, importing a shared memory or not (the two differ in the limits flags byte). */
function moduleBytes(shared: boolean): Uint8Array {
  const s = atob(LIF_WASM_LOCAL)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  if (shared) out[LIF_WASM_SHARED_AT] = LIF_WASM_SHARED_FLAGS
  return out
}

/**
 * Compiles the kernel modules ahead of time. Browsers refuse synchronous compilation of larger modules on
 * the main thread: call (and await) this once before building a `kernel: 'wasm'` world there. Node does not need it.
 */
export async function prepareWasm(): Promise<void> {
  if (modules.local === null) modules.local = await WebAssembly.compile(moduleBytes(false) as BufferSource)
  if (modules.shared === null && typeof SharedArrayBuffer !== 'undefined') {
    try {
      modules.shared = await WebAssembly.compile(moduleBytes(true) as BufferSource)
    } catch {
      // Shared memories need cross-origin isolation in browsers; worlds then use the non-shared module.
    }
  }
}

/** The kernel module compiled for shared memory (what worker threads instantiate on the world's arena). */
export function sharedWasmModule(): WebAssembly.Module {
  if (modules.shared === null) modules.shared = new WebAssembly.Module(moduleBytes(true) as BufferSource)
  return modules.shared
}

/** The kernel module's exports for a world (instantiated once, on the world's arena memory). */
export function wasmExports(world: World): Record<string, Kernel> {
  const cached = world.caches.get('wasm:lif') as Record<string, Kernel> | undefined
  if (cached) return cached
  const arena = world.arena
  if (arena === null) throw new Error('kernel wasm needs the arena')
  const key = arena.shared ? 'shared' : 'local'
  let mod = modules[key]
  if (mod === null) {
    mod = new WebAssembly.Module(moduleBytes(arena.shared) as BufferSource)
    modules[key] = mod
  }
  const inst = new WebAssembly.Instance(mod, { env: { memory: arena.memory } })
  const exports = inst.exports as unknown as Record<string, Kernel>
  world.caches.set('wasm:lif', exports)
  return exports
}

/**
 * True when a WebAssembly kernel runs population `pop` of `world` (slots 3–5 of the tick for it): the LIF
 * family's fused kernel, or the kernels generated from the records of its model and incoming synapse states
 * and outputs. Kernel `wasm`, float32 and fusion on (`fuse: false` runs the TypeScript kernels slot by slot).
 */
export function wasmEligible(world: World, pop: PopulationData): boolean {
  return lifEligible(world, pop) || modelEligible(world, pop)
}

/**
 * True when the LIF family's fused kernel runs `pop`: kernel `wasm`, float32, fusion on (the kernel does
 * slots 3–5 in one call; `fuse: false` runs the TypeScript kernels slot by slot), a LIF population whose
 * incoming states are at most four `Expon` with COBA/CUBA outputs. A world may turn the fused LIF kernels off
 * (`world.caches.set('wasm:lif-fused', false)`) to run the kernels generated from the LIF records instead: the
 * tests compare the two bit for bit.
 */
function lifEligible(world: World, pop: PopulationData): boolean {
  return (
    world.kernel === 'wasm' &&
    world.dtype === 'float32' &&
    world.fuse &&
    LIF_KINDS.has(pop.model) &&
    world.caches.get('wasm:lif-fused') !== false &&
    pop.states.length <= WASM_MAX_STATES &&
    pop.states.every((s) => s.kind === 'Expon') &&
    pop.outputs.length === pop.states.length &&
    pop.outputs.every((o, k) => o.state === pop.states[k]) &&
    pop.outputs.every((o) => o.kind === 'COBA' || o.kind === 'CUBA')
  )
}

/**
 * The WebAssembly parameter block and per-neuron input of a population, allocated in the arena the first
 * time a plan runs the population on a WebAssembly kernel (kernel scratch: owner 0, not saved by snapshots).
 */
function wasmColumns(world: World, pop: PopulationData): { params: Column<Float32Array>; input: Column<Float32Array> } {
  const key = `wasm:pop:${pop.eid}`
  let c = world.caches.get(key) as { params: Column<Float32Array>; input: Column<Float32Array> } | undefined
  if (c === undefined) {
    c = {
      params: allocColumn(world, 0, `wasm.params.${pop.name}`, 'f32', WASM_PARAM_SLOTS),
      input: allocColumn(world, 0, `wasm.input.${pop.name}`, 'f32', pop.size),
    }
    world.caches.set(key, c)
  }
  return c
}

/** A population's WebAssembly kernel call, prepared at plan time. */
export type WasmTask = LifWasmTask | ModelWasmTask

/** The LIF family's fused kernel: slots 3–5 in one call. */
export interface LifWasmTask {
  readonly kind: 'lif'
  readonly fn: Kernel
  /** The kernel's export name (a worker thread calls its own instance's). */
  readonly fnName: string
  readonly pop: PopulationData
  readonly f32: Float32Array
  readonly i32: Int32Array
  readonly input: Float32Array
  readonly prm: Column<Float32Array>
  /** Slots of vRest, vReset, vTh, R, −dt/τ, e^(−dt/τ) and nRef (−1: none) in the population's parameter block. */
  readonly slots: Int32Array
}

/** `hasArr`: the population has a per-neuron input (without one, the LIF kernel loads none). */
export function createWasmTask(world: World, pop: PopulationData, hasArr: boolean): WasmTask {
  if (!lifEligible(world, pop)) return createModelTask(world, pop)
  const exports = wasmExports(world)
  const ltc = pop.model === 'LifLTC' || pop.model === 'LifRefLTC'
  // COBA states first, then CUBA ones, each in creation order (float32 sums are not associative: the
  // SIMD kernel's order is its own, documented, and differs from the TypeScript kernels' creation order).
  const order = [...pop.states.keys()].sort(
    (a, b) => Number(pop.outputs[a].kind === 'CUBA') - Number(pop.outputs[b].kind === 'CUBA') || a - b,
  )
  const nCuba = pop.outputs.filter((o) => o.kind === 'CUBA').length
  const nMerged = pop.states.filter((s) => s.merged).length
  const mg = nMerged === 0 ? 'n' : nMerged === pop.states.length ? 'm' : 'x'
  // A per-neuron input: the mixed variant, which loads it (the merged masks in the block give the n and m results).
  const variant = hasArr ? `${pop.states.length > 0 ? 'x' : 'n'}_a` : mg
  const fnName = `lif_${ltc ? 'ltc' : 'plain'}_${pop.states.length - nCuba}_${nCuba}_${variant}`
  const fn = exports[fnName]
  const cols = wasmColumns(world, pop)
  const prm = cols.params
  const f32 = prm.array
  const i32 = new Int32Array(f32.buffer, f32.byteOffset, f32.length)
  order.forEach((j, k) => {
    const s = pop.states[j],
      o = pop.outputs[j]
    const b = 12 + 8 * k
    i32[b] = s.cols.g.offset
    i32[b + 1] = s.cond.offset
    f32[b + 2] = s.derived[0]
    i32[b + 3] = s.merged ? -1 : 0
    f32[b + 4] = o.kind === 'COBA' ? o.params.E : 0
  })
  i32[8] = cols.input.offset
  const ix = pop.paramIndex
  const slots = Int32Array.of(ix.vRest, ix.vReset, ix.vTh, ix.R, ix.negDtOverTau, ix.kV, ix.nRef ?? -1)
  return { kind: 'lif', fn, fnName, pop, f32, i32, input: cols.input.array, prm, slots }
}

/**
 * Runs one tick of a population on its WebAssembly kernel (parameters are re-read, so live changes apply).
 * The inputs come as their record: a double passed as an argument to a call V8 does not inline is boxed on
 * the heap, which would allocate every tick.
 */
export function runWasmTask(t: WasmTask, inp: NeuronInputs, tick: number): void {
  prepareWasmTask(t, inp)
  t.pop.nSpikes = runWasmRange(t, tick, 0, t.pop.size, 0)
}

/**
 * Stages a tick's parameters and external input for a population's WebAssembly kernel (once per tick, before
 * `runWasmRange` over one or more ranges, possibly on several threads).
 */
export function prepareWasmTask(t: WasmTask, inp: NeuronInputs): void {
  if (t.kind === 'model') {
    prepareModelTask(t, inp)
    return
  }
  const P = t.pop.params,
    f32 = t.f32,
    k = t.slots
  f32[0] = P[k[0]] // vRest
  f32[1] = P[k[1]] // vReset
  f32[2] = P[k[2]] // vTh
  f32[3] = P[k[3]] // R
  f32[4] = P[k[4]] // −dt/τ
  f32[5] = P[k[5]] // e^(−dt/τ)
  t.i32[6] = k[6] < 0 ? -1 : P[k[6]] // nRef (−1 without refractoriness: never holds)
  f32[7] = inp.iScalar
  if (inp.hasArr) {
    const input = t.input,
      iArr = inp.iArr
    for (let i = 0; i < input.length; i++) input[i] = iArr[i]
  }
}

/**
 * A population's WebAssembly kernel over the neurons [from, to) (from a multiple of 4), appending spikes from
 * index `ns`; returns the new count.
 */
export function runWasmRange(t: WasmTask, tick: number, from: number, to: number, ns: number): number {
  if (t.kind === 'model') return runModelRange(t, tick, from, to, ns)
  const pop = t.pop
  return t.fn(from, to, pop.state.V.offset, pop.state.lastSpike.offset, pop.spikes.offset, t.prm.offset, tick, ns)
}

// --- Kernels generated from the model records (any model, synapse kind and output) -----------------------

type NeuronFn = (from: number, to: number, prm: number, tick: number, ns: number) => number
type SynapseFn = (from: number, to: number, prm: number) => void

/** The generated kernels of a population: its synapse kernels in creation order, then its neuron kernel. */
export interface ModelWasmTask {
  readonly kind: 'model'
  readonly pop: PopulationData
  readonly neuron: NeuronFn
  readonly synapses: readonly SynapseFn[]
  /** Export names of the neuron and synapse kernels (a worker thread calls its own instance's). */
  readonly names: { readonly neuron: string; readonly synapses: readonly string[] }
  /** Byte offsets of the synapse kernels' parameter blocks. */
  readonly synPrm: Int32Array
  readonly prm: Column<Float32Array>
  readonly f32: Float32Array
  readonly i32: Int32Array
  /** Slots of the parameter block, and of nRef in it (−1: none). */
  readonly nBlock: number
  readonly kRef: number
  readonly input: Float32Array
}

function modelEligible(world: World, pop: PopulationData): boolean {
  if (world.kernel !== 'wasm' || world.dtype !== 'float32' || !world.fuse) return false
  const m = modelOfKind(pop.model)
  if (m === undefined || m.record === null) return false
  const exports = wasmExports(world)
  return (
    typeof exports[neuronExport(m.record.kind)] === 'function' &&
    pop.outputs.length === pop.states.length &&
    pop.outputs.every((o, k) => o.state === pop.states[k]) &&
    pop.states.every((s, k) => typeof exports[synapseExport(s.kind, s.merged, pop.outputs[k].kind)] === 'function')
  )
}

function scratchF32Column(world: World, key: string, name: string, n: number): Column<Float32Array> {
  let c = world.caches.get(key) as Column<Float32Array> | undefined
  if (c === undefined) {
    c = allocColumn(world, 0, name, 'f32', n)
    world.caches.set(key, c)
  }
  return c
}

function createModelTask(world: World, pop: PopulationData): ModelWasmTask {
  const exports = wasmExports(world) as unknown as Record<string, NeuronFn & SynapseFn>
  const rec = modelOfKind(pop.model)!.record!
  const n = pop.size
  const L = blockLayout(rec).length
  const prm = scratchF32Column(world, `wasm:prm:${pop.eid}`, `wasm.params.${pop.name}`, neuronSlots(rec))
  const input = scratchF32Column(world, `wasm:input:${pop.eid}`, `wasm.input.${pop.name}`, n)
  // The float32 sums the synapse kernels add into and the neuron kernel reads and zeroes.
  const sums = (['G', 'GE', 'Ic'] as const).map((k) => scratchF32Column(world, `wasm:${k}:${pop.eid}`, `wasm.${k}.${pop.name}`, n))
  const synBlocks = pop.states.map((s, k) => {
    const out = pop.outputs[k]
    const syn = synapseModels[s.kind]!.record,
      orec = outputRecord(out.kind)
    const lay = synapseLayout(syn, orec)
    return { s, out, syn, orec, lay, col: scratchF32Column(world, `wasm:syn:${s.eid}`, `wasm.synapse.${pop.name}.${k}`, lay.size) }
  })
  // Views last: the allocations above may have grown (and, unshared, detached) the arena.
  const buf = world.arena!.memory.buffer
  const i32 = new Int32Array(buf, prm.offset, prm.array.length)
  i32[L + NEURON_SLOTS.ia] = input.offset
  i32[L + NEURON_SLOTS.G] = sums[0].offset
  i32[L + NEURON_SLOTS.GE] = sums[1].offset
  i32[L + NEURON_SLOTS.Ic] = sums[2].offset
  i32[L + NEURON_SLOTS.spikes] = pop.spikes.offset
  i32[L + NEURON_SLOTS.last] = rec.lastSpike ? pop.state.lastSpike.offset : 0
  rec.state.forEach((v, j) => {
    i32[L + NEURON_SLOTS.state + j] = pop.state[v.name].offset
  })
  for (const b of synBlocks) {
    const f = new Float32Array(buf, b.col.offset, b.lay.size),
      q = new Int32Array(buf, b.col.offset, b.lay.size)
    b.syn.columns.forEach((c, j) => {
      q[b.lay.cols + j] = b.s.cols[c].offset
    })
    q[b.lay.cond] = b.s.cond.offset
    for (let j = 0; j < b.syn.derived.length; j++) f[b.lay.derived + j] = b.s.derived[j]
    b.orec.params.forEach((p, j) => {
      f[b.lay.outParams + j] = b.out.params[p.name]
    })
    b.orec.derived.forEach((d, j) => {
      f[b.lay.outDerived + j] = d.f(b.out.params, world.dtMs)
    })
    q[b.lay.G] = sums[0].offset
    q[b.lay.GE] = sums[1].offset
    q[b.lay.Ic] = sums[2].offset
    q[b.lay.V] = pop.state.V.offset
  }
  return {
    kind: 'model',
    pop,
    neuron: exports[neuronExport(rec.kind)],
    synapses: synBlocks.map((b) => exports[synapseExport(b.s.kind, b.s.merged, b.out.kind)]),
    names: { neuron: neuronExport(rec.kind), synapses: synBlocks.map((b) => synapseExport(b.s.kind, b.s.merged, b.out.kind)) },
    synPrm: Int32Array.from(synBlocks, (b) => b.col.offset),
    prm,
    f32: new Float32Array(buf, prm.offset, prm.array.length),
    i32,
    nBlock: L,
    kRef: rec.refractory ? pop.paramIndex.nRef : -1,
    input: input.array,
  }
}

/**
 * Stages a tick's parameters and external input for a population's generated kernels (once per tick, before
 * `runModelRange` over one or more ranges).
 */
export function prepareModelTask(t: ModelWasmTask, inp: NeuronInputs): void {
  const P = t.pop.params,
    f32 = t.f32,
    L = t.nBlock,
    n = t.pop.size
  for (let k = 0; k < L; k++) f32[k] = P[k]
  f32[L + NEURON_SLOTS.iS] = inp.iScalar
  t.i32[L + NEURON_SLOTS.nRef] = t.kRef < 0 ? -1 : P[t.kRef]
  if (inp.hasArr) {
    const input = t.input,
      ia = inp.iArr
    for (let i = 0; i < n; i++) input[i] = ia[i]
  }
}

/**
 * A population's generated kernels over the neurons [from, to) (from a multiple of 4): its synapse kernels in
 * creation order, then its neuron kernel, which appends spikes from index `ns`; returns the new count.
 */
export function runModelRange(t: ModelWasmTask, tick: number, from: number, to: number, ns: number): number {
  const syn = t.synapses,
    sp = t.synPrm
  for (let k = 0; k < syn.length; k++) syn[k](from, to, sp[k])
  return t.neuron(from, to, t.prm.offset, tick, ns)
}
