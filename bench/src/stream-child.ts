/**
 * Child process of `pnpm bench:threads`: the machine's streaming memory bandwidth with 1 and 2 threads — a
 * STREAM-like triad a[i] = b[i] + s·c[i] over three arrays of 2^23 doubles (64 MiB each, far beyond the
 * caches) on shared memory, each thread taking one contiguous half. Bandwidth counts 24 bytes per element
 * (two reads, one write); the best of `reps` passes is kept, as STREAM does. The same for arithmetic: a
 * multiply-add pass over 2 × 16 Ki float32 values (in the caches), repeated 400 times — the ceiling of what a
 * second thread adds to a compute-bound kernel (on cores that share their arithmetic units, or a host that
 * does not give both cores at once, well under 2). One JSON line.
 *
 * `--compute-only`: the compute probe alone (a quick check that the second core is free, before a paired run).
 *
 *   node bench/dist/stream-child.js [--reps 10] [--compute-only]
 */
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { emit } from './lib/child.js'

const { values: a } = parseArgs({
  options: { reps: { type: 'string', default: '10' }, 'compute-only': { type: 'boolean', default: false } },
})
const reps = Number(a.reps)
const computeOnly = a['compute-only'] as boolean
const N = 1 << 23
const sab = new SharedArrayBuffer(3 * 8 * N)
const ctrl = new Int32Array(new SharedArrayBuffer(16))
const A = new Float64Array(sab, 0, N),
  B = new Float64Array(sab, 8 * N, N),
  C = new Float64Array(sab, 16 * N, N)
for (let i = 0; i < N; i++) {
  B[i] = i & 1023
  C[i] = (i * 7) & 1023
}

function triad(from: number, to: number): void {
  const s = 3
  for (let i = from; i < to; i++) A[i] = B[i] + s * C[i]
}

// Compute probe: in-cache float32 multiply-adds, each thread over its own half (its own cache lines).
const M = 1 << 15
const csab = new SharedArrayBuffer(2 * 4 * M)
const X = new Float32Array(csab, 0, M),
  Y = new Float32Array(csab, 4 * M, M)
for (let i = 0; i < M; i++) {
  X[i] = i & 255
  Y[i] = (i * 3) & 255
}
const PASSES = 400
function compute(from: number, to: number): void {
  for (let r = 0; r < PASSES; r++) for (let i = from; i < to; i++) X[i] = X[i] * 0.9990234375 + Y[i] * 0.0009765625
}

// The helper thread runs the second half each time ctrl[0] is bumped, and bumps ctrl[1] when done.
const helper = new Worker(
  `const { workerData } = require('node:worker_threads')
   const { sab, ctrl, N } = workerData
   const A = new Float64Array(sab, 0, N), B = new Float64Array(sab, 8 * N, N), C = new Float64Array(sab, 16 * N, N)
   const M = 1 << 15, X = new Float32Array(workerData.csab, 0, M), Y = new Float32Array(workerData.csab, 4 * M, M)
   let gen = 0
   for (;;) {
     Atomics.wait(ctrl, 0, gen)
     gen = Atomics.load(ctrl, 0)
     if (gen < 0) break
     if (Atomics.load(ctrl, 2) === 0) for (let i = N >> 1; i < N; i++) A[i] = B[i] + 3 * C[i]
     else for (let r = 0; r < ${PASSES}; r++) for (let i = M >> 1; i < M; i++) X[i] = X[i] * 0.9990234375 + Y[i] * 0.0009765625
     Atomics.store(ctrl, 1, gen)
     Atomics.notify(ctrl, 1)
   }`,
  { eval: true, workerData: { sab, csab, ctrl, N } },
)

/** One pass of the triad (kind 0) or the compute probe (kind 1) on 1 or 2 threads; ms. */
function pass(threads: number, gen: number, kind: number): number {
  const t0 = performance.now()
  const n = kind === 0 ? N : M
  const work = kind === 0 ? triad : compute
  if (threads === 1) work(0, n)
  else {
    Atomics.store(ctrl, 2, kind)
    Atomics.store(ctrl, 0, gen)
    Atomics.notify(ctrl, 0)
    work(0, n >> 1)
    while (Atomics.load(ctrl, 1) !== gen) Atomics.wait(ctrl, 1, Atomics.load(ctrl, 1))
  }
  return performance.now() - t0
}

const best: Record<string, number> = { '1': Infinity, '2': Infinity, c1: Infinity, c2: Infinity }
let gen = 0
compute(0, M) // warm-up
for (let r = 0; r < reps; r++) {
  // Paired: one pass of each, alternating which goes first.
  for (const t of r % 2 === 0 ? [1, 2] : [2, 1]) {
    if (!computeOnly) best[String(t)] = Math.min(best[String(t)], pass(t, ++gen, 0))
    best[`c${t}`] = Math.min(best[`c${t}`], pass(t, ++gen, 1))
  }
}
Atomics.store(ctrl, 0, -1)
Atomics.notify(ctrl, 0)
await helper.terminate()
const gbps = (ms: number) => (24 * N) / (ms / 1000) / 1e9
emit({
  kind: 'stream',
  bytesPerPass: 24 * N,
  gbps1: gbps(best['1']),
  gbps2: gbps(best['2']),
  ratio: best['1'] / best['2'],
  computeRatio: best.c1 / best.c2,
})
