// Threads: the same spikes and the same bytes of every state column for any thread count. Each case runs one
// world per thread count and compares snapshots (every column but kernel scratch, parameter blocks, spike
// counts, queues, monitors, random streams, the event counter) byte for byte with the one-thread world.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { SpikecsError, createWorld, disposeWorld, restore, snapshot, type World } from '@spikecs/ecs-core'
import {
  AUTO_MIN_NEURONS,
  AlignPostSystem,
  All2All,
  COBA,
  CUBA,
  CSRLinear,
  ClockSystem,
  CommSystem,
  DelaySystem,
  DualExpon,
  EventJitFPNormalLinear,
  Expon,
  FixedProb,
  FullProjAlignPost,
  HalfProjAlignPost,
  HalfProjAlignPostMg,
  JitFPUniformLinear,
  LifRef,
  Linear,
  MgBlock,
  MonitorSystem,
  NeuronSystem,
  One2One,
  OutputSystem,
  PoissonGroup,
  SpikeTimeGroup,
  AdExIF,
  HH,
  addInput,
  addPopulation,
  addProjection,
  addSpikeInjector,
  addSpikeMonitor,
  addStateProbe,
  addValueBuffer,
  hostCores,
  injectEvents,
  injectSpikes,
  insertSystem,
  pushValue,
  run,
  setInput,
  setParam,
  setWeightScale,
  spikeData,
  step,
  stored,
  threadsOf,
  autoDecision,
  AUTO_MARGIN,
  EventJitFPHomoLinear,
  fromQueue,
  STDP_Song2000,
  EventCSRLinear,
} from '@spikecs/systems'
import { presets } from '@spikecs/presets'
import { buildNetwork, networkSpec } from '../../support/fuzz-network.js'
import { assertSameBytes } from '../../support/compare.js'

const THREADS = [2, 3, 4]

function sameWorlds(a: World, b: World, what: string): void {
  assertSameBytes(snapshot(b), snapshot(a), what)
}

// --- Every preset, variant, connectivity, kernel and dtype ----------------------------------------------------

for (const [name, entry] of Object.entries(presets)) {
  const def = entry.def
  for (const variant of def.variants) {
    for (const conn of def.connectivities) {
      // Kernels and dtypes alternate over the variants (every combination is covered across the presets).
      const k = def.variants.indexOf(variant) + def.connectivities.indexOf(conn)
      const kernel = k % 2 === 0 ? 'wasm' : 'js'
      const dtype = name === 'cobahh' || k % 3 === 2 ? 'float64' : 'float32'
      const opts = { variant, conn, kernel, dtype, seed: 5, scale: name === 'cobahh' ? 0.1 : 0.2 }
      test(`${name} ${variant} ${conn} ${kernel} ${dtype}: threads 1, 2, 3, 4 give the same spikes and state`, () => {
        const one = entry.build({ ...opts, threads: 1 })
        run(one.world, 20)
        assert.ok(spikeData(one.monitors.spikes as never).ticks.length > 0, 'the network fires')
        for (const T of THREADS) {
          const net = entry.build({ ...opts, threads: T })
          assert.is(threadsOf(net.world), T)
          run(net.world, 20)
          sameWorlds(net.world, one.world, `threads ${T}`)
          disposeWorld(net.world)
        }
      })
    }
  }
}

test('coba with 7 threads (more threads than cores: no spinning) equals 1 thread', () => {
  const one = presets.coba.build({ seed: 2, scale: 0.2, threads: 1 })
  const seven = presets.coba.build({ seed: 2, scale: 0.2, threads: 7 })
  run(one.world, 10)
  run(seven.world, 10)
  sameWorlds(seven.world, one.world, 'threads 7')
  disposeWorld(seven.world)
})

// --- Every comm layer, synapse kind, output and source, fused and unfused -----------------------------------------

/** A network touching every comm layer, value buffers, spike sources, several models and both orders. */
function zoo(threads: number, kernel: 'js' | 'wasm', fuse: boolean): World {
  const world = createWorld({ seed: 11, threads, kernel, fuse })
  const A = addPopulation(world, 'A', LifRef({ size: 203, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 2, v0: -55 }))
  const B = addPopulation(world, 'B', AdExIF({ size: 97 }))
  const P = addPopulation(world, 'P', PoissonGroup({ size: 120, rateHz: 40 }))
  const S = addPopulation(world, 'S', SpikeTimeGroup({ size: 10, indices: [0, 3, 7, 9, 3], times: [0.5, 1, 1.5, 2, 2.5] }))
  const H = addPopulation(world, 'H', HH({ size: 41 }))
  const vb = addValueBuffer(world, 'vals', 203)
  addProjection(
    world,
    'PA',
    HalfProjAlignPostMg({
      source: fromQueue(P),
      comm: stored(EventJitFPHomoLinear({ prob: 0.2, weight: 0.4 })),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
      post: A,
    }),
  )
  addProjection(
    world,
    'PA2',
    HalfProjAlignPostMg({
      source: fromQueue(P),
      comm: EventJitFPNormalLinear({ prob: 0.1, wMu: 0.3, wSigma: 0.05 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
      post: A,
    }),
  )
  addProjection(
    world,
    'AA',
    FullProjAlignPost({
      pre: A,
      delay: 0.3,
      comm: EventJitFPHomoLinear({ prob: 0.05, weight: 0.5, includeSelf: false }),
      syn: DualExpon({ tauRise: 1, tauDecay: 4 }),
      out: MgBlock({ E: 0 }),
      post: A,
    }),
  )
  addProjection(
    world,
    'AB',
    FullProjAlignPost({
      pre: A,
      comm: JitFPUniformLinear({ prob: 0.1, wLow: 0.1, wHigh: 0.9 }),
      syn: Expon({ tau: 3 }),
      out: CUBA(),
      post: B,
    }),
  )
  addProjection(world, 'SB', FullProjAlignPost({ pre: S, comm: All2All({ weight: 2 }), syn: Expon({ tau: 2 }), out: CUBA(), post: B }))
  addProjection(
    world,
    'BA',
    FullProjAlignPost({
      pre: B,
      comm: Linear({ W: Array.from({ length: 97 * 203 }, (_, k) => ((k * 37) % 11) / 40) }),
      syn: Expon({ tau: 8 }),
      out: COBA({ E: -80 }),
      post: A,
    }),
  )
  addProjection(world, 'AA1', HalfProjAlignPost({ source: vb, comm: One2One({ weight: 3 }), syn: Expon({ tau: 1 }), out: CUBA(), post: A }))
  addProjection(
    world,
    'VA',
    HalfProjAlignPost({
      source: vb,
      comm: CSRLinear({ conn: FixedProb({ prob: 0.1 }), weight: 0.7 }),
      syn: Expon({ tau: 2 }),
      out: CUBA(),
      post: A,
    }),
  )
  addProjection(
    world,
    'AH',
    FullProjAlignPost({
      pre: A,
      comm: EventJitFPHomoLinear({ prob: 0.1, weight: 3 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
      post: H,
    }),
  )
  addProjection(
    world,
    'AA3',
    FullProjAlignPost({ pre: A, comm: All2All({ weight: 0.01, includeSelf: false }), syn: Expon({ tau: 5 }), out: CUBA(), post: A }),
  )
  addInput(world, A, (tick: number) => 12 + (tick % 7))
  addInput(
    world,
    B,
    Array.from({ length: 97 }, (_, i) => 300 + 5 * (i % 9)),
  )
  addInput(world, H, 8)
  insertSystem(
    world,
    (w) => {
      for (let i = w.tick % 5; i < 203; i += 17) pushValue(vb, i, 0.5 + (i % 3))
    },
    { before: CommSystem },
  )
  addSpikeMonitor(world, [A, B, P, S, H])
  return world
}

for (const kernel of ['js', 'wasm'] as const) {
  for (const fuse of [true, false]) {
    test(`every comm layer, sources, HH and AdEx (${kernel}, fuse ${fuse}): threads 2 and 3 equal 1`, () => {
      const one = zoo(1, kernel, fuse)
      run(one, 8)
      for (const T of [2, 3]) {
        const w = zoo(T, kernel, fuse)
        run(w, 8)
        sameWorlds(w, one, `threads ${T}`)
        disposeWorld(w)
      }
    })
  }
}

test('on-the-fly buckets too small for a tick: every thread regenerates the rows (same numbers), then they grow', () => {
  for (const kernel of ['wasm', 'js'] as const) {
    const one = presets.einet.build({ seed: 3, scale: 0.2, threads: 1, kernel, variant: 'full' })
    const two = presets.einet.build({ seed: 3, scale: 0.2, threads: 2, kernel, variant: 'full' })
    two.world.caches.set('threads:bucketCap', 8)
    run(one.world, 15)
    run(two.world, 15)
    sameWorlds(two.world, one.world, `overflowing buckets (${kernel})`)
    assert.ok((two.world.caches.get('threads:bucketCap') as number) > 8, 'the buckets grew')
    disposeWorld(two.world)
  }
})

/** Poisson inputs onto LIF neurons through a plastic projection (STDP_Song2000) that the posts answer often. */
function plastic(threads: number, kernel: 'js' | 'wasm'): World {
  const world = createWorld({ seed: 8, threads, kernel })
  const P = addPopulation(world, 'P', PoissonGroup({ size: 300, rateHz: 30 }))
  const N = addPopulation(world, 'N', LifRef({ size: 203, vRest: -60, vTh: -50, vReset: -60, tau: 10, tauRef: 2, v0: -55 }))
  addProjection(
    world,
    'stdp',
    STDP_Song2000({
      pre: P,
      post: N,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.2 }), weight: 1.5 }),
      syn: Expon({ tau: 5 }),
      out: CUBA(),
      A1: 0.05,
      A2: 0.04,
      wMin: 0,
      wMax: 3,
    }),
  )
  addInput(world, N, 6)
  addSpikeMonitor(world, [P, N])
  return world
}

for (const kernel of ['js', 'wasm'] as const) {
  test(`plasticity (STDP_Song2000, ${kernel}): weights, traces and spikes equal on 1, 2 and 3 threads`, () => {
    const one = plastic(1, kernel)
    run(one, 60)
    const post = one.components.Population.list[1]
    assert.ok(
      spikeData(one.components.Monitor.list[0]).indices.some((i) => i >= 300),
      'the posts fire',
    )
    assert.ok(post.nSpikes >= 0)
    for (const T of [2, 3]) {
      const w = plastic(T, kernel)
      run(w, 60)
      sameWorlds(w, one, `threads ${T}`)
      disposeWorld(w)
    }
  })
}

// --- User systems, live changes, injection, snapshots -------------------------------------------------------------

function liveNet(threads: number) {
  const net = presets.coba.build({ seed: 9, scale: 0.2, threads, fuse: false, kernel: 'js' })
  const world = net.world
  const E = net.pops.E as ReturnType<typeof addPopulation>
  const inj = addSpikeInjector(world, E)
  // A user system between the slots: reads every synapse state after AlignPostSystem (a consistent world).
  const sums: number[] = []
  insertSystem(
    world,
    (w) => {
      let s = 0
      for (const st of w.components.SynapseState.list) for (let i = 0; i < st.cond.array.length; i++) s += st.cond.array[i]
      sums.push(s)
    },
    { after: AlignPostSystem },
  )
  addStateProbe(world, E, 'V', [0, 5, 300, 639], { every: 2 })
  return { net, world, E, inj, sums }
}

test('user systems between slots, live parameter and input changes, injection, weight scales: threads 1, 2, 3 agree', () => {
  const results = [1, 2, 3].map((T) => {
    const { net, world, E, inj, sums } = liveNet(T)
    run(world, 5)
    setParam(world, E, 'vTh', -52)
    setInput(net.inputs[0] as never, 25)
    injectSpikes(inj, [1, 5, 100, 600])
    run(world, 3)
    setWeightScale(world, world.components.Projection.list[0], 1.5)
    injectEvents(world, world.components.Projection.list[1], [0, 2, 2, 7], 0.3)
    run(world, 4)
    return { world, sums }
  })
  for (const r of results.slice(1)) {
    assert.equal(r.sums, results[0].sums, 'the user system saw the same states')
    sameWorlds(r.world, results[0].world, 'live changes')
    disposeWorld(r.world)
  }
})

test('a game loop calling the systems one by one on 2 threads equals step() on 1', () => {
  const one = presets.einet.build({ seed: 4, scale: 0.2, threads: 1 })
  const two = presets.einet.build({ seed: 4, scale: 0.2, threads: 2 })
  for (let k = 0; k < 60; k++) step(one.world)
  const systems = [DelaySystem, CommSystem, AlignPostSystem, OutputSystem, NeuronSystem, MonitorSystem, ClockSystem]
  for (let k = 0; k < 60; k++) for (const s of systems) s(two.world)
  sameWorlds(two.world, one.world, 'systems one by one')
  disposeWorld(two.world)
})

test('snapshots cross thread counts: taken with 2 threads, restored into 1 (and back), they continue identically', () => {
  const straight = presets.coba.build({ seed: 6, scale: 0.2, threads: 1, conn: 'jit' })
  run(straight.world, 30)
  const two = presets.coba.build({ seed: 6, scale: 0.2, threads: 2, conn: 'jit' })
  run(two.world, 10)
  const one = presets.coba.build({ seed: 6, scale: 0.2, threads: 1, conn: 'jit' })
  restore(one.world, snapshot(two.world))
  run(one.world, 10)
  const three = presets.coba.build({ seed: 6, scale: 0.2, threads: 3, conn: 'jit' })
  restore(three.world, snapshot(one.world))
  run(three.world, 10)
  sameWorlds(three.world, straight.world, '2 → 1 → 3 threads')
  disposeWorld(two.world)
  disposeWorld(three.world)
})

// --- Random networks ------------------------------------------------------------------------------------------------

test('random networks (fixed seeds): 1 and 3 threads give the same spikes and state', () => {
  let compared = 0
  fc.assert(
    fc.property(networkSpec, fc.constantFrom<'js' | 'wasm'>('js', 'wasm'), (spec, kernel) => {
      let one: ReturnType<typeof buildNetwork>
      try {
        one = buildNetwork(spec, { threads: 1, kernel })
      } catch (e) {
        if (e instanceof SpikecsError) return // refused networks are the fuzz test's subject
        throw e
      }
      const three = buildNetwork(spec, { threads: 3, kernel })
      const ticks = Math.min(spec.ticks, 60)
      for (let k = 0; k < ticks; k++) {
        step(one.world)
        step(three.world)
      }
      sameWorlds(three.world, one.world, 'random network')
      disposeWorld(three.world)
      compared++
    }),
    { seed: 20260101, numRuns: 40 },
  )
  assert.ok(compared >= 10, `${compared} networks compared`)
})

// --- Errors, shutdown, auto ----------------------------------------------------------------------------------------

function faultMessage(threads: number): string {
  const net = presets.einet.build({ seed: 1, scale: 0.2, threads, variant: 'full' })
  net.world.caches.set('threads:fault', { population: 'I', tick: 7 })
  net.world.version++
  try {
    run(net.world, 5)
    return 'no error'
  } catch (e) {
    assert.ok(e instanceof SpikecsError, `a SpikecsError (${e})`)
    assert.is((e as SpikecsError).object, "population 'I'")
    assert.is((e as SpikecsError).value, 7)
    return (e as SpikecsError).message
  } finally {
    disposeWorld(net.world)
  }
}

test('an error inside a worker surfaces in the main thread as the same SpikecsError as on one thread', () => {
  const one = faultMessage(1)
  assert.match(one, /^population 'I': kernel failed at tick 7/)
  assert.is(faultMessage(2), one)
  assert.is(faultMessage(3), one)
})

test('disposeWorld stops the workers; a process with an undisposed threaded world exits on its own', async () => {
  const net = presets.coba.build({ seed: 1, scale: 0.1, threads: 2 })
  run(net.world, 1)
  const pool = net.world.caches.get('threads:pool') as { stopped: boolean }
  assert.is(pool.stopped, false)
  disposeWorld(net.world)
  assert.is(pool.stopped, true)
  const { spawnSync } = await import('node:child_process')
  const code =
    "import { coba } from '@spikecs/presets'; import { run } from '@spikecs/systems'; " +
    "const n = coba({ scale: 0.1, threads: 2 }); run(n.world, 2); console.log('ran')"
  const t0 = Date.now()
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 })
  assert.is(r.status, 0, `exit status (${r.stderr})`)
  assert.is(r.stdout.trim(), 'ran')
  assert.ok(Date.now() - t0 < 30_000, 'exited on its own')
})

test("threads: 'auto' takes 1 thread for small networks and the host's cores for large ones", () => {
  const tiny = createWorld({ threads: 'auto' })
  addPopulation(tiny, 'N', LifRef({ size: 100 }))
  assert.is(threadsOf(tiny), 1)
  const large = createWorld({ threads: 'auto' })
  addPopulation(large, 'N', LifRef({ size: AUTO_MIN_NEURONS }))
  assert.is(threadsOf(large), hostCores())
  assert.is(threadsOf(createWorld({ threads: 3 })), 3)
  // Stored rows keep the cores; on-the-fly rows (no gain measured yet) take one thread.
  const csr = presets.coba.build({ scale: AUTO_MIN_NEURONS / 4000, conn: 'csr', threads: 'auto', record: false })
  assert.is(threadsOf(csr.world), hostCores())
  const jit = presets.coba.build({ scale: AUTO_MIN_NEURONS / 4000, conn: 'jit', threads: 'auto', record: false })
  assert.is(threadsOf(jit.world), 1)
  const small = presets.coba.build({ scale: (AUTO_MIN_NEURONS - 4000) / 4000, conn: 'csr', threads: 'auto', record: false })
  assert.is(threadsOf(small.world), 1)
})

test("threads: 'auto' measures 1 thread and the cores (spinning, blocking) in run, keeps the fastest, changes no spike", () => {
  const opts = { seed: 3, scale: AUTO_MIN_NEURONS / 4000, conn: 'jit' as const, record: false }
  const auto = presets.coba.build({ ...opts, threads: 'auto' })
  const one = presets.coba.build({ ...opts, threads: 1 })
  assert.is(threadsOf(auto.world), 1, 'on-the-fly rows: one thread until measured')
  assert.is(autoDecision(auto.world), null)
  // Each of the 6 stages needs 25 ms of measured ticks after its warm-up (a few hundred ticks here).
  let ms = 0
  while (ms < 400 && (ms === 0 || autoDecision(auto.world) === null)) {
    run(auto.world, 10)
    run(one.world, 10)
    ms += 10
  }
  const d = autoDecision(auto.world)
  if (hostCores() < 2) assert.is(d, null, 'one core: nothing to try')
  else {
    assert.ok(d !== null, 'decided within 4000 ticks')
    assert.ok(d.oneUs > 0 && d.spinUs > 0 && d.blockUs > 0, `times measured (${d.oneUs}, ${d.spinUs}, ${d.blockUs})`)
    assert.is(
      d.threads,
      Math.min(d.spinUs, d.blockUs) < d.oneUs * (1 - AUTO_MARGIN) ? hostCores() : 1,
      'the cores are kept when they save AUTO_MARGIN of the tick',
    )
    assert.is(d.spin, d.spinUs <= d.blockUs, 'and the faster way to wait')
    assert.is(threadsOf(auto.world), d.threads)
  }
  // The stretch on one thread, the stretch on the cores and the rest: the same spikes and state as 1 thread.
  sameWorlds(auto.world, one.world, 'auto across its trial')
  disposeWorld(auto.world)
})

test('threads must be a whole number from 1 or auto', () => {
  for (const bad of [0, 1.5, -2, 'many', 1000]) {
    assert.throws(
      () => createWorld({ threads: bad as never }),
      (e: Error) => e instanceof SpikecsError && /^world: threads must be 'auto' or a whole number from 1 to 256/.test(e.message),
    )
  }
})

test.run()
