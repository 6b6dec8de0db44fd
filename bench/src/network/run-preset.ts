/**
 * One preset run, measured the way a user runs it: build the network (timed on its own, plan included), then
 * `run()` for the biological duration (the simulation time, nothing else inside the timer), then statistics.
 * Optionally a short extra stretch runs the same world through the systems one by one with a clock around
 * each, to say where a tick's time goes (the stretch is separate so that the per-system clocks never touch
 * the figure of `run()`).
 */
import type { PopulationData, System, World } from '@spikecs/ecs-core'
import { buildPreset, summarizeSpikes, synapseCount, type AnyPresetNetwork, type Group } from '@spikecs/presets'
import { NeuronSystem, defaultPipeline, insertSystem, planOf, run, spikeData, synapticEvents } from '@spikecs/systems'

export interface PresetRunOptions {
  readonly preset: string
  readonly variant?: string
  readonly conn: 'csr' | 'jit'
  readonly kernel: 'js' | 'wasm'
  readonly scale: number
  readonly seed: number
  readonly durationMs: number
  /**
   * Keep the preset's spike monitor (every spike stored, as `spikecs run` does). Without it, a small system
   * after `NeuronSystem` counts spikes per group, so that memory reflects the network alone.
   */
  readonly record: boolean
  /** Biological ms of the per-system stretch after the main run (0: none). */
  readonly breakdownMs: number
}

export interface PresetRunResult {
  readonly preset: string
  readonly variant: string
  readonly conn: string
  readonly kernel: string
  readonly scale: number
  readonly seed: number
  readonly n: number
  readonly synapses: number
  readonly synapsesExact: boolean
  readonly ticks: number
  readonly durationMs: number
  readonly buildSeconds: number
  readonly simSeconds: number
  /**
   * CPU seconds of this process during `run()` (user + system, all threads: GC helpers included). On a shared
   * machine wall time ≫ CPU time means the run waited for a core; the ratio tells how disturbed it was.
   */
  readonly simCpuSeconds: number
  /** Simulation seconds per biological second. */
  readonly secondsPerBioSecond: number
  readonly ticksPerSecond: number
  /** Simulation time ÷ (neurons × ticks): all systems, not only the neuron update. */
  readonly nsPerNeuronTick: number
  readonly events: number
  readonly spikes: number
  readonly rates: Readonly<Record<string, number>>
  readonly cvIsi: number | null
  /** Peak resident set of this process (MiB), from `process.resourceUsage().maxRSS`. */
  readonly peakRssMiB: number
  /** Per-system ns per tick over the breakdown stretch (null when not asked for). */
  readonly systems: Readonly<Record<string, number>> | null
  /** Per-system cost in its natural unit: neuron ns per neuron-tick, comm ns per event (breakdown stretch). */
  readonly perUnit: { readonly neuronNsPerNeuronTick: number; readonly commNsPerEvent: number } | null
}

/** Counts spikes per group without storing them: O(spikes) per tick, no allocation. */
function addSpikeCounter(world: World, net: AnyPresetNetwork): Float64Array {
  const groups: readonly Group[] = net.groups
  const counts = new Float64Array(groups.length)
  const pops = Object.values(net.pops) as PopulationData[]
  const counter: System = () => {
    for (let p = 0; p < pops.length; p++) {
      const pop = pops[p]
      const spk = pop.spikes.array
      for (let k = 0; k < pop.nSpikes; k++) {
        const j = pop.start + spk[k]
        for (let g = 0; g < groups.length; g++) {
          if (j >= groups[g].start && j < groups[g].start + groups[g].size) counts[g]++
        }
      }
    }
  }
  Object.defineProperty(counter, 'name', { value: 'SpikeCounter' })
  insertSystem(world, counter, { after: NeuronSystem })
  return counts
}

/** Wall ms of every call of `ticks` passes over `systems`, the clock read around each call: [tick][system]. */
function clockedPasses(world: World, systems: readonly System[], ticks: number): Float64Array {
  const ns = systems.length
  const d = new Float64Array(ticks * ns)
  for (let t = 0; t < ticks; t++) {
    for (let k = 0; k < ns; k++) {
      const t0 = performance.now()
      systems[k](world)
      d[t * ns + k] = performance.now() - t0
    }
  }
  return d
}

/**
 * Mean ms per call of system k, calls that the scheduler interrupted left out: on a shared 2-core machine a
 * call now and then takes a time slice of another process (milliseconds, against tens of µs for a tick), so a
 * call longer than 20× the system's median and 0.5 ms counts as interrupted and is replaced by the median.
 */
function robustMean(d: Float64Array, ns: number, k: number): number {
  const xs: number[] = []
  for (let i = k; i < d.length; i += ns) xs.push(d[i])
  const sorted = [...xs].sort((x, y) => x - y)
  const med = sorted[sorted.length >> 1]
  const cut = Math.max(20 * med, 0.5)
  let sum = 0
  for (const x of xs) sum += x > cut ? med : x
  return sum / xs.length
}

/**
 * Runs `ms` of biological time with a clock around each system of the pipeline; returns ns per tick per
 * system. Reading the clock costs ~80 ns here (kvm-clock), as much as a small system: the same loop over
 * empty functions is timed first and its mean cost per call subtracted.
 */
function systemBreakdown(world: World, ms: number): { perTick: Record<string, number>; ticks: number } {
  const systems = world.pipeline.length > 0 ? world.pipeline : defaultPipeline
  const ns = systems.length
  const ticks = Math.round(ms / world.dtMs)
  const idle = clockedPasses(
    world,
    systems.map(() => () => {}),
    ticks,
  )
  let overhead = 0
  for (let k = 0; k < ns; k++) overhead += robustMean(idle, ns, k) / ns
  const d = clockedPasses(world, systems, ticks)
  const perTick: Record<string, number> = {}
  systems.forEach((s, k) => {
    perTick[s.name || `system${k}`] = Math.max(0, (robustMean(d, ns, k) - overhead) * 1e6)
  })
  return { perTick, ticks }
}

export function runPreset(o: PresetRunOptions): PresetRunResult {
  const t0 = performance.now()
  const net = buildPreset(o.preset, {
    ...(o.variant ? { variant: o.variant } : {}),
    conn: o.conn,
    kernel: o.kernel,
    scale: o.scale,
    seed: o.seed,
    record: o.record,
  })
  const world = net.world
  const counts = o.record ? null : addSpikeCounter(world, net)
  planOf(world)
  const buildSeconds = (performance.now() - t0) / 1000

  const c1 = process.cpuUsage()
  const t1 = performance.now()
  const ticks = run(world, o.durationMs)
  const simSeconds = (performance.now() - t1) / 1000
  const c2 = process.cpuUsage(c1)
  const simCpuSeconds = (c2.user + c2.system) / 1e6
  const events = synapticEvents(world)

  let rates: Record<string, number> = {}
  let spikes = 0
  let cvIsi: number | null = null
  if (counts === null) {
    const s = summarizeSpikes(spikeData(net.monitors.spikes!), net.groups, o.durationMs)
    rates = { ...s.rates }
    spikes = s.spikes
    cvIsi = Number.isFinite(s.cvIsi) ? s.cvIsi : null
  } else {
    net.groups.forEach((g, k) => {
      rates[g.name] = counts[k] / ((g.size * o.durationMs) / 1000)
      spikes += counts[k]
    })
  }

  let systems: Record<string, number> | null = null
  let perUnit: PresetRunResult['perUnit'] = null
  if (o.breakdownMs > 0) {
    const e0 = synapticEvents(world)
    const b = systemBreakdown(world, o.breakdownMs)
    systems = b.perTick
    const ev = (synapticEvents(world) - e0) / b.ticks
    perUnit = {
      neuronNsPerNeuronTick: (b.perTick.NeuronSystem ?? NaN) / world.nNeurons,
      commNsPerEvent: ev > 0 ? (b.perTick.CommSystem ?? NaN) / ev : NaN,
    }
  }
  const syn = synapseCount(world)
  return {
    preset: net.preset,
    variant: net.options.variant,
    conn: net.options.conn,
    kernel: net.options.kernel,
    scale: net.options.scale,
    seed: net.options.seed,
    n: world.nNeurons,
    synapses: syn.synapses,
    synapsesExact: syn.exact,
    ticks,
    durationMs: o.durationMs,
    buildSeconds,
    simSeconds,
    simCpuSeconds,
    secondsPerBioSecond: simSeconds / (o.durationMs / 1000),
    ticksPerSecond: ticks / simSeconds,
    nsPerNeuronTick: (simSeconds * 1e9) / (world.nNeurons * ticks),
    events,
    spikes,
    rates,
    cvIsi,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    systems,
    perUnit,
  }
}
