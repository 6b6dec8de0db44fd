/**
 * After `NeuronSystem`: every monitor records this tick — spike monitors append (tick, global index) for each
 * spike of their populations, rate monitors one count per population, state probes the chosen neurons'
 * values every `every` ticks. Storage doubles when full (amortised, bounded by `max`); beyond `max`, ring
 * monitors overwrite the oldest records and others stop, counting what they did not keep in `dropped`.
 */
import type { MonitorData, World } from '@spikecs/ecs-core'
import { planOf } from '../plan.js'

/** Index of the next record, growing or wrapping the storage; −1 when the record must be dropped. */
function nextRecord(m: MonitorData): number {
  if (m.count < m.ticks.length) return m.count++
  if (m.count < m.max) {
    const cap = Math.min(m.max, m.ticks.length * 2)
    const grow = <A extends Int32Array | Float64Array>(a: A, w: number): A => {
      const b = new (a.constructor as new (n: number) => A)(cap * w)
      b.set(a as never)
      return b
    }
    m.ticks = grow(m.ticks, 1)
    if (m.kind === 'spikes') m.indices = grow(m.indices, 1)
    else if (m.kind === 'rate') m.indices = grow(m.indices, m.width)
    else m.values = grow(m.values, m.width)
    return m.count++
  }
  m.dropped++
  if (!m.ring) return -1
  const r = m.first
  m.first = m.first + 1 === m.max ? 0 : m.first + 1
  return r
}

function recordSpikes(m: MonitorData, tick: number): void {
  const pops = m.pops
  for (let p = 0; p < pops.length; p++) {
    const pop = pops[p]
    const spk = pop.spikes.array,
      ns = pop.nSpikes,
      start = pop.start
    for (let k = 0; k < ns; k++) {
      const r = nextRecord(m)
      if (r < 0) continue
      m.ticks[r] = tick
      m.indices[r] = start + spk[k]
    }
  }
}

export function MonitorSystem(world: World): void {
  const monitors = planOf(world).monitors
  const tick = world.tick
  for (let k = 0; k < monitors.length; k++) {
    const m = monitors[k]
    if (tick < m.startTick || tick >= m.stopTick) continue
    if (m.kind === 'spikes') {
      recordSpikes(m, tick)
    } else if (m.kind === 'rate') {
      const r = nextRecord(m)
      if (r < 0) continue
      m.ticks[r] = tick
      for (let p = 0; p < m.pops.length; p++) m.indices[r * m.width + p] = m.pops[p].nSpikes
    } else if ((tick - m.startTick) % m.every === 0) {
      const r = nextRecord(m)
      if (r < 0) continue
      m.ticks[r] = tick
      const col = (m.column as { array: ArrayLike<number> }).array
      const idx = m.probeIndices as Int32Array
      for (let j = 0; j < idx.length; j++) m.values[r * m.width + j] = col[idx[j]]
    }
  }
}
