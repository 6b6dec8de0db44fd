// Kernels generated from the model records against the hand-written kernels they replaced
// (test/support/legacy-kernels.ts): every neuron model variant, synapse kind (Mg and not) and output kind, in both
// dtypes, driven by the same pseudo-random inputs, must give the same state and spikes bit for bit. Then the
// fused kernel of every model (new for all but LIF) against the unfused systems, bit for bit, in whole worlds.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type Dtype, type PopulationData, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  step,
  neuronModels,
  planOf,
  describePlan,
  FullProjAlignPost,
  FullProjAlignPostMg,
  EventCSRLinear,
  FixedProb,
  Expon,
  DualExponV2,
  Alpha,
  DualExpon,
  COBA,
  CUBA,
  MgBlock,
  PoissonGroup,
  type NeuronInputs,
  type SynapseDesc,
  type OutputDesc,
} from '@spikecs/systems'
import { legacyAdvance, legacyHH, legacyLif, legacyNonlinearIF, legacyOutput, type Inputs } from '../../support/legacy-kernels.js'

const dt = 0.1

/** xorshift32 in [0, 1): a fixed stream, so every run drives the kernels identically. */
function stream(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 2 ** 32
  }
}

interface Family {
  legacy: (pop: PopulationData, inp: Inputs, tick: number) => void
  v0: [number, number]
  gMax: number
  E: [number, number]
  iMax: number
  given: Record<string, number>
}

function familyOf(kind: string): Family {
  const ltc = kind.endsWith('LTC')
  const ref = kind.includes('Ref')
  const given: Record<string, number> = ref ? { tauRef: 1.5 } : {}
  if (kind.startsWith('Lif')) {
    return { legacy: (p, i, t) => legacyLif(p, i, t, ltc, dt), v0: [0, 20], gMax: 0.4, E: [60, -20], iMax: 60, given }
  }
  if (kind.startsWith('HH')) {
    return { legacy: (p, i) => legacyHH(p, i, ltc, dt), v0: [-75, -50], gMax: 40, E: [0, -80], iMax: 400, given: {} }
  }
  if (kind.startsWith('Gif')) return { legacy: () => {}, v0: [-70, -60], gMax: 0.02, E: [0, -80], iMax: 2, given }
  if (kind.startsWith('IF')) return { legacy: () => {}, v0: [0, 10], gMax: 0.4, E: [60, -20], iMax: 40, given }
  const family = ['AdExIF', 'ExpIF', 'AdQuaIF', 'QuaIF', 'Izhikevich'].find((f) => kind.startsWith(f)) as string
  const iz = family === 'Izhikevich'
  return {
    legacy: (p, i, t) => legacyNonlinearIF(p, i, t, family, ltc, dt),
    v0: iz ? [-75, -55] : [-70, -50],
    gMax: iz ? 0.2 : 0.3,
    E: [0, -80],
    iMax: iz ? 20 : 30,
    given,
  }
}

const LEGACY_KINDS = [
  'Lif',
  'LifRef',
  'LifLTC',
  'LifRefLTC',
  'HH',
  'HHLTC',
  ...['ExpIF', 'AdExIF', 'QuaIF', 'Izhikevich'].flatMap((f) => [f, `${f}Ref`, `${f}LTC`, `${f}RefLTC`]),
]

function inputs(n: number): NeuronInputs {
  return { G: new Float64Array(n), GE: new Float64Array(n), I: new Float64Array(n), iArr: new Float64Array(n), hasArr: true, iScalar: 0 }
}

for (const dtype of ['float32', 'float64'] as Dtype[]) {
  test(`every neuron model's generated kernel equals its former hand-written kernel bit for bit (${dtype}, 400 ticks)`, () => {
    const n = 37 // not a multiple of 4
    for (const kind of LEGACY_KINDS) {
      const fam = familyOf(kind)
      const world = createWorld({ dtMs: dt, dtype, seed: 3 })
      const r0 = stream(11)
      const v0 = Array.from({ length: n }, () => fam.v0[0] + (fam.v0[1] - fam.v0[0]) * r0())
      const a = addPopulation(world, 'a', { model: kind, size: n, given: { ...fam.given, v0 } })
      const b = addPopulation(world, 'b', { model: kind, size: n, given: { ...fam.given, v0 } })
      const ia = inputs(n),
        ib = inputs(n)
      const r = stream(29)
      let spikes = 0
      for (let tick = 0; tick < 400; tick++) {
        const iS = fam.iMax * r() * 0.5
        ia.iScalar = iS
        ib.iScalar = iS
        for (let i = 0; i < n; i++) {
          const g = r() < 0.3 ? fam.gMax * r() : 0
          const E = r() < 0.7 ? fam.E[0] : fam.E[1]
          const ic = r() < 0.2 ? fam.iMax * (r() - 0.3) : 0
          const x = fam.iMax * 0.5 * r()
          ia.G[i] = ib.G[i] = g
          ia.GE[i] = ib.GE[i] = g * E
          ia.I[i] = ib.I[i] = ic
          ia.iArr[i] = ib.iArr[i] = x
        }
        neuronModels[kind].update(a, ia, tick)
        fam.legacy(b, ib, tick)
        assert.equal(
          Array.from(a.spikes.array.subarray(0, a.nSpikes)),
          Array.from(b.spikes.array.subarray(0, b.nSpikes)),
          `${kind} spikes in tick ${tick}`,
        )
        spikes += a.nSpikes
        for (const v of Object.keys(a.state)) {
          const x = a.state[v].array,
            y = b.state[v].array
          for (let i = 0; i < n; i++) {
            if (!Object.is(x[i], y[i])) assert.unreachable(`${kind} ${v}[${i}] in tick ${tick}: ${x[i]} vs ${y[i]}`)
          }
        }
        for (const s of [ia, ib]) for (let i = 0; i < n; i++) assert.ok(s.G[i] === 0 && s.GE[i] === 0 && s.I[i] === 0, 'sums zeroed')
      }
      assert.ok(spikes > 0, `${kind} spiked (${spikes})`)
    }
  })
}

const SYNAPSES: [string, () => SynapseDesc][] = [
  ['Expon', () => Expon({ tau: 5 })],
  ['DualExponV2', () => DualExponV2({ tauDecay: 8, tauRise: 2 })],
  ['Alpha', () => Alpha({ tauDecay: 4 })],
  ['DualExpon', () => DualExpon({ tauDecay: 9, tauRise: 1.5 })],
]
const OUTPUTS: [string, () => OutputDesc][] = [
  ['COBA', () => COBA({ E: -10 })],
  ['CUBA', () => CUBA()],
  ['MgBlock', () => MgBlock({ E: 0 })],
]

/** A world with one post population fed by every synapse kind × output kind × Mg order, from a Poisson source. */
function synapseWorld(dtype: Dtype, fuse: boolean, model = 'LifRef'): World {
  const world = createWorld({ dtMs: dt, dtype, seed: 5, fuse, kernel: 'js' })
  const src = addPopulation(world, 'src', PoissonGroup({ size: 40, rateHz: 80 }))
  const fam = familyOf(model)
  const post = addPopulation(world, 'post', { model, size: 23, given: { ...fam.given, v0: fam.v0[0] } })
  addInput(world, post, fam.iMax * 0.4)
  let k = 0
  for (const [sk, syn] of SYNAPSES) {
    for (const [ok, out] of OUTPUTS) {
      for (const mg of [false, true]) {
        const w = (ok === 'CUBA' ? fam.iMax * 0.3 : fam.gMax * 0.5) * (k % 3 === 2 ? -0.5 : 1)
        const make = mg ? FullProjAlignPostMg : FullProjAlignPost
        addProjection(
          world,
          `${sk}-${ok}-${mg ? 'mg' : 'n'}`,
          make({
            pre: src,
            post,
            delay: 0.1 * (1 + (k % 3)),
            comm: EventCSRLinear({ conn: FixedProb({ prob: 0.3 }), weight: w }),
            syn: syn(),
            out: out(),
          }),
        )
        k++
      }
    }
  }
  return world
}

for (const dtype of ['float32', 'float64'] as Dtype[]) {
  test(`generated synapse advances and outputs equal the former hand-written ones bit for bit (${dtype})`, () => {
    const world = synapseWorld(dtype, false)
    const plan = planOf(world)
    const post = world.components.Population.list[1]
    assert.is(plan.states.length, SYNAPSES.length * OUTPUTS.length * 2)
    for (let tick = 0; tick < 300; tick++) {
      step(world)
      // After a tick, replay slots 3–4 of the next tick on copies: the legacy advance on a copy of each state
      // against the generated one, and the legacy outputs against the generated ones.
      for (const t of plan.states) {
        const s = t.state
        const copy = {
          ...s,
          cols: Object.fromEntries(Object.entries(s.cols).map(([k, c]) => [k, { ...c, array: c.array.slice() }])),
          cond: { ...s.cond, array: s.cond.array.slice() },
        }
        if (s.cond.array === s.cols.g?.array) copy.cond = copy.cols.g
        const before = Object.fromEntries(Object.entries(s.cols).map(([k, c]) => [k, c.array.slice()]))
        legacyAdvance(copy as typeof s)
        t.advance(s, 0, t.n)
        for (const k of Object.keys(s.cols)) {
          for (let i = 0; i < t.n; i++)
            if (!Object.is(s.cols[k].array[i], copy.cols[k].array[i])) assert.unreachable(`${s.kind} ${k}[${i}] tick ${tick}`)
        }
        for (let i = 0; i < t.n; i++)
          if (!Object.is(s.cond.array[i], copy.cond.array[i])) assert.unreachable(`${s.kind} cond[${i}] tick ${tick}`)
        // Undo, so the world continues unchanged.
        for (const k of Object.keys(s.cols)) s.cols[k].array.set(before[k])
      }
      for (const t of plan.outputs) {
        const a = inputs(t.n),
          b = inputs(t.n)
        t.apply(t.output, a, t.V, 0, t.n)
        legacyOutput(t.output.kind, t.output.params, t.output.state.cond.array, b, post.state.V.array)
        for (const k of ['G', 'GE', 'I'] as const)
          for (let i = 0; i < t.n; i++) assert.ok(Object.is(a[k][i], b[k][i]), `${t.output.kind} ${k}[${i}]`)
      }
    }
  })
}

for (const model of [
  'LifRef',
  'LifRefLTC',
  'AdExIFRefLTC',
  'QuaIF',
  'IzhikevichRef',
  'ExpIFLTC',
  'HH',
  'HHLTC',
  'IF',
  'IFLTC',
  'AdQuaIFRef',
  'AdQuaIFLTC',
  'GifRef',
  'GifLTC',
]) {
  test(`fused kernel of ${model} with every synapse × output × Mg order equals the unfused systems bit for bit`, () => {
    for (const dtype of ['float32', 'float64'] as Dtype[]) {
      const a = synapseWorld(dtype, true, model),
        b = synapseWorld(dtype, false, model)
      assert.is(describePlan(a)[1].kernel, 'fused')
      assert.is(describePlan(b)[1].kernel, 'unfused')
      let spikes = 0
      for (let tick = 0; tick < 300; tick++) {
        step(a)
        step(b)
        const pa = a.components.Population.list[1],
          pb = b.components.Population.list[1]
        spikes += pa.nSpikes
        assert.equal(Array.from(pa.spikes.array.subarray(0, pa.nSpikes)), Array.from(pb.spikes.array.subarray(0, pb.nSpikes)))
        for (const v of Object.keys(pa.state)) {
          for (let i = 0; i < pa.size; i++)
            if (!Object.is(pa.state[v].array[i], pb.state[v].array[i])) assert.unreachable(`${v}[${i}] tick ${tick}`)
        }
      }
      const sa = a.components.SynapseState.list,
        sb = b.components.SynapseState.list
      sa.forEach((s, k) => {
        for (const c of Object.keys(s.cols)) assert.equal(Array.from(s.cols[c].array), Array.from(sb[k].cols[c].array), `${s.kind} ${c}`)
      })
      if (!model.startsWith('IF')) assert.ok(spikes > 0, `${model} ${dtype} spiked`)
    }
  })
}

test.run()
