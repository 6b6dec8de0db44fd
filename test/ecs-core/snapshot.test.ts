// Snapshot and restore: 2000 ticks straight equal 1000 ticks, a snapshot, a restore into a fresh world built
// from the same description, and 1000 more — the same spikes and the same state, byte for byte — for the
// documentation's EINet (half Mg projections, on-the-fly connectivity), an E/I COBA network (FullProjAlignPost,
// CSR), and a network with multi-tick delays, a spike buffer fed from a world stream, and every comm kind;
// in float32 and float64. A refused blob (a format-1 file among them) says why and changes nothing.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import {
  createWorld,
  snapshot,
  restore,
  streamFor,
  SnapshotError,
  SNAPSHOT_FORMAT,
  SNAPSHOT_HEADER_BYTES,
  crc32,
  type Dtype,
  type MonitorData,
  type World,
} from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  setInput,
  addSpikeMonitor,
  addRateMonitor,
  addStateProbe,
  addChecker,
  addSpikeBuffer,
  pushSpike,
  insertSystem,
  setParam,
  spikeData,
  probeData,
  rateData,
  step,
  synapticEvents,
  CommSystem,
  LifRef,
  LifRefLTC,
  Lif,
  normal,
  uniform,
  fromQueue,
  EventJitFPHomoLinear,
  EventJitFPNormalLinear,
  EventCSRLinear,
  FixedProb,
  FromList,
  One2One,
  All2All,
  Linear,
  Expon,
  DualExponV2,
  COBA,
  CUBA,
  MgBlock,
  HalfProjAlignPostMg,
  HalfProjAlignPost,
  FullProjAlignPost,
  FullProjAlignPostMg,
} from '@spikecs/systems'
import { assertSameBytes, assertSameRecord } from '../support/compare.js'

interface Net {
  world: World
  monitors: MonitorData[]
  /** Live edits made at a given tick of the first half (they must survive the snapshot). */
  edit?: (tick: number) => void
}

/** BrainPy's documentation EINet: 4000 LifRef, E = [0, 3200), I = [3200, 4000), half Mg projections, JIT. */
function einet(dtype: Dtype): Net {
  const world = createWorld({ seed: 42, dtype })
  const N = addPopulation(world, 'N', LifRef({ size: 4000, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: normal(-55, 2) }))
  addProjection(
    world,
    'E',
    HalfProjAlignPostMg({
      source: fromQueue(N, { start: 0, end: 3200 }),
      comm: EventJitFPHomoLinear({ prob: 0.02, weight: 0.6 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
      post: N,
    }),
  )
  addProjection(
    world,
    'I',
    HalfProjAlignPostMg({
      source: fromQueue(N, { start: 3200, end: 4000 }),
      comm: EventJitFPHomoLinear({ prob: 0.02, weight: 6.7 }),
      syn: Expon({ tau: 10 }),
      out: COBA({ E: -80 }),
      post: N,
    }),
  )
  const inp = addInput(world, N, 20)
  const monitors = [
    addSpikeMonitor(world, N),
    addSpikeMonitor(world, N, { name: 'ring', max: 3000, ring: true }),
    addRateMonitor(world, N),
    addStateProbe(world, N, 'V', [0, 1, 3999], { every: 7 }),
  ]
  addChecker(world, { every: 10 })
  return {
    world,
    monitors,
    edit: (t) => {
      if (t === 600) inp.scale = 1.02
    },
  }
}

/** E/I COBA network: LifRefLTC 800 + 200, FullProjAlignPost with stored (CSR) Bernoulli rows. */
function cobaCsr(dtype: Dtype): Net {
  const world = createWorld({ seed: 7, dtype })
  const p = { vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: normal(-55, 2) }
  const E = addPopulation(world, 'E', LifRefLTC({ size: 800, ...p }))
  const I = addPopulation(world, 'I', LifRefLTC({ size: 200, ...p }))
  const w = { E: 0.6, I: 6.7 }
  for (const [name, pre, post, wt, tau, rev] of [
    ['E2E', E, E, w.E, 5, 0],
    ['E2I', E, I, w.E, 5, 0],
    ['I2E', I, E, w.I, 10, -80],
    ['I2I', I, I, w.I, 10, -80],
  ] as const) {
    addProjection(
      world,
      name,
      FullProjAlignPost({
        pre,
        comm: EventCSRLinear({ conn: FixedProb({ prob: 0.08 }), weight: wt }),
        syn: Expon({ tau }),
        out: COBA({ E: rev }),
        post,
      }),
    )
  }
  addProjection(
    world,
    'E2Ed',
    FullProjAlignPost({
      pre: E,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.02 }), weight: uniform(0.1, 0.5) }),
      syn: DualExponV2({ tauDecay: 8, tauRise: 1 }),
      out: COBA({ E: 0 }),
      post: E,
    }),
  )
  const inE = addInput(world, E, 20)
  addInput(world, I, 20)
  const monitors = [addSpikeMonitor(world, [E, I]), addStateProbe(world, E, 'V', [0, 5, 799])]
  addChecker(world, { every: 1, windowMs: 10 })
  return {
    world,
    monitors,
    edit: (t) => {
      if (t === 300) setParam(world, E, 'tau', 18)
      if (t === 700) setInput(inE, 21)
    },
  }
}

/**
 * Delays of several ticks on one queue (Mg and non-Mg, 1.5 ms and 0.3 ms), a spike buffer a user system fills
 * from a world stream (its state is part of the snapshot), MgBlock and CUBA outputs, and One2One, All2All,
 * Linear, FromList and normal-weight JIT comm layers; optionally unfused.
 */
function delays(dtype: Dtype, fuse = true): Net {
  const world = createWorld({ seed: 3, dtype, fuse })
  const A = addPopulation(world, 'A', LifRef({ size: 60, vRest: -60, vTh: -50, vReset: -60, tau: 10, tauRef: 2, v0: uniform(-60, -50) }))
  const B = addPopulation(world, 'B', Lif({ size: 40, vRest: -60, vTh: -50, vReset: -65, tau: 15, v0: -60 }))
  const buf = addSpikeBuffer(world, 'stim', 60)
  insertSystem(
    world,
    (w) => {
      const s = streamFor(w, 'stim')
      for (let i = 0; i < 60; i++) if (s.uniform() < 0.01) pushSpike(buf, i)
    },
    { before: CommSystem },
  )
  addProjection(
    world,
    'stimA',
    HalfProjAlignPost({ source: buf, comm: One2One({ weight: 3 }), syn: Expon({ tau: 2 }), out: CUBA(), post: A }),
  )
  addProjection(
    world,
    'A2B',
    FullProjAlignPostMg({
      pre: A,
      delay: 1.5,
      comm: EventJitFPNormalLinear({ prob: 0.2, wMu: 0.8, wSigma: 0.2 }),
      syn: Expon({ tau: 5 }),
      out: MgBlock({ E: 0 }),
      post: B,
    }),
  )
  addProjection(
    world,
    'A2Bfast',
    FullProjAlignPost({ pre: A, delay: 0.3, comm: All2All({ weight: 0.05 }), syn: Expon({ tau: 3 }), out: COBA({ E: 0 }), post: B }),
  )
  const W = Array.from({ length: 40 * 60 }, (_, k) => ((k * 7919) % 13) / 40 - 0.1)
  addProjection(world, 'B2A', FullProjAlignPost({ pre: B, delay: 2.0, comm: Linear({ W }), syn: Expon({ tau: 4 }), out: CUBA(), post: A }))
  addProjection(
    world,
    'A2A',
    FullProjAlignPostMg({
      pre: A,
      delay: 0.5,
      comm: All2All({ weight: -0.1, includeSelf: false }),
      syn: Expon({ tau: 6 }),
      out: CUBA(),
      post: A,
    }),
  )
  addProjection(
    world,
    'B2B',
    FullProjAlignPost({
      pre: B,
      comm: EventCSRLinear({ conn: FromList({ pre: [0, 1, 2, 39, 5], post: [1, 2, 3, 0, 5] }), weight: [2, 2, 2, 2, 1] }),
      syn: Expon({ tau: 3 }),
      out: COBA({ E: 0 }),
      post: B,
    }),
  )
  addInput(world, A, 11)
  addInput(world, B, 10.5)
  const monitors = [addSpikeMonitor(world, [A, B]), addStateProbe(world, B, 'V', [0, 39], { every: 3, max: 100, ring: true })]
  addChecker(world, { every: 5 })
  return { world, monitors }
}

function runTicks(net: Net, from: number, to: number): void {
  for (let t = from; t < to; t++) {
    net.edit?.(t)
    step(net.world)
  }
}

function assertSameState(a: World, b: World, what: string): void {
  assert.is(a.tick, b.tick, `${what}: tick`)
  assert.is(a.columns.length, b.columns.length)
  a.columns.forEach((col, k) => assertSameBytes(b.columns[k].array, col.array, `${what}: column ${col.name} of entity ${col.owner}`))
  assert.is(synapticEvents(a), synapticEvents(b), `${what}: synaptic events`)
  assertSameBytes(snapshot(b), snapshot(a), `${what}: snapshot bytes`)
}

function assertSameRecords(a: Net, b: Net, what: string): void {
  a.monitors.forEach((m, k) => {
    const n = b.monitors[k]
    if (m.kind === 'spikes') assertSameRecord(spikeData(n), spikeData(m), `${what}: monitor ${m.name}`)
    else if (m.kind === 'rate') assertSameRecord(rateData(n), rateData(m), `${what}: monitor ${m.name}`)
    else assertSameRecord(probeData(n), probeData(m), `${what}: monitor ${m.name}`)
    assert.is(n.dropped, m.dropped)
  })
}

const networks: [string, (dtype: Dtype) => Net][] = [
  ['docs EINet (half Mg, JIT)', einet],
  ['E/I COBA (FullProjAlignPost, CSR)', cobaCsr],
  ['delays, spike buffer, every comm kind', (d) => delays(d)],
  ['delays, spike buffer, every comm kind, unfused', (d) => delays(d, false)],
]

for (const [name, build] of networks) {
  for (const dtype of ['float32', 'float64'] as const) {
    test(`${name}, ${dtype}: 2000 ticks straight = 1000 + snapshot + restore into a fresh world + 1000`, () => {
      const straight = build(dtype)
      runTicks(straight, 0, 2000)
      const first = build(dtype)
      runTicks(first, 0, 1000)
      const blob = snapshot(first.world)
      const resumed = build(dtype)
      restore(resumed.world, blob)
      assert.is(resumed.world.tick, 1000)
      runTicks(resumed, 1000, 2000)
      const spikes = spikeData(straight.monitors[0])
      assert.ok(spikes.ticks.length > 500 && spikes.ticks[spikes.ticks.length - 1] > 1500, `${spikes.ticks.length} spikes`)
      assertSameRecords(straight, resumed, name)
      assertSameState(straight.world, resumed.world, name)
    })
  }
}

test('restoring into the same world rolls it back; a snapshot taken before the first tick restores too', () => {
  const a = einet('float32')
  const before = snapshot(a.world)
  runTicks(a, 0, 500)
  const mid = snapshot(a.world)
  runTicks(a, 500, 800)
  const at800 = snapshot(a.world)
  restore(a.world, mid)
  runTicks(a, 500, 800)
  assertSameBytes(snapshot(a.world), at800, 'rolled back')
  restore(a.world, before)
  assert.is(a.world.tick, 0)
  assert.is(a.monitors[0].count, 0)
  runTicks(a, 0, 800)
  assertSameBytes(snapshot(a.world), at800, 'rolled back')
})

test('spikes pushed into a spike buffer before the snapshot are delivered after the restore', () => {
  const make = () => {
    const world = createWorld({ dtype: 'float64' })
    const post = addPopulation(world, 'post', Lif({ size: 4, vTh: 1e9, vReset: -1e9 }))
    const buf = addSpikeBuffer(world, 'ext', 4)
    const proj = addProjection(
      world,
      'in',
      HalfProjAlignPost({ source: buf, comm: One2One({ weight: 2 }), syn: Expon({ tau: 5 }), out: CUBA(), post }),
    )
    const probe = addStateProbe(world, proj, 'g', [0, 1, 2, 3])
    return { world, buf, probe }
  }
  const a = make()
  step(a.world)
  pushSpike(a.buf, 1)
  pushSpike(a.buf, 3)
  const blob = snapshot(a.world)
  const b = make()
  restore(b.world, blob)
  assert.is(b.buf.count, 2)
  step(b.world)
  assert.equal(Array.from(probeData(b.probe).values), [0, 0, 0, 0, 0, 2, 0, 2])
  assert.is(b.buf.count, 0)
})

test('the header: magic, format, dtype, payload length and checksums as documented', () => {
  const { world } = delays('float64')
  runTicks({ world, monitors: [] }, 0, 10)
  const blob = snapshot(world)
  const b = new Uint8Array(blob),
    v = new DataView(blob)
  assert.equal(Array.from(b.subarray(0, 4)), [0x53, 0x50, 0x4b, 0x53])
  assert.is(v.getUint32(4, true), SNAPSHOT_FORMAT)
  assert.is(b[8], 1)
  assert.is(v.getFloat64(24, true), b.length - SNAPSHOT_HEADER_BYTES)
  assert.is(v.getUint32(32, true), crc32(b, SNAPSHOT_HEADER_BYTES))
  assert.is(v.getUint32(36, true), crc32(b, 0, 36))
  // CRC-32 check value of the standard: "123456789" → 0xCBF43926.
  assert.is(crc32(Uint8Array.from('123456789', (ch) => ch.charCodeAt(0))), 0xcbf43926)
  // A copy at an odd offset of a larger buffer restores like the original.
  const odd = new Uint8Array(b.length + 3)
  odd.set(b, 3)
  const other = delays('float64')
  restore(other.world, odd.subarray(3))
  assertSameBytes(snapshot(other.world), b, 'restored from an odd offset')
})

/** A blob with its header fields edited and the header checksum recomputed. */
function withHeader(blob: ArrayBuffer, edit: (v: DataView) => void): ArrayBuffer {
  const copy = blob.slice(0)
  const v = new DataView(copy)
  edit(v)
  v.setUint32(36, crc32(new Uint8Array(copy), 0, 36), true)
  return copy
}

test('refused blobs name the reason and leave the target world unchanged', () => {
  const source = einet('float32')
  runTicks(source, 0, 50)
  const blob = snapshot(source.world)
  const target = einet('float32')
  runTicks(target, 0, 20)
  const plan = target.world.plan
  const version = target.world.version
  const untouched = new Uint8Array(snapshot(target.world))

  const corrupt = new Uint8Array(blob.slice(0))
  corrupt[corrupt.length - 100] ^= 0x10
  const badHeader = new Uint8Array(blob.slice(0))
  badHeader[8] ^= 1
  const otherNet = (() => {
    const w = createWorld({ seed: 42 })
    const N = addPopulation(w, 'N', LifRef({ size: 3999, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5 }))
    addInput(w, N, 20)
    return snapshot(w)
  })()
  const cases: [string, unknown, SnapshotError['reason'], RegExp][] = [
    [
      'random bytes',
      Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
      'not-a-snapshot',
      /^restore: magic must be "SPKS": this is not a spikecs snapshot \(got "\\u0001\\u0002\\u0003\\u0004"\)$/,
    ],
    [
      'not an array',
      { bytes: 1 },
      'not-a-snapshot',
      /^restore: blob must be an ArrayBuffer or a typed array holding a snapshot \(got \{"bytes":1\}\)$/,
    ],
    [
      'empty file',
      new ArrayBuffer(0),
      'truncated',
      /^restore: blob length must be at least 40 bytes: the snapshot is truncated \(got 0\)$/,
    ],
    [
      'cut in the header',
      blob.slice(0, 20),
      'truncated',
      /^restore: blob length must be at least 40 bytes: the snapshot is truncated \(got 20\)$/,
    ],
    [
      'cut in the payload',
      blob.slice(0, blob.byteLength - 8),
      'truncated',
      new RegExp(
        `^restore: blob length must be ${blob.byteLength} bytes as its header says: the snapshot is ` +
          `truncated \\(got ${blob.byteLength - 8}\\)$`,
      ),
    ],
    [
      'trailing bytes',
      new Uint8Array([...new Uint8Array(blob), 0]),
      'corrupted',
      /^restore: blob length must be \d+ bytes as its header says: the snapshot has trailing bytes \(got \d+\)$/,
    ],
    [
      'a flipped payload bit',
      corrupt,
      'corrupted',
      /^restore: payload checksum must be 0x[0-9a-f]{8} as recorded in the header: the snapshot is corrupted \(got "0x[0-9a-f]{8}"\)$/,
    ],
    [
      'a flipped header bit',
      badHeader,
      'corrupted',
      /^restore: header checksum must be 0x[0-9a-f]{8} as recorded: the snapshot's header is corrupted \(got "0x[0-9a-f]{8}"\)$/,
    ],
    [
      'an older format',
      withHeader(blob, (v) => v.setUint32(4, 1, true)),
      'older-format',
      new RegExp(
        `^restore: format version must be 2: the snapshot was written by format 1; this build ` +
          String.raw`reads format 2 only \(run the network again with this build to take a new snapshot\) ` +
          String.raw`\(got 1\)$`,
      ),
    ],
    [
      'a newer format',
      withHeader(blob, (v) => v.setUint32(4, SNAPSHOT_FORMAT + 1, true)),
      'newer-format',
      new RegExp(
        `^restore: format version must be <= ${SNAPSHOT_FORMAT}: the snapshot was written by a newer ` +
          `spikecs than this one \\(got ${SNAPSHOT_FORMAT + 1}\\)$`,
      ),
    ],
    [
      'another dtype',
      snapshot(einet('float64').world),
      'dtype',
      /^restore: dtype must be 'float32' like this world's state columns: the snapshot was taken from a float64 world \(got "float64"\)$/,
    ],
    [
      'another network',
      otherNet,
      'network',
      new RegExp(
        String.raw`^restore: structure hash must be 0x[0-9a-f]{16} \(this world's network\): the snapshot is ` +
          `of a different network; line 1: this world has world dtMs=0.1 seed=42 dtype=float32 ` +
          String.raw`neurons=4000; the snapshot has world dtMs=0.1 seed=42 dtype=float32 neurons=3999 \(got ` +
          String.raw`"0x[0-9a-f]{16}"\)$`,
      ),
    ],
    [
      'another seed',
      snapshot(createWorld({ seed: 43 })),
      'network',
      /different network; line 1: this world has world dtMs=0.1 seed=42 .*; the snapshot has world dtMs=0.1 seed=43 /,
    ],
  ]
  for (const [what, bad, reason, re] of cases) {
    try {
      restore(target.world, bad as ArrayBuffer)
      assert.unreachable(`${what}: restored`)
    } catch (e) {
      assert.instance(e, SnapshotError, what)
      assert.is((e as SnapshotError).reason, reason, what)
      assert.match((e as Error).message, re, what)
    }
    assert.is(target.world.plan, plan, `${what}: plan kept`)
    assert.is(target.world.version, version)
    assertSameBytes(snapshot(target.world), untouched, `${what}: the world changed`)
  }
  // The refused attempts left the world runnable, and the good blob still restores.
  restore(target.world, blob)
  runTicks(target, 50, 100)
  runTicks(source, 50, 100)
  assertSameState(source.world, target.world, 'after refusals')
})

/**
 * test/fixtures/format-1.spks: a snapshot written by format 1 (the build before the section table) of this
 * network after 50 ticks. Format 2 moved the event counter into a section and frames every section by name.
 */
function formatOneNet(): World {
  const world = createWorld({ seed: 5 })
  const E = addPopulation(world, 'E', LifRef({ size: 8 }))
  const I = addPopulation(world, 'I', LifRef({ size: 4 }))
  addProjection(world, 'P', FullProjAlignPost({ pre: E, post: I, comm: All2All({ weight: 0.5 }), syn: Expon(), out: COBA({ E: 0 }) }))
  addInput(world, E, 30)
  addSpikeMonitor(world, E)
  return world
}

test('a snapshot of format 1 is refused naming both formats, and the world is left as it was', () => {
  const old = readFileSync(new URL('../fixtures/format-1.spks', import.meta.url))
  assert.is(new DataView(old.buffer, old.byteOffset).getUint32(4, true), 1)
  const world = formatOneNet()
  for (let k = 0; k < 10; k++) step(world)
  const before = new Uint8Array(snapshot(world))
  try {
    restore(world, old)
    assert.unreachable('restored')
  } catch (e) {
    assert.instance(e, SnapshotError)
    assert.is((e as SnapshotError).reason, 'older-format')
    assert.is(
      (e as Error).message,
      'restore: format version must be 2: the snapshot was written by format 1; this build reads ' +
        'format 2 only (run the network again with this build to take a new snapshot) (got 1)',
    )
  }
  assertSameBytes(snapshot(world), before, 'the world changed')
  // The same network's format-2 snapshot restores.
  const again = formatOneNet()
  for (let k = 0; k < 50; k++) step(again)
  restore(world, snapshot(again))
  assert.is(world.tick, 50)
})

test('a monitor or projection more, or another parameter, is another network', () => {
  const a = cobaCsr('float32')
  const blob = snapshot(a.world)
  const withMonitor = cobaCsr('float32')
  addRateMonitor(withMonitor.world, withMonitor.world.components.Population.list[0])
  assert.throws(() => restore(withMonitor.world, blob), /different network; line \d+: this world has monitor #\d+ "rate\d+" rate/)
  const world = createWorld({ seed: 7 })
  const E = addPopulation(world, 'E', LifRefLTC({ size: 800 }))
  const I = addPopulation(world, 'I', LifRefLTC({ size: 200 }))
  addProjection(
    world,
    'E2E',
    FullProjAlignPost({
      pre: E,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.08 }), weight: 0.6 }),
      syn: Expon({ tau: 6 }),
      out: COBA({ E: 0 }),
      post: I,
    }),
  )
  assert.throws(() => restore(world, blob), /different network/)
})

test.run()
