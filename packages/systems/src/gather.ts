/**
 * The external input of a population for one tick: scalar inputs summed into one number, per-neuron inputs
 * into one array, each in creation order (`NeuronSystem`, and the main thread of a threaded world before it
 * hands the tick to the workers).
 */
import { SpikecsError, type InputData, type World } from '@spikecs/ecs-core'
import type { NeuronInputs } from './models/neuron-model.js'

/** A function input's value for this tick (called once per tick, never per neuron), checked finite. */
function functionValue(x: InputData, tick: number, world: World): number {
  const v = (x.fn as (tick: number, tMs: number) => number)(tick, tick * world.dtMs)
  if (typeof v !== 'number' || !(v - v === 0)) {
    throw new SpikecsError(`input '${x.name}'`, 'value', v, `must be a finite number (returned at tick ${tick})`)
  }
  return v
}

/** What `gatherInputs` reads of a neuron task. */
export interface GatherTask {
  readonly inp: NeuronInputs
  readonly scalarInputs: readonly InputData[]
  readonly arrayInputs: readonly InputData[]
}

// Doubles are neither passed to nor returned from these helpers on the per-tick path (only ticks and
// records): V8 boxes a double crossing a call it does not inline — even one read from a field such as
// world.dtMs — which would allocate every tick.
export function gatherInputs(t: GatherTask, tick: number, world: World): void {
  const inp = t.inp
  let s = 0
  const sc = t.scalarInputs
  for (let k = 0; k < sc.length; k++) {
    const x = sc[k]
    let v: number
    if (x.kind === 'constant') v = x.values[0]
    else if (x.kind === 'series') {
      const n = x.values.length
      v = tick < n ? x.values[tick] : x.after === 'hold' ? x.values[n - 1] : 0
    } else v = functionValue(x, tick, world)
    s += v * x.scale
  }
  inp.iScalar = s
  const arr = t.arrayInputs
  if (arr.length === 0) return
  const ia = inp.iArr
  const n = ia.length
  ia.fill(0)
  for (let k = 0; k < arr.length; k++) {
    const x = arr[k]
    const scale = x.scale
    if (x.kind === 'constant') {
      const v = x.values
      for (let i = 0; i < n; i++) ia[i] += v[i] * scale
    } else if (x.kind === 'series') {
      const ticks = x.values.length / n
      const row = tick < ticks ? tick : x.after === 'hold' ? ticks - 1 : -1
      if (row >= 0) {
        const v = x.values,
          base = row * n
        for (let i = 0; i < n; i++) ia[i] += v[base + i] * scale
      }
    } else {
      // Per-neuron function inputs fill their own buffer (called once per tick, never per neuron).
      const out = x.values
      out.fill(0)
      ;(x.fn as (tick: number, tMs: number, out: Float64Array) => void)(tick, tick * world.dtMs, out)
      for (let i = 0; i < n; i++) ia[i] += out[i] * scale
    }
  }
}
