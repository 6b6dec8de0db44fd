/**
 * The delay queue of a presynaptic population: a ring of per-tick spike index lists, one queue per
 * population, shared by every projection leaving it (each owns an *entry*: a latency in ticks).
 *
 * Ring index: `DelaySystem` pushes, at the start of tick k, the spikes the population emitted in tick k−1
 * into slot `head` (advanced by one each push). An entry of latency d ≥ 1 reads, in tick k, the slot pushed
 * d−1 pushes ago, i.e. the spikes emitted in tick k−d. The ring has `length` = the longest latency of its
 * entries, so nothing older is kept. Slots start small and double when a tick has more spikes than they
 * hold (bounded by the population size), so steady-state ticks never allocate.
 */
import { SpikecsError } from './errors.js'
import { allocArray, type ColumnHost } from './storage.js'

export interface DelayEntry {
  /** The projection (or half-projection source) that reads through this entry. */
  readonly name: string
  /** Latency in ticks (≥ 1): spikes of tick j are read in tick j + latency. */
  readonly latency: number
}

export interface DelayQueueData {
  readonly eid: number
  /** Population entity whose spikes the queue carries. */
  readonly pop: number
  /** Its name, for messages. */
  readonly popName: string
  /** Population size (the largest a slot ever needs to be). */
  readonly size: number
  /** Ring length in ticks = the longest entry latency. */
  length: number
  /** One spike index list per slot. */
  slots: Int32Array[]
  /** Number of valid indices in each slot. */
  counts: Int32Array
  /** Slot written by the latest push. */
  head: number
  readonly entries: DelayEntry[]
}

/**
 * Longest latency a queue accepts, in ticks (10 s at dt = 0.1 ms): the ring keeps one spike list per tick,
 * a few hundred bytes each, so a longer one would take gigabytes before the first spike.
 */
export const MAX_DELAY_TICKS = 100000

/** A queue for population `pop` of `size` neurons, with no entries yet (length 1). */
export function createDelayQueue(host: ColumnHost, eid: number, pop: number, popName: string, size: number): DelayQueueData {
  const q: DelayQueueData = { eid, pop, popName, size, length: 0, slots: [], counts: new Int32Array(0), head: 0, entries: [] }
  setQueueLength(host, q, 1)
  return q
}

function setQueueLength(host: ColumnHost, q: DelayQueueData, length: number): void {
  // Only called before the first push: the ring is empty, so re-creating it loses nothing.
  const cap = Math.min(q.size, 64)
  q.slots = []
  for (let s = 0; s < length; s++) q.slots.push(allocArray(host, 'i32', cap) as Int32Array)
  q.counts = new Int32Array(length)
  q.length = length
  q.head = length - 1
}

/** Adds an entry of `latency` ticks; grows the ring if it is the longest so far. */
export function addDelayEntry(host: ColumnHost, q: DelayQueueData, name: string, latency: number): void {
  if (!Number.isInteger(latency) || latency < 1 || latency > MAX_DELAY_TICKS) {
    throw new SpikecsError(`delay entry '${name}'`, 'latency', latency, `must be an integer number of ticks in [1, ${MAX_DELAY_TICKS}]`)
  }
  if (q.entries.some((e) => e.name === name)) {
    throw new SpikecsError(`delay queue of population '${q.popName}'`, 'entry', name, 'is registered already')
  }
  q.entries.push({ name, latency })
  if (latency > q.length) setQueueLength(host, q, latency)
}

/** Pushes one tick's spike list (indices `spikes[0..n)`, ascending) into the next slot. */
export function pushSpikes(host: ColumnHost, q: DelayQueueData, spikes: Int32Array, n: number): void {
  let head = q.head + 1
  if (head === q.length) head = 0
  let slot = q.slots[head]
  if (slot.length < n) {
    let cap = slot.length
    while (cap < n) cap *= 2
    slot = allocArray(host, 'i32', Math.min(cap, q.size)) as Int32Array
    q.slots[head] = slot
  }
  for (let i = 0; i < n; i++) slot[i] = spikes[i]
  q.counts[head] = n
  q.head = head
}

/** The slot an entry of `latency` ticks reads in the current tick. */
export function slotForLatency(q: DelayQueueData, latency: number): number {
  let s = q.head - (latency - 1)
  if (s < 0) s += q.length
  return s
}
