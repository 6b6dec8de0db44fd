/**
 * Model mapping: the LIF family with Expon synapses as PyNN's `IF_cond_exp` (COBA outputs) or `IF_curr_exp`
 * (CUBA outputs), with parameters converted to PyNN's units (see the module comment of `index.ts`); the spike
 * sources `PoissonGroup` and `SpikeTimeGroup` as `SpikeSourcePoisson` and `SpikeSourceArray`.
 */
import { SpikecsError, msToTicks, type InputData, type PopulationData } from '@spikecs/ecs-core'
import { tidy } from './literals.js'
import type { Arrays, Channel, PopPlan, Receptors, Settings } from './types.js'

const LIF_MODELS: Readonly<Record<string, { ltc: boolean; ref: boolean }>> = {
  Lif: { ltc: false, ref: false },
  LifRef: { ltc: false, ref: true },
  LifLTC: { ltc: true, ref: false },
  LifRefLTC: { ltc: true, ref: true },
}

/** Spike sources and the PyNN cell type each becomes. */
const SOURCE_CELLS: Readonly<Record<string, 'SpikeSourcePoisson' | 'SpikeSourceArray'>> = {
  PoissonGroup: 'SpikeSourcePoisson',
  SpikeTimeGroup: 'SpikeSourceArray',
}

/** The PyNN spike source a population becomes, or null when it is not a spike source. */
export function sourceCell(pop: PopulationData): 'SpikeSourcePoisson' | 'SpikeSourceArray' | null {
  return SOURCE_CELLS[pop.model] ?? null
}

/** The LIF variant of a population (LTC form, refractoriness); any other model is refused. */
export function lifModel(pop: PopulationData): { ltc: boolean; ref: boolean } {
  const m = LIF_MODELS[pop.model]
  if (m === undefined) {
    throw new SpikecsError(
      `population '${pop.name}'`,
      'model',
      pop.model,
      sourceCell(pop) !== null
        ? 'is a spike source: it takes no synaptic input, in spikecs or in PyNN (a projection onto it is refused)'
        : 'has no PyNN equivalent (exported: Lif, LifRef, LifLTC, LifRefLTC; spike sources PoissonGroup, SpikeTimeGroup)',
    )
  }
  return m
}

export function lifParam(pop: PopulationData, name: string): number {
  return pop.params[pop.paramIndex[name]]
}

/** Ticks V is held after a spike: round(tauRef/dt), as the model counts them; 0 without refractoriness. */
export function refractoryTicks(pop: PopulationData, dtMs: number): number {
  return lifModel(pop).ref ? msToTicks(`population '${pop.name}'`, 'tauRef', lifParam(pop, 'tauRef'), dtMs, true) : 0
}

/** The constant input of each population (scalar sum, and per-neuron values when any); others are refused. */
export type ConstantInputs = Map<PopulationData, { scalar: number; arr: Float64Array | null }>

export function constantInputs(pops: readonly PopulationData[]): ConstantInputs {
  const inputOf: ConstantInputs = new Map()
  for (const pop of pops) {
    // A spike source ignores its inputs in spikecs (it integrates nothing); PyNN's sources take none.
    if (sourceCell(pop) !== null) continue
    let scalar = 0
    let arr: Float64Array | null = null
    for (const inp of pop.inputs as InputData[]) {
      if (inp.kind !== 'constant') {
        throw new SpikecsError(
          `input '${inp.name}'`,
          'kind',
          inp.kind,
          'has no PyNN equivalent in this export: only constant inputs (one value, or one per neuron) become i_offset',
        )
      }
      if (inp.perNeuron) {
        arr ??= new Float64Array(pop.size)
        for (let i = 0; i < pop.size; i++) arr[i] += inp.values[i] * inp.scale
      } else scalar += inp.values[0] * inp.scale
    }
    inputOf.set(pop, { scalar, arr })
  }
  return inputOf
}

/** Records that `post` receives `kind` outputs; a PyNN cell cannot take both. */
export function setOutputKind(receptors: Receptors, post: PopulationData, kind: 'COBA' | 'CUBA'): void {
  const prevKind = receptors.outKind.get(post)
  if (prevKind !== undefined && prevKind !== kind) {
    throw new SpikecsError(
      `population '${post.name}'`,
      'outputs',
      `${prevKind} and ${kind}`,
      'cannot be mixed: a PyNN cell is either conductance-based (IF_cond_exp) or current-based (IF_curr_exp)',
    )
  }
  receptors.outKind.set(post, kind)
}

/**
 * The receptor channel of `post` for a synapse state of time constant `tau` into a COBA output of reversal
 * `E` (NaN for CUBA) or a CUBA output whose weights have sign `sign` (0 for COBA); created on first use.
 */
export function channelFor(receptors: Receptors, post: PopulationData, tau: number, E: number, sign: number): Channel {
  const cuba = receptors.outKind.get(post) === 'CUBA'
  const list = receptors.channels.get(post) ?? []
  receptors.channels.set(post, list)
  let ch = list.find((k) => k.tau === tau && (cuba ? k.sign === sign : k.E === E))
  if (ch === undefined) {
    ch = { tau, E, sign, receptor: 'excitatory' }
    list.push(ch)
  }
  return ch
}

/**
 * Names the channels of every post population `excitatory` and `inhibitory`: a PyNN cell has two. COBA: the
 * higher reversal potential is excitatory (a single channel: excitatory when E > vRest); CUBA: weights ≥ 0 go
 * to the excitatory channel, weights < 0 to the inhibitory one.
 */
export function assignReceptors(receptors: Receptors): void {
  for (const [post, list] of receptors.channels) {
    const kind = receptors.outKind.get(post)
    const desc = list
      .map((k) => (kind === 'COBA' ? `tau ${k.tau} ms, E ${k.E} mV` : `tau ${k.tau} ms, weights ${k.sign < 0 ? '< 0' : '>= 0'}`))
      .join('; ')
    if (kind === 'COBA') {
      if (list.length > 2) {
        throw new SpikecsError(
          `population '${post.name}'`,
          'synapses',
          desc,
          'need more than two receptor channels; IF_cond_exp has two (excitatory, inhibitory), one (tau, E) each',
        )
      }
      list.sort((x, y) => y.E - x.E || x.tau - y.tau)
      if (list.length === 2) {
        list[0].receptor = 'excitatory'
        list[1].receptor = 'inhibitory'
      } else list[0].receptor = list[0].E > lifParam(post, 'vRest') ? 'excitatory' : 'inhibitory'
    } else {
      const pos = list.filter((k) => k.sign > 0),
        neg = list.filter((k) => k.sign < 0)
      if (pos.length > 1 || neg.length > 1) {
        throw new SpikecsError(
          `population '${post.name}'`,
          'synapses',
          desc,
          'need more than one time constant per sign; IF_curr_exp has one excitatory (weights >= 0) and ' +
            'one inhibitory (weights < 0) channel',
        )
      }
      for (const k of pos) k.receptor = 'excitatory'
      for (const k of neg) k.receptor = 'inhibitory'
    }
  }
}

/**
 * One PyNN population per spikecs population: cell type, parameters in PyNN units (per-neuron `i_offset`
 * and initial V as arrays when they differ between neurons), recording.
 */
export function planPopulations(s: Settings, receptors: Receptors, inputs: ConstantInputs, arrays: Arrays): PopPlan[] {
  const dt = s.world.dtMs
  return s.world.components.Population.list.map((pop, k) => {
    const key = `pop${k}`
    const source = sourceCell(pop)
    if (source !== null) return planSource(s, pop, key, source, arrays)
    const Rs = lifParam(pop, 'R'),
      tau = lifParam(pop, 'tau')
    const refTicks = refractoryTicks(pop, dt)
    const cell = (receptors.outKind.get(pop) ?? 'COBA') === 'COBA' ? 'IF_cond_exp' : 'IF_curr_exp'
    const inp = inputs.get(pop)!
    let iOffset: number | string = tidy((Rs * inp.scalar) / s.Rp)
    if (inp.arr !== null) {
      const a = new Float64Array(pop.size)
      for (let i = 0; i < pop.size; i++) a[i] = (Rs * (inp.scalar + inp.arr[i])) / s.Rp
      iOffset = `${key}.i_offset`
      arrays.push([iOffset, a])
    }
    const list = receptors.channels.get(pop) ?? []
    const exc = list.find((c) => c.receptor === 'excitatory')
    const inh = list.find((c) => c.receptor === 'inhibitory')
    const params: [string, number | string][] = [
      ['tau_m', tau],
      ['cm', tidy(tau / s.Rp)],
      ['v_rest', lifParam(pop, 'vRest')],
      ['v_reset', lifParam(pop, 'vReset')],
      ['v_thresh', lifParam(pop, 'vTh')],
      ['tau_refrac', tidy(refTicks * dt)],
      ['i_offset', iOffset],
      ['tau_syn_E', exc?.tau ?? 5],
      ['tau_syn_I', inh?.tau ?? 5],
    ]
    if (cell === 'IF_cond_exp') params.push(['e_rev_E', exc?.E ?? 0], ['e_rev_I', inh?.E ?? -70])
    // Initial V: the realised values (float32 worlds: at float32 precision).
    const V = pop.state.V.array
    let v0: number | string = s.show(V[0])
    for (let i = 1; i < pop.size; i++) {
      if (V[i] !== V[0]) {
        v0 = `${key}.v0`
        arrays.push([v0, Float64Array.from(V)])
        break
      }
    }
    return { pop, key, cell, params, v0, recordV: s.recordV.has(pop.name), refTicks, lif: lifModel(pop) }
  })
}

/**
 * A spike source: `PoissonGroup` → `SpikeSourcePoisson(rate)` (its own draws: the same law, not the same
 * spikes); `SpikeTimeGroup` → `SpikeSourceArray`, each neuron's spike ticks k as times k·dt (the same spikes),
 * written as the arrays `<key>.ptr` (int32, one more than neurons) and `<key>.ticks` (int32).
 */
function planSource(
  s: Settings,
  pop: PopulationData,
  key: string,
  cell: 'SpikeSourcePoisson' | 'SpikeSourceArray',
  arrays: Arrays,
): PopPlan {
  if (s.recordV.has(pop.name)) {
    throw new SpikecsError('exportPyNN', 'recordV', pop.name, `is a spike source (${pop.model}): it has no membrane potential to record`)
  }
  const params: [string, number | string][] = []
  if (cell === 'SpikeSourcePoisson') params.push(['rate', pop.params[pop.paramIndex.rateHz]])
  else {
    arrays.push([`${key}.ptr`, Int32Array.from(pop.state['schedule.ptr'].array)])
    arrays.push([`${key}.ticks`, Int32Array.from(pop.state['schedule.ticks'].array)])
    params.push(['spike_times', key])
  }
  return { pop, key, cell, params, v0: null, recordV: false, refTicks: 0, lif: null }
}
