/**
 * Executing a checked `spikecs run`: build the preset, run it (with a progress callback), measure, compute
 * the statistics and optionally write the raster plot. The result record is what `--json` prints.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { SpikecsError, restore, snapshot } from '@spikecs/ecs-core'
import { addChecker, planOf, run, spikeData, synapticEvents } from '@spikecs/systems'
import { buildPreset, rasterSvg, summarizeSpikes, synapseCount, type AnyPresetNetwork } from '@spikecs/presets'
import type { RunRequest } from './args.js'
import { svgToPng } from './png.js'
import { addSpikeHash, type SpikeHasher } from './spike-hash.js'

export interface RunResult {
  readonly preset: string
  readonly variant: string
  readonly conn: string
  readonly dtype: string
  readonly kernel: string
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
}

/** A snapshot file's bytes; a missing or unreadable file is a `SpikecsError` naming it. */
function readSnapshotFile(path: string): Uint8Array {
  try {
    return readFileSync(path)
  } catch (e) {
    throw new SpikecsError('--resume', 'file', path, `must be a readable snapshot file (${(e as Error).message})`)
  }
}

/** The spikes from `tick` on, with ticks counted from it. */
function since(s: { ticks: Int32Array; indices: Int32Array }, tick: number): { ticks: Int32Array; indices: Int32Array } {
  if (tick === 0) return s
  let k = 0
  while (k < s.ticks.length && s.ticks[k] < tick) k++
  return { ticks: s.ticks.slice(k).map((t) => t - tick), indices: s.indices.slice(k) }
}

/** Builds the network of a checked request; throws `SpikecsError` when the preset refuses a parameter. */
export function prepareRun(req: RunRequest): PreparedRun {
  const t0 = performance.now()
  const net = buildPreset(req.preset, {
    ...req.set, variant: req.variant, seed: req.seed, dtype: req.dtype, kernel: req.kernel, dtMs: req.dtMs, conn: req.conn as 'jit' | 'csr',
    scale: req.scale, record: true,
  })
  // The checker costs well under 1 % of a tick with its defaults (finite check every 100 ticks, rate window).
  if (req.checker) addChecker(net.world, { name: 'cli' })
  if (req.resume !== null) restore(net.world, readSnapshotFile(req.resume))
  const hasher = addSpikeHash(net.world)
  planOf(net.world) // compile the plan (and fused kernels) as part of the build
  return { req, net, buildSeconds: (performance.now() - t0) / 1000, hasher }
}

/** Builds and runs a checked request. */
export function executeRun(req: RunRequest, hooks: RunHooks = {}): RunResult {
  return finishRun(prepareRun(req), hooks)
}

/** Runs a prepared network, computes the statistics and writes the raster plot. */
export function finishRun(prep: PreparedRun, hooks: RunHooks = {}): RunResult {
  const { req, net } = prep
  const firstTick = net.world.tick // > 0 after --resume: statistics and plot cover this run only
  const t1 = performance.now()
  const ticks = run(net.world, req.durationMs, {
    onProgress: hooks.onProgress, progressEvery: Math.max(1, Math.floor(Math.round(req.durationMs / req.dtMs) / 100)),
  })
  const t2 = performance.now()
  if (req.saveState !== null) writeFileSync(req.saveState, new Uint8Array(snapshot(net.world)))
  const spikes = since(spikeData(net.monitors.spikes!), firstTick)
  const s = summarizeSpikes(spikes, net.groups, req.durationMs)
  let raster: string | null = null
  if (req.raster !== null) {
    const o = net.options
    const svg = rasterSvg(spikes, {
      groups: net.groups, dtMs: req.dtMs, durationMs: req.durationMs,
      title: `spikecs ${net.preset} · variant ${o.variant} · ${o.conn} · seed ${o.seed} · ${net.world.nNeurons} neurons · ${req.durationMs} ms`,
    })
    writeFileSync(req.raster.path, req.raster.format === 'svg' ? svg : svgToPng(svg))
    raster = req.raster.path
  }
  const syn = synapseCount(net.world)
  const simSeconds = (t2 - t1) / 1000
  const sizes: Record<string, number> = {}
  for (const g of net.groups) sizes[g.name] = g.size
  return {
    preset: net.preset, variant: net.options.variant, conn: net.options.conn, dtype: net.options.dtype, kernel: net.options.kernel,
    n: net.world.nNeurons, sizes, synapses: syn.synapses, synapsesExact: syn.exact,
    ticks, durationMs: req.durationMs, dtMs: req.dtMs, seed: net.options.seed, scale: net.options.scale,
    rates: s.rates, cvIsi: Number.isFinite(s.cvIsi) ? s.cvIsi : null, cvNeurons: s.cvNeurons, spikes: s.spikes,
    events: synapticEvents(net.world), spikeHash: prep.hasher.digest(),
    buildSeconds: prep.buildSeconds, simSeconds,
    ticksPerSecond: simSeconds > 0 ? ticks / simSeconds : Infinity,
    realTimeFactor: simSeconds > 0 ? req.durationMs / 1000 / simSeconds : Infinity,
    raster, params: { ...net.params },
  }
}
