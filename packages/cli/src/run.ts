/**
 * Executing a checked `spikecs run`: build the preset, run it (with a progress callback), measure and compute
 * the statistics (streaming: no spike is stored unless a raster plot is asked for), then write the files
 * asked for (the state and the raster plot). The result record is what `--json` prints.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { SpikecsError, restore, snapshot } from '@spikecs/ecs-core'
import { addChecker, addStateProbe, planOf, probeData, run, synapticEvents, threadsOf, weightsOf, type MonitorData } from '@spikecs/systems'
import {
  buildPreset,
  rasterSvg,
  summarizeSpikeStats,
  synapseCount,
  weightStats,
  weightsSvg,
  type AnyPresetNetwork,
  type WeightStats,
} from '@spikecs/presets'
import type { RunRequest } from './args.js'
import { svgToPng } from './png.js'
import { addSpikeHash, type SpikeHasher } from './spike-hash.js'
import { addSpikeStats, type SpikeStatsRecorder } from './spike-stats.js'

export interface RunResult {
  readonly preset: string
  readonly variant: string
  readonly conn: string
  readonly dtype: string
  readonly kernel: string
  /** Threads that ran the tick (`--threads auto` resolved); the spikes are the same for any count. */
  readonly threads: number
  /** Neurons in the network. */
  readonly n: number
  /** Neurons per group (E, I). */
  readonly sizes: Readonly<Record<string, number>>
  /** Synapses: exact for stored connectivity, expected (nPre·nPost·p) for on-the-fly. */
  readonly synapses: number
  readonly synapsesExact: boolean
  readonly ticks: number
  readonly durationMs: number
  readonly dtMs: number
  readonly seed: number
  readonly scale: number
  /** Mean rate per group (Hz): spikes / (neurons × seconds). */
  readonly rates: Readonly<Record<string, number>>
  /** Mean CV of inter-spike intervals over neurons with ≥ 3 spikes (null when there are none). */
  readonly cvIsi: number | null
  readonly cvNeurons: number
  /** Spikes of all neurons in the run. */
  readonly spikes: number
  /** Synaptic events delivered. */
  readonly events: number
  /**
   * SHA-256 (hex) of this run's spikes in emission order, each as two little-endian int32 (tick, global
   * neuron index): equal hashes mean identical spike trains.
   */
  readonly spikeHash: string
  readonly buildSeconds: number
  readonly simSeconds: number
  readonly ticksPerSecond: number
  /** Biological time simulated per second of wall time (> 1: faster than real time). */
  readonly realTimeFactor: number
  readonly raster: string | null
  /** Final weights of the preset's plastic projection relative to its upper bound (null without one). */
  readonly weights: WeightStats | null
  /** The resolved parameter record. */
  readonly params: Readonly<Record<string, number>>
}

export interface RunHooks {
  /** Called as ticks complete (every 1 % of the run). */
  onProgress?: (done: number, total: number) => void
}

/** A built network, ready to run. */
export interface PreparedRun {
  readonly req: RunRequest
  readonly net: AnyPresetNetwork
  readonly buildSeconds: number
  readonly hasher: SpikeHasher
  /** The run's statistics (and its spikes when a raster plot is asked for), computed as it runs. */
  readonly recorder: SpikeStatsRecorder
  /** For `--weights`: a probe of a few synapses' weights over time, and their indices. */
  readonly weightProbe: { readonly monitor: MonitorData; readonly synapses: number[] } | null
}

/** Synapses drawn in the weight plot, and the samples taken of each over a run. */
const PLOT_SYNAPSES = 8,
  PLOT_SAMPLES = 1000

/** A snapshot file's bytes; a missing or unreadable file is a `SpikecsError` naming it. */
function readSnapshotFile(path: string): Uint8Array {
  try {
    return readFileSync(path)
  } catch (e) {
    throw new SpikecsError('--resume', 'file', path, `must be a readable snapshot file (${(e as Error).message})`)
  }
}

/** Builds the network of a checked request; throws `SpikecsError` when the preset refuses a parameter. */
export function prepareRun(req: RunRequest): PreparedRun {
  const t0 = performance.now()
  const net = buildPreset(req.preset, {
    ...req.set,
    variant: req.variant,
    seed: req.seed,
    dtype: req.dtype,
    kernel: req.kernel,
    threads: req.threads,
    dtMs: req.dtMs,
    conn: req.conn as 'jit' | 'csr',
    scale: req.scale,
    record: false,
  })
  // The checker costs well under 1 % of a tick with its defaults (finite check every 100 ticks, rate window).
  if (req.checker) addChecker(net.world, { name: 'cli' })
  if (req.resume !== null) restore(net.world, readSnapshotFile(req.resume))
  const hasher = addSpikeHash(net.world)
  const recorder = addSpikeStats(net.world, { record: req.raster !== null })
  let weightProbe: PreparedRun['weightProbe'] = null
  if (req.weights !== null) {
    if (net.plastic === undefined) throw new SpikecsError('--weights', 'preset', req.preset, 'has no plastic projection to plot')
    const n = weightsOf(net.world, net.plastic.projection).length
    const synapses = Array.from({ length: Math.min(PLOT_SYNAPSES, n) }, (_, k) => Math.floor(((k + 0.5) * n) / Math.min(PLOT_SYNAPSES, n)))
    const every = Math.max(1, Math.floor(Math.round(req.durationMs / req.dtMs) / PLOT_SAMPLES))
    const monitor = addStateProbe(net.world, net.plastic.projection, 'w', synapses, { every, name: 'cli:weights' })
    weightProbe = { monitor, synapses }
  }
  planOf(net.world) // compile the plan (and fused kernels) as part of the build
  return { req, net, buildSeconds: (performance.now() - t0) / 1000, hasher, recorder, weightProbe }
}

/** Builds and runs a checked request and writes its files; throws if a file cannot be written. */
export function executeRun(req: RunRequest, hooks: RunHooks = {}): RunResult {
  const prep = prepareRun(req)
  const result = finishRun(prep, hooks)
  const failures = writeOutputs(prep)
  if (failures.length > 0) throw new Error(failures.join('; '))
  return result
}

/** Runs a prepared network and computes the statistics (the files are written by {@link writeOutputs}). */
export function finishRun(prep: PreparedRun, hooks: RunHooks = {}): RunResult {
  const { req, net } = prep
  const t1 = performance.now()
  const ticks = run(net.world, req.durationMs, {
    onProgress: hooks.onProgress,
    progressEvery: Math.max(1, Math.floor(Math.round(req.durationMs / req.dtMs) / 100)),
  })
  const t2 = performance.now()
  // The sums start at the first tick of this run: after --resume the statistics cover this run only.
  const s = summarizeSpikeStats(prep.recorder.stats, net.groups, req.durationMs)
  const syn = synapseCount(net.world)
  const simSeconds = (t2 - t1) / 1000
  const sizes: Record<string, number> = {}
  for (const g of net.groups) sizes[g.name] = g.size
  return {
    preset: net.preset,
    variant: net.options.variant,
    conn: net.options.conn,
    dtype: net.options.dtype,
    kernel: net.options.kernel,
    threads: threadsOf(net.world),
    n: net.world.nNeurons,
    sizes,
    synapses: syn.synapses,
    synapsesExact: syn.exact,
    ticks,
    durationMs: req.durationMs,
    dtMs: req.dtMs,
    seed: net.options.seed,
    scale: net.options.scale,
    rates: s.rates,
    cvIsi: Number.isFinite(s.cvIsi) ? s.cvIsi : null,
    cvNeurons: s.cvNeurons,
    spikes: s.spikes,
    events: synapticEvents(net.world),
    spikeHash: prep.hasher.digest(),
    buildSeconds: prep.buildSeconds,
    simSeconds,
    ticksPerSecond: simSeconds > 0 ? ticks / simSeconds : Infinity,
    realTimeFactor: simSeconds > 0 ? req.durationMs / 1000 / simSeconds : Infinity,
    raster: req.raster?.path ?? null,
    weights: net.plastic === undefined ? null : weightStats(weightsOf(net.world, net.plastic.projection), net.plastic.wMax),
    params: { ...net.params },
  }
}

/**
 * Writes the files of a finished run: the state (`--save-state`) first, then the raster plot (`--raster`).
 * A file that cannot be written does not stop the other; returns one line per failure (empty: all written).
 */
export function writeOutputs(prep: PreparedRun): string[] {
  const { req, net } = prep
  const failures: string[] = []
  const write = (option: string, path: string, bytes: () => string | Uint8Array): void => {
    try {
      writeFileSync(path, bytes())
    } catch (e) {
      failures.push(`${option}: could not write ${JSON.stringify(path)} (${e instanceof Error ? e.message : String(e)})`)
    }
  }
  if (req.saveState !== null) write('--save-state', req.saveState, () => new Uint8Array(snapshot(net.world)))
  const spikes = prep.recorder.spikes()
  if (req.raster !== null && spikes !== null) {
    const o = net.options
    const raster = req.raster
    write('--raster', raster.path, () => {
      const svg = rasterSvg(spikes, {
        groups: net.groups,
        dtMs: req.dtMs,
        durationMs: req.durationMs,
        title:
          `spikecs ${net.preset} · variant ${o.variant} · ${o.conn} · seed ${o.seed} · ` +
          `${net.world.nNeurons} neurons · ${req.durationMs} ms`,
      })
      return raster.format === 'svg' ? svg : svgToPng(svg)
    })
  }
  const probe = prep.weightProbe
  if (req.weights !== null && probe !== null && net.plastic !== undefined) {
    const plastic = net.plastic
    const picture = req.weights
    write('--weights', picture.path, () => {
      const { ticks, values, width } = probeData(probe.monitor)
      const svg = weightsSvg({
        weights: weightsOf(net.world, plastic.projection),
        wMax: plastic.wMax,
        timesMs: Array.from(ticks, (k) => k * req.dtMs),
        traces: probe.synapses.map((synapse, c) => ({ synapse, values: Array.from(ticks, (_, q) => values[q * width + c]) })),
        title: `spikecs ${net.preset} · seed ${net.options.seed} · projection '${plastic.projection.name}' · ${req.durationMs} ms`,
      })
      return picture.format === 'svg' ? svg : svgToPng(svg)
    })
  }
  return failures
}
