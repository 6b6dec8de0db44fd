// On-the-fly fixed-probability connectivity: exact Bernoulli(p) per pair via geometric gaps from integer
// thresholds, reproducible per (seed, projection name, pre index), identical to its CSR form. The statistics
// go through the path the kernels use — rows from `generateRow`, and in-degrees as a projection delivers them
// (TypeScript and WebAssembly comm kernels) — in both gap modes (table, and log for small p), with fixed seeds.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, counterU32, rowKeys, Stream, columnBytes, type ProjectionData } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addSpikeMonitor,
  addSpikeBuffer,
  pushSpike,
  insertSystem,
  step,
  synapticEvents,
  spikeData,
  run,
  generateRow,
  CommSystem,
  LifRef,
  LifRefLTC,
  normal,
  EventJitFPHomoLinear,
  EventCSRLinear,
  FixedProb,
  Expon,
  COBA,
  FullProjAlignPost,
  HalfProjAlignPost,
  lnUniform,
  type RowGenerator,
} from '@spikecs/systems'
import { assertSameArray, assertSameRecord } from '../../support/compare.js'

function genOf(p: ProjectionData): RowGenerator {
  if (!('gen' in p.comm)) throw new Error('not a JIT projection')
  return p.comm.gen
}

function rows(gen: RowGenerator, order: number[], nPre: number, self = -1): number[][] {
  const out: number[][] = new Array(nPre)
  const buf = new Int32Array(gen.nPost),
    keys = new Uint32Array(2)
  for (const i of order) {
    const n = generateRow(gen, i, self < 0 ? -1 : i + self, buf, null, keys)
    out[i] = Array.from(buf.subarray(0, n))
  }
  return out
}

function jitNet(seed: number, prob: number, extraFirst = false) {
  const world = createWorld({ seed })
  const pre = addPopulation(world, 'pre', LifRef({ size: 3000 }))
  const post = addPopulation(world, 'post', LifRef({ size: 4000 }))
  if (extraFirst)
    addProjection(
      world,
      'other',
      FullProjAlignPost({ pre, comm: EventJitFPHomoLinear({ prob: 0.1, weight: 1 }), syn: Expon({ tau: 3 }), out: COBA({ E: 0 }), post }),
    )
  const proj = addProjection(
    world,
    'E2E',
    FullProjAlignPost({ pre, comm: EventJitFPHomoLinear({ prob, weight: 0.6 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post }),
  )
  return { world, proj }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

test('density over 3000 rows of 4000 posts is within 4 sigma of p = 0.02', () => {
  const { proj } = jitNet(1, 0.02)
  const r = rows(genOf(proj), range(3000), 3000)
  const total = r.reduce((a, b) => a + b.length, 0)
  const n = 3000 * 4000,
    mean = n * 0.02,
    sd = Math.sqrt(n * 0.02 * 0.98)
  assert.ok(Math.abs(total - mean) < 4 * sd, `${total} synapses, expected ${mean} ± ${4 * sd}`)
  for (const row of r) for (let k = 1; k < row.length; k++) assert.ok(row[k] > row[k - 1], 'targets strictly ascending')
})

// Chi-square critical value with df degrees of freedom at z = 4.75 (alpha ≈ 1e-6), by Wilson–Hilferty.
const chi2Crit = (df: number) => df * (1 - 2 / (9 * df) + 4.75 * Math.sqrt(2 / (9 * df))) ** 3

/**
 * Gaps between consecutive targets of rows made by `generateRow` (the kernels' generator), with a gap of
 * g ≥ B counted in bin B. A row ends at nPost, so a gap that starts at s is counted only when s + B ≤ nPost:
 * then every g < B is seen and g ≥ B is known (seen, or the row ended), and whether a gap is counted depends
 * only on the gaps before it, so the counted gaps are independent geometric(p) draws cut at B.
 */
function gapHistogram(gen: RowGenerator, rows: number, B: number, W: number): { counts: Float64Array; n: number } {
  const counts = new Float64Array(B + 1)
  const buf = new Int32Array(gen.nPost),
    keys = new Uint32Array(2)
  let n = 0
  for (let i = 0; i < rows; i++) {
    const m = generateRow(gen, i, -1, buf, null, keys)
    let start = 0
    for (let k = 0; k <= m && start + B * W <= gen.nPost; k++) {
      const g = k < m ? buf[k] - start : Infinity
      counts[Math.min(Math.floor(g / W), B)]++
      n++
      start = k < m ? buf[k] + 1 : gen.nPost
    }
  }
  return { counts, n }
}

function chi2Geometric(counts: Float64Array, n: number, p: number, B: number, W: number): number {
  let chi2 = 0
  for (let b = 0; b <= B; b++) {
    const prob = b < B ? (1 - p) ** (b * W) - (1 - p) ** ((b + 1) * W) : (1 - p) ** (B * W)
    chi2 += (counts[b] - n * prob) ** 2 / (n * prob)
  }
  return chi2
}

function generator(prob: number, nPre: number, nPost: number, seed: number): RowGenerator {
  const world = createWorld({ seed })
  const pre = addPopulation(world, 'pre', LifRef({ size: nPre }))
  const post = addPopulation(world, 'post', LifRef({ size: nPost }))
  return genOf(
    addProjection(
      world,
      'E2E',
      FullProjAlignPost({ pre, comm: EventJitFPHomoLinear({ prob, weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post }),
    ),
  )
}

test("table mode (p = 0.02): gaps of generateRow's rows are geometric (chi-square, about 1 000 000 gaps, 401 bins, alpha 1e-6)", () => {
  const gen = generator(0.02, 14000, 4000, 17)
  assert.is(gen.gaps.mode, 'table')
  const { counts, n } = gapHistogram(gen, 14000, 400, 1)
  assert.ok(n > 950000, `${n} gaps`)
  const chi2 = chi2Geometric(counts, n, 0.02, 400, 1)
  assert.ok(chi2 < chi2Crit(400), `chi2 = ${chi2.toFixed(1)} >= ${chi2Crit(400).toFixed(1)}`)
})

test("log mode (p = 1e-3): gaps of generateRow's rows are geometric (chi-square, about 1 000 000 gaps, 201 bins of width 25)", () => {
  const gen = generator(1e-3, 10500, 100000, 18)
  assert.is(gen.gaps.mode, 'log')
  const { counts, n } = gapHistogram(gen, 10500, 200, 25)
  assert.ok(n > 950000, `${n} gaps`)
  const chi2 = chi2Geometric(counts, n, 1e-3, 200, 25)
  assert.ok(chi2 < chi2Crit(200), `chi2 = ${chi2.toFixed(1)} >= ${chi2Crit(200).toFixed(1)}`)
})

/**
 * In-degrees as the plan delivers them: every presynaptic neuron spikes once (a spike buffer) through a
 * non-Mg projection with weight 1, so the bound conductance of each post is its in-degree, which must be
 * Binomial(nPre, p) independently per post: the total within 4 SD and a chi-square of the histogram (bins
 * with fewer than 5 expected merged into the tails, alpha 1e-6). Both kernels; the WebAssembly comm kernel must
 * reach the same targets.
 */
function delivered(kernel: 'js' | 'wasm', prob: number, nPre: number, nPost: number, seed: number): Float32Array {
  const world = createWorld({ seed, kernel })
  const post = addPopulation(world, 'post', LifRef({ size: nPost }))
  const buf = addSpikeBuffer(world, 'pre', nPre)
  const proj = addProjection(
    world,
    'in',
    HalfProjAlignPost({ source: buf, comm: EventJitFPHomoLinear({ prob, weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post }),
  )
  insertSystem(
    world,
    () => {
      for (let i = 0; i < nPre; i++) pushSpike(buf, i)
    },
    { before: CommSystem },
  )
  step(world)
  const deg = Float32Array.from(proj.state.cond.array)
  assert.is(
    synapticEvents(world),
    deg.reduce((a, x) => a + x, 0),
  )
  return deg
}

function checkInDegrees(deg: Float32Array, nPre: number, p: number): void {
  const n = nPre * deg.length,
    total = deg.reduce((a, x) => a + x, 0)
  assert.ok(Math.abs(total - n * p) < 4 * Math.sqrt(n * p * (1 - p)), `${total} synapses, expected ${n * p}`)
  const pmf: number[] = [(1 - p) ** nPre]
  for (let k = 0; k < nPre; k++) pmf.push(pmf[k] * ((nPre - k) / (k + 1)) * (p / (1 - p)))
  const counts = new Float64Array(nPre + 1)
  for (const d of deg) counts[d]++
  // Bins [0, lo], lo+1 … hi−1, [hi, nPre], with at least 5 expected in each tail.
  const N = deg.length
  let lo = 0,
    acc = pmf[0]
  while (acc * N < 5) acc += pmf[++lo]
  let hi = nPre,
    accHi = pmf[nPre]
  while (accHi * N < 5) accHi += pmf[--hi]
  let chi2 = 0,
    cLo = 0,
    cHi = 0
  for (let k = 0; k <= lo; k++) cLo += counts[k]
  for (let k = hi; k <= nPre; k++) cHi += counts[k]
  chi2 += (cLo - N * acc) ** 2 / (N * acc) + (cHi - N * accHi) ** 2 / (N * accHi)
  for (let k = lo + 1; k < hi; k++) chi2 += (counts[k] - N * pmf[k]) ** 2 / (N * pmf[k])
  const df = hi - lo
  assert.ok(chi2 < chi2Crit(df), `chi2 = ${chi2.toFixed(1)} >= ${chi2Crit(df).toFixed(1)} (df ${df})`)
}

test('table mode: in-degrees delivered by the plan (2000 → 5000, p = 0.02) are Binomial(2000, p), both kernels', () => {
  const js = delivered('js', 0.02, 2000, 5000, 31)
  checkInDegrees(js, 2000, 0.02)
  assertSameArray(delivered('wasm', 0.02, 2000, 5000, 31), js, 'in-degrees of the WebAssembly comm kernel')
})

test('log mode: in-degrees delivered by the plan (3000 → 70 000, p = 1e-3) are Binomial(3000, p), both kernels', () => {
  const js = delivered('js', 1e-3, 3000, 70000, 32)
  checkInDegrees(js, 3000, 1e-3)
  assertSameArray(delivered('wasm', 1e-3, 3000, 70000, 32), js, 'in-degrees of the WebAssembly comm kernel')
})

/**
 * Row i as an independent walk: draw d is counterU32(keys of row i, d); in table mode the gap is the number of
 * thresholds T_g = floor(2^32·(1 − p)^g) above the draw (counted one by one), in log mode
 * floor(ln((r + 1)/2^32) / ln(1 − p)) with Math.log; the next target is the previous one + 1 + gap.
 */
function walkRow(gen: RowGenerator, i: number, gap: (r: number) => number): number[] {
  const keys = new Uint32Array(2)
  rowKeys(gen.key, i, keys)
  const out: number[] = []
  for (let d = 0, j = -1; ; d++) {
    j += 1 + gap(counterU32(keys[0], keys[1], d))
    if (j >= gen.nPost) return out
    out.push(j)
  }
}

test(
  "table mode: the thresholds are T_g; generateRow's rows are the threshold walk exactly; the " +
    'threshold count is the log formula exactly',
  () => {
    // Rows of 3 and 20 posts at p = 0.5 and 0.05: 12.5 % and 36 % of them are empty (first gap ≥ nPost).
    for (const [p, nPost] of [
      [0.02, 4000],
      [0.3, 100],
      [0.002, 5000],
      [0.5, 3],
      [0.05, 20],
    ] as const) {
      const gen = generator(p, 300, nPost, 23)
      const t = gen.gaps
      assert.is(t.mode, 'table')
      // docs/semantics.md: T_g = min(floor(2^32·e^(g·ln(1 − p))), 2^32 − 1) for g = 1, 2, … up to nPost or the last T_g > 0.
      const T: number[] = []
      for (let g = 1; g <= nPost; g++) {
        const v = Math.floor(4294967296 * Math.exp(g * Math.log1p(-p)))
        if (v === 0) break
        T.push(Math.min(v, 4294967295))
      }
      assertSameArray(t.thresholds, T, `p=${p}, nPost=${nPost}: thresholds`)
      const count = (r: number) => {
        let g = 0
        while (g < T.length && r < T[g]) g++
        return g
      }
      const buf = new Int32Array(nPost),
        keys = new Uint32Array(2)
      for (let i = 0; i < 300; i++) {
        const n = generateRow(gen, i, -1, buf, null, keys)
        assert.equal(Array.from(buf.subarray(0, n)), walkRow(gen, i, count), `p=${p} row ${i}`)
      }
      // gap ≥ g ⇔ r < T_g ⇔ r + 1 ≤ 2^32·(1 − p)^g ⇔ ln((r + 1)/2^32)/ln(1 − p) ≥ g: the same predicate, so the two
      // can differ only where 2^32·(1 − p)^g lies within double rounding (about g·2^−52 relative) of an integer —
      // which none of these does. Probed at random draws and at every threshold and one below it.
      const s = new Stream(99)
      const probes: number[] = []
      for (let k = 0; k < 20000; k++) probes.push(s.u32())
      for (let g = 0; g < Math.min(T.length, 2000); g++) probes.push(T[g], T[g] - 1)
      for (const r of probes) {
        const viaLog = Math.min(Math.floor(Math.log((r + 1) / 4294967296) / Math.log1p(-p)), T.length)
        assert.is(count(r), viaLog, `p=${p} r=${r}`)
      }
      // P(gap >= g) = T_g / 2^32 = (1 − p)^g to within 2^−32.
      for (let g = 1; g <= Math.min(T.length, 50); g++) {
        assert.ok(Math.abs(T[g - 1] / 4294967296 - (1 - p) ** g) < 2 ** -31)
      }
    }
  },
)

test("log mode (small p): ln u within 1e-15 of Math.log; generateRow's rows are the Math.log walk exactly", () => {
  const s = new Stream(5)
  let worst = 0
  for (let k = 0; k < 200000; k++) {
    const r = k < 64 ? [0, 1, 2, 4294967294, 4294967295, 2147483647, 2147483648][k % 7] : s.u32()
    const want = Math.log((r + 1) / 4294967296)
    worst = Math.max(worst, Math.abs(lnUniform(r) - want) / Math.max(1, Math.abs(want)))
  }
  assert.ok(worst < 1e-15, `relative error ${worst}`)
  // A gap can differ from the libm formula only where ln u / ln(1 − p) is within 1e-15 relative of an
  // integer: none does in these rows (about 300 000 draws). Rows of 20 000 posts at p = 1e-5 are mostly empty
  // (82 %: the first gap is ≥ nPost, capped at nPost).
  for (const [p, nPost] of [
    [8e-5, 1000000],
    [1e-3, 100000],
    [1e-5, 20000],
  ] as const) {
    const gen = generator(p, 2000, nPost, 24)
    assert.is(gen.gaps.mode, 'log')
    const buf = new Int32Array(nPost),
      keys = new Uint32Array(2)
    const libm = (r: number) => Math.min(Math.floor(Math.log((r + 1) / 4294967296) / Math.log1p(-p)), nPost)
    for (let i = 0; i < 2000; i++) {
      const n = generateRow(gen, i, -1, buf, null, keys)
      assert.equal(Array.from(buf.subarray(0, n)), walkRow(gen, i, libm), `p=${p} row ${i}`)
    }
  }
})

test('same seed, same targets; another seed, other targets; any row order or chunking, the same matrix', () => {
  const a = rows(genOf(jitNet(5, 0.02).proj), range(3000), 3000)
  const b = rows(genOf(jitNet(5, 0.02).proj), range(3000).reverse(), 3000)
  assert.equal(a, b)
  const chunked = range(3000).sort((x, y) => (x % 7) - (y % 7) || y - x)
  assert.equal(a, rows(genOf(jitNet(5, 0.02).proj), chunked, 3000))
  const c = rows(genOf(jitNet(6, 0.02).proj), range(3000), 3000)
  assert.not.equal(a, c)
})

test("adding another projection first does not change this one's matrix", () => {
  const a = rows(genOf(jitNet(5, 0.02).proj), range(3000), 3000)
  const b = rows(genOf(jitNet(5, 0.02, true).proj), range(3000), 3000)
  assert.equal(a, b)
})

test('the CSR form built with the same seed and name is the same matrix; the JIT form stores no synapse', () => {
  const jit = jitNet(11, 0.02)
  const world = createWorld({ seed: 11 })
  const pre = addPopulation(world, 'pre', LifRef({ size: 3000 }))
  const post = addPopulation(world, 'post', LifRef({ size: 4000 }))
  const csr = addProjection(
    world,
    'E2E',
    FullProjAlignPost({
      pre,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.02 }), weight: 0.6 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
      post,
    }),
  )
  if (csr.comm.kind !== 'EventCSRLinear') throw new Error('csr')
  const ptr = csr.comm.indptr.array,
    ind = csr.comm.indices.array
  const r = rows(genOf(jit.proj), range(3000), 3000)
  for (let i = 0; i < 3000; i++) assert.equal(Array.from(ind.subarray(ptr[i], ptr[i + 1])), r[i], `row ${i}`)
  // No column belongs to the JIT projection, and the world's memory does not depend on p.
  assert.is(jit.world.columns.filter((c) => c.owner === jit.proj.eid).length, 0)
  assert.is(columnBytes(jitNet(11, 0.2).world), columnBytes(jit.world))
})

test('self-connections: included by default, excluded on request, and excluded identically in CSR and JIT', () => {
  const make = (comm: Parameters<typeof FullProjAlignPost>[0]['comm']) => {
    const world = createWorld({ seed: 3 })
    const E = addPopulation(world, 'E', LifRef({ size: 500 }))
    return addProjection(world, 'EE', FullProjAlignPost({ pre: E, comm, syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post: E }))
  }
  const withSelf = rows(genOf(make(EventJitFPHomoLinear({ prob: 0.5, weight: 1 }))), range(500), 500, 0)
  const without = rows(genOf(make(EventJitFPHomoLinear({ prob: 0.5, weight: 1, includeSelf: false }))), range(500), 500, 0)
  const selfCount = withSelf.filter((row, i) => row.includes(i)).length
  assert.ok(selfCount > 200 && selfCount < 300, `about half the rows contain their diagonal (${selfCount})`)
  without.forEach((row, i) =>
    assert.equal(
      row,
      withSelf[i].filter((j) => j !== i),
    ),
  )
  const csr = make(EventCSRLinear({ conn: FixedProb({ prob: 0.5, includeSelf: false }), weight: 1 }))
  if (csr.comm.kind !== 'EventCSRLinear') throw new Error('csr')
  const { indptr, indices } = csr.comm
  without.forEach((row, i) => assert.equal(Array.from(indices.array.subarray(indptr.array[i], indptr.array[i + 1])), row))
})

test('BrainPy fixed out-degree: every row has exactly int(nPost·p) distinct targets (minus self when excluded)', () => {
  const world = createWorld()
  const E = addPopulation(world, 'E', LifRef({ size: 400 }))
  const proj = addProjection(
    world,
    'EE',
    FullProjAlignPost({
      pre: E,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.1, fixedOutDegree: true, includeSelf: false }), weight: 1 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
      post: E,
    }),
  )
  if (proj.comm.kind !== 'EventCSRLinear') throw new Error('csr')
  const { indptr, indices } = proj.comm
  for (let i = 0; i < 400; i++) {
    const row = Array.from(indices.array.subarray(indptr.array[i], indptr.array[i + 1]))
    assert.ok(row.length === 40 || row.length === 39)
    assert.ok(!row.includes(i))
    assert.is(new Set(row).size, row.length)
  }
})

test('a COBA network with JIT and with CSR connectivity spikes identically', () => {
  const spikes = ['jit', 'csr'].map((mode) => {
    const world = createWorld({ seed: 21 })
    const E = addPopulation(world, 'E', LifRefLTC({ size: 800, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: normal(-55, 2) }))
    const I = addPopulation(world, 'I', LifRefLTC({ size: 200, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: normal(-55, 2) }))
    const comm = (w: number) =>
      mode === 'jit' ? EventJitFPHomoLinear({ prob: 0.08, weight: w }) : EventCSRLinear({ conn: FixedProb({ prob: 0.08 }), weight: w })
    for (const [name, pre, post, w, tau, E0] of [
      ['E2E', E, E, 0.6, 5, 0],
      ['E2I', E, I, 0.6, 5, 0],
      ['I2E', I, E, 6.7, 10, -80],
      ['I2I', I, I, 6.7, 10, -80],
    ] as const) {
      addProjection(world, name, FullProjAlignPost({ pre, comm: comm(w), syn: Expon({ tau }), out: COBA({ E: E0 }), post }))
    }
    addInput(world, E, 20)
    addInput(world, I, 20)
    const mon = addSpikeMonitor(world, [E, I])
    run(world, 100)
    return spikeData(mon)
  })
  assert.ok(spikes[0].ticks.length > 1000)
  assertSameRecord(spikes[0], spikes[1], 'spikes (jit vs csr)')
})

test.run()
