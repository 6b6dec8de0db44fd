/**
 * Spike-source populations: "neurons" that emit given spikes instead of integrating anything. They are
 * ordinary populations, so they can be the `pre` of any projection (and are recorded by spike monitors);
 * their spikes reach the synapses with the usual latency (a spike of tick k is delivered in tick k + 1
 * without a delay). Inputs and outputs aimed at them are ignored.
 *
 * - `PoissonGroup({ size, rateHz })` (BrainPy `PoissonGroup`): in every tick each neuron spikes independently
 *   with probability p = rateHz·dt/1000. The draw of neuron i in tick k is a pure function of (world seed,
 *   population name, k, i) — a counter-based stream, so the spikes depend on nothing else in the world — and
 *   a spike happens when the 32-bit draw is below round(p·2^32) (exact to 2^−32). `rateHz` may be changed
 *   while running with `setParam`.
 * - `SpikeTimeGroup({ size, indices, times })` (BrainPy `SpikeTimeGroup`): neuron indices[k] spikes at
 *   times[k] ms, i.e. in tick times[k]/dt (a time must be a whole number of ticks unless `roundTimes` is set).
 *   Each neuron keeps its own sorted schedule (constant columns `schedule.ptr`, `schedule.ticks`) and a cursor
 *   (`next`), so a tick costs one comparison per neuron.
 */
import {
  SpikecsError,
  allocColumn,
  checkInteger,
  counterU32,
  entityKey,
  formatValue,
  msToTicks,
  rowKeys,
  type PopulationData,
} from '@spikecs/ecs-core'
import { param } from './params.js'
import type { NeuronInputs, NeuronModel } from './neuron-model.js'
import { describe } from './nonlinear-if.js'

/** Clears the synaptic sums of a source population (something may project onto it; nothing reads them). */
function discardInputs(pop: PopulationData, inp: NeuronInputs): void {
  if (pop.outputs.length === 0) return
  inp.G.fill(0)
  inp.GE.fill(0)
  inp.I.fill(0)
}

// --- PoissonGroup ----------------------------------------------------------------------------------------

const RATE = 0,
  THRESHOLD = 1,
  KEY = 2
const TWO32 = 4294967296
// Keys of the current tick's stream; overwritten at every call before they are read, so no state is kept here.
const tickKeys = new Uint32Array(2)

function updatePoisson(pop: PopulationData, inp: NeuronInputs, tick: number): void {
  const P = pop.params
  const thr = P[THRESHOLD]
  rowKeys(P[KEY], tick, tickKeys)
  const k0 = tickKeys[0],
    k1 = tickKeys[1]
  const spk = pop.spikes.array
  let ns = 0
  for (let i = 0, n = pop.size; i < n; i++) if (counterU32(k0, k1, i) < thr) spk[ns++] = i
  pop.nSpikes = ns
  discardInputs(pop, inp)
}

const poissonModel: NeuronModel = {
  kind: 'PoissonGroup',
  equation: 'each neuron spikes in each tick with probability rateHz·dt/1000',
  params: [param('rateHz', NaN, 'Hz', 'nonNegative', 'firing rate of every neuron (required)')],
  layout: ['rateHz', 'threshold', 'key'],
  derive(block, dtMs) {
    // Rates above 1/dt (reachable only through setParam) fire in every tick.
    block[THRESHOLD] = Math.round(Math.min(1, (block[RATE] * dtMs) / 1000) * TWO32)
  },
  check: () => {},
  stateVars: [],
  update: updatePoisson,
  record: null,
  setup(object, given, _size, world) {
    const rate = given.rateHz as number
    if ((rate * world.dtMs) / 1000 > 1) {
      throw new SpikecsError(object, 'rateHz', rate, `must be at most 1/dt = ${1000 / world.dtMs} Hz (one spike per tick)`)
    }
    return (pop) => {
      pop.params[KEY] = entityKey(world.seed, `poisson:${pop.name}`)
    }
  },
}

// --- SpikeTimeGroup --------------------------------------------------------------------------------------

function updateSpikeTimes(pop: PopulationData, inp: NeuronInputs, tick: number): void {
  const ptr = pop.state['schedule.ptr'].array,
    at = pop.state['schedule.ticks'].array
  const next = pop.state.next.array
  const spk = pop.spikes.array
  let ns = 0
  for (let i = 0, n = pop.size; i < n; i++) {
    const k = next[i]
    if (k < ptr[i + 1] && at[k] <= tick) {
      spk[ns++] = i
      next[i] = k + 1
    }
  }
  pop.nSpikes = ns
  discardInputs(pop, inp)
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return x !== null && typeof x === 'object' && typeof (x as ArrayLike<unknown>).length === 'number'
}

/** Validates indices and times and returns each neuron's spike ticks, ascending, as CSR (ptr, ticks). */
function buildSchedule(object: string, given: Readonly<Record<string, unknown>>, size: number, dtMs: number) {
  const { indices, times } = given
  if (!isArrayLike(indices)) throw new SpikecsError(object, 'indices', indices, 'must be an array of neuron indices')
  if (!isArrayLike(times)) throw new SpikecsError(object, 'times', times, 'must be an array of spike times in ms')
  if (times.length !== indices.length) {
    throw new SpikecsError(object, 'times', times, `must have as many elements as indices (${indices.length})`)
  }
  const round = given.roundTimes === true
  if (given.roundTimes !== undefined && typeof given.roundTimes !== 'boolean') {
    throw new SpikecsError(object, 'roundTimes', given.roundTimes, 'must be a boolean')
  }
  const m = times.length
  const who = new Int32Array(m),
    when = new Int32Array(m)
  for (let k = 0; k < m; k++) {
    who[k] = checkInteger(object, `indices[${k}]`, indices[k], 0, size - 1)
    when[k] = msToTicks(object, `times[${k}]`, times[k], dtMs, round, 'roundTimes')
  }
  // Stable order by (neuron, tick); a neuron spikes at most once per tick.
  const order = Array.from({ length: m }, (_, k) => k).sort((a, b) => who[a] - who[b] || when[a] - when[b] || a - b)
  const ptr = new Int32Array(size + 1),
    ticks = new Int32Array(m)
  order.forEach((k, q) => {
    ticks[q] = when[k]
    ptr[who[k] + 1]++
    if (q > 0 && who[order[q - 1]] === who[k] && when[order[q - 1]] === when[k]) {
      throw new SpikecsError(
        object,
        `times[${k}]`,
        times[k],
        `puts a second spike of neuron ${who[k]} into tick ${when[k]} (times[${order[q - 1]}] = ` +
          `${formatValue(times[order[q - 1]])} already does)`,
      )
    }
  })
  for (let i = 0; i < size; i++) ptr[i + 1] += ptr[i]
  return { ptr, ticks }
}

const spikeTimeModel: NeuronModel = {
  kind: 'SpikeTimeGroup',
  equation: 'neuron indices[k] spikes in tick times[k]/dt',
  params: [],
  layout: [],
  derive: () => {},
  check: () => {},
  stateVars: [
    {
      name: 'next',
      type: 'i32',
      initParam: null,
      initDefault: () => 0,
      unit: 'index',
      doc: "position of the neuron's next spike in schedule.ticks",
    },
  ],
  update: updateSpikeTimes,
  record: null,
  extraKeys: ['indices', 'times', 'roundTimes'],
  setup(object, given, size, world) {
    const s = buildSchedule(object, given, size, world.dtMs)
    return (pop) => {
      const ptr = allocColumn(world, pop.eid, 'schedule.ptr', 'i32', size + 1)
      const ticks = allocColumn(world, pop.eid, 'schedule.ticks', 'i32', s.ticks.length)
      ptr.array.set(s.ptr)
      ticks.array.set(s.ticks)
      pop.state['schedule.ptr'] = ptr
      pop.state['schedule.ticks'] = ticks
      pop.state.next.array.set(s.ptr.subarray(0, size))
    }
  },
}

export const sourceModels: Record<string, NeuronModel> = { PoissonGroup: poissonModel, SpikeTimeGroup: spikeTimeModel }

/** Parameters of `PoissonGroup`. */
export interface PoissonGroupParams {
  /** Number of neurons. */
  size: number
  /** Rate of every neuron (Hz), at most 1/dt; required. */
  rateHz: number
}
/** Parameters of `SpikeTimeGroup`. */
export interface SpikeTimeGroupParams {
  /** Number of neurons. */
  size: number
  /** Neuron of each spike (0 ≤ index < size). */
  indices: ArrayLike<number>
  /** Time of each spike (ms ≥ 0), a whole number of ticks unless `roundTimes`. */
  times: ArrayLike<number>
  /** Round times to the nearest tick instead of refusing times between ticks (default false). */
  roundTimes?: boolean
}

/** Independent Poisson spike trains (BrainPy `PoissonGroup`), seeded by (world seed, population name). */
export const PoissonGroup = describe<PoissonGroupParams>('PoissonGroup')
/** Spikes at given times (BrainPy `SpikeTimeGroup`). */
export const SpikeTimeGroup = describe<SpikeTimeGroupParams>('SpikeTimeGroup')
