/**
 * Connection export: each projection's checks, its weights in PyNN units and its receptor channel, then its
 * connector — the realised (pre, post[, weight]) lists (`FromListConnector`, on-the-fly rows materialised with
 * `generateRow`) in exact mode, or the PyNN connector that draws a matrix with the same law in statistical
 * mode. One-to-one, all-to-all and dense layers are deterministic and written the same way in both modes.
 */
import { SpikecsError, type CommData, type ProjectionData, type World } from '@spikecs/ecs-core'
import { generateRow } from '@spikecs/systems'
import { lifModel, lifParam, channelFor, setOutputKind } from './model.js'
import { pyBool, pyFloat, pyStr, tidy } from './literals.js'
import type { Arrays, ProjInput, ProjPlan, Receptors, Settings, Synapses, WeightLaw } from './types.js'

function selfOffsetOf(proj: ProjectionData): number {
  const src = proj.source
  return src.kind === 'queue' && src.pop === proj.post ? src.offset : -1
}

/** The synapses of a projection as lists (on-the-fly rows generated, dense matrices' nonzero entries). */
export function materialize(world: World, proj: ProjectionData): Synapses {
  const c = proj.comm
  switch (c.kind) {
    case 'EventCSRLinear': {
      const indptr = c.indptr.array, indices = c.indices.array
      const n = c.nSynapses
      const pre = new Int32Array(n)
      for (let i = 0; i < c.nPre; i++) pre.fill(i, indptr[i], indptr[i + 1])
      const post = Int32Array.from(indices.subarray(0, n))
      const w = c.weights !== null ? Float64Array.from(c.weights.array.subarray(0, n)) : null
      return { pre, post, w, homo: c.weight }
    }
    case 'EventJitFPHomoLinear':
    case 'EventJitFPUniformLinear':
    case 'EventJitFPNormalLinear': {
      const gen = c.gen
      const selfOffset = selfOffsetOf(proj)
      const rowT = new Int32Array(c.nPost)
      const rowW = gen.weight.kind === 'homo' ? null : world.dtype === 'float32' ? new Float32Array(c.nPost) : new Float64Array(c.nPost)
      const keys = new Uint32Array(2)
      let cap = Math.max(16, Math.ceil(c.nPre * c.nPost * gen.prob * 1.05 + 64))
      let pre = new Int32Array(cap), post = new Int32Array(cap)
      let w = rowW === null ? null : new Float64Array(cap)
      let n = 0
      for (let i = 0; i < c.nPre; i++) {
        const m = generateRow(gen, i, selfOffset < 0 ? -1 : i + selfOffset, rowT, rowW, keys)
        if (n + m > cap) {
          cap = Math.max(n + m, Math.ceil(cap * 1.5))
          const grow = <T extends Int32Array | Float64Array>(a: T, make: (k: number) => T): T => {
            const b = make(cap)
            b.set(a.subarray(0, n) as ArrayLike<number>)
            return b
          }
          pre = grow(pre, (k) => new Int32Array(k))
          post = grow(post, (k) => new Int32Array(k))
          if (w !== null) w = grow(w, (k) => new Float64Array(k))
        }
        pre.fill(i, n, n + m)
        post.set(rowT.subarray(0, m), n)
        if (w !== null && rowW !== null) for (let k = 0; k < m; k++) w[n + k] = rowW[k]
        n += m
      }
      return {
        pre: pre.slice(0, n), post: post.slice(0, n), w: w === null ? null : w.slice(0, n),
        homo: gen.weight.kind === 'homo' ? gen.weight.value : NaN,
      }
    }
    case 'One2One': {
      const idx = new Int32Array(c.nPre)
      for (let i = 0; i < c.nPre; i++) idx[i] = i
      return { pre: idx, post: idx.slice(), w: c.weights === null ? null : Float64Array.from(c.weights.array), homo: c.weight }
    }
    case 'Linear': {
      const W = c.W.array
      let n = 0
      for (let k = 0; k < W.length; k++) if (W[k] !== 0) n++
      const pre = new Int32Array(n), post = new Int32Array(n), w = new Float64Array(n)
      let q = 0
      for (let i = 0; i < c.nPre; i++) {
        for (let j = 0; j < c.nPost; j++) {
          const x = W[i * c.nPost + j]
          if (x !== 0) {
            pre[q] = i
            post[q] = j
            w[q++] = x
          }
        }
      }
      return { pre, post, w, homo: NaN }
    }
    case 'All2All':
      throw new Error('all-to-all layers are written as AllToAllConnector, never materialised')
    default:
      // Non-event layers multiply graded inputs; PyNN's static synapses carry spikes only.
      throw new SpikecsError(`projection '${proj.name}'`, 'comm', c.kind, 'has no PyNN equivalent (non-event layer)')
  }
}

/** Sign of a set of weights: +1 all ≥ 0, −1 all ≤ 0 (and some < 0), 0 mixed. */
function signOf(s: Synapses): number {
  if (s.w === null) return s.homo < 0 ? -1 : 1
  let pos = false, neg = false
  for (let k = 0; k < s.w.length; k++) {
    if (s.w[k] > 0) pos = true
    else if (s.w[k] < 0) neg = true
  }
  return pos && neg ? 0 : neg ? -1 : 1
}

/** Weight law of a random layer, for the statistical connector and its sign. */
function weightLaw(c: CommData): WeightLaw | null {
  if (c.kind === 'EventJitFPHomoLinear') return { kind: 'homo', a: (c.gen.weight as { value: number }).value, b: NaN }
  if (c.kind === 'EventJitFPUniformLinear' || c.kind === 'EventJitFPNormalLinear') {
    const w = c.gen.weight
    return w.kind === 'uniform' ? { kind: 'uniform', a: w.low, b: w.high } : w.kind === 'normal' ? { kind: 'normal', a: w.mean, b: w.std } : null
  }
  if (c.kind === 'EventCSRLinear' && c.drawn) {
    const w = c.drawn.weight
    if (w === null) return { kind: 'homo', a: c.weight, b: NaN }
    return w.kind === 'uniform' ? { kind: 'uniform', a: w.low, b: w.high } : { kind: 'normal', a: w.mean, b: w.std }
  }
  return null
}

/** A layer drawn from a random law (on the fly, or a CSR matrix that remembers how it was drawn). */
function isRandom(c: CommData): boolean {
  return c.kind === 'EventJitFPHomoLinear' || c.kind === 'EventJitFPUniformLinear' ||
    c.kind === 'EventJitFPNormalLinear' || (c.kind === 'EventCSRLinear' && c.drawn != null)
}

/**
 * The weights of a projection as the export needs them — materialised when the lists are written (and to read
 * their sign), else the layer's law — and their one sign (PyNN wants one per projection).
 */
function weightsOf(s: Settings, proj: ProjectionData): { syn: Synapses | null; law: WeightLaw | null; sign: number } {
  const obj = `projection '${proj.name}'`
  const c = proj.comm
  const law = weightLaw(c)
  if (c.kind === 'All2All' || (c.kind === 'One2One' && c.weights === null)) return { syn: null, law, sign: c.weight < 0 ? -1 : 1 }
  if (s.mode === 'statistical' && isRandom(c) && law !== null) {
    const sign = law.kind === 'homo' ? (law.a < 0 ? -1 : 1)
      : law.kind === 'uniform' ? (law.a >= 0 ? 1 : law.b <= 0 ? -1 : 0)
        : law.b === 0 ? (law.a < 0 ? -1 : 1) : 0
    if (sign === 0) {
      throw new SpikecsError(obj, 'weight', law.kind === 'uniform' ? `uniform(${law.a}, ${law.b})` : `normal(${law.a}, ${law.b})`,
        'takes both signs, and PyNN needs one sign per projection (positive conductances, negative inhibitory currents): use exact connectivity if the realised weights have one sign')
    }
    return { syn: null, law, sign }
  }
  const syn = materialize(s.world, proj)
  const sign = signOf(syn)
  if (sign === 0) {
    throw new SpikecsError(obj, 'weight', 'both signs',
      'must have one sign per projection: PyNN wants positive conductances and negative inhibitory currents')
  }
  return { syn, law, sign }
}

/**
 * Checks one projection (spikes from a population, Expon synapses, COBA or CUBA output into a LIF population,
 * one weight sign, positive conductances) and files its synapse state under a receptor channel of the post.
 */
export function checkProjection(s: Settings, receptors: Receptors, proj: ProjectionData): ProjInput {
  const obj = `projection '${proj.name}'`
  if (proj.source.kind !== 'queue') {
    throw new SpikecsError(obj, 'source', 'spike buffer',
      'has no PyNN equivalent: its spikes come from a user system (export networks whose projections read populations)')
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
  const { syn, law, sign } = weightsOf(s, proj)
  if (out.kind === 'COBA' && sign < 0) {
    // the most negative weight
    const value = syn === null ? law?.a ?? (proj.comm as { weight?: number }).weight
      : syn.w === null ? syn.homo : syn.w.reduce((m, x) => Math.min(m, x), Infinity)
    throw new SpikecsError(obj, 'weight', value, 'must be >= 0: PyNN conductances are positive (an inhibitory synapse is a positive conductance with a low reversal potential)')
  }
  const channel = channelFor(receptors, post, st.params.tau, out.kind === 'COBA' ? out.params.E : NaN, out.kind === 'CUBA' ? sign : 0)
  return { proj, channel, scale, syn, law }
}

/** The connector, weight and delay of one checked projection; exact lists go to `arrays` as `proj<k>.*`. */
export function planConnector(s: Settings, input: ProjInput, k: number, arrays: Arrays): ProjPlan {
  const { proj, channel, scale, syn, law } = input
  const src = proj.source as Extract<ProjectionData['source'], { kind: 'queue' }>
  const preKey = pyStr(src.pop.name)
  const preExpr = src.offset === 0 && src.count === src.pop.size
    ? `pops[${preKey}]` : `pops[${preKey}][${src.offset}:${src.offset + src.count}]`
  const c = proj.comm
  const key = `proj${k}`
  const selfPossible = selfOffsetOf(proj) >= 0
  const delayMs = tidy(src.latency * s.world.dtMs)
  const wOf = (x: number) => tidy((s.show(x) * scale) / s.Rp)
  let connector: string
  let weight: string | null
  let n: number
  let exactCount = true
  if (c.kind === 'All2All') {
    connector = `sim.AllToAllConnector(allow_self_connections=${pyBool(c.includeSelf)})`
    weight = pyFloat(wOf(c.weight))
    n = c.nPre * c.nPost - (c.includeSelf || !selfPossible ? 0 : c.nPre)
  } else if (c.kind === 'One2One' && c.weights === null) {
    connector = 'sim.OneToOneConnector()'
    weight = pyFloat(wOf(c.weight))
    n = c.nPre
  } else if (syn === null) {
    // statistical: a random layer with a known law
    const l = law!
    const prob = c.kind === 'EventCSRLinear' ? c.drawn!.prob : (c as Extract<CommData, { gen: unknown }>).gen.prob
    const includeSelf = c.kind === 'EventCSRLinear' ? c.drawn!.includeSelf : (c as Extract<CommData, { gen: unknown }>).gen.includeSelf
    exactCount = false
    if (c.kind === 'EventCSRLinear' && c.drawn!.fixedOutDegree) {
      const deg = Math.floor(c.nPost * prob)
      if (!includeSelf && selfPossible) {
        throw new SpikecsError(`projection '${proj.name}' comm EventCSRLinear FixedProb`, 'includeSelf', false,
          'with fixedOutDegree drops the self pair after drawing (rows of k or k − 1 targets), which no PyNN connector draws: use exact connectivity')
      }
      connector = `sim.FixedNumberPostConnector(${deg}, allow_self_connections=${pyBool(includeSelf)}, with_replacement=False, rng=rng)`
      n = c.nPre * deg
    } else {
      connector = `sim.FixedProbabilityConnector(${pyFloat(tidy(prob))}, allow_self_connections=${pyBool(includeSelf)}, rng=rng)`
      n = c.nPre * c.nPost * prob - (includeSelf || !selfPossible ? 0 : c.nPre * prob)
    }
    weight = l.kind === 'homo' ? pyFloat(wOf(l.a))
      : l.kind === 'uniform'
        ? `sim.RandomDistribution("uniform", low=${pyFloat(tidy((l.a * scale) / s.Rp))}, high=${pyFloat(tidy((l.b * scale) / s.Rp))}, rng=rng)`
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
  return { proj, preExpr, receptor: channel.receptor, connector, weight, delayMs, synapses: n, exactCount }
}
