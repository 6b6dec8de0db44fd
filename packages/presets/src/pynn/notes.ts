/**
 * The notes of the script's header (also returned by `exportPyNN`): where the PyNN network's numbers differ
 * from spikecs's, written for the populations and projections this network has.
 */
import { commSynapses } from '@spikecs/systems'
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
  const ltcCond = names((p) => p.lif?.ltc === true && cond(p))
  const eulerCond = names((p) => p.lif !== null && !p.lif.ltc && cond(p) && p.pop.states.length > 0)
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
  const poisson = names((p) => p.cell === 'SpikeSourcePoisson')
  if (poisson) {
    notes.push(
      `Populations ${poisson} (PoissonGroup): SpikeSourcePoisson at the same rate draws its own spikes ` +
        `(pyNN.brian2 as spikecs: in every step each source spikes with probability rate*dt), so this network ` +
        `is statistically equivalent to spikecs's, not spike for spike.`,
    )
  }
  const arrays = names((p) => p.cell === 'SpikeSourceArray')
  if (arrays)
    notes.push(`Populations ${arrays} (SpikeTimeGroup): SpikeSourceArray with spikecs's spike ticks k at times k*dt, the same spikes.`)
  if (mg.length > 0) {
    notes.push(
      `Mg projections ${mg.join(', ')}: spikecs adds each increment, then decays the merged state, so ` +
        `an increment is first felt as w*a with a = exp(-dt/tau); their PyNN weights are w*a (and so are the bounds of plastic ones).`,
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
  const refr = pops.filter((p) => p.lif?.ref === true)
  if (refr.length > 0) {
    const parts = refr.map((p) => `${pyText(p.pop.name)} ${p.refTicks} ticks`)
    notes.push(
      `Refractoriness: spikecs holds V at v_reset for round(tau_ref/dt) ticks after a spike ` +
        `(${parts.join(', ')}) and integrates again in the next; tau_refrac is exported as that many ` +
        `ticks times dt.`,
    )
  }
  const noRef = names((p) => p.lif !== null && !p.lif.ref)
  if (noRef) {
    notes.push(
      `Populations ${noRef} have no refractory period: tau_refrac = 0, which pyNN.brian2 accepts; V integrates ` +
        `again in the step after a spike, as in spikecs.`,
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
  notes.push(...plasticityNotes(projPlans, world.dtMs))
  if (world.dtype === 'float32') {
    notes.push(
      'Precision: spikecs ran float32 state; numbers are written at float32 precision (shortest ' +
        'decimals), the simulators compute in double.',
    )
  }
  notes.push('Recording: spikes of every population; spikecs monitors, probes and checkers are not exported.')
  return notes
}

/** Where a plastic projection's rule, as PyNN's STDPMechanism runs it, differs from spikecs's `STDP_Song2000`. */
function plasticityNotes(projPlans: readonly ProjPlan[], dt: number): string[] {
  const plastic = projPlans.filter((p) => p.stdp !== null)
  if (plastic.length === 0) return []
  const list = plastic.map((p) => pyText(p.proj.name)).join(', ')
  const each = plastic.map((p) => {
    const d = p.stdp!
    return (
      `${pyText(p.proj.name)}: tau_plus ${pyFloat(d.tauPlus)} ms, tau_minus ${pyFloat(d.tauMinus)} ms, ` +
      `A_plus ${pyFloat(d.aPlus)}, A_minus ${pyFloat(d.aMinus)}, w in [${pyFloat(d.wMin)}, ${pyFloat(d.wMax)}]`
    )
  })
  const factors = [...new Set(plastic.map((p) => pyFloat(Number(Math.exp(dt / p.stdp!.tauMinus).toFixed(4)))))].join(', ')
  return [
    `Plasticity ${list} (STDP_Song2000): STDPMechanism(SpikePairRule, AdditiveWeightDependence), the same ` +
      `additive all-pairs rule read through two traces, with tau_plus = tauS, tau_minus = tauT, A_plus = A1/wMax ` +
      `and A_minus = A2/wMax (PyNN's A are relative to w_max), the bounds in the weights' units ` +
      `(${each.join('; ')}). The script prints the final weights' statistics.`,
    `Plasticity, delays: the rule sees a presynaptic spike when it is delivered, after the whole delay, and a ` +
      `postsynaptic spike at once, as in spikecs: dendritic_delay_fraction = 0 (STDP_DDF), the only value ` +
      `pyNN.brian2 accepts. NEST accepts only 1 (the pre spike seen when emitted, the post spike a delay later), ` +
      `so under nest every pair is timed two delays later than here (not run).`,
    `Plasticity, order within a step (pyNN.brian2 runs Brian2's on_pre, then on_post, after the neurons' ` +
      `update; spikecs runs the rule in its delivery slot, before the neurons): an arriving spike is depressed, ` +
      `then delivered with the depressed weight, in both (Brian2's own STDP example delivers first). A post spike ` +
      `d >= 0 after an arrival (the same step included) potentiates by A1*exp(-d/tau_plus) in both. An arrival ` +
      `d > 0 after a post spike is depressed by A2*exp(-(d - dt)/tau_minus) in spikecs, which reads the post ` +
      `trace as the previous tick left it, and by A2*exp(-d/tau_minus) under pyNN.brian2: spikecs depresses every ` +
      `pair exp(dt/tau_minus) = ${factors} times more, which lowers its mean weight (docs/pynn.md). spikecs ` +
      `applies the potentiation of a post spike of tick m in tick m + 1, after that tick's depression; ` +
      `pyNN.brian2 in step m, before it: the weights delivered are the same unless a bound clips one of the two. ` +
      `With Brian2's delivery one step later (Delays), a post spike comes one step later after the inputs that ` +
      `cause it.`,
    `Plasticity under pyNN.neuron (checked by hand on one pair, not in the tests): its weight adjuster keeps the ` +
      `potentiation of a post spike and adds it, with the depression, at the synapse's next presynaptic spike ` +
      `(PyNN turns allow_update_on_post off), so the final weights leave out what is still pending; an arrival ` +
      `in the post spike's step is depressed.`,
  ]
}
