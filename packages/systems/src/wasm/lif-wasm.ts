/**
 * WebAssembly SIMD kernels for the LIF family (float32 worlds created with `kernel: 'wasm'`). One call per
 * population per tick does the fused work of AlignPostSystem, OutputSystem and NeuronSystem for that
 * population in 4-lane float32 arithmetic on the columns in the world's arena (see `wasm/lif-kernels.mjs`).
 * The TypeScript kernels stay the reference: the two agree to float32 rounding on short runs and
 * statistically on long ones (the tests check both); each is deterministic on its own.
 */
import { allocColumn, type Column, type PopulationData, type World } from '@spikecs/ecs-core'
import type { NeuronInputs } from '../models/neuron-model.js'
import { LIF_WASM_LOCAL, LIF_WASM_SHARED } from './lif-bytes.gen.js'

/** Most incoming synapse states a population may have for the WebAssembly kernel. */
export const WASM_MAX_STATES = 4
const LIF_KINDS = new Set(['Lif', 'LifRef', 'LifLTC', 'LifRefLTC'])
/** Parameter block slots (see the module text). */
export const WASM_PARAM_SLOTS = 12 + 8 * WASM_MAX_STATES

type Kernel = (n: number, V: number, last: number, spikes: number, prm: number, tick: number) => number

const modules: { shared: WebAssembly.Module | null; local: WebAssembly.Module | null } = { shared: null, local: null }

function decode(b64: string): Uint8Array {
  const s = atob(b64)
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
  return out
}

/**
 * Compiles the kernel modules ahead of time. Browsers refuse synchronous compilation of larger modules on
 * the main thread: call (and await) this once before building a `kernel: 'wasm'` world there. Node does not need it.
 */
export async function prepareWasm(): Promise<void> {
  if (modules.local === null) modules.local = await WebAssembly.compile(decode(LIF_WASM_LOCAL) as BufferSource)
  if (modules.shared === null && typeof SharedArrayBuffer !== 'undefined') {
    try {
      modules.shared = await WebAssembly.compile(decode(LIF_WASM_SHARED) as BufferSource)
    } catch {
      // Shared memories need cross-origin isolation in browsers; worlds then use the non-shared module.
    }
  }
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
    mod = new WebAssembly.Module(decode(arena.shared ? LIF_WASM_SHARED : LIF_WASM_LOCAL) as BufferSource)
    modules[key] = mod
  }
  const inst = new WebAssembly.Instance(mod, { env: { memory: arena.memory } })
  const exports = inst.exports as unknown as Record<string, Kernel>
  world.caches.set('wasm:lif', exports)
  return exports
}

/**
 * True when the WebAssembly kernel can run population `pop` of `world`: kernel `wasm`, float32, fusion on
 * (the kernel does slots 3–5 in one call; `fuse: false` runs the TypeScript kernels slot by slot), a LIF
 * population whose incoming states are `Expon` with COBA/CUBA outputs.
 */
export function wasmEligible(world: World, pop: PopulationData): boolean {
  return world.kernel === 'wasm' && world.dtype === 'float32' && world.fuse && LIF_KINDS.has(pop.model)
    && pop.states.length <= WASM_MAX_STATES && pop.states.every((s) => s.kind === 'Expon')
    && pop.outputs.length === pop.states.length && pop.outputs.every((o, k) => o.state === pop.states[k])
    && pop.outputs.every((o) => o.kind === 'COBA' || o.kind === 'CUBA')
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
export interface WasmTask {
  readonly fn: Kernel
  readonly pop: PopulationData
  readonly f32: Float32Array
  readonly i32: Int32Array
  readonly input: Float32Array
  readonly prm: Column<Float32Array>
  /** Slots of vRest, vReset, vTh, R, −dt/τ, e^(−dt/τ) and nRef (−1: none) in the population's parameter block. */
  readonly slots: Int32Array
}

export function createWasmTask(world: World, pop: PopulationData): WasmTask {
  const exports = wasmExports(world)
  const ltc = pop.model === 'LifLTC' || pop.model === 'LifRefLTC'
  // COBA states first, then CUBA ones, each in creation order (float32 sums are not associative: the
  // SIMD kernel's order is its own, documented, and differs from the TypeScript kernels' creation order).
  const order = [...pop.states.keys()].sort((a, b) => Number(pop.outputs[a].kind === 'CUBA') - Number(pop.outputs[b].kind === 'CUBA') || a - b)
  const nCuba = pop.outputs.filter((o) => o.kind === 'CUBA').length
  const nMerged = pop.states.filter((s) => s.merged).length
  const mg = nMerged === 0 ? 'n' : nMerged === pop.states.length ? 'm' : 'x'
  const fn = exports[`lif_${ltc ? 'ltc' : 'plain'}_${pop.states.length - nCuba}_${nCuba}_${mg}`]
  const cols = wasmColumns(world, pop)
  const prm = cols.params
  const f32 = prm.array
  const i32 = new Int32Array(f32.buffer, f32.byteOffset, f32.length)
  order.forEach((j, k) => {
    const s = pop.states[j], o = pop.outputs[j]
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
  return { fn, pop, f32, i32, input: cols.input.array, prm, slots }
}

/**
 * Runs one tick of a population on its WebAssembly kernel (parameters are re-read, so live changes apply).
 * The inputs come as their record: a double passed as an argument to a call V8 does not inline is boxed on
 * the heap, which would allocate every tick.
 */
export function runWasmTask(t: WasmTask, inp: NeuronInputs, tick: number): void {
  const iScalar = inp.iScalar, iArr = inp.hasArr ? inp.iArr : null
  const P = t.pop.params, f32 = t.f32, pop = t.pop, k = t.slots
  f32[0] = P[k[0]] // vRest
  f32[1] = P[k[1]] // vReset
  f32[2] = P[k[2]] // vTh
  f32[3] = P[k[3]] // R
  f32[4] = P[k[4]] // −dt/τ
  f32[5] = P[k[5]] // e^(−dt/τ)
  t.i32[6] = k[6] < 0 ? -1 : P[k[6]] // nRef (−1 without refractoriness: never holds)
  f32[7] = iScalar
  if (iArr !== null) {
    const input = t.input
    for (let i = 0; i < input.length; i++) input[i] = iArr[i]
  }
  pop.nSpikes = t.fn(pop.size, pop.state.V.offset, pop.state.lastSpike.offset, pop.spikes.offset, t.prm.offset, tick)
}
