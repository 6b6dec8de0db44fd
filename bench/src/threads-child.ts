/**
 * Child process of `pnpm bench:threads`: one coba run on a given number of threads, one JSON line. The timed
 * part is `run()` alone; a separate stretch afterwards runs with the phase timers on (`threadTimers`) to say
 * where a tick's time goes on each thread. A checksum of the spikes (tick, global index) lets the parent check
 * that every thread count gave the same spikes.
 *
 *   node bench/dist/threads-child.js --conn csr --scale 1 --ms 1000 --threads 2 [--timers-ms 100] [--spin N]
 */
import { parseArgs } from 'node:util'
import type { PopulationData, World } from '@spikecs/ecs-core'
import { coba } from '@spikecs/presets'
import { autoDecision, insertSystem, MonitorSystem, run, synapticEvents, threadTimers, threadTimings, threadsOf } from '@spikecs/systems'
import { emit } from './lib/child.js'

const { values: a } = parseArgs({
  options: {
    conn: { type: 'string', default: 'csr' },
    kernel: { type: 'string', default: 'wasm' },
    scale: { type: 'string', default: '1' },
    ms: { type: 'string', default: '1000' },
    threads: { type: 'string', default: '1' },
    'timers-ms': { type: 'string', default: '0' },
    spin: { type: 'string' },
  },
})

/** A running FNV-style checksum of every spike, as (tick, global index), in emission order. */
function addChecksum(world: World): { value: number; spikes: number } {
  const acc = { value: 0x811c9dc5, spikes: 0 }
  const pops = world.components.Population.list as PopulationData[]
  insertSystem(
    world,
    (w) => {
      let h = acc.value
      for (let p = 0; p < pops.length; p++) {
        const pop = pops[p]
        const spk = pop.spikes.array
        for (let k = 0; k < pop.nSpikes; k++) {
          h = Math.imul(h ^ w.tick, 0x01000193)
          h = Math.imul(h ^ (pop.start + spk[k]), 0x01000193)
        }
        acc.spikes += pop.nSpikes
      }
      acc.value = h
    },
    { before: MonitorSystem },
  )
  return acc
}

try {
  const threads = a.threads === 'auto' ? 'auto' : Number(a.threads)
  const t0 = performance.now()
  const net = coba({
    seed: 1,
    scale: Number(a.scale),
    conn: a.conn as 'csr' | 'jit',
    kernel: a.kernel as 'wasm' | 'js',
    threads,
    record: false,
  })
  if (a.spin !== undefined) net.world.caches.set('threads:spin', Number(a.spin))
  const sum = addChecksum(net.world)
  run(net.world, net.world.dtMs) // builds the plan and starts the workers
  const buildSeconds = (performance.now() - t0) / 1000
  // threads 'auto': the timed run starts after the measured choice (threads/auto.ts), as a long run would be.
  let trialTicks = 0
  while (threads === 'auto' && autoDecision(net.world) === null && threadsOf(net.world) > 0 && trialTicks < 100_000) {
    trialTicks += run(net.world, 10 * net.world.dtMs)
  }
  const ms = Number(a.ms)
  const cpu0 = process.cpuUsage()
  const t1 = performance.now()
  const ticks = run(net.world, ms)
  const simSeconds = (performance.now() - t1) / 1000
  const cpu = process.cpuUsage(cpu0)
  const checksum = sum.value >>> 0
  const spikes = sum.spikes
  const events = synapticEvents(net.world)
  let timers: unknown = null
  const timersMs = Number(a['timers-ms'])
  if (timersMs > 0 && threadsOf(net.world) > 1) {
    threadTimers(net.world, true)
    const t2 = performance.now()
    const n = run(net.world, timersMs)
    const wall = performance.now() - t2
    timers = { ticks: n, wallMs: wall, threads: threadTimings(net.world) }
  }
  emit({
    kind: 'threads-run',
    n: net.world.nNeurons,
    conn: a.conn,
    kernel: a.kernel,
    threads: threadsOf(net.world),
    auto: autoDecision(net.world),
    ticks,
    buildSeconds,
    simSeconds,
    simCpuSeconds: (cpu.user + cpu.system) / 1e6,
    usPerTick: (simSeconds * 1e6) / ticks,
    checksum,
    spikes,
    events,
    timers,
  })
} catch (e) {
  emit({ kind: 'threads-run', error: (e as Error).stack ?? String(e) })
  process.exitCode = 1
}
