/** Messages between the page (main.ts) and the simulation worker (worker.ts). */
import type { PlasticFrame, SimConfig, SimInfo } from './sim.js'

export type ToWorker =
  | { type: 'build'; config: SimConfig }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'speed'; value: number }
  | { type: 'input'; value: number }
  | { type: 'inhibitory'; value: number }
  | { type: 'kick'; indices: number[] }
  /** Test hook: run exactly `n` ticks (paused) and answer with the counts. */
  | { type: 'runTicks'; n: number; id: number }

/** The running state the page shows. */
export interface WorkerStats {
  /** The world's clock after this message's ticks. */
  tick: number
  paused: boolean
  speed: number
  /** Ticks run, wall ms elapsed and spent computing, ticks dropped by the cap, since the last message. */
  ticks: number
  elapsedMs: number
  computeMs: number
  dropped: number
  /** Ticks dropped by the cap since the network was built (the host fell behind by that many). */
  droppedTotal: number
  /** Spikes of every tick so far: all, and per group (the order of `SimInfo.groups`). */
  spikes: number
  groups: number[]
}

/**
 * Every message after a build carries the plastic projection's state (`plastic`, null without one): the
 * histogram of w/wMax and the traced synapses' w/wMax, about 120 bytes (transferred).
 */
export type FromWorker =
  | { type: 'ready'; info: SimInfo; stats: WorkerStats; plastic: PlasticFrame | null }
  /** One frame's spikes: tick firstTick + k holds indices[offsets[k] .. offsets[k+1]) (transferred). */
  | { type: 'frame'; firstTick: number; offsets: Int32Array; indices: Int32Array; stats: WorkerStats; plastic: PlasticFrame | null }
  | { type: 'ticks'; id: number; stats: WorkerStats; plastic: PlasticFrame | null }
  | { type: 'error'; message: string }
