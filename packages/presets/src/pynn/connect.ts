/**
 * Connection export: each projection's checks, its weights in PyNN units and its receptor channel, then its
 * connector — the realised (pre, post[, weight]) lists (`FromListConnector`, on-the-fly rows materialised with
 * `generateRow`) in exact mode, or the PyNN connector that draws a matrix with the same law in statistical
 * mode. One-to-one, all-to-all and dense layers are deterministic and written the same way in both modes.
 * What a layer is — all-to-all, one-to-one, lists with or without a random law, or not exportable — is its
 * record's `describe`; this module only turns that into PyNN.
 */
import { SpikecsError, getComponent, type ProjectionData } from '@spikecs/ecs-core'
import { Plasticity, commLayerOf, commSelfOffset, type CommExport, type SynapseList } from '@spikecs/systems'
import { lifModel, lifParam, channelFor, setOutputKind } from './model.js'
import { pyBool, pyFloat, pyStr, tidy } from './literals.js'
import type { Arrays, ProjInput, ProjPlan, Receptors, Settings, StdpPlan, WeightLaw } from './types.js'

/** Sign of a set of weights: +1 all ≥ 0, −1 all ≤ 0 (and some < 0), 0 mixed. */
function signOf(s: SynapseList): number {
  if (s.w === null) return s.homo < 0 ? -1 : 1
  let pos = false,
    neg = false
  for (let k = 0; k < s.w.length; k++) {
    if (s.w[k] > 0) pos = true
    else if (s.w[k] < 0) neg = true
  }
  return pos && neg ? 0 : neg ? -1 : 1
}

/** Weight law of a random layer, for the statistical connector and its sign. */
function weightLaw(d: CommExport): WeightLaw | null {
  if (d.kind !== 'lists' || d.law === null) return null
  const w = d.law.weight
  return w.kind === 'homo'
    ? { kind: 'homo', a: w.value, b: NaN }
    : w.kind === 'uniform'
      ? { kind: 'uniform', a: w.low, b: w.high }
      : { kind: 'normal', a: w.mean, b: w.std }
}

/**
 * The weights of a projection as the export needs them — materialised when the lists are written (and to read
 * their sign), else the layer's law — and their one sign (PyNN wants one per projection).
 */
function weightsOf(s: Settings, proj: ProjectionData, d: CommExport): { syn: SynapseList | null; law: WeightLaw | null; sign: number } {
  const obj = `projection '${proj.name}'`
  const law = weightLaw(d)
  if (d.kind === 'allToAll' || d.kind === 'oneToOne') return { syn: null, law, sign: d.weight < 0 ? -1 : 1 }
  // Non-event layers multiply graded inputs; PyNN's static synapses carry spikes only.
  if (d.kind === 'none') throw new SpikecsError(obj, 'comm', proj.comm.kind, d.reason)
  if (s.mode === 'statistical' && law !== null) {
    const sign =
      law.kind === 'homo'
        ? law.a < 0
          ? -1
          : 1
        : law.kind === 'uniform'
          ? law.a >= 0
            ? 1
            : law.b <= 0
              ? -1
              : 0
          : law.b === 0
            ? law.a < 0
              ? -1
              : 1
            : 0
    if (sign === 0) {
      throw new SpikecsError(
        obj,
        'weight',
        law.kind === 'uniform' ? `uniform(${law.a}, ${law.b})` : `normal(${law.a}, ${law.b})`,
        'takes both signs, and PyNN needs one sign per projection (positive conductances, negative ' +
          'inhibitory currents): use exact connectivity if the realised weights have one sign',
      )
    }
    return { syn: null, law, sign }
  }
  const syn = d.synapses()
  const sign = signOf(syn)
  if (sign === 0) {
    throw new SpikecsError(
      obj,
      'weight',
      'both signs',
      'must have one sign per projection: PyNN wants positive conductances and negative inhibitory currents',
    )
  }
  return { syn, law, sign }
}

/**
 * Checks one projection (spikes from a population, Expon synapses, COBA or CUBA output into a LIF population,
 * one weight sign, positive conductances; a plastic one, bounds PyNN can hold) and files its synapse state
 * under a receptor channel of the post.
 */
export function checkProjection(s: Settings, receptors: Receptors, proj: ProjectionData): ProjInput {
  const obj = `projection '${proj.name}'`
  if (proj.source.kind !== 'queue') {
    throw new SpikecsError(
      obj,
      'source',
      'spike buffer',
      'has no PyNN equivalent: its spikes come from a user system (export networks whose projections read populations)',
    )
  }
  const st = proj.state
  if (st.kind !== 'Expon') {
    throw new SpikecsError(obj, 'syn', st.kind, 'has no PyNN equivalent in IF_cond_exp/IF_curr_exp (only Expon synapses are exported)')
  }
  const out = proj.output
  if (out.kind !== 'COBA' && out.kind !== 'CUBA') {
    throw new SpikecsError(obj, 'out', out.kind, 'has no PyNN equivalent (only COBA and CUBA outputs are exported)')
  }
  const post = proj.post
  lifModel(post)
  setOutputKind(receptors, post, out.kind)
  // weight in PyNN units = w·R·(a for Mg) / R_p (the division last, so w/R_p is exactly what one writes by hand)
  const scale = lifParam(post, 'R') * (st.merged ? st.derived[0] : 1)
  const desc = commLayerOf(proj.comm).describe(s.world, proj.comm, commSelfOffset(proj))
  const { syn, law, sign } = weightsOf(s, proj, desc)
  if (out.kind === 'COBA' && sign < 0) {
    // the most negative weight
    const value =
      syn === null
        ? (law?.a ?? (desc as { weight?: number }).weight)
        : syn.w === null
          ? syn.homo
          : syn.w.reduce((m, x) => Math.min(m, x), Infinity)
    throw new SpikecsError(
      obj,
      'weight',
      value,
      'must be >= 0: PyNN conductances are positive (an inhibitory synapse is a positive conductance with a low reversal potential)',
    )
  }
  const channel = channelFor(receptors, post, st.params.tau, out.kind === 'COBA' ? out.params.E : NaN, out.kind === 'CUBA' ? sign : 0)
  const stdp = proj.kind === 'STDP_Song2000' ? stdpPlan(s, proj, scale) : null
  return { proj, channel, scale, syn, law, desc, stdp }
}

/**
 * `STDP_Song2000` as PyNN's `STDPMechanism(SpikePairRule, AdditiveWeightDependence)`: the same additive
 * all-pairs rule read through two traces, with tau_plus = tauS, tau_minus = tauT, A_plus = A1/wMax and
 * A_minus = A2/wMax (PyNN's A± are relative to w_max), and the bounds in PyNN weight units (w·scale/R_p, as
 * the weights). PyNN needs both bounds, and one weight sign per projection, so the bounds must be finite with
 * 0 ≤ wMin ≤ wMax, wMax > 0. Where the order within a step differs from spikecs's is in the header's notes.
 */
function stdpPlan(s: Settings, proj: ProjectionData, scale: number): StdpPlan {
  const obj = `projection '${proj.name}'`
  const d = getComponent(s.world, proj.eid, Plasticity)!
  const { tauS, tauT, A1, A2, wMin, wMax } = d.params
  if (!Number.isFinite(wMax) || !(wMax > 0)) {
    throw new SpikecsError(
      obj,
      'wMax',
      wMax,
      "must be finite and > 0: PyNN's AdditiveWeightDependence needs an upper bound w_max, and its A_plus and " +
        'A_minus are relative to it',
    )
  }
  if (!Number.isFinite(wMin) || wMin < 0) {
    throw new SpikecsError(
      obj,
      'wMin',
      wMin,
      "must be finite and >= 0: PyNN's AdditiveWeightDependence needs a lower bound w_min, and PyNN keeps one " +
        'weight sign per projection (positive conductances, excitatory currents >= 0)',
    )
  }
  const w = (x: number) => tidy((s.show(x) * scale) / s.Rp)
  return { tauPlus: tauS, tauMinus: tauT, aPlus: tidy(A1 / wMax), aMinus: tidy(A2 / wMax), wMin: w(d.wMin), wMax: w(d.wMax) }
}

/** The connector, weight and delay of one checked projection; exact lists go to `arrays` as `proj<k>.*`. */
export function planConnector(s: Settings, input: ProjInput, k: number, arrays: Arrays): ProjPlan {
  const { proj, channel, scale, syn, law, desc } = input
  const src = proj.source as Extract<ProjectionData['source'], { kind: 'queue' }>
  const preKey = pyStr(src.pop.name)
  const preExpr =
    src.offset === 0 && src.count === src.pop.size ? `pops[${preKey}]` : `pops[${preKey}][${src.offset}:${src.offset + src.count}]`
  const c = proj.comm
  const key = `proj${k}`
  const selfPossible = commSelfOffset(proj) >= 0
  const delayMs = tidy(src.latency * s.world.dtMs)
  const wOf = (x: number) => tidy((s.show(x) * scale) / s.Rp)
  let connector: string
  let weight: string | null
  let n: number
  let exactCount = true
  if (desc.kind === 'allToAll') {
    connector = `sim.AllToAllConnector(allow_self_connections=${pyBool(desc.includeSelf)})`
    weight = pyFloat(wOf(desc.weight))
    n = c.nPre * c.nPost - (desc.includeSelf || !selfPossible ? 0 : c.nPre)
  } else if (desc.kind === 'oneToOne') {
    connector = 'sim.OneToOneConnector()'
    weight = pyFloat(wOf(desc.weight))
    n = c.nPre
  } else if (syn === null) {
    // statistical: a random layer with a known law
    const l = law!
    const drawn = (desc as Extract<CommExport, { kind: 'lists' }>).law!
    const { prob, includeSelf } = drawn
    exactCount = false
    if (drawn.fixedOutDegree) {
      const deg = Math.floor(c.nPost * prob)
      if (!includeSelf && selfPossible) {
        throw new SpikecsError(
          `projection '${proj.name}' comm ${c.kind} FixedProb`,
          'includeSelf',
          false,
          'with fixedOutDegree drops the self pair after drawing (rows of k or k − 1 targets), which no ' +
            'PyNN connector draws: use exact connectivity',
        )
      }
      connector = `sim.FixedNumberPostConnector(${deg}, allow_self_connections=${pyBool(includeSelf)}, with_replacement=False, rng=rng)`
      n = c.nPre * deg
    } else {
      connector = `sim.FixedProbabilityConnector(${pyFloat(tidy(prob))}, allow_self_connections=${pyBool(includeSelf)}, rng=rng)`
      n = c.nPre * c.nPost * prob - (includeSelf || !selfPossible ? 0 : c.nPre * prob)
    }
    weight =
      l.kind === 'homo'
        ? pyFloat(wOf(l.a))
        : l.kind === 'uniform'
          ? `sim.RandomDistribution("uniform", low=${pyFloat(tidy((l.a * scale) / s.Rp))}, ` +
            `high=${pyFloat(tidy((l.b * scale) / s.Rp))}, rng=rng)`
          : pyFloat(tidy((l.a * scale) / s.Rp)) // normal with sigma 0 (both-sign laws were refused)
  } else {
    n = syn.pre.length
    arrays.push([`${key}.pre`, syn.pre], [`${key}.post`, syn.post])
    if (syn.w !== null) {
      const w = new Float64Array(syn.w.length)
      for (let q = 0; q < w.length; q++) w[q] = (syn.w[q] * scale) / s.Rp
      arrays.push([`${key}.weight`, w])
      connector = `sim.FromListConnector(connections(${pyStr(key)}, weights=True), column_names=("weight",))`
      weight = null
    } else {
      connector = `sim.FromListConnector(connections(${pyStr(key)}))`
      weight = pyFloat(wOf(syn.homo))
    }
  }
  return { proj, preExpr, receptor: channel.receptor, connector, weight, delayMs, synapses: n, exactCount, stdp: input.stdp }
}
