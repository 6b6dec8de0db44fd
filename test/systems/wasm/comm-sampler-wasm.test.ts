// The WebAssembly row sampler (wasm/comm-kernels.mjs: the counter hash in i32x4 lanes, table gaps, and log
// gaps in f64x2 lanes) is the second form of the TypeScript one (`generateRow`, comm/rows.ts). Held to it row
// by row: with weight 1 (exact in float32) and a zeroed state, one input i through the WebAssembly kernel leaves
// 1 exactly at the targets of row i, so the state's nonzero entries are the row's targets and the returned
// events its length. Both gap modes, direct and post-ordered (blocked) delivery, rows spread over the index
// range, and batches of rows (each post then counts the rows that reach it).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, Stream } from '@spikecs/ecs-core'
import {
  COBA,
  CommSystem,
  EventJitFPHomoLinear,
  Expon,
  HalfProjAlignPost,
  LifRef,
  addPopulation,
  addProjection,
  addSpikeBuffer,
  generateRow,
  planOf,
  synapticEvents,
  type JitData,
} from '@spikecs/systems'

interface Case {
  readonly prob: number
  readonly nPost: number
  readonly mode: 'table' | 'log'
  readonly kernel: string
}

const CASES: readonly Case[] = [
  { prob: 0.02, nPost: 4000, mode: 'table', kernel: 'jit_homo' },
  { prob: 0.3, nPost: 700, mode: 'table', kernel: 'jit_homo' },
  { prob: 1.2e-3, nPost: 30000, mode: 'log', kernel: 'jit_homo' },
  { prob: 0.01, nPost: 70000, mode: 'table', kernel: 'jit_homo_sorted' },
  { prob: 4e-4, nPost: 100000, mode: 'log', kernel: 'jit_homo_sorted' },
]
const N_PRE = 5000

function sampler(c: Case, seed: number) {
  const world = createWorld({ seed, kernel: 'wasm', dtype: 'float32' })
  const post = addPopulation(world, 'post', LifRef({ size: c.nPost }))
  const buf = addSpikeBuffer(world, 'pre', N_PRE)
  const proj = addProjection(
    world,
    'rows',
    HalfProjAlignPost({
      source: buf,
      post,
      comm: EventJitFPHomoLinear({ prob: c.prob, weight: 1 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  const plan = planOf(world)
  const g = proj.state.cols.g.array
  /** Delivers the inputs `rows` through the kernel of the plan; returns the state and the events. */
  const deliver = (rows: readonly number[]) => {
    g.fill(0)
    buf.indices.set(rows)
    buf.count = rows.length
    const before = synapticEvents(world)
    CommSystem(world)
    return { g, events: synapticEvents(world) - before }
  }
  return { deliver, gen: (proj.comm as JitData).gen, kernel: plan.comm[0].wasm?.kind ?? null }
}

test("each row of the WebAssembly sampler is generateRow's row: both gap modes, direct and blocked delivery", () => {
  const s = new Stream(31)
  for (const c of CASES) {
    const { deliver, gen, kernel } = sampler(c, 3)
    assert.is(kernel, c.kernel, 'runs the expected WebAssembly kernel')
    assert.is(gen.gaps.mode, c.mode)
    const want = new Int32Array(c.nPost),
      keys = new Uint32Array(2)
    const rows = [0, 1, N_PRE - 1]
    for (let k = 0; k < 200; k++) rows.push(s.u32() % N_PRE)
    for (const i of rows) {
      const n = generateRow(gen, i, -1, want, null, keys)
      const { g, events } = deliver([i])
      const got: number[] = []
      for (let j = 0; j < c.nPost; j++) {
        if (g[j] !== 0) {
          assert.is(g[j], 1, `p=${c.prob} row ${i}: post ${j} reached once`)
          got.push(j)
        }
      }
      assert.equal(got, Array.from(want.subarray(0, n)), `p=${c.prob} row ${i}`)
      assert.is(events, n, `p=${c.prob} row ${i}: events`)
    }
  }
})

test("batches of rows: every post counts the rows of the batch that reach it, as generateRow's rows say", () => {
  const s = new Stream(32)
  for (const c of CASES) {
    const { deliver, gen } = sampler(c, 4)
    const row = new Int32Array(c.nPost),
      keys = new Uint32Array(2)
    for (let b = 0; b < 10; b++) {
      const batch = new Set<number>()
      while (batch.size < 16) batch.add(s.u32() % N_PRE)
      const rows = [...batch].sort((x, y) => x - y)
      const want = new Float64Array(c.nPost)
      let total = 0
      for (const i of rows) {
        const n = generateRow(gen, i, -1, row, null, keys)
        total += n
        for (let k = 0; k < n; k++) want[row[k]]++
      }
      const { g, events } = deliver(rows)
      assert.equal(Array.from(g), Array.from(want), `p=${c.prob} batch ${b}`)
      assert.is(events, total)
    }
  }
})

test("log mode over about 10^6 draws: every input row at once, six seeds, each post's count as generateRow's rows say", () => {
  // A gap differs between two forms only where ln u / ln(1 − p) lies within their difference of an integer:
  // rare per draw, so many draws (about 170 000 per seed) make such a difference show.
  const all = Array.from({ length: N_PRE }, (_, i) => i)
  for (const c of CASES.filter((x) => x.mode === 'log')) {
    for (let seed = 11; seed < 17; seed++) {
      const { deliver, gen } = sampler(c, seed)
      const row = new Int32Array(c.nPost),
        keys = new Uint32Array(2)
      const want = new Float64Array(c.nPost)
      let total = 0
      for (const i of all) {
        const n = generateRow(gen, i, -1, row, null, keys)
        total += n
        for (let k = 0; k < n; k++) want[row[k]]++
      }
      const { g, events } = deliver(all)
      assert.is(events, total, `p=${c.prob} seed ${seed}: events`)
      let diff = 0
      for (let j = 0; j < c.nPost; j++) if (g[j] !== want[j]) diff++
      assert.is(diff, 0, `p=${c.prob} seed ${seed}: posts whose count differs`)
    }
  }
})

test.run()
