/**
 * Spike statistics, defined as in the project's performance anchors so spikecs's numbers compare with
 * Brian2's:
 * - rate of a group = spikes / (neurons × seconds);
 * - CV ISI: per neuron with at least 3 spikes, std/mean of its inter-spike intervals (population std,
 *   ddof 0); the mean over those neurons. Intervals are taken in ticks: the ratio has no unit, so ticks and
 *   ms give the same CV.
 * Both come from per-neuron sums that grow one spike at a time ({@link SpikeStats}): spike count, first and
 * last tick, and the sum of squared intervals. With m = count − 1 intervals d summing to S1 = last − first and
 * S2 = Σd², mean = S1/m and variance = S2/m − mean², so CV = √(m·S2 − S1²) / S1, where m·S2 − S1² is an
 * exact integer. A run can therefore be summarised while it runs, without storing its spikes (the CLI does),
 * and stored spike trains go through the same sums, so both give the same numbers to the last bit.
 * Nothing here creates an object per spike.
 */
import { SpikecsError } from '@spikecs/ecs-core'
import type { Group } from './types.js'

/** Recorded spikes: parallel arrays of ticks (non-decreasing) and global neuron indices. */
export interface SpikeTrains {
  readonly ticks: ArrayLike<number>
  readonly indices: ArrayLike<number>
}

/** Spikes per neuron of [start, start+size); spikes outside the range are ignored. */
export function spikeCounts(spikes: SpikeTrains, start: number, size: number): Int32Array {
  const counts = new Int32Array(size)
  const idx = spikes.indices
  for (let k = 0; k < idx.length; k++) {
    const j = idx[k] - start
    if (j >= 0 && j < size) counts[j]++
  }
  return counts
}

/** Number of spikes of the neurons of a group. */
export function groupSpikeCount(spikes: SpikeTrains, group: Group): number {
  const idx = spikes.indices
  const lo = group.start,
    hi = group.start + group.size
  let n = 0
  for (let k = 0; k < idx.length; k++) if (idx[k] >= lo && idx[k] < hi) n++
  return n
}

/** Mean rate of a group in Hz: spikes / (neurons × seconds) over a run of `durationMs`. */
export function groupRateHz(spikes: SpikeTrains, group: Group, durationMs: number): number {
  if (!(durationMs > 0)) throw new SpikecsError('groupRateHz', 'durationMs', durationMs, 'must be > 0 ms')
  return groupSpikeCount(spikes, group) / ((group.size * durationMs) / 1000)
}

/** Mean CV of the inter-spike intervals of neurons [start, start+size) (see the module comment). */
export function meanCvIsi(spikes: SpikeTrains, start: number, size: number): { cv: number; neurons: number } {
  const stats = createSpikeStats(start, size)
  accumulateSpikeTrains(stats, spikes)
  let sum = 0,
    neurons = 0
  for (let j = 0; j < size; j++) {
    const cv = neuronCv(stats, j)
    if (!Number.isNaN(cv)) {
      sum += cv
      neurons++
    }
  }
  return { cv: neurons > 0 ? sum / neurons : NaN, neurons }
}

/**
 * Population rate of a group in Hz per time bin: bin b covers ticks [b·binTicks, (b+1)·binTicks), the last
 * bin may be shorter (its rate uses its own length).
 */
export function binnedRateHz(spikes: SpikeTrains, group: Group, totalTicks: number, binTicks: number, dtMs: number): Float64Array {
  if (!(binTicks >= 1 && Number.isInteger(binTicks))) {
    throw new SpikecsError('binnedRateHz', 'binTicks', binTicks, 'must be an integer >= 1')
  }
  const nBins = Math.max(1, Math.ceil(totalTicks / binTicks))
  const out = new Float64Array(nBins)
  const { ticks, indices } = spikes
  const lo = group.start,
    hi = group.start + group.size
  for (let k = 0; k < indices.length; k++) {
    if (indices[k] < lo || indices[k] >= hi) continue
    const b = Math.floor(ticks[k] / binTicks)
    if (b >= 0 && b < nBins) out[b]++
  }
  for (let b = 0; b < nBins; b++) {
    const len = Math.min(binTicks, totalTicks - b * binTicks)
    out[b] = len > 0 ? out[b] / ((group.size * len * dtMs) / 1000) : 0
  }
  return out
}

/** The statistics the CLI and the validation report. */
export interface SpikeSummary {
  /** Rate per group (Hz), keyed by group name. */
  readonly rates: Readonly<Record<string, number>>
  /** Mean CV ISI over all neurons of all groups with at least 3 spikes (NaN when none has). */
  readonly cvIsi: number
  /** Neurons that entered the CV mean. */
  readonly cvNeurons: number
  /** Total spikes of all groups. */
  readonly spikes: number
}

/**
 * Per-neuron sums of a spike train over the neurons [start, start+size) of the global index space, filled
 * one spike at a time by {@link accumulateSpike}: what rates and the CV ISI need, 20 bytes per neuron
 * whatever the length of the run.
 */
export interface SpikeStats {
  /** First global neuron index covered. */
  readonly start: number
  readonly size: number
  /** Spikes per neuron. */
  readonly count: Int32Array
  /** Tick of each neuron's first and last spike (valid where count > 0). */
  readonly first: Int32Array
  readonly last: Int32Array
  /** Sum of each neuron's squared inter-spike intervals in ticks² (an exact integer below 2^53). */
  readonly sumSq: Float64Array
}

/** Empty sums over the neurons [start, start+size). */
export function createSpikeStats(start: number, size: number): SpikeStats {
  if (!(Number.isInteger(start) && start >= 0)) throw new SpikecsError('createSpikeStats', 'start', start, 'must be an integer >= 0')
  if (!(Number.isInteger(size) && size >= 0)) throw new SpikecsError('createSpikeStats', 'size', size, 'must be an integer >= 0')
  return {
    start,
    size,
    count: new Int32Array(size),
    first: new Int32Array(size),
    last: new Int32Array(size),
    sumSq: new Float64Array(size),
  }
}

/**
 * Adds one spike of global neuron `index` in `tick`; a neuron's spikes must come in increasing tick order.
 * Spikes of neurons outside the covered range are ignored.
 */
export function accumulateSpike(stats: SpikeStats, tick: number, index: number): void {
  const j = index - stats.start
  if (j < 0 || j >= stats.size) return
  const c = stats.count[j]
  if (c > 0) {
    const d = tick - stats.last[j]
    stats.sumSq[j] += d * d
  } else {
    stats.first[j] = tick
  }
  stats.last[j] = tick
  stats.count[j] = c + 1
}

/** Adds recorded spike trains (ticks non-decreasing, as a spike monitor returns them). */
export function accumulateSpikeTrains(stats: SpikeStats, spikes: SpikeTrains): void {
  const { ticks, indices } = spikes
  for (let k = 0; k < indices.length; k++) accumulateSpike(stats, ticks[k], indices[k])
}

/** CV of the inter-spike intervals of local neuron j: √(m·S2 − S1²) / S1; NaN below 3 spikes. */
function neuronCv(stats: SpikeStats, j: number): number {
  const m = stats.count[j] - 1
  if (m < 2) return NaN
  const s1 = stats.last[j] - stats.first[j]
  const s2 = stats.sumSq[j]
  // m·S2 and S1² are integers; below 2^53 their difference is exact in doubles, beyond it exact in BigInt.
  const d = m * s2 < Number.MAX_SAFE_INTEGER ? m * s2 - s1 * s1 : Number(BigInt(m) * BigInt(s2) - BigInt(s1) * BigInt(s1))
  return Math.sqrt(d) / s1
}

/** Rates, mean CV ISI and spike count of `groups` (each within the sums' range) over a run of `durationMs`. */
export function summarizeSpikeStats(stats: SpikeStats, groups: readonly Group[], durationMs: number): SpikeSummary {
  if (!(durationMs > 0)) throw new SpikecsError('summarizeSpikeStats', 'durationMs', durationMs, 'must be > 0 ms')
  const rates: Record<string, number> = {}
  let total = 0,
    cvSum = 0,
    cvNeurons = 0
  for (const g of groups) {
    const lo = g.start - stats.start
    if (lo < 0 || lo + g.size > stats.size) {
      throw new SpikecsError(
        `group '${g.name}'`,
        'range',
        [g.start, g.start + g.size],
        `must lie within the neurons the statistics cover [${stats.start}, ${stats.start + stats.size})`,
      )
    }
    let n = 0
    for (let j = lo; j < lo + g.size; j++) {
      n += stats.count[j]
      const cv = neuronCv(stats, j)
      if (!Number.isNaN(cv)) {
        cvSum += cv
        cvNeurons++
      }
    }
    total += n
    rates[g.name] = n / ((g.size * durationMs) / 1000)
  }
  return { rates, cvIsi: cvNeurons > 0 ? cvSum / cvNeurons : NaN, cvNeurons, spikes: total }
}

/** Rates, mean CV ISI and spike count of recorded spikes over `groups` (contiguous or not) and `durationMs`. */
export function summarizeSpikes(spikes: SpikeTrains, groups: readonly Group[], durationMs: number): SpikeSummary {
  let lo = Infinity,
    hi = 0
  for (const g of groups) {
    lo = Math.min(lo, g.start)
    hi = Math.max(hi, g.start + g.size)
  }
  const stats = createSpikeStats(groups.length > 0 ? lo : 0, Math.max(0, hi - lo))
  accumulateSpikeTrains(stats, spikes)
  return summarizeSpikeStats(stats, groups, durationMs)
}

/** The weight statistics `spikecs run --json` reports for a plastic projection (weights relative to wMax). */
export interface WeightStats {
  /** Counts of w/wMax in 10 equal bins of [0, 1] (the last bin includes 1). */
  readonly hist10: number[]
  /** Fraction with w/wMax < 0.1, and with w/wMax ≥ 0.9. */
  readonly fracLow: number
  readonly fracHigh: number
  /** Mean of w/wMax. */
  readonly mean: number
}

/** Histogram, tails and mean of weights relative to `wMax` (Brian2's STDP example reports the same). */
export function weightStats(w: ArrayLike<number>, wMax: number): WeightStats {
  const hist10 = new Array<number>(10).fill(0)
  let low = 0,
    high = 0,
    sum = 0
  for (let k = 0; k < w.length; k++) {
    const x = w[k] / wMax
    hist10[Math.min(9, Math.max(0, Math.floor(x * 10)))]++
    if (x < 0.1) low++
    if (x >= 0.9) high++
    sum += x
  }
  const n = Math.max(1, w.length)
  return { hist10, fracLow: low / n, fracHigh: high / n, mean: sum / n }
}
