/**
 * The notes of the script's header (also returned by `exportPyNN`): where the PyNN network's numbers differ
 * from spikecs's, written for the populations and projections this network has.
 */
import { commSynapses } from '@spikecs/systems'
import { lifModel } from './model.js'
import { pyFloat, pyText } from './literals.js'
import type { PopPlan, ProjPlan, Settings } from './types.js'

export function integrationNotes(s: Settings, pops: readonly PopPlan[], projPlans: readonly ProjPlan[], synapses: number): string[] {
  const { world } = s
  const projs = projPlans.map((p) => p.proj)
  const notes: string[] = []
  const names = (f: (p: PopPlan) => boolean) =>
    pops
      .filter(f)
      .map((p) => pyText(p.pop.name))
      .join(', ')
  const cond = (p: PopPlan) => p.cell === 'IF_cond_exp'
  const ltcCond = names((p) => lifModel(p.pop).ltc && cond(p))
  const eulerCond = names((p) => !lifModel(p.pop).ltc && cond(p) && p.pop.states.length > 0)
  const curr = names((p) => p.cell === 'IF_curr_exp' && p.pop.states.length > 0)
  const mg = projs
    .filter((p) => p.state.merged)
    .map((p) => `${pyText(p.name)} (a = ${pyFloat(s.show(p.state.derived[0]))}, tau = ${pyFloat(p.state.params.tau)} ms)`)
  if (s.mode === 'exact') {
    const jit = projs.some((p) => !commSynapses(p).exact) // on-the-fly rows: counted by expectation
    notes.push(
      `Connectivity: the ${synapses} synapses spikecs realised for seed ` +
        `${world.seed}${jit ? ' (on-the-fly rows materialised)' : ''}, so PyNN builds the same matrix.`,
    )
  } else {
    notes.push(`Connectivity: statistical; PyNN draws a new matrix with the same law (NumpyRNG seed ${s.seed}), not spikecs's matrix.`)
  }
  notes.push('Initial state: V as spikecs initialised it (per neuron); synaptic conductances and currents start at 0.')
  if (mg.length > 0) {
    notes.push(
      `Mg projections ${mg.join(', ')}: spikecs adds each increment, then decays the merged state, so ` +
        `an increment is first felt as w*a with a = exp(-dt/tau); their PyNN weights are w*a.`,
    )
  }
  if (ltcCond) {
    notes.push(
      `Populations ${ltcCond} (LTC form): spikecs holds g over each tick and steps V exactly for it ` +
        `(exponential Euler); pyNN.brian2 integrates IF_cond_exp, V and g alike, with forward Euler (the ` +
        `method Brian2 picks for these equations), NEST and NEURON with their own solvers: differences ` +
        `of order dt.`,
    )
  }
  if (eulerCond) {
    notes.push(
      `Populations ${eulerCond} (non-LTC LifRef/Lif): spikecs evaluates g*(E - V) with the V of the ` +
        `previous tick and holds it over the tick; pyNN.brian2 integrates IF_cond_exp with forward ` +
        `Euler, NEST and NEURON with their own solvers: differences of order dt.`,
    )
  }
  if (curr) {
    notes.push(
      `Populations ${curr} (current-based): spikecs holds each synaptic current over its tick and ` +
        `steps V exactly for it; pyNN.brian2 integrates IF_curr_exp exactly, the current decaying within ` +
        `the step: differences of order dt/tau_syn.`,
    )
  }
  const refr = pops.filter((p) => lifModel(p.pop).ref)
  if (refr.length > 0) {
    const parts = refr.map((p) => `${pyText(p.pop.name)} ${p.refTicks} ticks`)
    notes.push(
      `Refractoriness: spikecs holds V at v_reset for round(tau_ref/dt) ticks after a spike ` +
        `(${parts.join(', ')}) and integrates again in the next; tau_refrac is exported as that many ` +
        `ticks times dt.`,
    )
  }
  notes.push('Threshold: spikecs spikes when V >= v_thresh; the Brian2 backend of PyNN tests v > v_thresh (NEST: >=).')
  if (projs.length > 0) {
    const lat = [...new Set(projs.map((p) => (p.source as { latency: number }).latency))].sort((a, b) => a - b)
    notes.push(
      `Delays: a spike reaches its targets L ticks after it was emitted in spikecs (L = ` +
        `${lat.join(', ')}); the export writes delay = L*dt (PyNN's minimum delay is dt; under NEURON ` +
        `plus DELAY_MARGIN, a millionth of dt that its parallel solver needs and that moves no spike). ` +
        `NEST delivers it L steps later, as spikecs does; Brian2 applies delayed spikes after the state ` +
        `update of their arrival step, so under pyNN.brian2 every projection acts one tick later than in ` +
        `spikecs.`,
    )
  }
  if (world.dtype === 'float32') {
    notes.push(
      'Precision: spikecs ran float32 state; numbers are written at float32 precision (shortest ' +
        'decimals), the simulators compute in double.',
    )
  }
  notes.push('Recording: spikes of every population; spikecs monitors, probes and checkers are not exported.')
  return notes
}
