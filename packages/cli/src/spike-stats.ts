/**
 * The run's statistics, computed while it runs: a system placed right after `NeuronSystem` adds each tick's
 * spikes to per-neuron sums (count, first and last tick, sum of squared intervals: 20 bytes per neuron, see
 * `SpikeStats` in @spikecs/presets), so rates and the CV ISI need no stored spikes. The numbers are those
 * `summarizeSpikes` gives for the same spikes recorded by a monitor, to the last bit.
 *
 * Spikes themselves are kept only when asked for (`record`, for the raster plot), in two growable int32
 * arrays owned by this system rather than by the world: the world's snapshot does not depend on whether a
 * plot was drawn. Ticks are counted from the tick the system was added, so after `--resume` the statistics
 * and the plot cover this run only. Per tick nothing is allocated except when the record doubles.
 */
import type { World } from '@spikecs/ecs-core'
import { accumulateSpike, createSpikeStats, type SpikeStats, type SpikeTrains } from '@spikecs/presets'
import { NeuronSystem, insertSystem } from '@spikecs/systems'

export interface SpikeStatsRecorder {
  /** The per-neuron sums over every neuron of the world. */
  readonly stats: SpikeStats
  /** The recorded spikes (ticks from the first tick of this run, global indices); null when not recording. */
  readonly spikes: () => SpikeTrains | null
}

/** Inserts the statistics system into `world`'s pipeline after `NeuronSystem`. */
export function addSpikeStats(world: World, options: { record: boolean }): SpikeStatsRecorder {
  const stats = createSpikeStats(0, world.nNeurons)
  const pops = world.components.Population.list
  const firstTick = world.tick
  const record = options.record
  let ticks = new Int32Array(record ? 1024 : 0)
  let indices = new Int32Array(record ? 1024 : 0)
  let n = 0
  const system = (w: World): void => {
    const tick = w.tick - firstTick
    for (let p = 0; p < pops.length; p++) {
      const pop = pops[p]
      const spk = pop.spikes.array,
        ns = pop.nSpikes,
        start = pop.start
      if (record && n + ns > ticks.length) {
        let cap = ticks.length * 2
        while (cap < n + ns) cap *= 2
        const t = new Int32Array(cap),
          i = new Int32Array(cap)
        t.set(ticks.subarray(0, n))
        i.set(indices.subarray(0, n))
        ticks = t
        indices = i
      }
      for (let k = 0; k < ns; k++) {
        const index = start + spk[k]
        accumulateSpike(stats, tick, index)
        if (record) {
          ticks[n] = tick
          indices[n++] = index
        }
      }
    }
  }
  insertSystem(world, system, { after: NeuronSystem })
  return { stats, spikes: () => (record ? { ticks: ticks.subarray(0, n), indices: indices.subarray(0, n) } : null) }
}
