// On-the-fly fixed-probability connectivity: exact Bernoulli(p) per pair via geometric gaps from integer
// thresholds, reproducible per (seed, projection name, pre index), identical to its CSR form.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, counterU32, rowKeys, Stream, columnBytes, type ProjectionData, type RowGenerator } from '@spikecs/ecs-core'
import {
  addPopulation, addProjection, addInput, addSpikeMonitor, spikeData, run, buildGapTable, gapOf, generateRow,
  LifRef, LifRefLTC, normal, EventJitFPHomoLinear, EventCSRLinear, FixedProb, Expon, COBA, FullProjAlignPost, lnUniform,
} from '@spikecs/systems'

function genOf(p: ProjectionData): RowGenerator {
  if (!('gen' in p.comm)) throw new Error('not a JIT projection')
  return p.comm.gen
}

function rows(gen: RowGenerator, order: number[], nPre: number, self = -1): number[][] {
  const out: number[][] = new Array(nPre)
  const buf = new Int32Array(gen.nPost), keys = new Uint32Array(2)
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
  if (extraFirst) addProjection(world, 'other', FullProjAlignPost({ pre, comm: EventJitFPHomoLinear({ prob: 0.1, weight: 1 }), syn: Expon({ tau: 3 }), out: COBA({ E: 0 }), post }))
  const proj = addProjection(world, 'E2E', FullProjAlignPost({ pre, comm: EventJitFPHomoLinear({ prob, weight: 0.6 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post }))
  return { world, proj }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)

test('density over 3000 rows of 4000 posts is within 4 sigma of p = 0.02', () => {
  const { proj } = jitNet(1, 0.02)
  const r = rows(genOf(proj), range(3000), 3000)
  const total = r.reduce((a, b) => a + b.length, 0)
  const n = 3000 * 4000, mean = n * 0.02, sd = Math.sqrt(n * 0.02 * 0.98)
  assert.ok(Math.abs(total - mean) < 4 * sd, `${total} synapses, expected ${mean} ± ${4 * sd}`)
  for (const row of r) for (let k = 1; k < row.length; k++) assert.ok(row[k] > row[k - 1], 'targets strictly ascending')
})

test('gaps are geometric: chi-square goodness of fit on 1 000 000 gaps from the row stream (alpha = 1e-6)', () => {
  const p = 0.02
  const t = buildGapTable(p, 4000)
  const N = 1000000, B = 400
  const counts = new Float64Array(B + 1)
  const keys = new Uint32Array(2)
  let n = 0
  for (let i = 0; n < N; i++) {
    rowKeys(0x1234567, i, keys)
    for (let d = 0; d < 100 && n < N; d++, n++) {
      const g = gapOf(t, counterU32(keys[0], keys[1], d))
      counts[Math.min(g, B)]++
    }
  }
  let chi2 = 0
  for (let g = 0; g <= B; g++) {
    const prob = g < B ? p * Math.pow(1 - p, g) : Math.pow(1 - p, B)
    const e = N * prob
    chi2 += ((counts[g] - e) ** 2) / e
  }
  // Wilson–Hilferty critical value of chi-square with df = B at z = 4.75 (alpha ≈ 1e-6).
  const df = B, z = 4.75
  const crit = df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3
  assert.ok(chi2 < crit, `chi2 = ${chi2.toFixed(1)} >= ${crit.toFixed(1)}`)
})

test('table mode: the gap equals the exact threshold count, and the log formula away from float rounding', () => {
  for (const [p, nPost] of [[0.02, 4000], [0.3, 100], [0.002, 5000], [1, 10], [0.5, 3]] as const) {
    const t = buildGapTable(p, nPost)
    assert.is(t.mode, 'table')
    const brute = (r: number) => { let g = 0; while (g < t.cap && r < t.thresholds[g]) g++; return g }
    const s = new Stream(99)
    const probes: number[] = []
    for (let k = 0; k < 20000; k++) probes.push(s.u32())
    for (let g = 0; g < Math.min(t.cap, 2000); g++) probes.push(t.thresholds[g], t.thresholds[g] - 1)
    let logMismatch = 0
    for (const r of probes) {
      const g = gapOf(t, r >>> 0)
      assert.is(g, brute(r >>> 0), `p=${p} r=${r}`)
      if (p < 1) {
        const viaLog = Math.min(Math.floor(Math.log(((r >>> 0) + 1) / 4294967296) / Math.log1p(-p)), t.cap)
        if (viaLog !== g) logMismatch++
      }
    }
    assert.ok(logMismatch <= probes.length * 1e-3 + 2 * Math.min(t.cap, 2000), `p=${p}: ${logMismatch} differ from the log formula`)
    // P(gap >= g) = T_g / 2^32 = (1 − p)^g to within 2^−32.
    for (let g = 1; g <= Math.min(t.cap, 50); g++) {
      assert.ok(Math.abs(t.thresholds[g - 1] / 4294967296 - Math.pow(1 - p, g)) < 2 ** -31)
    }
  }
})

test('log mode (small p): ln u within 1e-15 of Math.log; gaps equal floor(ln u / ln(1−p)) but at rounding ties', () => {
  const s = new Stream(5)
  let worst = 0
  for (let k = 0; k < 200000; k++) {
    const r = k < 64 ? [0, 1, 2, 4294967294, 4294967295, 2147483647, 2147483648][k % 7] : s.u32()
    const want = Math.log((r + 1) / 4294967296)
    worst = Math.max(worst, Math.abs(lnUniform(r) - want) / Math.max(1, Math.abs(want)))
  }
  assert.ok(worst < 1e-15, `relative error ${worst}`)
  for (const [p, nPost] of [[8e-5, 1000000], [1e-3, 100000]] as const) {
    const t = buildGapTable(p, nPost)
    assert.is(t.mode, 'log')
    let mismatch = 0
    for (let k = 0; k < 200000; k++) {
      const r = s.u32()
      const exact = Math.min(Math.floor(Math.log((r + 1) / 4294967296) / Math.log1p(-p)), nPost)
      if (gapOf(t, r) !== exact) mismatch++
    }
    assert.ok(mismatch <= 2, `p=${p}: ${mismatch} gaps differ from the libm formula`)
  }
})

test('log mode: gaps are geometric (chi-square on 1 000 000 gaps, p = 1e-3, 200 bins of width 25)', () => {
  const p = 1e-3
  const t = buildGapTable(p, 100000)
  const N = 1000000, W = 25, B = 200
  const counts = new Float64Array(B + 1)
  const keys = new Uint32Array(2)
  let n = 0
  for (let i = 0; n < N; i++) {
    rowKeys(0x7654321, i, keys)
    for (let d = 0; d < 100 && n < N; d++, n++) counts[Math.min(Math.floor(gapOf(t, counterU32(keys[0], keys[1], d)) / W), B)]++
  }
  let chi2 = 0
  for (let b = 0; b <= B; b++) {
    const prob = b < B ? Math.pow(1 - p, b * W) - Math.pow(1 - p, (b + 1) * W) : Math.pow(1 - p, B * W)
    chi2 += ((counts[b] - N * prob) ** 2) / (N * prob)
  }
  const df = B, z = 4.75
  const crit = df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3
  assert.ok(chi2 < crit, `chi2 = ${chi2.toFixed(1)} >= ${crit.toFixed(1)}`)
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

test('adding another projection first does not change this one\'s matrix', () => {
  const a = rows(genOf(jitNet(5, 0.02).proj), range(3000), 3000)
  const b = rows(genOf(jitNet(5, 0.02, true).proj), range(3000), 3000)
  assert.equal(a, b)
})

test('the CSR form built with the same seed and name is the same matrix; the JIT form stores no synapse', () => {
  const jit = jitNet(11, 0.02)
  const world = createWorld({ seed: 11 })
  const pre = addPopulation(world, 'pre', LifRef({ size: 3000 }))
  const post = addPopulation(world, 'post', LifRef({ size: 4000 }))
  const csr = addProjection(world, 'E2E', FullProjAlignPost({ pre, comm: EventCSRLinear({ conn: FixedProb({ prob: 0.02 }), weight: 0.6 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post }))
  if (csr.comm.kind !== 'EventCSRLinear') throw new Error('csr')
  const ptr = csr.comm.indptr.array, ind = csr.comm.indices.array
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
  without.forEach((row, i) => assert.equal(row, withSelf[i].filter((j) => j !== i)))
  const csr = make(EventCSRLinear({ conn: FixedProb({ prob: 0.5, includeSelf: false }), weight: 1 }))
  if (csr.comm.kind !== 'EventCSRLinear') throw new Error('csr')
  const { indptr, indices } = csr.comm
  without.forEach((row, i) => assert.equal(Array.from(indices.array.subarray(indptr.array[i], indptr.array[i + 1])), row))
})

test('BrainPy fixed out-degree: every row has exactly int(nPost·p) distinct targets (minus self when excluded)', () => {
  const world = createWorld()
  const E = addPopulation(world, 'E', LifRef({ size: 400 }))
  const proj = addProjection(world, 'EE', FullProjAlignPost({ pre: E, comm: EventCSRLinear({ conn: FixedProb({ prob: 0.1, fixedOutDegree: true, includeSelf: false }), weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post: E }))
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
    const comm = (w: number) => mode === 'jit' ? EventJitFPHomoLinear({ prob: 0.08, weight: w }) : EventCSRLinear({ conn: FixedProb({ prob: 0.08 }), weight: w })
    for (const [name, pre, post, w, tau, E0] of [['E2E', E, E, 0.6, 5, 0], ['E2I', E, I, 0.6, 5, 0], ['I2E', I, E, 6.7, 10, -80], ['I2I', I, I, 6.7, 10, -80]] as const) {
      addProjection(world, name, FullProjAlignPost({ pre, comm: comm(w), syn: Expon({ tau }), out: COBA({ E: E0 }), post }))
    }
    addInput(world, E, 20)
    addInput(world, I, 20)
    const mon = addSpikeMonitor(world, [E, I])
    run(world, 100)
    return spikeData(mon)
  })
  assert.ok(spikes[0].ticks.length > 1000)
  assert.equal(spikes[0], spikes[1])
})

test.run()
