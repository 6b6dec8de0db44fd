// The error catalogue, second part (the first is errors.test.ts): every other documented refusal of ecs-core and
// systems — delay entries, names, inputs, monitors, probes, spike buffers, pipelines, parameters, initializers,
// comm layers and connectors, checkers and their triggers, components, snapshots — each asserting its whole
// message, which names the object, the parameter and the value. Presets and CLI cases are added where those
// packages live.
import { test } from 'uvu'
import {
  createWorld,
  createDelayQueue,
  addDelayEntry,
  snapshot,
  restore,
  SNAPSHOT_FORMAT,
  crc32,
  addComponent,
  defineComponent,
  type World,
} from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  setInput,
  addSpikeMonitor,
  addRateMonitor,
  addStateProbe,
  addSpikeBuffer,
  addChecker,
  pushSpike,
  setPipeline,
  insertSystem,
  setParam,
  getParam,
  stateOf,
  step,
  run,
  ClockSystem,
  NeuronSystem,
  Lif,
  LifRef,
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
  COBA,
  CUBA,
  MgBlock,
  FullProjAlignPost,
  HalfProjAlignPost,
  HalfProjAlignPostMg,
} from '@spikecs/systems'
import { assertRefused } from '../support/refusal.js'

function net(dtype: 'float32' | 'float64' = 'float32') {
  const world = createWorld({ dtype })
  const E = addPopulation(world, 'E', LifRef({ size: 8 }))
  const I = addPopulation(world, 'I', LifRef({ size: 4 }))
  return { world, E, I }
}
type Net = ReturnType<typeof net>
const full = (n: Net, over: Record<string, unknown> = {}, name = 'P') =>
  addProjection(
    n.world,
    name,
    FullProjAlignPost({ pre: n.E, post: n.E, comm: One2One({ weight: 1 }), syn: Expon(), out: COBA({ E: 0 }), ...over } as never),
  )
const comm = (c: unknown, post: 'E' | 'I' = 'I') => {
  const n = net()
  return addProjection(n.world, 'P', FullProjAlignPost({ pre: n.E, post: n[post], comm: c as never, syn: Expon(), out: CUBA() }))
}
/** A valid blob of the 8 + 4 network, edited by `edit` (header checksum recomputed when `fixHeader`). */
function blob(edit: (b: Uint8Array, v: DataView) => void = () => {}, fixHeader = true): ArrayBuffer {
  const n = net()
  step(n.world)
  const out = snapshot(n.world)
  const b = new Uint8Array(out),
    v = new DataView(out)
  edit(b, v)
  if (fixHeader) v.setUint32(36, crc32(b, 0, 36), true)
  return out
}
const restoreInto = (x: unknown, target: World = net().world) => restore(target, x as ArrayBuffer)

const cases: [string, () => unknown, string | RegExp][] = [
  // --- ecs-core: world, names, delay entries, generic checks
  ['infinite dt', () => createWorld({ dtMs: Infinity }), 'world: dtMs must be a finite number in ms (got Infinity)'],
  ['seed above 32 bits', () => createWorld({ seed: 2 ** 32 }), 'world: seed must be <= 4294967295 (got 4294967296)'],
  [
    'empty population name',
    () => addPopulation(createWorld(), '', LifRef({ size: 1 })),
    'population: name must be a non-empty string without surrounding spaces (got "")',
  ],
  [
    'population name with spaces around it',
    () => addPopulation(createWorld(), ' E', LifRef({ size: 1 })),
    'population: name must be a non-empty string without surrounding spaces (got " E")',
  ],
  [
    'population name with line breaks inside (script injection)',
    () => addPopulation(createWorld(), 'E\nimport os; os.system("echo PWNED")\nX', LifRef({ size: 1 })),
    'population: name must not contain control characters or line separators (U+000A at index 1) ' +
      '(got "E\\nimport os; os.system(\\"echo PWNED\\")\\nX")',
  ],
  [
    'projection name with a Unicode line separator',
    () => full(net(), {}, 'P\u2028Q'),
    'projection: name must not contain control characters or line separators (U+2028 at index 1) (got "P\\u2028Q")',
  ],
  [
    'input name with a tab',
    () => {
      const n = net()
      addInput(n.world, n.E, 1, 'in\tput')
    },
    'input: name must not contain control characters or line separators (U+0009 at index 2) (got "in\\tput")',
  ],
  [
    'spike monitor name with a C1 control (NEL)',
    () => {
      const n = net()
      addSpikeMonitor(n.world, n.E, { name: 'm\u0085' })
    },
    'monitor: name must not contain control characters or line separators (U+0085 at index 1) (got "m\\u0085")',
  ],
  [
    'spike buffer name with DEL',
    () => addSpikeBuffer(net().world, 'b\u007f', 3),
    'spike buffer: name must not contain control characters or line separators (U+007F at index 1) (got "b\\u007f")',
  ],
  [
    'a name used by a population, reused by a spike buffer',
    () => addSpikeBuffer(net().world, 'E', 3),
    `spike buffer 'E': name is already used by another entity of this world (names must be unique) (got "E")`,
  ],
  [
    'delay entry of latency 0',
    () => {
      const w = createWorld()
      addDelayEntry(w, createDelayQueue(w, 1, 1, 'E', 10), 'x', 0)
    },
    "delay entry 'x': latency must be an integer number of ticks in [1, 100000] (got 0)",
  ],
  [
    'delay entry registered twice',
    () => {
      const w = createWorld()
      const q = createDelayQueue(w, 1, 1, 'E', 10)
      addDelayEntry(w, q, 'x', 2)
      addDelayEntry(w, q, 'x', 3)
    },
    `delay queue of population 'E': entry is registered already (got "x")`,
  ],
  [
    'parameter record that is not an object',
    () => full(net(), { comm: All2All(7 as never) }),
    "projection 'P' (FullProjAlignPost) comm All2All: parameters must be an object of parameters " +
      '(known: nPre, nPost, weight, includeSelf) (got 7)',
  ],
  [
    'NaN in a per-neuron value array',
    () => {
      const n = net()
      addInput(n.world, n.E, [0, 1, NaN, 0, 0, 0, 0, 0])
    },
    "input 'E:input0': value[2] must be a finite number (got NaN)",
  ],
  ['run for NaN ms', () => run(net().world, NaN), 'run: durationMs must be a finite number in ms (got NaN)'],
  // --- snapshots
  [
    'restore: not a snapshot',
    () => restoreInto(new Uint8Array(64)),
    'restore: magic must be "SPKS": this is not a spikecs snapshot (got "\\u0000\\u0000\\u0000\\u0000")',
  ],
  [
    'restore: not an array',
    () => restoreInto('SPKS'),
    'restore: blob must be an ArrayBuffer or a typed array holding a snapshot (got "SPKS")',
  ],
  [
    'restore: truncated',
    () => restoreInto(blob().slice(0, 100)),
    /^restore: blob length must be \d+ bytes as its header says: the snapshot is truncated \(got 100\)$/,
  ],
  [
    'restore: corrupted payload',
    () =>
      restoreInto(
        blob((b) => {
          b[b.length - 9] ^= 0xff
        }),
      ),
    /^restore: payload checksum must be 0x[0-9a-f]{8} as recorded in the header: the snapshot is corrupted \(got "0x[0-9a-f]{8}"\)$/,
  ],
  [
    'restore: corrupted header',
    () =>
      restoreInto(
        blob((b) => {
          b[12] ^= 1
        }, false),
      ),
    /^restore: header checksum must be 0x[0-9a-f]{8} as recorded: the snapshot's header is corrupted \(got "0x[0-9a-f]{8}"\)$/,
  ],
  [
    'restore: newer format',
    () => restoreInto(blob((_, v) => v.setUint32(4, SNAPSHOT_FORMAT + 7, true))),
    `restore: format version must be <= ${SNAPSHOT_FORMAT}: the snapshot was written by a newer ` +
      `spikecs than this one (got ${SNAPSHOT_FORMAT + 7})`,
  ],
  [
    'restore: another dtype',
    () => restoreInto(blob(), net('float64').world),
    `restore: dtype must be 'float64' like this world's state columns: the snapshot was taken from a float32 world (got "float32")`,
  ],
  [
    'restore: another network',
    () => {
      const n = net()
      addSpikeMonitor(n.world, n.E)
      restoreInto(blob(), n.world)
    },
    new RegExp(
      String.raw`^restore: structure hash must be 0x[0-9a-f]{16} \(this world's network\): the snapshot is ` +
        `of a different network; line 4: this world has monitor #3 "spikes0" spikes pops=1 ` +
        String.raw`ticks=\[0,2147483647\) every=1 max=67108864 ring=false width=0 column=- probe=-; the ` +
        String.raw`snapshot has column owner=1 "V" state length=8 \(got "0x[0-9a-f]{16}"\)$`,
    ),
  ],
  [
    'restore: older format',
    () => restoreInto(blob((_, v) => v.setUint32(4, 1, true))),
    'restore: format version must be 2: the snapshot was written by format 1; this build reads ' +
      'format 2 only (run the network again with this build to take a new snapshot) (got 1)',
  ],
  [
    'restore: a component the world lacks',
    () => {
      const n = net()
      addComponent(n.world, n.E.eid, defineComponent('Rate', { columns: { r: 'f64' } }))
      restoreInto(snapshot(n.world))
    },
    `restore: component must be registered in this world: the snapshot holds component 'Rate' ` +
      `(component "Rate" schema fields= columns=r:f64 entities=1:8) and this world has no component of ` +
      `that name (define it and attach it as in the world the snapshot was taken from) (got "Rate")`,
  ],
  // --- components
  [
    'component field default a snapshot cannot hold',
    () => defineComponent('C', { fields: { at: new Date(0) as never } }),
    `component 'C': fields.at must be a number, a boolean, a string or an array of numbers (what a ` +
      `snapshot can hold) (got "1970-01-01T00:00:00.000Z")`,
  ],
  [
    'component attached to an entity that does not exist',
    () => addComponent(createWorld(), 7, defineComponent('C')),
    "component 'C': eid must be an entity of this world (from addEntity, or the eid of a record such as a population) (got 7)",
  ],
  [
    'component column initial values of the wrong length',
    () => {
      const n = net()
      addComponent(n.world, n.I.eid, defineComponent('C', { columns: { x: 'u8' } }), { x: [1, 2] })
    },
    "component 'C' of entity 2: x must have 4 values (one per element) (got array of length 2)",
  ],
  // --- populations and parameters
  [
    'population description that is not one',
    () => addPopulation(createWorld(), 'E', null as never),
    "population 'E': model must be a neuron description such as LifRef({ size: 100 }) (got null)",
  ],
  [
    'stateOf an unknown variable',
    () => stateOf(net().E, 'U'),
    `population 'E' (LifRef): variable is not a state variable (known: V, lastSpike) (got "U")`,
  ],
  [
    'setParam of an unknown parameter',
    () => {
      const n = net()
      setParam(n.world, n.E, 'taus', 3)
    },
    "population 'E' (LifRef): taus is not a parameter (known: vRest, vReset, vTh, R, tau, tauRef) (got 3)",
  ],
  [
    'setParam breaking vReset < vTh',
    () => {
      const n = net()
      setParam(n.world, n.E, 'vTh', -10)
    },
    "population 'E' (LifRef): vReset must be below vTh (-10) (got -5)",
  ],
  ['getParam of an unknown parameter', () => getParam(net().E, 'gain'), `population 'E': param is not a parameter (got "gain")`],
  [
    'uniform initializer with high < low',
    () => addPopulation(createWorld(), 'E', LifRef({ size: 3, v0: uniform(-50, -60) })),
    "population 'E' (LifRef): v0.high must be >= v0.low (-50) (got -60)",
  ],
  [
    'initializer of the wrong kind',
    () => addPopulation(createWorld(), 'E', LifRef({ size: 3, v0: 'rest' as never })),
    `population 'E' (LifRef): v0 must be a number, an array with one value per element, normal(mean, ` +
      `std) or uniform(low, high) (got "rest")`,
  ],
  // --- projections
  [
    'projection after the first tick',
    () => {
      const n = net()
      step(n.world)
      full(n)
    },
    "projection 'P': world.tick must be 0: populations and projections are added before the first " +
      'step (monitors and inputs may come later) (got 1)',
  ],
  [
    'projection description that is not one',
    () => addProjection(net().world, 'P', { kind: 'ProjAlignPre' } as never),
    `projection 'P': kind must be one of HalfProjAlignPostMg, FullProjAlignPostMg, ` +
      `HalfProjAlignPost, FullProjAlignPost, STDP_Song2000 (build it with e.g. FullProjAlignPostMg({...})) (got ` +
      `"ProjAlignPre")`,
  ],
  [
    'empty output label',
    () => full(net(), { outLabel: '' }),
    `projection 'P' (FullProjAlignPost): outLabel must be a non-empty string or null (got "")`,
  ],
  [
    'half projection without a source',
    () => {
      const n = net()
      addProjection(
        n.world,
        'H',
        HalfProjAlignPost({ source: { kind: 'x' } as never, post: n.E, comm: One2One({ weight: 1 }), syn: Expon(), out: CUBA() }),
      )
    },
    `projection 'H' (HalfProjAlignPost): source must be fromQueue(pop, { start, end }) or a spike buffer of this world (got {"kind":"x"})`,
  ],
  [
    'half projection reading a population of another world',
    () => {
      const n = net()
      addProjection(
        n.world,
        'H',
        HalfProjAlignPostMg({ source: fromQueue(net().E), post: n.E, comm: One2One({ weight: 1 }), syn: Expon(), out: CUBA() }),
      )
    },
    `projection 'H' (HalfProjAlignPostMg): source.pop must be a population added to this world with addPopulation (got "E")`,
  ],
  [
    'half projection slice with latency 0',
    () => {
      const n = net()
      addProjection(
        n.world,
        'H',
        HalfProjAlignPost({ source: fromQueue(n.E, { latency: 0 }), post: n.E, comm: One2One({ weight: 1 }), syn: Expon(), out: CUBA() }),
      )
    },
    "projection 'H' (HalfProjAlignPost): source.latency must be >= 1 (got 0)",
  ],
  [
    'synapse description that is not one',
    () => full(net(), { syn: 5 }),
    "projection 'P' (FullProjAlignPost): syn must be a synapse description such as Expon({ tau: 5 }) (got 5)",
  ],
  [
    'unknown synapse model',
    () => full(net(), { syn: { kind: 'Exp2', given: {} } }),
    `projection 'P' (FullProjAlignPost): syn is not an align-post synapse model (known: Expon, DualExponV2, Alpha, DualExpon) (got "Exp2")`,
  ],
  [
    'DualExponV2 with equal time constants',
    () => full(net(), { syn: DualExponV2({ tauDecay: 5, tauRise: 5 }) }),
    "projection 'P' (FullProjAlignPost) synapse DualExponV2: tauRise must differ from tauDecay (5) (got 5)",
  ],
  [
    'output description that is not one',
    () => full(net(), { out: { kind: 'Conductance', given: {} } }),
    `projection 'P' (FullProjAlignPost): out must be an output description: COBA({ E }), CUBA() or MgBlock({...}) (got "Conductance")`,
  ],
  [
    'MgBlock with beta = 0',
    () => full(net(), { out: MgBlock({ beta: 0 }) }),
    "projection 'P' (FullProjAlignPost) output MgBlock: beta must be > 0 mM (got 0)",
  ],
  // --- comm layers and connectors
  [
    'comm that is not a layer',
    () => comm(null),
    "projection 'P' (FullProjAlignPost): comm must be a comm layer such as EventJitFPHomoLinear({ prob, weight }) (got null)",
  ],
  [
    'unknown comm layer',
    () => comm({ kind: 'Conv2d', p: {} }),
    `projection 'P' (FullProjAlignPost): comm is not a comm layer (known: EventJitFPHomoLinear, ` +
      `EventJitFPUniformLinear, EventJitFPNormalLinear, EventCSRLinear, One2One, All2All, Linear, ` +
      `JitFPHomoLinear, JitFPUniformLinear, JitFPNormalLinear, CSRLinear, stored(…)) (got "Conv2d")`,
  ],
  [
    'uniform weights with wHigh < wLow',
    () => comm(EventJitFPUniformLinear({ prob: 0.5, wLow: 1, wHigh: 0.5 })),
    "projection 'P' (FullProjAlignPost) comm EventJitFPUniformLinear: wHigh must be >= wLow (1) (got 0.5)",
  ],
  [
    'normal weights with a negative sigma',
    () => comm(EventJitFPNormalLinear({ prob: 0.5, wMu: 1, wSigma: -1 })),
    "projection 'P' (FullProjAlignPost) comm EventJitFPNormalLinear: wSigma must be >= 0 (got -1)",
  ],
  [
    'on-the-fly connectivity with a fractional seed',
    () => comm(EventJitFPHomoLinear({ prob: 0.5, weight: 1, seed: 0.5 })),
    "projection 'P' (FullProjAlignPost) comm EventJitFPHomoLinear: seed must be an integer (got 0.5)",
  ],
  [
    'one-to-one weights of the wrong length',
    () => comm(One2One({ weight: [1, 2] }), 'E'),
    "projection 'P' (FullProjAlignPost) comm One2One: weight must have 8 elements (one per synapse) (got array of length 2)",
  ],
  [
    'one-to-one weights that are not numbers',
    () => comm(One2One({ weight: 'heavy' as never }), 'E'),
    `projection 'P' (FullProjAlignPost) comm One2One: weight must be a number or an array of numbers (got "heavy")`,
  ],
  [
    'dense matrix that is not one',
    () => comm(Linear({ W: 3 as never })),
    "projection 'P' (FullProjAlignPost) comm Linear: W must be an nPre x nPost matrix (8 x 4), flat or as rows (got 3)",
  ],
  [
    'dense matrix with a short row',
    () => comm(Linear({ W: Array.from({ length: 8 }, () => [1, 2, 3]) })),
    "projection 'P' (FullProjAlignPost) comm Linear: W[0] must have 4 elements (got array of length 3)",
  ],
  [
    'flat dense matrix of the wrong size',
    () => comm(Linear({ W: new Array(31).fill(0) })),
    "projection 'P' (FullProjAlignPost) comm Linear: W must have nPre x nPost = 32 elements (got array of length 31)",
  ],
  [
    'connector that is not one',
    () => comm(EventCSRLinear({ conn: { kind: 'Ring' } as never, weight: 1 })),
    `projection 'P' (FullProjAlignPost) comm EventCSRLinear: conn must be a connector: FixedProb({ ` +
      `prob }), FixedPostNum({ num }), FixedPreNum({ num }) or FromList({ pre, post }) (got ` +
      `{"kind":"Ring"})`,
  ],
  [
    'explicit list with post shorter than pre',
    () => comm(EventCSRLinear({ conn: FromList({ pre: [0, 1], post: [0] }), weight: 1 })),
    "projection 'P' (FullProjAlignPost) comm EventCSRLinear FromList: post must have as many elements as pre (2) (got array of length 1)",
  ],
  [
    'explicit list with weights and a weight',
    () => comm(EventCSRLinear({ conn: FromList({ pre: [0], post: [0], weight: [1] }), weight: 2 })),
    "projection 'P' (FullProjAlignPost) comm EventCSRLinear: weight must be omitted when the FromList connector gives weights (got 2)",
  ],
  [
    'explicit list without any weight',
    () => comm(EventCSRLinear({ conn: FromList({ pre: [0], post: [0] }) })),
    "projection 'P' (FullProjAlignPost) comm EventCSRLinear: weight is required (a number, one value " +
      'per synapse, or an initializer) unless FromList gives weights (got undefined)',
  ],
  [
    'explicit list with per-synapse weights of the wrong length',
    () => comm(EventCSRLinear({ conn: FromList({ pre: [0, 1], post: [0, 1] }), weight: [1] })),
    "projection 'P' (FullProjAlignPost) comm EventCSRLinear: weight must have 2 elements (one per synapse) (got array of length 1)",
  ],
  [
    'FixedProb without self-connections between two populations',
    () => comm(EventCSRLinear({ conn: FixedProb({ prob: 0.5, includeSelf: false }), weight: 1 })),
    "projection 'P' (FullProjAlignPost) comm EventCSRLinear FixedProb: includeSelf needs pre and " +
      'post to be the same population (got false)',
  ],
  [
    'FixedProb with an array of weights',
    () => comm(EventCSRLinear({ conn: FixedProb({ prob: 0.5 }), weight: [1, 2] })),
    "projection 'P' (FullProjAlignPost) comm EventCSRLinear: weight must be a number or an " +
      'initializer (normal/uniform) with FixedProb (got array of length 2)',
  ],
  [
    'FixedProb storing more synapses than CSR holds',
    () => {
      const w = createWorld()
      const A = addPopulation(w, 'A', Lif({ size: 60000 }))
      addProjection(
        w,
        'AA',
        FullProjAlignPost({
          pre: A,
          post: A,
          comm: EventCSRLinear({ conn: FixedProb({ prob: 0.9 }), weight: 1 }),
          syn: Expon(),
          out: CUBA(),
        }),
      )
    },
    "projection 'AA' (FullProjAlignPost) comm EventCSRLinear FixedProb: prob would store about " +
      '3240000000 synapses, more than CSR holds (2147483647); use EventJitFPHomoLinear (got 0.9)',
  ],
  // --- inputs
  [
    'input of an unknown shape',
    () => {
      const n = net()
      addInput(n.world, n.E, 'strong' as never)
    },
    `input 'E:input0': spec must be a number, an array, a function, { series } or { fn, perNeuron } (got "strong")`,
  ],
  [
    'empty series',
    () => {
      const n = net()
      addInput(n.world, n.E, { series: [] })
    },
    "input 'E:input0': series must be a non-empty array (got array of length 0)",
  ],
  [
    'per-neuron series not a multiple of the size',
    () => {
      const n = net()
      addInput(n.world, n.E, { series: [1, 2, 3], perNeuron: true })
    },
    "input 'E:input0': series must hold ticks x 8 values (one per neuron per tick) (got array of length 3)",
  ],
  [
    'series with an unknown after',
    () => {
      const n = net()
      addInput(n.world, n.E, { series: [1], after: 'repeat' as never })
    },
    `input 'E:input0': after must be 'zero' or 'hold' (got "repeat")`,
  ],
  [
    'per-neuron function input that is not a function',
    () => {
      const n = net()
      addInput(n.world, n.E, { fn: 3 as never, perNeuron: true })
    },
    "input 'E:input0': fn must be a function (got 3)",
  ],
  [
    'setInput on a series input',
    () => {
      const n = net()
      setInput(addInput(n.world, n.E, { series: [1, 2] }, 'ramp'), 2)
    },
    "input 'ramp': value can only be set on a constant scalar input (use scale otherwise) (got 2)",
  ],
  [
    'input into a population of another world',
    () => addInput(net().world, net().E, 1, 'x'),
    `input 'x': pop must be a population added to this world with addPopulation (got "E")`,
  ],
  [
    'function input returning Infinity',
    () => {
      const n = net()
      addInput(n.world, n.E, () => Infinity, 'f')
      step(n.world)
    },
    "input 'f': value must be a finite number (returned at tick 0) (got Infinity)",
  ],
  // --- monitors, probes, spike buffers, pipeline
  [
    'monitor stopping before it starts',
    () => {
      const n = net()
      addSpikeMonitor(n.world, n.E, { startMs: 10, stopMs: 5 })
    },
    "spike monitor 'spikes0': stopMs must not be before startMs (got 5)",
  ],
  [
    'monitor of no population',
    () => addRateMonitor(net().world, []),
    "rate monitor 'rate0': pops must name at least one population (got array of length 0)",
  ],
  [
    'monitor bound of 0 records',
    () => {
      const n = net()
      addSpikeMonitor(n.world, n.E, { max: 0 })
    },
    "spike monitor 'spikes0': max must be >= 1 (got 0)",
  ],
  [
    'probe of a projection variable it has not',
    () => {
      const n = net()
      addStateProbe(n.world, full(n), 'gRise', [0])
    },
    `state probe 'probe0': variable is not a variable of projection 'P' (known: g) (got "gRise")`,
  ],
  [
    'probe of no neuron',
    () => {
      const n = net()
      addStateProbe(n.world, n.E, 'V', [])
    },
    "state probe 'probe0': indices must list at least one neuron (got array of length 0)",
  ],
  ['spike buffer of size 0', () => addSpikeBuffer(createWorld(), 'b', 0), "spike buffer 'b': size must be >= 1 (got 0)"],
  [
    'spikes pushed out of order',
    () => {
      const b = addSpikeBuffer(createWorld(), 'b', 5)
      pushSpike(b, 3)
      pushSpike(b, 3)
    },
    "spike buffer 'b': index must be greater than the previous index (3): push spikes in ascending order, once each (got 3)",
  ],
  [
    'pipeline that is not a list of systems',
    () => setPipeline(net().world, [ClockSystem, 'x' as never, ClockSystem]),
    'setPipeline: systems must be an array of functions of the world (got array of length 3)',
  ],
  [
    'inserting next to a system not in the pipeline',
    () => {
      const n = net()
      setPipeline(n.world, [ClockSystem])
      insertSystem(n.world, () => {}, { before: NeuronSystem })
    },
    'insertSystem: where is not in the pipeline (got "NeuronSystem")',
  ],
  // --- checkers
  ['checker every 0 ticks', () => addChecker(createWorld(), { every: 0 }), "checker 'checker0': every must be >= 1 (got 0)"],
  ['checker window of 0 ms', () => addChecker(createWorld(), { windowMs: 0 }), "checker 'checker0': windowMs must be > 0 ms (got 0)"],
  [
    'checker window that is not whole ticks',
    () => addChecker(createWorld(), { windowMs: 0.25 }),
    "checker 'checker0': windowMs must be a whole number of ticks of dt = 0.1 ms (it is 2.5 ticks) (got 0.25)",
  ],
  [
    'checker: NaN in V',
    () => {
      const n = net()
      addChecker(n.world, { every: 1 })
      n.E.state.V.array[2] = NaN
      step(n.world)
    },
    "population 'E': V[2] must stay finite (checker 'checker0'); it did not at tick 0 (got NaN)",
  ],
  [
    'checker: Infinity in a synapse state',
    () => {
      const n = net()
      full(n)
      addChecker(n.world, { every: 1 })
      insertSystem(
        n.world,
        () => {
          n.E.states[0].cols.g.array[1] = Infinity
        },
        { after: NeuronSystem },
      )
      step(n.world)
    },
    "synapse state of projection 'P' onto 'E': g[1] must stay finite (checker 'checker0'); it did not at tick 0 (got Infinity)",
  ],
  [
    'checker: runaway rate',
    () => {
      const n = net()
      addInput(n.world, n.I, 1e4)
      addChecker(n.world, { maxRateHz: 500, windowMs: 1 })
      run(n.world, 10)
    },
    "population 'I': rate over the last 1 ms must stay <= 500 Hz (checker 'checker0'); exceeded at tick 9 (got 10000)",
  ],
]

for (const [name, fn, message] of cases) {
  test(`refused: ${name}`, () => {
    assertRefused(fn, message, name)
  })
}

test.run()
