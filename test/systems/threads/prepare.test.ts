// Workers started ahead (prepareThreads): a threaded world takes them before starting its own, they talk
// through a port of their own, and none is left running. A browser, whose workers must be prepared, is faked
// in Node by hiding the Node built-ins the thread runtime looks for; its workers are still Node workers, made
// by a factory, which is what a page's factory does with Web Workers.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Worker } from 'node:worker_threads'
import { spawnSync } from 'node:child_process'
import { SpikecsError, disposeWorld, type World } from '@spikecs/ecs-core'
import {
  AUTO_MIN_NEURONS,
  LifRef,
  addPopulation,
  prepareThreads,
  releaseThreads,
  run,
  setThreadWorkerFactory,
  spikeData,
  threadsOf,
  type ThreadWorker,
} from '@spikecs/systems'
import { createWorld } from '@spikecs/ecs-core'
import { presets } from '@spikecs/presets'

const entry = new URL(import.meta.resolve('@spikecs/systems/worker'))

/** A factory of Node workers on the package's entry that records each worker it made. */
function countingFactory(): { made: Worker[]; exited: () => Promise<number> } {
  const made: Worker[] = []
  const ended: Promise<number>[] = []
  setThreadWorkerFactory(() => {
    const w = new Worker(entry)
    w.unref()
    made.push(w)
    ended.push(new Promise((resolve) => w.once('exit', resolve)))
    return w as ThreadWorker
  })
  // How many of the workers made so far have exited, once they all have.
  return { made, exited: async () => (await Promise.all(ended)).length }
}

/** Spikes of a small COBA network after 100 ticks (1 thread unless asked). */
function cobaSpikes(threads: number): { world: World; spikes: string } {
  const net = presets.coba.build({ seed: 3, scale: 0.1, threads })
  run(net.world, 100)
  const s = spikeData(net.monitors.spikes as never)
  return { world: net.world, spikes: JSON.stringify([Array.from(s.ticks), Array.from(s.indices)]) }
}

const oneThread = cobaSpikes(1)
disposeWorld(oneThread.world)

/** Runs `f` with the Node built-ins hidden (and `navigator` saying 4 cores), as in a browser's worker. */
async function asBrowser<R>(f: () => R | Promise<R>): Promise<R> {
  const p = process as { getBuiltinModule?: unknown }
  const g = globalThis as { navigator?: unknown }
  const saved = { builtin: p.getBuiltinModule, navigator: Object.getOwnPropertyDescriptor(g, 'navigator') }
  p.getBuiltinModule = undefined
  Object.defineProperty(g, 'navigator', { value: { hardwareConcurrency: 4 }, configurable: true })
  try {
    return await f()
  } finally {
    p.getBuiltinModule = saved.builtin
    if (saved.navigator === undefined) delete g.navigator
    else Object.defineProperty(g, 'navigator', saved.navigator)
  }
}

test('a world takes the prepared workers (no new ones), spikes as on 1 thread; disposeWorld ends them all', async () => {
  const f = countingFactory()
  try {
    await prepareThreads(3)
    assert.is(f.made.length, 2)
    await prepareThreads(3) // already prepared: nothing more is started
    assert.is(f.made.length, 2)
    const three = cobaSpikes(3)
    assert.is(f.made.length, 2, 'the world made no worker of its own')
    assert.is(three.spikes, oneThread.spikes)
    disposeWorld(three.world)
    assert.is(await f.exited(), 2)
  } finally {
    setThreadWorkerFactory(null)
  }
})

test('surplus prepared workers end with disposeWorld; unused ones with releaseThreads', async () => {
  const f = countingFactory()
  try {
    await prepareThreads(4)
    const two = cobaSpikes(2)
    assert.is(f.made.length, 3)
    assert.is(two.spikes, oneThread.spikes)
    disposeWorld(two.world)
    assert.is(await f.exited(), 3, 'the taken worker and the 2 left over')
    await prepareThreads(2)
    await prepareThreads(1) // one thread needs no worker
    assert.is(f.made.length, 4)
    // Two calls at once start only what is missing: 3 threads need 2 workers, 1 is prepared.
    await Promise.all([prepareThreads(3), prepareThreads(3)])
    assert.is(f.made.length, 5, 'calls made at once do not both start the missing worker')
    releaseThreads()
    assert.is(await f.exited(), 5)
  } finally {
    setThreadWorkerFactory(null)
  }
})

test('prepareThreads refuses a count that is not a whole number from 1 to 256', async () => {
  for (const bad of [0, 1.5, -1, 257, Number.NaN]) {
    try {
      await prepareThreads(bad)
      assert.unreachable(`accepted ${bad}`)
    } catch (e) {
      assert.ok(e instanceof SpikecsError, String(e))
      assert.match((e as Error).message, /^prepareThreads: threads must be a whole number from 1 to 256/)
    }
  }
})

test('a worker that fails to load rejects prepareThreads with a SpikecsError and is ended', async () => {
  const made: Worker[] = []
  setThreadWorkerFactory(() => {
    const w = new Worker('throw new Error("broken entry")', { eval: true })
    made.push(w)
    return w as ThreadWorker
  })
  try {
    const exited = new Promise((resolve) => setImmediate(() => made[0].once('exit', resolve)))
    await prepareThreads(2).then(
      () => assert.unreachable('prepared a broken worker'),
      (e: Error) => {
        assert.ok(e instanceof SpikecsError, String(e))
        assert.match(e.message, /^prepareThreads: worker failed to load: broken entry \(got 1\)$/)
      },
    )
    await exited
  } finally {
    setThreadWorkerFactory(null)
  }
})

test('browser: a threaded world without prepared workers is a SpikecsError naming prepareThreads, at once', async () => {
  const f = countingFactory()
  try {
    await asBrowser(() => {
      const net = presets.coba.build({ seed: 3, scale: 0.1, threads: 2 })
      const t0 = Date.now()
      assert.throws(
        () => run(net.world, 1),
        (e: Error) =>
          e instanceof SpikecsError &&
          e.message ===
            "world: threads in a browser needs its workers started ahead: `await prepareThreads(2)` before the world's " +
              'first step (0 of 1 prepared) (got 2)',
      )
      assert.ok(Date.now() - t0 < 5_000, 'no wait for a worker')
      disposeWorld(net.world)
    })
    assert.is(f.made.length, 0, 'no worker was made')
  } finally {
    setThreadWorkerFactory(null)
  }
})

test("browser: prepared workers run the world (spikes as on 1 thread); 'auto' takes only the threads prepared", async () => {
  const f = countingFactory()
  try {
    await asBrowser(async () => {
      const large = createWorld({ threads: 'auto' })
      addPopulation(large, 'N', LifRef({ size: AUTO_MIN_NEURONS }))
      assert.is(threadsOf(large), 1)
      await prepareThreads(3)
      assert.is(threadsOf(large), 3)
      releaseThreads()
      await prepareThreads(2)
      const two = cobaSpikes(2)
      assert.is(two.spikes, oneThread.spikes)
      disposeWorld(two.world)
    })
    assert.is(f.made.length, 3)
    assert.is(await f.exited(), 3)
  } finally {
    setThreadWorkerFactory(null)
  }
})

test('a process that prepared more workers than its undisposed world took exits on its own', () => {
  const code =
    "import { coba } from '@spikecs/presets'; import { prepareThreads, run } from '@spikecs/systems'; " +
    "await prepareThreads(4); const n = coba({ scale: 0.1, threads: 2 }); run(n.world, 2); console.log('ran')"
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 })
  assert.is(r.status, 0, `exit status (${r.stderr})`)
  assert.is(r.stdout.trim(), 'ran')
})

test.run()
