/**
 * WebAssembly comm kernels for `kernel: 'wasm'` worlds: stored rows (one weight or one per synapse) and
 * on-the-fly rows with one weight, offered by those layers' records (`wasm`). Their events, order and float32
 * additions are those of the records' `deliver` kernels, so they give bit-identical synapse states (tested). Spike indices are copied,
 * re-indexed to the comm
 * layer's input, into a staging column of the arena before each call.
 */
import { allocColumn, type Column, type FloatArray, type ProjectionData, type World } from '@spikecs/ecs-core'
import { wasmExports } from './lif-wasm.js'
import { LN_TABLE, type GapTable, type RowGenerator } from '../comm/rows.js'

type CsrHomo = (ptr: number, ind: number, spk: number, ns: number, g: number, w: number) => void
type CsrWeights = (ptr: number, ind: number, W: number, spk: number, ns: number, g: number) => void
/** Arguments every on-the-fly kernel takes: spikes, their count, the row key, the post count. */
type RowArgs = [spk: number, ns: number, key: number, nPost: number]
/** The target column, the weight and the self-pair offset. */
type TargetArgs = [g: number, w: number, self: number]
/** The blocked (post-ordered) delivery's buckets, fill counters and bucket capacity. */
type SortArgs = [B: number, cnt: number, cap: number]
/** Gap sampling from the threshold table: bits per draw, the table's range and its thresholds. */
type TableArgs = [bits: number, lo: number, hi: number, thr: number]
/** Gap sampling by logarithms: 1/ln(1 − p) and the logarithm table. */
type LogArgs = [inv: number, lnt: number]
type JitHomo = (...a: [...RowArgs, ...TableArgs, ...TargetArgs]) => number
type JitHomoSorted = (...a: [...RowArgs, ...TableArgs, ...TargetArgs, ...SortArgs]) => number
type JitHomoLog = (...a: [...RowArgs, ...LogArgs, ...TargetArgs]) => number
type JitHomoSortedLog = (...a: [...RowArgs, ...LogArgs, ...TargetArgs, ...SortArgs]) => number

/**
 * Posts at which on-the-fly delivery switches to post-ordered (blocked) delivery: a state column of 64K
 * float32 (256 KiB) no longer stays in a core's cache while random rows scatter into it.
 */
export const SORTED_DELIVERY_POSTS = 65536
/** Targets a block's bucket holds before it is added (16 KiB per block of 2^14 posts). */
const BUCKET_CAP = 4096

export interface WasmComm {
  readonly kind: 'csr_homo' | 'csr_weights' | 'jit_homo' | 'jit_homo_sorted'
  readonly staging: Column<Int32Array>
  /** Arena offsets of the target columns. */
  readonly targets: readonly number[]
  readonly run: (ns: number, target: number) => number
  /** Row pointers of stored layers (to count events), null for on-the-fly rows (the kernel counts them). */
  readonly indptr: Int32Array | null
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

/** Scratch of the blocked delivery (one bucket of targets and one fill counter per block), one per world. */
function sortBuffers(world: World): { B: number; cnt: number } {
  let b = world.caches.get('wasm:sort') as { B: number; cnt: number } | undefined
  if (b === undefined) {
    let maxPost = 1
    for (const p of world.components.Population.list) maxPost = Math.max(maxPost, p.size)
    const nBlocks = (maxPost >> 14) + 1
    b = {
      B: allocColumn(world, 0, 'wasm.sort.buckets', 'i32', nBlocks * BUCKET_CAP).offset,
      cnt: allocColumn(world, 0, 'wasm.sort.fill', 'i32', nBlocks).offset,
    }
    world.caches.set('wasm:sort', b)
  }
  return b
}

/** The logarithm's table (see comm/rows.ts) copied into the arena, once per world. */
function lnTableColumn(world: World): number {
  let off = world.caches.get('wasm:ln') as number | undefined
  if (off === undefined) {
    const col = allocColumn(world, 0, 'wasm.lnTable', 'f64', LN_TABLE.length)
    col.array.set(LN_TABLE)
    off = col.offset
    world.caches.set('wasm:ln', off)
  }
  return off
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

/**
 * The arena offsets of a projection's target columns when its layer may run a WebAssembly kernel (kernel
 * `wasm`, float32, every target column in the arena), else null.
 */
export function wasmCommTargets(world: World, proj: ProjectionData): number[] | null {
  if (world.kernel !== 'wasm' || world.dtype !== 'float32' || world.arena === null) return null
  if (proj.state.inputCols.some((col) => col.offset < 0)) return null
  return proj.state.inputCols.map((col) => col.offset)
}

/** The columns of stored rows (comm/csr.ts `CsrData`). */
interface StoredRows {
  readonly indptr: Column<Int32Array>
  readonly indices: Column<Int32Array>
  readonly weight: number
  readonly weights: Column<FloatArray> | null
}

/** Stored rows (one weight or one per synapse), event-driven. */
export function csrWasm(world: World, c: StoredRows, targets: readonly number[]): WasmComm {
  const ex = wasmExports(world)
  const st = staging(world)
  const ptr = c.indptr.offset,
    ind = c.indices.offset
  const indptr = c.indptr.array
  if (c.weights === null) {
    const fn = ex.csr_homo as unknown as CsrHomo,
      w = c.weight
    return {
      kind: 'csr_homo',
      staging: st,
      targets,
      indptr,
      run: (ns, g) => {
        fn(ptr, ind, st.offset, ns, g, w)
        return 0
      },
    }
  }
  const fn = ex.csr_weights as unknown as CsrWeights,
    W = c.weights.offset
  return {
    kind: 'csr_weights',
    staging: st,
    targets,
    indptr,
    run: (ns, g) => {
      fn(ptr, ind, W, st.offset, ns, g)
      return 0
    },
  }
}

/** On-the-fly rows with one weight, event-driven (null for p = 0 or a weight law). */
export function jitWasm(world: World, gen: RowGenerator, selfOffset: number, targets: readonly number[]): WasmComm | null {
  if (gen.weight.kind !== 'homo' || !(gen.prob > 0)) return null
  const ex = wasmExports(world)
  const st = staging(world)
  const t = gen.gaps
  const w = gen.weight.value
  const self = gen.includeSelf ? -1 : selfOffset
  const sorted = gen.nPost >= SORTED_DELIVERY_POSTS
  const buf = sorted ? sortBuffers(world) : { B: 0, cnt: 0 }
  const comm = (kind: WasmComm['kind'], run: WasmComm['run']): WasmComm => ({ kind, staging: st, targets, run, indptr: null })
  if (t.mode === 'log') {
    const inv = t.invLog1mp
    const lnt = lnTableColumn(world)
    if (sorted) {
      const fn = ex.jit_homo_sorted_log as unknown as JitHomoSortedLog
      return comm('jit_homo_sorted', (ns, g) => fn(st.offset, ns, gen.key | 0, gen.nPost, inv, lnt, g, w, self, buf.B, buf.cnt, BUCKET_CAP))
    }
    const fn = ex.jit_homo_log as unknown as JitHomoLog
    return comm('jit_homo', (ns, g) => fn(st.offset, ns, gen.key | 0, gen.nPost, inv, lnt, g, w, self))
  }
  const { lo, hi, thr } = gapColumns(world, t)
  if (sorted) {
    const fn = ex.jit_homo_sorted as unknown as JitHomoSorted
    return comm('jit_homo_sorted', (ns, g) =>
      fn(st.offset, ns, gen.key | 0, gen.nPost, t.binBits, lo, hi, thr, g, w, self, buf.B, buf.cnt, BUCKET_CAP),
    )
  }
  const fn = ex.jit_homo as unknown as JitHomo
  return comm('jit_homo', (ns, g) => fn(st.offset, ns, gen.key | 0, gen.nPost, t.binBits, lo, hi, thr, g, w, self))
}

/**
 * The gap sampler's arguments of the owner-bucket kernels (`jit_homo_owner`, `jit_homo_owner_log`) that the
 * threads of a float32 `wasm` world call to generate on-the-fly rows with one weight; null where the layer has
 * no WebAssembly kernel (a weight law, p = 0): the threads then generate its rows in TypeScript.
 */
export function jitOwnerArgs(
  world: World,
  gen: RowGenerator,
):
  | { readonly log: false; readonly bits: number; readonly lo: number; readonly hi: number; readonly thr: number }
  | { readonly log: true; readonly inv: number; readonly lnt: number }
  | null {
  if (gen.weight.kind !== 'homo' || !(gen.prob > 0)) return null
  const t = gen.gaps
  if (t.mode === 'log') return { log: true, inv: t.invLog1mp, lnt: lnTableColumn(world) }
  return { log: false, bits: t.binBits, ...gapColumns(world, t) }
}

/** Delivers the spikes idx[from..to) (minus `offset`) through a WebAssembly comm kernel; returns the events. */
export function runWasmComm(t: WasmComm, idx: Int32Array, from: number, to: number, offset: number): number {
  const s = t.staging.array
  const ns = to - from
  const ptr = t.indptr
  let rows = 0
  if (ptr === null) {
    for (let q = 0; q < ns; q++) s[q] = idx[from + q] - offset
  } else {
    // Stored rows: count the events while staging.
    for (let q = 0; q < ns; q++) {
      const i = idx[from + q] - offset
      s[q] = i
      rows += ptr[i + 1] - ptr[i]
    }
  }
  let events = 0
  for (let k = 0; k < t.targets.length; k++) events = t.run(ns, t.targets[k])
  return ptr === null ? events : rows
}
