/**
 * Soak test (not part of `pnpm test`; run with `pnpm test:soak`): the 4000-neuron docs EINet for 10 million
 * ticks (1000 s of biological time at dt = 0.1 ms) with a bounded ring spike monitor, a ring rate monitor and
 * a checker, sampling the heap and RSS every `--sample` ticks and counting garbage collections.
 *
 * Asserts, after the warm-up (`--warmup` ticks: JIT compilation, growth of delay-queue slots and monitors
 * up to their bounds):
 * - flat memory: heapUsed stays within 4 MiB of its post-warm-up minimum, and RSS grows by at most 32 MiB;
 * - no per-tick allocation: over the post-warm-up run the heap grows by at most 0.5 byte per tick between
 *   samples without a collection, and at most one young-generation collection happens per 10^6 ticks
 *   (counted with a PerformanceObserver on `gc` entries, the events `--trace-gc` prints);
 * - monitors bounded: each ring monitor holds exactly its `max` records in arrays of `max` elements and
 *   counts the rest in `dropped`; the network is still firing at the end.
 * Ends with one summary line `soak: PASS …` or `soak: FAIL …` (exit code 1).
 *
 *   node --expose-gc --import tsx scripts/soak.ts [--ticks 10000000] [--sample 100000] [--warmup 1000000]
 */
import { PerformanceObserver, constants as perf } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { addChecker, addRateMonitor, addSpikeMonitor, run, synapticEvents } from '@spikecs/systems'
import { docsEinet } from './einet.js'

const { values } = parseArgs({
  options: {
    ticks: { type: 'string', default: '10000000' },
    sample: { type: 'string', default: '100000' },
    warmup: { type: 'string', default: '1000000' },
  },
})
const totalTicks = Number(values.ticks),
  sampleTicks = Number(values.sample),
  warmupTicks = Number(values.warmup)
if (!(totalTicks % sampleTicks === 0 && warmupTicks % sampleTicks === 0 && warmupTicks < totalTicks)) {
  throw new Error('--ticks and --warmup must be multiples of --sample, and --warmup < --ticks')
}

const MiB = 1024 * 1024
const HEAP_BAND = 4 * MiB,
  RSS_GROWTH = 32 * MiB,
  BYTES_PER_TICK = 0.5,
  MINOR_GC_PER_MTICK = 1
const SPIKE_RING = 1 << 20,
  RATE_RING = 1 << 16

const { world, N } = docsEinet()
const spikes = addSpikeMonitor(world, N, { name: 'spikes', max: SPIKE_RING, ring: true })
const rate = addRateMonitor(world, N, { name: 'rate', max: RATE_RING, ring: true })
addChecker(world)

// Garbage collections by kind, with the tick they happened in.
let minor = 0,
  major = 0,
  other = 0
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind
    if (kind === perf.NODE_PERFORMANCE_GC_MINOR) minor++
    else if (kind === perf.NODE_PERFORMANCE_GC_MAJOR) major++
    else other++
  }
})
obs.observe({ entryTypes: ['gc'] })

interface Sample {
  tick: number
  heap: number
  rss: number
  external: number
  gcs: number
  s: number
}
const samples: Sample[] = []
const gcCount = () => minor + major + other
const collect = (globalThis as { gc?: () => void }).gc
const t0 = process.hrtime.bigint()
const seconds = () => Number(process.hrtime.bigint() - t0) / 1e9
let spikesAtWarmup = 0

/** Lets the event loop turn, so the GC observer's entries of the last chunk are delivered. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

for (let done = 0; done < totalTicks; done += sampleTicks) {
  run(world, sampleTicks * world.dtMs)
  await turn()
  if (done + sampleTicks === warmupTicks) {
    collect?.() // a clean baseline: everything the warm-up left behind is gone
    await turn()
    spikesAtWarmup = spikes.count + spikes.dropped
    minor = major = other = 0
  }
  const m = process.memoryUsage()
  samples.push({ tick: world.tick, heap: m.heapUsed, rss: m.rss, external: m.arrayBuffers, gcs: gcCount(), s: seconds() })
  if (world.tick % (totalTicks / 10) === 0) {
    console.log(
      `  tick ${world.tick}: heap ${(m.heapUsed / MiB).toFixed(2)} MiB, rss ${(m.rss / MiB).toFixed(1)} MiB, ` +
        `array buffers ${(m.arrayBuffers / MiB).toFixed(1)} MiB, ${(world.tick / seconds()).toFixed(0)} ticks/s`,
    )
  }
}
obs.disconnect()

// --- verdicts
const after = samples.filter((s) => s.tick >= warmupTicks)
const first = after[0],
  last = after[after.length - 1]
const heapMin = Math.min(...after.map((s) => s.heap)),
  heapMax = Math.max(...after.map((s) => s.heap))
const rssGrowth = last.rss - first.rss
let quietTicks = 0,
  quietGrowth = 0
for (let k = 1; k < after.length; k++) {
  if (after[k].gcs === after[k - 1].gcs) {
    quietTicks += after[k].tick - after[k - 1].tick
    quietGrowth += after[k].heap - after[k - 1].heap
  }
}
const bytesPerTick = quietTicks > 0 ? quietGrowth / quietTicks : NaN
const postTicks = totalTicks - warmupTicks
const spikesAfterWarmup = spikes.count + spikes.dropped - spikesAtWarmup
const failures: string[] = []
if (heapMax - heapMin > HEAP_BAND) failures.push(`heap band ${((heapMax - heapMin) / MiB).toFixed(2)} MiB > ${HEAP_BAND / MiB} MiB`)
if (rssGrowth > RSS_GROWTH) failures.push(`RSS growth ${(rssGrowth / MiB).toFixed(1)} MiB > ${RSS_GROWTH / MiB} MiB`)
if (!(bytesPerTick <= BYTES_PER_TICK)) failures.push(`allocation ${bytesPerTick.toFixed(3)} B/tick > ${BYTES_PER_TICK}`)
if (minor > (MINOR_GC_PER_MTICK * postTicks) / 1e6) failures.push(`${minor} young-generation GCs in ${postTicks} ticks`)
for (const m of [spikes, rate]) {
  if (m.count !== m.max || m.ticks.length !== m.max)
    failures.push(`monitor ${m.name} holds ${m.count} records in ${m.ticks.length} (max ${m.max})`)
}
if (spikesAfterWarmup === 0) failures.push('the network stopped firing')

const f = (b: number) => (b / MiB).toFixed(2)
console.log(
  `soak: ${failures.length === 0 ? 'PASS' : 'FAIL'} ${totalTicks} ticks (${((totalTicks * world.dtMs) / 1000).toFixed(0)} s biological) ` +
    `in ${seconds().toFixed(0)} s (${(totalTicks / seconds()).toFixed(0)} ticks/s); ` +
    `heap ${f(samples[0].heap)} → ${f(first.heap)} (warm-up end) → ${f(last.heap)} MiB, band after ` +
    `warm-up ${f(heapMax - heapMin)} MiB (bound ${HEAP_BAND / MiB}); ` +
    `rss ${f(samples[0].rss)} → ${f(first.rss)} → ${f(last.rss)} MiB, growth after warm-up ` +
    `${f(rssGrowth)} MiB (bound ${RSS_GROWTH / MiB}); ` +
    `array buffers ${f(first.external)} → ${f(last.external)} MiB; ` +
    `GCs after warm-up: ${minor} minor, ${major} major, ${other} other; heap growth between ` +
    `collections ${bytesPerTick.toFixed(4)} B/tick (bound ${BYTES_PER_TICK}); ` +
    `spike ring ${spikes.count}/${spikes.max} records, ${spikes.dropped} dropped; ` +
    `${(spikesAfterWarmup / ((postTicks * world.dtMs) / 1000) / N.size).toFixed(2)} Hz mean rate ` +
    `after warm-up; ` +
    `${synapticEvents(world)} synaptic events` +
    (failures.length ? `; FAILED: ${failures.join('; ')}` : ''),
)
process.exit(failures.length === 0 ? 0 : 1)
