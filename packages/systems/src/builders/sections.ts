/**
 * Piecewise-constant current protocols (BrainPy's `section_input`): `sectionInput(world, [[durationMs, value],
 * …])` is an input spec for `addInput` holding each value for its duration, one section after the other from
 * tick 0, and 0 after the last (or the last value with `after: 'hold'`). A value is a number (every neuron)
 * or an array with one value per neuron. Durations must be whole numbers of ticks, so every section starts
 * on a known tick: section j covers ticks [T_j, T_j + d_j/dt) with T_j the sum of the earlier durations in ticks.
 */
import { SpikecsError, checkFinite, checkFiniteArray, durationTicks, type World } from '@spikecs/ecs-core'
import type { InputSpec } from './input.js'

export type Section = readonly [durationMs: number, value: number | ArrayLike<number>]

export function sectionInput(world: World, sections: readonly Section[], options: { after?: 'zero' | 'hold' } = {}): InputSpec {
  const object = 'sectionInput'
  if (!Array.isArray(sections) || sections.length === 0) {
    throw new SpikecsError(object, 'sections', sections, 'must be a non-empty array of [durationMs, value] pairs')
  }
  const ticks: number[] = []
  let width = 0 // 0: scalar values; otherwise values per neuron
  sections.forEach((s, j) => {
    if (!Array.isArray(s) || s.length !== 2) throw new SpikecsError(object, `sections[${j}]`, s, 'must be a [durationMs, value] pair')
    ticks.push(durationTicks(object, `sections[${j}][0]`, s[0], world.dtMs))
    const v = s[1]
    const w = typeof v === 'number' ? 0 : v !== null && typeof v === 'object' ? v.length : -1
    if (w < 0) throw new SpikecsError(object, `sections[${j}][1]`, v, 'must be a number or an array with one value per neuron')
    if (w === 0) checkFinite(object, `sections[${j}][1]`, v)
    else checkFiniteArray(object, `sections[${j}][1]`, v as ArrayLike<number>)
    if (w > 0 && width > 0 && w !== width)
      throw new SpikecsError(object, `sections[${j}][1]`, v, `must have ${width} values like the earlier sections`)
    if (w > 0) width = w
  })
  const total = ticks.reduce((a, b) => a + b, 0)
  if (total === 0) throw new SpikecsError(object, 'sections', sections, 'must last at least one tick in total')
  const n = Math.max(1, width)
  const series = new Float64Array(total * n)
  let t0 = 0
  sections.forEach(([, v], j) => {
    for (let k = t0; k < t0 + ticks[j]; k++) {
      for (let i = 0; i < n; i++) series[k * n + i] = typeof v === 'number' ? v : v[i]
    }
    t0 += ticks[j]
  })
  return { series, perNeuron: width > 0, after: options.after ?? 'zero' }
}
