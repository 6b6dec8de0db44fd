/**
 * `spikeHash`: SHA-256 of every spike of a run in emission order — tick by tick, populations in creation
 * order, neurons ascending — each spike as two little-endian int32 (tick, global neuron index). Two runs
 * with the same hash emitted the same spikes in the same ticks, whatever kernels or threads produced them.
 *
 * The hasher is a system placed right after `NeuronSystem`, so it sees each tick's spike lists as they are
 * emitted; spikes are staged in a fixed 64 KiB buffer that is fed to the hash whenever it fills (no per-tick
 * allocation, nothing stored).
 */
import { createHash } from 'node:crypto'
import type { World } from '@spikecs/ecs-core'
import { NeuronSystem, insertSystem } from '@spikecs/systems'

export interface SpikeHasher {
  /** Spikes hashed so far. */
  readonly count: () => number
  /** The hex digest of everything hashed so far (the hasher must not be used afterwards). */
  readonly digest: () => string
}

const STAGE_BYTES = 1 << 16

/** Inserts a spike hasher into `world`'s pipeline after `NeuronSystem`. */
export function addSpikeHash(world: World): SpikeHasher {
  const hash = createHash('sha256')
  const stage = new Uint8Array(STAGE_BYTES)
  const view = new DataView(stage.buffer)
  const pops = world.components.Population.list
  let pos = 0
  let count = 0
  const system = (w: World): void => {
    const tick = w.tick
    for (let p = 0; p < pops.length; p++) {
      const pop = pops[p]
      const spk = pop.spikes.array,
        ns = pop.nSpikes,
        start = pop.start
      for (let k = 0; k < ns; k++) {
        if (pos === STAGE_BYTES) {
          hash.update(stage)
          pos = 0
        }
        view.setInt32(pos, tick, true)
        view.setInt32(pos + 4, start + spk[k], true)
        pos += 8
      }
      count += ns
    }
  }
  insertSystem(world, system, { after: NeuronSystem })
  return {
    count: () => count,
    digest: () => {
      hash.update(stage.subarray(0, pos))
      pos = 0
      return hash.digest('hex')
    },
  }
}
