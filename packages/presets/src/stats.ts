/**
 * Spike statistics, defined as in the project's performance anchors so spikecs's numbers compare with
 * Brian2's:
 * - rate of a group = spikes / (neurons × seconds);
 * - CV ISI: per neuron with at least 3 spikes, std/mean of its inter-spike intervals (population std,
 *   ddof 0); the mean over those neurons. Intervals are taken in ticks: the ratio has no unit, so ticks and
 *   ms give the same CV.
 * Inputs are spike trains as a spike monitor returns them (ticks ascending, global neuron indices); nothing
 * here creates an object per spike.
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
  const lo = group.start, hi = group.start + group.size
  let n = 0
  for (let k = 0; k < idx.length; k++) if (idx[k] >= lo && idx[k] < hi) n++
  return n
}

/** Mean rate of a group in Hz: spikes / (neurons × seconds) over a run of `durationMs`. */
export function groupRateHz(spikes: SpikeTrains, group: Group, durationMs: number): number {
  if (!(durationMs > 0)) throw new SpikecsError('groupRateHz', 'durationMs', durationMs, 'must be > 0 ms')
  return groupSpikeCount(spikes, group) / (group.size * durationMs / 1000)
}

/** Mean CV of the inter-spike intervals of neurons [start, start+size) (see the module comment). */
export function meanCvIsi(spikes: SpikeTrains, start: number, size: number): { cv: number; neurons: number } {
  const counts = spikeCounts(spikes, start, size)
  // Counting sort by neuron; the spikes of one neuron keep their chronological order.
  const offsets = new Int32Array(size + 1)
  for (let j = 0; j < size; j++) offsets[j + 1] = offsets[j] + counts[j]
  const fill = offsets.slice(0, size)
  const times = new Float64Array(offsets[size])
  const { ticks, indices } = spikes
  for (let k = 0; k < indices.length; k++) {
    const j = indices[k] - start
    if (j >= 0 && j < size) times[fill[j]++] = ticks[k]
  }
  let sum = 0, neurons = 0
  for (let j = 0; j < size; j++) {
    const a = offsets[j], b = offsets[j + 1]
    if (b - a < 3) continue
    const m = b - a - 1 // intervals
    const mean = (times[b - 1] - times[a]) / m
    let ss = 0
    for (let q = a + 1; q < b; q++) {
      const d = times[q] - times[q - 1] - mean
      ss += d * d
    }
    sum += Math.sqrt(ss / m) / mean
    neurons++
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
  const lo = group.start, hi = group.start + group.size
  for (let k = 0; k < indices.length; k++) {
    if (indices[k] < lo || indices[k] >= hi) continue
    const b = Math.floor(ticks[k] / binTicks)
    if (b >= 0 && b < nBins) out[b]++
  }
  for (let b = 0; b < nBins; b++) {
    const len = Math.min(binTicks, totalTicks - b * binTicks)
    out[b] = len > 0 ? out[b] / (group.size * len * dtMs / 1000) : 0
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

/** Rates, mean CV ISI and spike count of a run of `durationMs` over `groups` (contiguous or not). */
export function summarizeSpikes(spikes: SpikeTrains, groups: readonly Group[], durationMs: number): SpikeSummary {
  const rates: Record<string, number> = {}
  let total = 0, cvSum = 0, cvNeurons = 0
  for (const g of groups) {
    const n = groupSpikeCount(spikes, g)
    total += n
    rates[g.name] = n / (g.size * durationMs / 1000)
    const c = meanCvIsi(spikes, g.start, g.size)
    if (c.neurons > 0) {
      cvSum += c.cv * c.neurons
      cvNeurons += c.neurons
    }
  }
  return { rates, cvIsi: cvNeurons > 0 ? cvSum / cvNeurons : NaN, cvNeurons, spikes: total }
}
