// Unit tests of ecs-core pieces: random streams, the delay queue ring, the typed-array storage and pool.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  Stream,
  mix32,
  counterU32,
  entityKey,
  createWorld,
  createDelayQueue,
  addDelayEntry,
  pushSpikes,
  slotForLatency,
  allocColumn,
  scratchF64,
  releaseScratch,
  msToTicks,
} from '@spikecs/ecs-core'

test('mix32 is a bijection on a sample; streams are reproducible and roughly uniform', () => {
  const seen = new Set<number>()
  for (let i = 0; i < 100000; i++) seen.add(mix32(i * 2654435761))
  assert.is(seen.size, 100000)
  const a = new Stream(entityKey(1, 'x')),
    b = new Stream(entityKey(1, 'x')),
    c = new Stream(entityKey(2, 'x'))
  const xs = Array.from({ length: 1000 }, () => a.u32())
  assert.equal(
    xs,
    Array.from({ length: 1000 }, () => b.u32()),
  )
  assert.not.equal(
    xs,
    Array.from({ length: 1000 }, () => c.u32()),
  )
  // Mean and variance of 200 000 normals within 5 standard errors.
  const s = new Stream(7)
  let m = 0,
    m2 = 0
  const n = 200000
  for (let i = 0; i < n; i++) {
    const z = s.normal()
    m += z
    m2 += z * z
  }
  m /= n
  const v = m2 / n - m * m
  assert.ok(Math.abs(m) < 5 / Math.sqrt(n), `mean ${m}`)
  assert.ok(Math.abs(v - 1) < 5 * Math.sqrt(2 / n), `variance ${v}`)
})

// Wellons' lowbias32 and the counter draw as their definitions state them (rng.ts: draw n of keys (k0, k1) is
// lowbias32((lowbias32(k0 + n·0x9e3779b9) + k1) mod 2^32)), in BigInt arithmetic mod 2^32 — sharing no
// arithmetic with the package's Math.imul form.
const M32 = (1n << 32n) - 1n
function lowbias32Ref(x: bigint): bigint {
  x &= M32
  x ^= x >> 16n
  x = (x * 0x7feb352dn) & M32
  x ^= x >> 15n
  x = (x * 0x846ca68bn) & M32
  return x ^ (x >> 16n)
}
const counterRef = (k0: number, k1: number, n: number) =>
  Number(lowbias32Ref(lowbias32Ref(BigInt(k0 >>> 0) + BigInt(n) * 0x9e3779b9n) + BigInt(k1 >>> 0)))

test('counter draws are lowbias32 twice as defined, a pure function of (k0, k1, n) that changes with each', () => {
  const s = new Stream(11)
  for (let t = 0; t < 3000; t++) {
    const k0 = t < 4 ? [0, 0xffffffff, 0x80000000, 1][t] : s.u32()
    const k1 = t < 4 ? [0, 0xffffffff, 1, 0x7fffffff][t] : s.u32()
    const n = t < 4 ? [0, 1, 0x7fffffff, 123456789][t] : s.u32() >>> 8
    assert.is(counterU32(k0, k1, n), counterRef(k0, k1, n), `counterU32(${k0}, ${k1}, ${n})`)
    assert.is(mix32(k0), Number(lowbias32Ref(BigInt(k0 >>> 0))), `mix32(${k0})`)
  }
  // Each argument matters.
  const base = counterU32(3, 4, 1000)
  assert.ok(base !== counterU32(2, 4, 1000) && base !== counterU32(3, 5, 1000) && base !== counterU32(3, 4, 1001))
})

test('stream state round-trips (for snapshots)', () => {
  const s = new Stream(99)
  s.normal()
  const st = s.getState()
  const t = new Stream(1)
  t.setState(st)
  assert.equal(
    Array.from({ length: 10 }, () => s.normal()),
    Array.from({ length: 10 }, () => t.normal()),
  )
})

test('delay ring: an entry of latency d reads the spikes pushed d − 1 pushes ago; slots grow on demand', () => {
  const world = createWorld()
  const q = createDelayQueue(world, 1, 1, 'P', 1000)
  addDelayEntry(world, q, 'a', 1)
  addDelayEntry(world, q, 'b', 4)
  assert.is(q.length, 4)
  assert.throws(() => addDelayEntry(world, q, 'a', 2), /delay queue of population 'P': entry is registered already \(got "a"\)/)
  for (let tick = 0; tick < 20; tick++) {
    // Tick t pushes the spikes "emitted in t − 1": here (t − 1)·10 + 0..(t mod 3) repeated to make slots grow.
    const n = tick === 5 ? 500 : tick % 3
    const spikes = Int32Array.from({ length: n }, (_, k) => tick * 1000 + k)
    pushSpikes(world, q, spikes, n)
    for (const d of [1, 2, 3, 4]) {
      const s = slotForLatency(q, d)
      const src = tick - (d - 1)
      const want = src < 0 ? 0 : src === 5 ? 500 : src % 3
      assert.is(q.counts[s], want, `tick ${tick}, latency ${d}`)
      if (want > 0) assert.is(q.slots[s][0], src * 1000)
    }
  }
})

test("columns come zeroed, padded to 16 bytes, in the world's dtype; scratch is zeroed and exact-length", () => {
  const w32 = createWorld(),
    w64 = createWorld({ dtype: 'float64' })
  const c = allocColumn(w32, 1, 'V', 'state', 5)
  assert.instance(c.array, Float32Array)
  assert.is(c.array.length, 5)
  assert.is(c.array.buffer.byteLength, 32)
  assert.instance(allocColumn(w64, 1, 'V', 'state', 5).array, Float64Array)
  assert.is(w32.columns.length, 1)
  const a = scratchF64(w32, 100)
  a.fill(3)
  releaseScratch(w32)
  const b = scratchF64(w32, 100)
  assert.is(b.length, 100)
  assert.ok(
    b.every((x) => x === 0),
    'reused pool memory is zeroed',
  )
  assert.equal(createWorld({ shared: true }).shared, true)
  assert.instance(allocColumn(createWorld({ shared: true }), 1, 'V', 'state', 3).array.buffer, SharedArrayBuffer)
})

test('ms → ticks: whole numbers only, within 1e-6 of a tick', () => {
  assert.is(msToTicks('x', 'delay', 1.1, 0.1), 11)
  assert.is(msToTicks('x', 'delay', 0.3, 0.1), 3)
  assert.is(msToTicks('x', 'delay', 0.25, 0.1, true), 3)
  assert.throws(() => msToTicks('x', 'delay', 0.25, 0.1), /x: delay must be a whole number of ticks/)
})

test.run()
