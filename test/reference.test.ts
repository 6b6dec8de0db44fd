// The ECS pipeline against the independent naive loop (test/naive.ts) on a ~50-neuron network with explicit
// connectivity that uses all four projection kinds, merged and unmerged states, several latencies, COBA and
// CUBA outputs, LTC and non-LTC neurons: identical spikes and V within 1e-6 relative, float32 and float64,
// fused and unfused.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, Stream, type Dtype, type PopulationData } from '@spikecs/ecs-core'
import {
  addPopulation, addProjection, addInput, addSpikeMonitor, spikeData, run, stateOf, LifRef, LifRefLTC,
  FullProjAlignPost, FullProjAlignPostMg, HalfProjAlignPost, HalfProjAlignPostMg, fromQueue, EventCSRLinear,
  FromList, Expon, COBA, CUBA,
} from '@spikecs/systems'
import { simulateNaive, type NaivePop, type NaiveProj } from './naive.js'

const dt = 0.1
const TICKS = 400

function randomList(s: Stream, nPre: number, nPost: number, p: number, w: number, jitter: number) {
  const out: { pre: number; post: number; w: number }[] = []
  for (let i = 0; i < nPre; i++) for (let j = 0; j < nPost; j++) {
    if (s.uniform() < p) out.push({ pre: i, post: j, w: w * (1 + jitter * (s.uniform() - 0.5)) })
  }
  return out
}

function network() {
  const s = new Stream(12345)
  const A: NaivePop = { name: 'A', size: 30, ltc: false, vRest: -60, vReset: -60, vTh: -50, R: 1, tau: 20, tauRef: 2,
    v0: Array.from({ length: 30 }, () => -60 + 12 * s.uniform()), input: new Array(30).fill(14) }
  const Bin = Array.from({ length: 20 }, () => 10 + 10 * s.uniform())
  const B: NaivePop = { name: 'B', size: 20, ltc: true, vRest: -60, vReset: -62, vTh: -50, R: 1.5, tau: 15, tauRef: 3,
    v0: Array.from({ length: 20 }, () => -60 + 10 * s.uniform()), input: Bin }
  const projs: NaiveProj[] = [
    { name: 'A2B', kind: 'full', merged: false, pre: 'A', start: 0, end: 30, latency: 3, post: 'B', syn: randomList(s, 30, 20, 0.2, 0.3, 0.5), tau: 5, out: { kind: 'COBA', E: 0 }, label: null },
    { name: 'A2A', kind: 'full', merged: true, pre: 'A', start: 0, end: 30, latency: 1, post: 'A', syn: randomList(s, 30, 30, 0.15, 0.25, 0.5), tau: 5, out: { kind: 'COBA', E: 0 }, label: null },
    { name: 'B2A', kind: 'full', merged: true, pre: 'B', start: 0, end: 20, latency: 2, post: 'A', syn: randomList(s, 20, 30, 0.2, 0.2, 0.5), tau: 5, out: { kind: 'COBA', E: 0 }, label: null },
    { name: 'Bs2A', kind: 'half', merged: false, pre: 'B', start: 5, end: 20, latency: 1, post: 'A', syn: randomList(s, 15, 30, 0.3, 1.5, 0.5), tau: 10, out: { kind: 'COBA', E: -80 }, label: null },
    { name: 'As2B', kind: 'half', merged: true, pre: 'A', start: 0, end: 10, latency: 2, post: 'B', syn: randomList(s, 10, 20, 0.3, 1.2, 0.5), tau: 10, out: { kind: 'COBA', E: -80 }, label: null },
    { name: 'B2B', kind: 'full', merged: false, pre: 'B', start: 0, end: 20, latency: 1, post: 'B', syn: randomList(s, 20, 20, 0.2, -1.0, 0.5), tau: 8, out: { kind: 'CUBA' }, label: null },
  ]
  return { pops: [A, B], projs }
}

function buildWorld(dtype: Dtype, fuse: boolean) {
  const { pops, projs } = network()
  const world = createWorld({ dtMs: dt, seed: 7, dtype, fuse })
  const P: Record<string, PopulationData> = {}
  for (const p of pops) {
    const make = p.ltc ? LifRefLTC : LifRef
    P[p.name] = addPopulation(world, p.name, make({ size: p.size, vRest: p.vRest, vReset: p.vReset, vTh: p.vTh, R: p.R, tau: p.tau, tauRef: p.tauRef, v0: p.v0 }))
  }
  addInput(world, P.A, 14)
  addInput(world, P.B, pops[1].input)
  for (const pr of projs) {
    const conn = FromList({ pre: pr.syn.map((e) => e.pre), post: pr.syn.map((e) => e.post), weight: pr.syn.map((e) => e.w) })
    const comm = EventCSRLinear({ conn })
    const syn = Expon({ tau: pr.tau })
    const out = pr.out.kind === 'COBA' ? COBA({ E: pr.out.E }) : CUBA()
    const post = P[pr.post]
    if (pr.kind === 'full') {
      const make = pr.merged ? FullProjAlignPostMg : FullProjAlignPost
      addProjection(world, pr.name, make({ pre: P[pr.pre], delay: pr.latency * dt, comm, syn, out, post }))
    } else {
      const make = pr.merged ? HalfProjAlignPostMg : HalfProjAlignPost
      addProjection(world, pr.name, make({ source: fromQueue(P[pr.pre], { start: pr.start, end: pr.end, latency: pr.latency }), comm, syn, out, post }))
    }
  }
  const mon = addSpikeMonitor(world, [P.A, P.B])
  return { world, P, mon, pops, projs }
}

function spikesByTick(ticks: Int32Array, indices: Int32Array, start: number, size: number): number[][] {
  const out: number[][] = Array.from({ length: TICKS }, () => [])
  for (let k = 0; k < ticks.length; k++) {
    const i = indices[k] - start
    if (i >= 0 && i < size) out[ticks[k]].push(i)
  }
  return out
}

for (const dtype of ['float32', 'float64'] as const) {
  for (const fuse of [true, false]) {
    test(`ECS pipeline equals the naive loop (${dtype}, ${fuse ? 'fused' : 'unfused'})`, () => {
      const { world, P, mon, pops, projs } = buildWorld(dtype, fuse)
      run(world, TICKS * dt)
      const ref = simulateNaive(pops, projs, TICKS, dt, dtype)
      const { ticks, indices } = spikeData(mon)
      let total = 0
      for (const p of pops) {
        const got = spikesByTick(ticks, indices, P[p.name].start, p.size)
        assert.equal(got, ref.spikes[p.name], `spikes of ${p.name}`)
        total += got.reduce((a, b) => a + b.length, 0)
        const V = stateOf(P[p.name], 'V')
        for (let i = 0; i < p.size; i++) {
          const want = ref.V[p.name][i]
          assert.ok(Math.abs(V[i] - want) <= 1e-6 * Math.abs(want), `V[${i}] of ${p.name}: ${V[i]} vs ${want}`)
        }
      }
      assert.ok(total > 50, `the network must be active to test anything (${total} spikes)`)
    })
  }
}

test('fused and unfused kernels agree bit for bit (V, every synapse column, spikes)', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    const a = buildWorld(dtype, true), b = buildWorld(dtype, false)
    run(a.world, TICKS * dt)
    run(b.world, TICKS * dt)
    assert.equal(spikeData(a.mon), spikeData(b.mon))
    assert.is(a.world.columns.length, b.world.columns.length)
    for (let c = 0; c < a.world.columns.length; c++) {
      const x = a.world.columns[c], y = b.world.columns[c]
      assert.is(x.name, y.name)
      const bx = new Uint8Array(x.array.buffer, x.array.byteOffset, x.array.byteLength)
      const by = new Uint8Array(y.array.buffer, y.array.byteOffset, y.array.byteLength)
      assert.ok(bx.every((v, i) => v === by[i]), `column ${x.name} of entity ${x.owner} differs (${dtype})`)
    }
  }
})

test.run()
