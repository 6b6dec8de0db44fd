/**
 * After the monitors: checkers (if any were added) stop a run with an error naming the population and the
 * tick when a floating-point state column holds NaN or ±Infinity (checked every `every` ticks), or when a
 * population's rate over the sliding window exceeds `maxRateHz` (checked every tick).
 */
import { SpikecsError, type FloatArray, type World } from '@spikecs/ecs-core'
import { planOf } from '../plan.js'

function firstNonFinite(a: FloatArray): number {
  for (let i = 0; i < a.length; i++) if (!(a[i] - a[i] === 0)) return i
  return -1
}

export function CheckerSystem(world: World): void {
  const plan = planOf(world)
  const checkers = plan.checkers
  if (checkers.length === 0) return
  const tick = world.tick
  const pops = world.components.Population.list
  for (let c = 0; c < checkers.length; c++) {
    const ch = checkers[c]
    const cur = ch.cursor
    if (ch.maxRateHz !== Infinity) {
      const seconds = (ch.windowTicks * world.dtMs) / 1000
      for (let p = 0; p < pops.length; p++) {
        const w = ch.windows[p]
        ch.sums[p] += pops[p].nSpikes - w[cur]
        w[cur] = pops[p].nSpikes
        const rate = ch.sums[p] / (pops[p].size * seconds)
        if (rate > ch.maxRateHz && tick + 1 >= ch.windowTicks) {
          throw new SpikecsError(`population '${pops[p].name}'`, `rate over the last ${ch.windowTicks * world.dtMs} ms`, rate,
            `must stay <= ${ch.maxRateHz} Hz (checker '${ch.name}'); exceeded at tick ${tick}`)
        }
      }
    }
    ch.cursor = cur + 1 === ch.windowTicks ? 0 : cur + 1
    if (!ch.checkFinite || tick % ch.every !== 0) continue
    for (let p = 0; p < pops.length; p++) {
      const pop = pops[p]
      for (const name in pop.state) {
        const col = pop.state[name]
        if (col.type !== 'state' && col.type !== 'f32' && col.type !== 'f64') continue
        const i = firstNonFinite(col.array as FloatArray)
        if (i >= 0) {
          throw new SpikecsError(`population '${pop.name}'`, `${name}[${i}]`, col.array[i],
            `must stay finite (checker '${ch.name}'); it did not at tick ${tick}`)
        }
      }
      for (const st of pop.states) {
        for (const name in st.cols) {
          const i = firstNonFinite(st.cols[name].array)
          if (i >= 0) {
            const proj = st.projections[0]?.name ?? `state ${st.eid}`
            throw new SpikecsError(`synapse state of projection '${proj}' onto '${pop.name}'`, `${name}[${i}]`,
              st.cols[name].array[i], `must stay finite (checker '${ch.name}'); it did not at tick ${tick}`)
          }
        }
      }
    }
  }
}
