// The game-loop driver and live interaction: spike taps, weight scales, spike injection.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, SpikecsError, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addSpikeMonitor,
  addInput,
  spikeData,
  step,
  run,
  Lif,
  LifRef,
  createDriver,
  advanceFrame,
  singleStep,
  pauseDriver,
  resumeDriver,
  setSpeed,
  setTickCap,
  addSpikeTap,
  tapSpikes,
  setWeightScale,
  weightScaleOf,
  addSpikeInjector,
  injectSpikes,
  injectEvents,
  setInput,
  setParam,
  addSpikeBuffer,
  pushSpike,
  addProjection,
  HalfProjAlignPost,
  HalfProjAlignPostMg,
  One2One,
  Expon,
  COBA,
  addStateProbe,
  probeData,
  type Driver,
} from '@spikecs/systems'
import { einet, coba } from '@spikecs/presets'
import { readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

/** A one-neuron world and a driver whose tick function counts ticks; the clock advances 1 ms per read. */
function counted(o: Parameters<typeof createDriver>[1] = {}): { world: World; driver: Driver; ticks: () => number } {
  const world = createWorld({ dtMs: 0.1 })
  addPopulation(world, 'n', Lif({ size: 1 }))
  let n = 0
  let clock = 0
  const driver = createDriver(world, {
    now: () => clock++,
    ...o,
    tick: (w) => {
      n++
      step(w)
    },
  })
  return { world, driver, ticks: () => n }
}

test('driver: runs the ticks that fit, carries the fraction, reports the real-time factor', () => {
  const { world, driver, ticks } = counted()
  let r = advanceFrame(driver, 16)
  assert.is(r.ticks, 160)
  assert.is(r.dropped, 0)
  assert.ok(Math.abs(r.realTimeFactor - 1) < 1e-12)
  assert.is(r.computeMs, 1) // one clock read before and one after the ticks
  r = advanceFrame(driver, 16.67) // 166.7 ticks owed: 166 run, 0.7 carried
  assert.is(r.ticks, 166)
  assert.ok(Math.abs(driver.carry - 0.7) < 1e-9)
  r = advanceFrame(driver, 16.67) // 0.7 + 166.7 = 167.4
  assert.is(r.ticks, 167)
  assert.ok(Math.abs(driver.carry - 0.4) < 1e-9)
  // Half ticks add up exactly: 0.05 ms frames give a tick every second frame.
  const sub = counted()
  const got = [0, 1, 2, 3, 4, 5].map(() => advanceFrame(sub.driver, 0.05).ticks)
  assert.equal(got, [0, 1, 0, 1, 0, 1])
  assert.is(world.tick, 160 + 166 + 167)
  assert.is(ticks(), world.tick)
  assert.equal(driver.totals.ticks, world.tick)
  assert.is(driver.totals.frames, 3)
})

test('driver: speed scales the ticks per frame; the cap drops the backlog instead of spiralling', () => {
  const { driver } = counted({ speed: 0.1 })
  assert.is(advanceFrame(driver, 10).ticks, 10)
  setSpeed(driver, 4)
  assert.is(advanceFrame(driver, 10).ticks, 400)
  setSpeed(driver, 10)
  // 16 ms at x10 owe 1600 ticks; the default cap is 100 ms of biological time = 1000 ticks.
  let r = advanceFrame(driver, 16)
  assert.is(r.ticks, 1000)
  assert.is(r.dropped, 600)
  assert.ok(Math.abs(r.realTimeFactor - 100 / 16) < 1e-12)
  // The dropped ticks are not owed later: a normal frame runs a normal number of ticks.
  r = advanceFrame(driver, 1)
  assert.is(r.ticks, 100)
  assert.is(driver.totals.dropped, 600)
  const capped = counted({ maxTicksPerFrame: 7 })
  assert.is(advanceFrame(capped.driver, 1.25).ticks, 7)
  assert.is(capped.driver.last.dropped, 5)
  assert.ok(Math.abs(capped.driver.carry - 0.5) < 1e-9)
  setTickCap(capped.driver, 20)
  assert.is(advanceFrame(capped.driver, 1.25).ticks, 13) // 0.5 carried + 12.5 owed
  assert.throws(() => setTickCap(capped.driver, 1.5), /driver: maxTicksPerFrame must be an integer/)
  assert.throws(
    () => setSpeed(driver, 0.05),
    (e: unknown) => e instanceof SpikecsError && /driver: speed must be in \[0\.1, 100\]/.test((e as Error).message),
  )
  assert.throws(
    () => setSpeed(driver, 101),
    (e: unknown) => e instanceof SpikecsError,
  )
  assert.throws(() => advanceFrame(driver, -1), /elapsedMs/)
  assert.throws(() => advanceFrame(driver, NaN), /elapsedMs/)
  assert.throws(() => createDriver(createWorld(), { maxTicksPerFrame: 0 }), /maxTicksPerFrame/)
})

test('driver: pause stops the clock (time paused is not owed); single-step runs exactly one tick', () => {
  const { world, driver, ticks } = counted()
  advanceFrame(driver, 1.05) // 10 ticks, 0.5 carried
  pauseDriver(driver)
  assert.ok(driver.paused)
  for (let k = 0; k < 5; k++) assert.is(advanceFrame(driver, 500).ticks, 0)
  assert.is(world.tick, 10)
  assert.is(singleStep(driver).ticks, 1)
  assert.is(world.tick, 11)
  assert.is(ticks(), 11)
  singleStep(driver)
  assert.is(world.tick, 12)
  resumeDriver(driver)
  assert.is(advanceFrame(driver, 0.05).ticks, 1) // the 0.5 carried before the pause + 0.5
  assert.is(world.tick, 13)
})

/** Runs `frames` (elapsed ms per frame) on a preset with a tap; returns the tap's (tick, index) pairs. */
function tapped(net: ReturnType<typeof einet> | ReturnType<typeof coba>, frames: number[], speed = 1) {
  const pops = Object.values(net.pops)
  const tap = addSpikeTap(net.world, pops)
  const driver = createDriver(net.world, { taps: [tap], speed, maxSpeed: 100, maxTicksPerFrame: 300 })
  const ticks: number[] = [],
    indices: number[] = []
  let expectTick = 0
  for (const ms of frames) {
    const r = advanceFrame(driver, ms)
    const f = tapSpikes(tap)
    assert.is(f.nTicks, r.ticks)
    if (r.ticks > 0) assert.is(f.firstTick, expectTick)
    expectTick += r.ticks
    for (let k = 0; k < f.nTicks; k++) {
      for (let q = f.offsets[k]; q < f.offsets[k + 1]; q++) {
        ticks.push(f.firstTick + k)
        indices.push(f.indices[q])
      }
    }
  }
  return { ticks, indices, world: net.world }
}

test("spike tap: the spikes read frame by frame are the monitor's spikes of those ticks", () => {
  const frames = [16.7, 3, 0, 40, 16.6, 7.77, 1000, 16.7]
  for (const net of [einet({ seed: 2, scale: 0.5 }), coba({ seed: 3, scale: 0.5, kernel: 'js' })]) {
    const { ticks, indices, world } = tapped(net, frames)
    const m = spikeData(net.monitors.spikes!)
    assert.ok(world.tick > 1000, `ran ${world.tick} ticks`)
    assert.ok(m.indices.length > 500, `${net.preset}: ${m.indices.length} spikes`)
    assert.equal(ticks, Array.from(m.ticks))
    assert.equal(indices, Array.from(m.indices))
  }
})

for (const kernel of ['js', 'wasm'] as const) {
  for (const conn of ['jit', 'csr'] as const) {
    test(`weight scale (${kernel}, ${conn}): scaling I by 0.5 before the run is building with wI/2; 1 restores`, () => {
      const a = einet({ seed: 4, scale: 0.5, kernel, conn, wI: 3.35 })
      const b = einet({ seed: 4, scale: 0.5, kernel, conn })
      const I = b.world.components.Projection.list.find((p) => p.name === 'I')!
      setWeightScale(b.world, I, 0.5)
      assert.is(weightScaleOf(b.world, I), 0.5)
      run(a.world, 100)
      run(b.world, 100)
      const sa = spikeData(a.monitors.spikes!),
        sb = spikeData(b.monitors.spikes!)
      assert.ok(sa.indices.length > 100)
      assert.equal(sb.ticks, sa.ticks)
      assert.equal(sb.indices, sa.indices)
      // Mid-run changes apply from the next tick; back to 1 the weight is the built one again.
      const c = einet({ seed: 4, scale: 0.5, kernel, conn })
      const Ic = c.world.components.Projection.list.find((p) => p.name === 'I')!
      const weightOf = () =>
        Ic.comm.kind === 'EventCSRLinear' ? Ic.comm.weight : (Ic.comm as { gen: { weight: { value: number } } }).gen.weight.value
      const built = weightOf()
      run(c.world, 20)
      setWeightScale(c.world, Ic, 3)
      assert.is(weightOf(), Math.fround(built * 3))
      run(c.world, 20)
      setWeightScale(c.world, Ic, 1)
      assert.is(weightOf(), built)
      run(c.world, 20)
      const sc = spikeData(c.monitors.spikes!)
      const ref = einet({ seed: 4, scale: 0.5, kernel, conn })
      run(ref.world, 20)
      const n20 = spikeData(ref.monitors.spikes!).indices.length
      assert.equal(Array.from(sc.indices.subarray(0, n20)), Array.from(spikeData(ref.monitors.spikes!).indices))
      run(ref.world, 40)
      assert.not.equal(Array.from(sc.indices), Array.from(spikeData(ref.monitors.spikes!).indices))
    })
  }
}

test('weight scale: errors name the projection, the parameter and the value', () => {
  const net = einet({ scale: 0.25 })
  const E = net.world.components.Projection.list[0]
  assert.throws(() => setWeightScale(net.world, E, -1), /projection 'E': weightScale must be >= 0.*\(got -1\)/)
  assert.throws(() => setWeightScale(net.world, E, NaN), /projection 'E': weightScale must be a finite number/)
  const other = einet({ scale: 0.25 })
  assert.throws(
    () => setWeightScale(net.world, other.world.components.Projection.list[0], 2),
    /setWeightScale: proj must be a projection added to this world/,
  )
})

for (const kernel of ['js', 'wasm'] as const) {
  test(`spike injector (${kernel}): unused it changes no spike; used it makes the neurons fire in the next tick`, () => {
    const plain = einet({ seed: 5, scale: 0.5, kernel })
    const withInj = einet({ seed: 5, scale: 0.5, kernel })
    addSpikeInjector(withInj.world, withInj.pops.N)
    run(plain.world, 100)
    run(withInj.world, 100)
    assert.equal(spikeData(withInj.monitors.spikes!).indices, spikeData(plain.monitors.spikes!).indices)
    assert.equal(spikeData(withInj.monitors.spikes!).ticks, spikeData(plain.monitors.spikes!).ticks)

    // A silent population (no input): only injected neurons fire, in the tick after the injection.
    const world = createWorld({ kernel })
    const pop = addPopulation(world, 'P', LifRef({ size: 50, vRest: -60, vReset: -60, vTh: -50, tau: 20, tauRef: 5, v0: -60 }))
    const kick = addSpikeInjector(world, pop)
    const mon = addSpikeMonitor(world, pop)
    run(world, 1)
    assert.is(injectSpikes(kick, [7, 3, 40, 3]), 3)
    assert.is(injectSpikes(kick, [12]), 4)
    run(world, 10)
    const s = spikeData(mon)
    assert.equal(Array.from(s.ticks), [10, 10, 10, 10])
    assert.equal(Array.from(s.indices), [3, 7, 12, 40])
    assert.throws(() => injectSpikes(kick, [50]), /spike injector 'inject:P': indices\[0\] must be an integer in \[0, 50\).*\(got 50\)/)
  })
}

for (const [kernel, dtype, merged] of [
  ['js', 'float64', false],
  ['js', 'float32', true],
  ['wasm', 'float32', false],
] as const) {
  test(`injectEvents (${kernel}, ${dtype}${merged ? ', Mg' : ''}): the events a spike through the projection delivers next tick`, () => {
    // Two equal worlds: a population fed one-to-one from a spike buffer. In one the buffer gets spikes of
    // neurons 2 and 5; in the other injectEvents adds the projection's weight for the same post neurons.
    const make = () => {
      const world = createWorld({ kernel, dtype })
      const pop = addPopulation(world, 'P', LifRef({ size: 8, vRest: -60, vReset: -60, vTh: -50, tau: 20, tauRef: 2, v0: -58 }))
      const buf = addSpikeBuffer(world, 'src', 8)
      const desc = { source: buf, post: pop, comm: One2One({ weight: 3.3 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }
      const proj = addProjection(world, 'kick', merged ? HalfProjAlignPostMg(desc) : HalfProjAlignPost(desc))
      addInput(world, pop, 9)
      const probe = addStateProbe(world, pop, 'V', [0, 1, 2, 3, 4, 5, 6, 7])
      const mon = addSpikeMonitor(world, pop)
      return { world, pop, buf, proj, probe, mon }
    }
    const a = make(),
      b = make()
    run(a.world, 1)
    run(b.world, 1)
    pushSpike(a.buf, 2)
    pushSpike(a.buf, 5)
    assert.is(injectEvents(b.world, b.proj, [5, 2], 3.3), 2)
    run(a.world, 3)
    run(b.world, 3)
    assert.equal(probeData(b.probe).values, probeData(a.probe).values)
    assert.equal(spikeData(b.mon).indices, spikeData(a.mon).indices)
    assert.ok(spikeData(a.mon).indices.length > 0)
    assert.is(b.world.components.Projection.list.length, 1) // nothing was added
    assert.throws(() => injectEvents(b.world, b.proj, [8], 1), /projection 'kick': indices\[0\] must be an integer in \[0, 8\).*\(got 8\)/)
    assert.throws(() => injectEvents(b.world, b.proj, [1], Infinity), /projection 'kick': weight must be a finite number/)
  })
}

test('live inputs and parameters between frames apply from the next tick', () => {
  // An input set between frames is the input the network was built with, from that tick on.
  const built = einet({ seed: 6, scale: 0.5, iExt: 30 })
  const live = einet({ seed: 6, scale: 0.5 })
  const tap = addSpikeTap(live.world, live.pops.N)
  const d = createDriver(live.world, { taps: [tap] })
  setInput(live.inputs[0], 30)
  for (let k = 0; k < 5; k++) advanceFrame(d, 20)
  run(built.world, 100)
  assert.equal(spikeData(live.monitors.spikes!).indices, spikeData(built.monitors.spikes!).indices)
  // A threshold out of reach silences the next frame at once.
  setParam(live.world, live.pops.N, 'vTh', 100)
  advanceFrame(d, 20)
  assert.is(d.last.ticks, 200)
  assert.is(tapSpikes(tap).indices.length, 0)
})

test('the game-loop example of docs/demo.md runs and prints what the driver did', () => {
  const doc = readFileSync(new URL('../../../docs/demo.md', import.meta.url), 'utf8')
  const start = doc.indexOf('```ts', doc.indexOf('<!-- example: game-loop'))
  const code = doc.slice(start + 5, doc.indexOf('```', start + 5))
  // TypeScript (an ES module with top-level await): tsx runs it from the repository root.
  const root = fileURLToPath(new URL('../../..', import.meta.url))
  const tsx = createRequire(import.meta.url).resolve('tsx/cli')
  const r = spawnSync(process.execPath, [tsx, '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' })
  assert.is(r.status, 0, r.stderr)
  // 30 frames of 1/60 s at x1 are 5000 ticks; one at x4 runs 666 (0.67 carried); one paused; one single step.
  const m = /^tick (\d+); last frame (\d+) ticks \(x([\d.]+)\); (\d+) spikes drawn$/.exec(r.stdout.trim())
  assert.ok(m, r.stdout)
  assert.equal([Number(m![1]), Number(m![2]), m![3]], [5667, 666, '4.0'])
  assert.ok(Number(m![4]) > 10_000)
})

test.run()
