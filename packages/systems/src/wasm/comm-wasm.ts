/**
 * WebAssembly comm kernels for `kernel: 'wasm'` worlds: stored rows (one weight or one per synapse) and
 * on-the-fly rows with one weight. Their events, order and float32 additions are those of comm/kernels.ts,
 * so they give bit-identical synapse states (tested). Spike indices are copied, re-indexed to the comm
 * layer's input, into a staging column of the arena before each call.
 */
import { allocColumn, type Column, type GapTable, type ProjectionData, type World } from '@spikecs/ecs-core'
import { wasmExports } from './lif-wasm.js'

type CsrHomo = (ptr: number, ind: number, spk: number, ns: number, g: number, w: number) => void
type CsrWeights = (ptr: number, ind: number, W: number, spk: number, ns: number, g: number) => void
type JitHomo = (spk: number, ns: number, key: number, nPost: number, bits: number, lo: number, hi: number,
  thr: number, g: number, w: number, self: number) => number

export interface WasmComm {
  readonly kind: 'csr_homo' | 'csr_weights' | 'jit_homo'
  readonly staging: Column<Int32Array>
  /** Arena offsets of the target columns. */
  readonly targets: readonly number[]
  readonly run: (ns: number, target: number) => number
}

function staging(world: World): Column<Int32Array> {
  let col = world.caches.get('wasm:staging') as Column<Int32Array> | undefined
  if (col === undefined) {
    let max = 1
    for (const p of world.components.Population.list) max = Math.max(max, p.size)
    for (const b of world.components.SpikeBuffer.list) max = Math.max(max, b.size)
    col = allocColumn(world, 0, 'wasm.staging', 'i32', max)
    world.caches.set('wasm:staging', col)
  }
  return col
}

function gapColumns(world: World, t: GapTable): { lo: number; hi: number; thr: number } {
  const key = `wasm:gaps:${t.prob}:${t.cap}:${t.binBits}`
  let cols = world.caches.get(key) as { lo: number; hi: number; thr: number } | undefined
  if (cols === undefined) {
    const lo = allocColumn(world, 0, 'wasm.gaps.binLo', 'u32', t.binLo.length)
    const hi = allocColumn(world, 0, 'wasm.gaps.binHi', 'u32', t.binHi.length)
    const thr = allocColumn(world, 0, 'wasm.gaps.thresholds', 'u32', Math.max(1, t.thresholds.length))
    lo.array.set(t.binLo)
    hi.array.set(t.binHi)
    thr.array.set(t.thresholds)
    cols = { lo: lo.offset, hi: hi.offset, thr: thr.offset }
    world.caches.set(key, cols)
  }
  return cols
}

/** The WebAssembly comm kernel of a projection, or null when its layer runs in TypeScript. */
export function createWasmComm(world: World, proj: ProjectionData, selfOffset: number): WasmComm | null {
  if (world.kernel !== 'wasm' || world.dtype !== 'float32' || world.arena === null) return null
  const c = proj.comm
  if (proj.state.inputCols.some((col) => col.offset < 0)) return null
  const targets = proj.state.inputCols.map((col) => col.offset)
  const ex = wasmExports(world)
  if (c.kind === 'EventCSRLinear') {
    const st = staging(world)
    const ptr = c.indptr.offset, ind = c.indices.offset
    if (c.weights === null) {
      const fn = ex.csr_homo as unknown as CsrHomo, w = c.weight
      return { kind: 'csr_homo', staging: st, targets, run: (ns, g) => (fn(ptr, ind, st.offset, ns, g, w), 0) }
    }
    const fn = ex.csr_weights as unknown as CsrWeights, W = c.weights.offset
    return { kind: 'csr_weights', staging: st, targets, run: (ns, g) => (fn(ptr, ind, W, st.offset, ns, g), 0) }
  }
  const weight = 'gen' in c ? c.gen.weight : null
  if (c.kind === 'EventJitFPHomoLinear' && weight !== null && weight.kind === 'homo' && c.gen.prob > 0) {
    const st = staging(world)
    const gen = c.gen, t = gen.gaps
    const { lo, hi, thr } = gapColumns(world, t)
    const fn = ex.jit_homo as unknown as JitHomo, w = weight.value
    const self = gen.includeSelf ? -1 : selfOffset
    return {
      kind: 'jit_homo', staging: st, targets,
      run: (ns, g) => fn(st.offset, ns, gen.key | 0, gen.nPost, t.binBits, lo, hi, thr, g, w, self),
    }
  }
  return null
}

/** Delivers the spikes idx[from..to) (minus `offset`) through a WebAssembly comm kernel; returns the events. */
export function runWasmComm(t: WasmComm, idx: Int32Array, from: number, to: number, offset: number,
  csrEvents: (from: number, to: number) => number): number {
  const s = t.staging.array
  const ns = to - from
  for (let q = 0; q < ns; q++) s[q] = idx[from + q] - offset
  let events = 0
  for (let k = 0; k < t.targets.length; k++) events = t.run(ns, t.targets[k])
  return t.kind === 'jit_homo' ? events : csrEvents(from, to)
}
