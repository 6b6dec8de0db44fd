// Random small networks for the property tests (fuzz.test.ts): plain descriptions drawn by fast-check, and
// the builder that turns one into a world through the public API. Values are drawn mostly from the valid
// range, with edge values (tiny and huge time constants, zero probabilities, delays that are not whole
// ticks, equal rise and decay times…) and, less often, invalid ones (NaN, ±Infinity, negative sizes), so that
// both the accepting and the refusing paths are exercised.
import fc from 'fast-check'
import {
  SpikecsError,
  createWorld,
  restore,
  snapshot,
  streamFor,
  type Dtype,
  type PopulationData,
  type SpikeBufferData,
  type World,
} from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addSpikeBuffer,
  addChecker,
  pushSpike,
  insertSystem,
  CommSystem,
  Lif,
  LifRef,
  LifLTC,
  LifRefLTC,
  normal,
  uniform,
  fromQueue,
  EventJitFPHomoLinear,
  EventJitFPUniformLinear,
  EventJitFPNormalLinear,
  EventCSRLinear,
  FixedProb,
  FromList,
  One2One,
  All2All,
  Linear,
  Expon,
  DualExponV2,
  NMDA,
  COBA,
  CUBA,
  MgBlock,
  FullProjAlignPost,
  FullProjAlignPostMg,
  HalfProjAlignPost,
  HalfProjAlignPostMg,
  step,
  type CommDesc,
  type InputSpec,
} from '@spikecs/systems'
import { assertSameBytes } from './compare.js'

/** Mostly `valid`, sometimes one of `invalid` (weights 40 : 1: a network has some thirty fields). */
const mostly = <T>(valid: fc.Arbitrary<T>, ...invalid: unknown[]): fc.Arbitrary<T> =>
  fc.oneof({ weight: 40, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...(invalid as T[])) })

/** Invalid numbers, and values of the wrong type a JavaScript caller can pass. */
const bad: unknown[] = [NaN, Infinity, -Infinity, null, '1', {}, [2]]
const num = (min: number, max: number, ...edges: number[]) =>
  fc.oneof(fc.double({ min, max, noNaN: true }), fc.constantFrom(min, max, ...edges))

const timeConstant = mostly(num(1e-3, 1e4, 0.05, 0.1, 1, 10, 1e6), 0, -1, ...bad)

const neuron = fc.record({
  model: fc.constantFrom('Lif', 'LifRef', 'LifLTC', 'LifRefLTC'),
  size: mostly(fc.integer({ min: 1, max: 50 }), 0, -3, 2.5, '5', null),
  vRest: fc.option(mostly(num(-80, 0, -60), ...bad), { nil: undefined }),
  /** vReset as a distance below vTh (negative: above it, refused). */
  resetBelow: fc.option(mostly(num(1e-6, 40, 10), -1, 0, ...bad), { nil: undefined }),
  vTh: fc.option(mostly(num(-60, 30, -50, 20), ...bad), { nil: undefined }),
  R: fc.option(mostly(num(1e-3, 1e3, 1), 0, -1, ...bad), { nil: undefined }),
  tau: fc.option(timeConstant, { nil: undefined }),
  tauRef: fc.option(mostly(fc.constantFrom(0, 0.1, 0.15, 2, 5, 1e3), -1, ...bad), { nil: undefined }),
  v0: fc.option(
    fc.oneof(
      mostly(num(-80, 30, -60), ...bad),
      fc.record({ kind: fc.constant('normal' as const), mean: num(-70, -40), std: mostly(num(0, 10), -1) }),
      fc.record({ kind: fc.constant('uniform' as const), low: num(-70, -50), width: mostly(num(0, 20), -1) }),
    ),
    { nil: undefined },
  ),
})
export type NeuronSpec = typeof neuron extends fc.Arbitrary<infer T> ? T : never

const weight = mostly(num(-5, 10, 0, 1e-30, 0.6, 6.7), ...bad)
const prob = mostly(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1e-3, 0.02, 0.5, 1)), 1.5, -0.1, NaN)

const comm = fc.oneof(
  fc.record({ kind: fc.constant('jitHomo' as const), prob, w: weight, includeSelf: fc.boolean() }),
  fc.record({ kind: fc.constant('jitUniform' as const), prob, lo: weight, hi: weight }),
  fc.record({ kind: fc.constant('jitNormal' as const), prob, mu: weight, sigma: mostly(num(0, 3), -1) }),
  fc.record({ kind: fc.constant('csrProb' as const), prob, w: weight, includeSelf: fc.boolean(), fixedOutDegree: fc.boolean() }),
  fc.record({
    kind: fc.constant('fromList' as const),
    pairs: fc.array(fc.tuple(fc.nat(49), fc.nat(49), weight), { maxLength: 60 }),
    outOfRange: mostly(fc.constant(false), true),
    perSynapse: fc.boolean(),
    w: weight,
  }),
  fc.record({ kind: fc.constant('one2one' as const), w: weight, perNeuron: fc.boolean() }),
  fc.record({ kind: fc.constant('all2all' as const), w: weight, includeSelf: fc.boolean() }),
  fc.record({ kind: fc.constant('linear' as const), seed: fc.integer({ min: 0, max: 1000 }), scale: num(-2, 2) }),
)

const projection = fc.record({
  kind: fc.constantFrom('FullProjAlignPostMg', 'FullProjAlignPost', 'HalfProjAlignPostMg', 'HalfProjAlignPost'),
  pre: fc.nat(3),
  post: fc.nat(3),
  delay: fc.option(mostly(fc.constantFrom(0, 0.1, 0.3, 1.5, 5, 0.15), -1, NaN), { nil: undefined }),
  roundDelay: fc.boolean(),
  /** Half projections: a queue slice (start, end as fractions of the size, latency) or a spike buffer. */
  source: fc.oneof(
    fc.record({
      kind: fc.constant('slice' as const),
      a: fc.double({ min: 0, max: 1, noNaN: true }),
      b: fc.double({ min: 0, max: 1, noNaN: true }),
      latency: mostly(fc.integer({ min: 1, max: 20 }), 0),
    }),
    fc.record({ kind: fc.constant('buffer' as const), rate: fc.constantFrom(0, 0.01, 0.2, 1) }),
  ),
  comm,
  syn: fc.oneof(
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('Expon' as const), tau: timeConstant }) },
    {
      weight: 10,
      arbitrary: fc.record({
        kind: fc.constant('DualExponV2' as const),
        tauDecay: timeConstant,
        tauRise: fc.oneof({ weight: 40, arbitrary: timeConstant }, { weight: 1, arbitrary: fc.constant('same' as const) }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'NMDA' as const }) },
  ),
  out: fc.oneof(
    fc.record({ kind: fc.constant('COBA' as const), E: mostly(num(-90, 10, 0, -80), ...bad) }),
    fc.constant({ kind: 'CUBA' as const }),
    fc.record({
      kind: fc.constant('MgBlock' as const),
      E: num(-10, 10, 0),
      ccMg: mostly(num(0, 2, 1.2), -1),
      alpha: num(-0.2, 0.2, 0.062),
      beta: mostly(num(0.1, 10, 3.57), 0),
    }),
  ),
  outLabel: fc.constantFrom(null, 'a'),
})
export type ProjectionSpec = typeof projection extends fc.Arbitrary<infer T> ? T : never

const input = fc.record({
  pop: fc.nat(3),
  kind: fc.constantFrom('constant', 'perNeuron', 'series', 'seriesPerNeuron'),
  value: mostly(num(-50, 100, 0, 20), ...bad),
  after: fc.constantFrom('zero', 'hold'),
  ticks: fc.integer({ min: 1, max: 40 }),
})

export const networkSpec = fc.record({
  dtype: fc.constantFrom<Dtype>('float32', 'float64'),
  dtMs: mostly(fc.constantFrom(0.1, 0.05, 0.25, 1), 0, -0.1, NaN),
  seed: fc.nat(0xffffffff),
  fuse: fc.boolean(),
  pops: fc.array(neuron, { minLength: 1, maxLength: 3 }),
  projections: fc.array(projection, { maxLength: 5 }),
  inputs: fc.array(input, { maxLength: 3 }),
  ticks: fc.integer({ min: 20, max: 200 }),
})
export type NetworkSpec = typeof networkSpec extends fc.Arbitrary<infer T> ? T : never

// ---------------------------------------------------------------------------------------------------------

function neuronDesc(s: NeuronSpec) {
  const p: Record<string, unknown> = { size: s.size }
  for (const k of ['vRest', 'vTh', 'R', 'tau'] as const) if (s[k] !== undefined) p[k] = s[k]
  if (s.resetBelow !== undefined) p.vReset = (s.vTh ?? 20) - s.resetBelow
  if (s.tauRef !== undefined && (s.model === 'LifRef' || s.model === 'LifRefLTC')) p.tauRef = s.tauRef
  const v0 = s.v0 as unknown
  if (v0 !== undefined) {
    const o = v0 as { kind?: string; mean: number; std: number; low: number; width: number }
    p.v0 =
      o !== null && o.kind === 'normal' ? normal(o.mean, o.std) : o !== null && o.kind === 'uniform' ? uniform(o.low, o.low + o.width) : v0
  }
  const make = { Lif, LifRef, LifLTC, LifRefLTC }[s.model as 'Lif']
  return make(p as never)
}

/**
 * The comm layer of a description. Conductance outputs (COBA, MgBlock) get non-negative weights (`positive`):
 * a negative conductance is accepted by the engine but is outside the model (1 + R·Σg can reach 0, and a
 * non-LTC neuron's V then diverges), so it is not what this property is about; CUBA takes either sign.
 */
function commDesc(c: NetworkSpec['projections'][number]['comm'], nPre: number, nPost: number, positive: boolean): CommDesc {
  const w = (x: number) => (positive ? Math.abs(x) : x)
  switch (c.kind) {
    case 'jitHomo':
      return EventJitFPHomoLinear({ prob: c.prob, weight: w(c.w), includeSelf: c.includeSelf })
    case 'jitUniform':
      return EventJitFPUniformLinear({ prob: c.prob, wLow: w(c.lo), wHigh: w(c.hi) })
    case 'jitNormal':
      return EventJitFPNormalLinear({ prob: c.prob, wMu: w(c.mu), wSigma: positive ? Math.min(c.sigma, Math.abs(c.mu) / 6) : c.sigma })
    case 'csrProb':
      return EventCSRLinear({
        conn: FixedProb({ prob: c.prob, includeSelf: c.includeSelf, fixedOutDegree: c.fixedOutDegree }),
        weight: w(c.w),
      })
    case 'fromList': {
      const pre = c.pairs.map((x) => x[0] % nPre),
        post = c.pairs.map((x) => x[1] % nPost)
      if (c.outOfRange) {
        post.push(nPost)
        pre.push(0)
      }
      return c.perSynapse
        ? EventCSRLinear({ conn: FromList({ pre, post, weight: c.pairs.map((x) => w(x[2])) }) })
        : EventCSRLinear({ conn: FromList({ pre, post }), weight: w(c.w) })
    }
    case 'one2one':
      return One2One({ weight: c.perNeuron ? Array.from({ length: nPre }, (_, i) => (w(c.w) * ((i % 3) + 1)) / 3) : w(c.w) })
    case 'all2all':
      return All2All({ weight: w(c.w), includeSelf: c.includeSelf })
    case 'linear':
      return Linear({ W: Array.from({ length: nPre * nPost }, (_, k) => w(c.scale * (((k * 7919 + c.seed) % 17) / 17 - 0.3))) })
  }
}

function inputSpec(x: NetworkSpec['inputs'][number], size: number): InputSpec {
  switch (x.kind) {
    case 'constant':
      return x.value
    case 'perNeuron':
      return Array.from({ length: size }, (_, i) => x.value * (i % 2))
    case 'series':
      return { series: Array.from({ length: x.ticks }, (_, k) => x.value * (k % 3)), after: x.after as 'zero' }
    default:
      return { series: Array.from({ length: x.ticks * size }, (_, k) => x.value * (k % 2)), perNeuron: true, after: x.after as 'hold' }
  }
}

export interface BuiltNetwork {
  world: World
  pops: PopulationData[]
}

/**
 * Builds a world from a description. Anything the API refuses throws a SpikecsError out of here (a network
 * is refused as a whole). Spike buffers are filled by a system of our own from a stream of the world, so
 * their contents are part of the world's state. A finite checker runs every tick; rates are not limited.
 */
export function buildNetwork(spec: NetworkSpec, options: { threads?: number; kernel?: 'js' | 'wasm' } = {}): BuiltNetwork {
  const world = createWorld({ dtype: spec.dtype, dtMs: spec.dtMs, seed: spec.seed, fuse: spec.fuse, ...options })
  const pops = spec.pops.map((s, k) => addPopulation(world, `P${k}`, neuronDesc(s)))
  const pop = (k: number) => pops[k % pops.length]
  const buffers: { buf: SpikeBufferData; rate: number; pre: PopulationData }[] = []
  spec.projections.forEach((p, k) => {
    const pre = pop(p.pre),
      post = pop(p.post)
    const syn =
      p.syn.kind === 'Expon'
        ? Expon({ tau: p.syn.tau })
        : p.syn.kind === 'DualExponV2'
          ? DualExponV2({ tauDecay: p.syn.tauDecay, tauRise: p.syn.tauRise === 'same' ? p.syn.tauDecay : p.syn.tauRise })
          : NMDA()
    const out =
      p.out.kind === 'COBA'
        ? COBA({ E: p.out.E })
        : p.out.kind === 'CUBA'
          ? CUBA()
          : MgBlock({ E: p.out.E, ccMg: p.out.ccMg, alpha: p.out.alpha, beta: p.out.beta })
    const name = `proj${k}`
    const positive = p.out.kind !== 'CUBA'
    if (p.kind === 'FullProjAlignPostMg' || p.kind === 'FullProjAlignPost') {
      const make = p.kind === 'FullProjAlignPostMg' ? FullProjAlignPostMg : FullProjAlignPost
      addProjection(
        world,
        name,
        make({
          pre,
          delay: p.delay,
          roundDelay: p.roundDelay,
          comm: commDesc(p.comm, pre.size, post.size, positive),
          syn,
          out,
          post,
          outLabel: p.outLabel,
        }),
      )
    } else {
      const make = p.kind === 'HalfProjAlignPostMg' ? HalfProjAlignPostMg : HalfProjAlignPost
      if (p.source.kind === 'slice') {
        const a = Math.floor(p.source.a * pre.size),
          b = Math.ceil(p.source.b * pre.size)
        const [start, end] = a <= b ? [a, b] : [b, a]
        addProjection(
          world,
          name,
          make({
            source: fromQueue(pre, { start, end, latency: p.source.latency }),
            comm: commDesc(p.comm, end - start, post.size, positive),
            syn,
            out,
            post,
            outLabel: p.outLabel,
          }),
        )
      } else {
        // One buffer per presynaptic population, shared by every projection that reads it.
        let buf = buffers.find((b) => b.pre === pre)?.buf
        if (buf === undefined) {
          buf = addSpikeBuffer(world, `buf:${pre.name}`, pre.size)
          buffers.push({ buf, rate: p.source.rate, pre })
        }
        addProjection(
          world,
          name,
          make({ source: buf, comm: commDesc(p.comm, pre.size, post.size, positive), syn, out, post, outLabel: p.outLabel }),
        )
      }
    }
  })
  spec.inputs.forEach((x, k) => addInput(world, pop(x.pop), inputSpec(x, pop(x.pop).size), `in${k}`))
  if (buffers.length > 0) {
    insertSystem(
      world,
      (w) => {
        const s = streamFor(w, 'fuzz:buffers')
        for (const { buf, rate } of buffers) for (let i = 0; i < buf.size; i++) if (s.uniform() < rate) pushSpike(buf, i)
      },
      { before: CommSystem },
    )
  }
  addChecker(world, { name: 'fuzz', every: 1, maxRateHz: Infinity })
  return { world, pops }
}

// ---------------------------------------------------------------------------------------------------------
// The property

/** Longest a network of at most 150 neurons may take to build and run its ticks three times. */
const HANG_MS = 3000

/** Every float column finite; spike lists ascending, within the population, at most its size. */
function checkState(world: World): void {
  for (const col of world.columns) {
    const a = col.array
    if (col.type === 'state' || col.type === 'f32' || col.type === 'f64') {
      for (let i = 0; i < a.length; i++) {
        if (!Number.isFinite(a[i])) throw new Error(`column ${col.name} of entity ${col.owner}: [${i}] = ${a[i]}`)
      }
    }
  }
  for (const p of world.components.Population.list) {
    if (!(p.nSpikes >= 0 && p.nSpikes <= p.size)) throw new Error(`population ${p.name}: nSpikes = ${p.nSpikes}`)
    const s = p.spikes.array
    for (let k = 0; k < p.nSpikes; k++) {
      if (!(s[k] >= 0 && s[k] < p.size && (k === 0 || s[k] > s[k - 1])))
        throw new Error(`population ${p.name}: spike list ${Array.from(s.subarray(0, p.nSpikes))}`)
    }
  }
}

/**
 * The documented refusals a random network may meet (docs/reliability.md, the error catalogue): every
 * SpikecsError out of `buildNetwork` must match one of these whole-message patterns, each naming the object,
 * the parameter, the requirement and the value. Anything else — another message, another exception — fails.
 */
const OBJECT =
  String.raw`(world|population 'P\d' \(Lif(Ref)?(LTC)?\)|input 'in\d'|projection 'proj\d' ` +
  String.raw`\((Full|Half)ProjAlignPost(Mg)?\)( comm (EventJitFP(Homo|Uniform|Normal)Linear|EventCSRLinear( ` +
  `FixedProb| FromList)?|One2One|All2All|Linear)| synapse (Expon|DualExponV2)| output ` +
  `(COBA|CUBA|MgBlock))?)`
const PARAM = String.raw`[A-Za-z][\w.]*(\[\d+\])?`
const NUMBER = String.raw`-?\d+(\.\d+)?(e[-+]?\d+)?`
export const DOCUMENTED_REFUSALS: readonly RegExp[] = [
  // Values: finite numbers (with their unit), bounds, integers, probabilities.
  String.raw`${PARAM} must be a finite number( in (ms|mV|mM))? \(got .+\)`,
  String.raw`${PARAM} must be (>|>=|<=) ${NUMBER}( (ms|mV|mM))? \(got .+\)`,
  String.raw`${PARAM} must be an integer \(got .+\)`,
  String.raw`prob must be a probability in \[0, 1\] \(got .+\)`,
  // Relations between parameters.
  String.raw`vReset must be below vTh \(${NUMBER}\) \(got .+\)`,
  String.raw`(v0\.high must be >= v0\.low|wHigh must be >= wLow) \(${NUMBER}\) \(got .+\)`,
  String.raw`tauRise must differ from tauDecay \(${NUMBER}\) \(got .+\)`,
  String.raw`nPre must equal nPost \(\d+\) for one-to-one connectivity \(got \d+\)`,
  String.raw`includeSelf needs pre and post to be the same population \(got false\)`,
  String.raw`delay must be a whole number of ticks of dt = ${NUMBER} ms \(it is ${NUMBER} ticks; pass ` +
    String.raw`roundDelay: true to round\) \(got ${NUMBER}\)`,
  // Shapes of initial values and inputs; synapses that cannot be post-aligned.
  String.raw`v0 must be a number, an array with one value per element, normal\(mean, std\) or uniform\(low, high\) \(got .+\)`,
  String.raw`(v0|value) must have one value per neuron \(\d+\) \(got .+\)`,
  String.raw`weight must be a number or (an array of numbers|an initializer \(normal/uniform\) with FixedProb) \(got .+\)`,
  String.raw`weight must have \d+ elements \(one per synapse\) \(got .+\)`,
  String.raw`spec must be a number, an array, a function, \{ series \} or \{ fn, perNeuron \} \(got .+\)`,
  String.raw`syn cannot be an align-post synapse: its state is not linear in its input .+ \(got "NMDA"\)`,
].map((r) => new RegExp(`^${OBJECT}: ${r}$`))

export const fuzzStats = { built: 0, refused: 0, ticks: 0, spikes: 0, reasons: new Map<string, number>() }

/**
 * The property: refused with one of the documented SpikecsErrors, or runs finite and resumes exactly from a
 * snapshot.
 */
export function checkNetwork(spec: NetworkSpec): void {
  const t0 = performance.now()
  let net: ReturnType<typeof buildNetwork>
  try {
    net = buildNetwork(spec)
  } catch (e) {
    if (!(e instanceof SpikecsError)) throw e
    if (!DOCUMENTED_REFUSALS.some((r) => r.test(e.message))) throw new Error(`a refusal that is not documented: ${e.message}`)
    fuzzStats.refused++
    const key = `${e.param}`.replace(/\[\d+\]/g, '[i]')
    fuzzStats.reasons.set(key, (fuzzStats.reasons.get(key) ?? 0) + 1)
    return
  }
  fuzzStats.built++
  const half = spec.ticks >> 1
  for (let t = 0; t < spec.ticks; t++) {
    step(net.world)
    for (const p of net.pops) fuzzStats.spikes += p.nSpikes
  }
  fuzzStats.ticks += spec.ticks
  checkState(net.world)
  // The same network, snapshot at half time, restored into a fresh world: the same end state.
  const first = buildNetwork(spec)
  for (let t = 0; t < half; t++) step(first.world)
  const resumed = buildNetwork(spec)
  restore(resumed.world, snapshot(first.world))
  for (let t = half; t < spec.ticks; t++) step(resumed.world)
  assertSameBytes(snapshot(resumed.world), snapshot(net.world), 'state after snapshot + restore')
  const ms = performance.now() - t0
  if (ms > HANG_MS) throw new Error(`took ${ms.toFixed(0)} ms (bound ${HANG_MS})`)
}
