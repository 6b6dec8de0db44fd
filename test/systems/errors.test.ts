// The bad-input catalogue: every constructor refuses bad arguments at construction, with a message naming
// the object, the parameter and the value. One assertion per case, on the message.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, SpikecsError } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addStateProbe,
  addSpikeBuffer,
  addChecker,
  pushSpike,
  setParam,
  setPipeline,
  run,
  step,
  Lif,
  LifRef,
  normal,
  fromQueue,
  EventJitFPHomoLinear,
  EventCSRLinear,
  FixedProb,
  FromList,
  One2One,
  All2All,
  Expon,
  NMDA,
  COBA,
  CUBA,
  FullProjAlignPost,
  FullProjAlignPostMg,
  HalfProjAlignPostMg,
  DelaySystem,
  HH,
} from '@spikecs/systems'

function net() {
  const world = createWorld()
  const E = addPopulation(world, 'E', LifRef({ size: 3200, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5 }))
  const I = addPopulation(world, 'I', LifRef({ size: 800, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5 }))
  const N = addPopulation(world, 'N', LifRef({ size: 4000 }))
  return { world, E, I, N }
}
const base = () => ({ syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) })

const cases: [string, () => unknown, RegExp][] = [
  ['dt = 0', () => createWorld({ dtMs: 0 }), /^world: dtMs must be > 0 ms \(got 0\)$/],
  ['dt NaN', () => createWorld({ dtMs: NaN }), /^world: dtMs must be a finite number in ms \(got NaN\)$/],
  ['negative seed', () => createWorld({ seed: -1 }), /^world: seed must be >= 0 \(got -1\)$/],
  ['fractional seed', () => createWorld({ seed: 1.5 }), /^world: seed must be an integer \(got 1.5\)$/],
  [
    'unknown dtype',
    () => createWorld({ dtype: 'float16' as 'float32' }),
    /^world: dtype must be 'float32' or 'float64' \(got "float16"\)$/,
  ],
  [
    'world options null',
    () => createWorld(null as never),
    /^world: options must be an object such as \{ dtMs: 0.1, seed: 1 \} \(got null\)$/,
  ],
  [
    'neuron parameters null',
    () => LifRef(null as never),
    /^LifRef: parameters must be an object of parameters such as \{ size: 100 \} \(got null\)$/,
  ],
  [
    'neuron parameters missing',
    () => (HH as (p?: unknown) => unknown)(),
    /^HH: parameters must be an object of parameters such as \{ size: 100 \} \(got undefined\)$/,
  ],
  [
    'connector parameters null',
    () => FixedProb(null as never),
    /^FixedProb: parameters must be an object of parameters such as \{ prob: 0.02 \} \(got null\)$/,
  ],
  [
    'synapse parameters null',
    () => {
      const { world, E } = net()
      addProjection(
        world,
        'EE',
        FullProjAlignPost({ pre: E, comm: One2One({ weight: 1 }), syn: Expon(null as never), out: COBA({ E: 0 }), post: E }),
      )
    },
    /^projection 'EE' \(FullProjAlignPost\) synapse Expon: parameters must be an object of parameters such as \{ tau: 5 \} \(got null\)$/,
  ],
  [
    'empty population',
    () => addPopulation(createWorld(), 'E', LifRef({ size: 0 })),
    /^population 'E' \(LifRef\): size must be >= 1 \(got 0\)$/,
  ],
  [
    'negative tau',
    () => addPopulation(createWorld(), 'E', LifRef({ size: 10, tau: -5 })),
    /^population 'E' \(LifRef\): tau must be > 0 ms \(got -5\)$/,
  ],
  [
    'NaN threshold',
    () => addPopulation(createWorld(), 'E', LifRef({ size: 10, vTh: NaN })),
    /^population 'E' \(LifRef\): vTh must be a finite number in mV \(got NaN\)$/,
  ],
  [
    'infinite tauRef',
    () => addPopulation(createWorld(), 'E', LifRef({ size: 10, tauRef: Infinity })),
    /^population 'E' \(LifRef\): tauRef must be a finite number in ms \(got Infinity\)$/,
  ],
  [
    'reset above threshold',
    () => addPopulation(createWorld(), 'E', LifRef({ size: 10, vReset: -40, vTh: -50 })),
    /^population 'E' \(LifRef\): vReset must be below vTh \(-50\) \(got -40\)$/,
  ],
  [
    'unknown parameter',
    () => addPopulation(createWorld(), 'E', LifRef({ size: 10, taus: 3 } as never)),
    /^population 'E' \(LifRef\): taus is not a parameter \(known: .*tauRef.*\) \(got 3\)$/,
  ],
  [
    'tauRef given to Lif',
    () => addPopulation(createWorld(), 'E', Lif({ size: 10, tauRef: 2 } as never)),
    /^population 'E' \(Lif\): tauRef is not a parameter/,
  ],
  [
    'v0 of the wrong length',
    () => addPopulation(createWorld(), 'E', LifRef({ size: 100, v0: [1, 2, 3] })),
    /^population 'E' \(LifRef\): v0 must have one value per neuron \(100\) \(got array of length 3\)$/,
  ],
  [
    'negative std',
    () => addPopulation(createWorld(), 'E', LifRef({ size: 100, v0: normal(-55, -2) })),
    /^population 'E' \(LifRef\): v0.std must be >= 0 \(got -2\)$/,
  ],
  [
    'unknown neuron model',
    () => addPopulation(createWorld(), 'E', { model: 'Izh', size: 1, given: {} }),
    new RegExp(
      String.raw`^population 'E': model is not a neuron model \(known: Lif, LifRef, LifLTC, LifRefLTC, ` +
        String.raw`ExpIF, [^)]*Izhikevich, [^)]*HH, HHLTC, PoissonGroup, SpikeTimeGroup\) \(got "Izh"\)$`,
    ),
  ],
  [
    'duplicate name',
    () => {
      const { world } = net()
      addPopulation(world, 'E', LifRef({ size: 1 }))
    },
    /^population 'E': name is already used by another entity of this world \(names must be unique\) \(got "E"\)$/,
  ],
  [
    'population after the first tick',
    () => {
      const { world } = net()
      step(world)
      addPopulation(world, 'X', LifRef({ size: 1 }))
    },
    /^population 'X': world.tick must be 0: populations and projections are added before the first step/,
  ],
  [
    'comm nPre does not match pre',
    () => {
      const { world, E, I } = net()
      addProjection(
        world,
        'E2I',
        FullProjAlignPost({ pre: E, comm: EventJitFPHomoLinear({ nPre: 4000, prob: 0.02, weight: 0.6 }), ...base(), post: I }),
      )
    },
    new RegExp(
      String.raw`^projection 'E2I' \(FullProjAlignPost\) comm EventJitFPHomoLinear: nPre does not match ` +
        String.raw`the projection's presynaptic size \(3200\) \(got 4000\)$`,
    ),
  ],
  [
    'comm nPost does not match post',
    () => {
      const { world, E, I } = net()
      addProjection(
        world,
        'E2I',
        FullProjAlignPost({ pre: E, comm: EventJitFPHomoLinear({ nPost: 3200, prob: 0.02, weight: 0.6 }), ...base(), post: I }),
      )
    },
    new RegExp(
      String.raw`^projection 'E2I' \(FullProjAlignPost\) comm EventJitFPHomoLinear: nPost does not match ` +
        String.raw`the post population size \(800\) \(got 3200\)$`,
    ),
  ],
  [
    'probability above 1',
    () => {
      const { world, E } = net()
      addProjection(world, 'EE', FullProjAlignPost({ pre: E, comm: EventJitFPHomoLinear({ prob: 1.5, weight: 0.6 }), ...base(), post: E }))
    },
    /^projection 'EE' \(FullProjAlignPost\) comm EventJitFPHomoLinear: prob must be a probability in \[0, 1\] \(got 1.5\)$/,
  ],
  [
    'negative probability in a connector',
    () => {
      const { world, E } = net()
      addProjection(
        world,
        'EE',
        FullProjAlignPost({ pre: E, comm: EventCSRLinear({ conn: FixedProb({ prob: -0.1 }), weight: 1 }), ...base(), post: E }),
      )
    },
    /^projection 'EE' \(FullProjAlignPost\) comm EventCSRLinear FixedProb: prob must be a probability in \[0, 1\] \(got -0.1\)$/,
  ],
  [
    'negative delay',
    () => {
      const { world, E } = net()
      addProjection(world, 'EE', FullProjAlignPost({ pre: E, delay: -1, comm: One2One({ weight: 1 }), ...base(), post: E }))
    },
    /^projection 'EE' \(FullProjAlignPost\): delay must be >= 0 ms \(got -1\)$/,
  ],
  [
    'delay not a whole number of ticks',
    () => {
      const { world, E } = net()
      addProjection(world, 'EE', FullProjAlignPost({ pre: E, delay: 0.15, comm: One2One({ weight: 1 }), ...base(), post: E }))
    },
    /^projection 'EE' \(FullProjAlignPost\): delay must be a whole number of ticks of dt = 0.1 ms/,
  ],
  [
    'delay longer than the queue bound',
    () => {
      const { world, E } = net()
      addProjection(world, 'EE', FullProjAlignPost({ pre: E, delay: 1e7, comm: One2One({ weight: 1 }), ...base(), post: E }))
    },
    new RegExp(
      String.raw`^projection 'EE' \(FullProjAlignPost\): delay must be at most 100000 ticks \(10000 ms at ` +
        String.raw`dt = 0.1 ms\): the delay queue keeps one spike list per tick \(got 10000000\)$`,
    ),
  ],
  [
    'queue-slice latency beyond the bound',
    () => {
      const { world, E } = net()
      addProjection(
        world,
        'EE',
        HalfProjAlignPostMg({ source: fromQueue(E, { latency: 100001 }), comm: One2One({ weight: 1 }), ...base(), post: E }),
      )
    },
    /^projection 'EE' \(HalfProjAlignPostMg\): source.latency must be <= 100000 \(got 100001\)$/,
  ],
  [
    'synapse tau = 0',
    () => {
      const { world, E } = net()
      addProjection(
        world,
        'EE',
        FullProjAlignPost({ pre: E, comm: One2One({ weight: 1 }), syn: Expon({ tau: 0 }), out: COBA({ E: 0 }), post: E }),
      )
    },
    /^projection 'EE' \(FullProjAlignPost\) synapse Expon: tau must be > 0 ms \(got 0\)$/,
  ],
  [
    'synapse size differs from post',
    () => {
      const { world, E, I } = net()
      addProjection(
        world,
        'EI',
        FullProjAlignPostMg({
          pre: E,
          comm: EventJitFPHomoLinear({ prob: 0.1, weight: 1 }),
          syn: Expon({ tau: 5, size: 4000 }),
          out: COBA({ E: 0 }),
          post: I,
        }),
      )
    },
    /^projection 'EI' \(FullProjAlignPostMg\) synapse Expon: size must equal the post population size \(800\) \(got 4000\)$/,
  ],
  [
    'NMDA cannot be post-aligned',
    () => {
      const { world, E } = net()
      addProjection(world, 'EE', FullProjAlignPostMg({ pre: E, comm: One2One({ weight: 1 }), syn: NMDA(), out: COBA({ E: 0 }), post: E }))
    },
    new RegExp(
      String.raw`^projection 'EE' \(FullProjAlignPostMg\): syn cannot be an align-post synapse: its state ` +
        String.raw`is not linear in its input .* \(got "NMDA"\)$`,
    ),
  ],
  [
    'COBA without E',
    () => {
      const { world, E } = net()
      addProjection(
        world,
        'EE',
        FullProjAlignPost({ pre: E, comm: One2One({ weight: 1 }), syn: Expon(), out: COBA({} as { E: number }), post: E }),
      )
    },
    /^projection 'EE' \(FullProjAlignPost\) output COBA: E is required \(got undefined\)$/,
  ],
  [
    'half slice outside its population',
    () => {
      const { world, N } = net()
      addProjection(
        world,
        'Islice',
        HalfProjAlignPostMg({
          source: fromQueue(N, { start: 3200, end: 5000 }),
          comm: EventJitFPHomoLinear({ prob: 0.02, weight: 6.7 }),
          ...base(),
          post: N,
        }),
      )
    },
    /^projection 'Islice' \(HalfProjAlignPostMg\): source.end must be <= 4000 \(got 5000\)$/,
  ],
  [
    'post that is not a population',
    () => {
      const { world, E } = net()
      addProjection(world, 'EE', FullProjAlignPost({ pre: E, comm: One2One({ weight: 1 }), ...base(), post: { name: 'ghost' } as never }))
    },
    /^projection 'EE' \(FullProjAlignPost\): post must be a population added to this world with addPopulation \(got "ghost"\)$/,
  ],
  [
    'one-to-one between different sizes',
    () => {
      const { world, E, I } = net()
      addProjection(world, 'EI', FullProjAlignPost({ pre: E, comm: One2One({ weight: 1 }), ...base(), post: I }))
    },
    /^projection 'EI' \(FullProjAlignPost\) comm One2One: nPre must equal nPost \(800\) for one-to-one connectivity \(got 3200\)$/,
  ],
  [
    'explicit synapse out of range',
    () => {
      const { world, E, I } = net()
      addProjection(
        world,
        'EI',
        FullProjAlignPost({
          pre: E,
          comm: EventCSRLinear({ conn: FromList({ pre: [0, 1], post: [5, 800] }), weight: 1 }),
          ...base(),
          post: I,
        }),
      )
    },
    /^projection 'EI' \(FullProjAlignPost\) comm EventCSRLinear FromList: post\[1\] must be <= 799 \(got 800\)$/,
  ],
  [
    'NaN weight',
    () => {
      const { world, E } = net()
      addProjection(world, 'EE', FullProjAlignPost({ pre: E, comm: EventJitFPHomoLinear({ prob: 0.1, weight: NaN }), ...base(), post: E }))
    },
    /^projection 'EE' \(FullProjAlignPost\) comm EventJitFPHomoLinear: weight must be a finite number \(got NaN\)$/,
  ],
  [
    'duplicate projection name',
    () => {
      const { world, E } = net()
      const d = FullProjAlignPost({ pre: E, comm: One2One({ weight: 1 }), ...base(), post: E })
      addProjection(world, 'EE', d)
      addProjection(world, 'EE', d)
    },
    /^projection 'EE': name is already used by another entity of this world \(names must be unique\) \(got "EE"\)$/,
  ],
  [
    'all-to-all without self between two populations',
    () => {
      const { world, E, I } = net()
      addProjection(world, 'EI', FullProjAlignPost({ pre: E, comm: All2All({ weight: 1, includeSelf: false }), ...base(), post: I }))
    },
    /^projection 'EI' \(FullProjAlignPost\) comm All2All: includeSelf needs pre and post to be the same population \(got false\)$/,
  ],
  [
    'per-neuron input of the wrong length',
    () => {
      const { world, E } = net()
      addInput(world, E, [1, 2, 3])
    },
    /^input 'E:input0': value must have one value per neuron \(3200\) \(got array of length 3\)$/,
  ],
  [
    'input function returning NaN',
    () => {
      const { world, E } = net()
      addInput(world, E, () => NaN, 'ramp')
      step(world)
    },
    /^input 'ramp': value must be a finite number \(returned at tick 0\) \(got NaN\)$/,
  ],
  [
    'probe of an unknown variable',
    () => {
      const { world, E } = net()
      addStateProbe(world, E, 'W', [0])
    },
    /^state probe 'probe0': variable is not a state variable of population 'E' \(known: V, lastSpike\) \(got "W"\)$/,
  ],
  [
    'probe index out of range',
    () => {
      const { world, E } = net()
      addStateProbe(world, E, 'V', [3200])
    },
    /^state probe 'probe0': indices\[0\] must be <= 3199 \(got 3200\)$/,
  ],
  [
    'live parameter change to an invalid value',
    () => {
      const { world, E } = net()
      setParam(world, E, 'tau', 0)
    },
    /^population 'E' \(LifRef\): tau must be > 0 ms \(got 0\)$/,
  ],
  [
    'run for a duration that is not whole ticks',
    () => {
      const { world } = net()
      run(world, 0.05)
    },
    /^run: durationMs must be a whole number of ticks of dt = 0.1 ms/,
  ],
  [
    'pipeline without the clock',
    () => {
      const { world } = net()
      setPipeline(world, [DelaySystem])
    },
    /^setPipeline: systems must end with ClockSystem/,
  ],
  [
    'spike outside a buffer',
    () => {
      const b = addSpikeBuffer(createWorld(), 'ext', 10)
      pushSpike(b, 10)
    },
    /^spike buffer 'ext': index must be an integer in \[0, 10\) \(got 10\)$/,
  ],
  [
    'checker with a negative rate limit',
    () => addChecker(createWorld(), { maxRateHz: -1 }),
    /^checker 'checker0': maxRateHz must be > 0 Hz \(got -1\)$/,
  ],
  [
    'CUBA output given parameters',
    () => {
      const { world, E } = net()
      addProjection(
        world,
        'EE',
        FullProjAlignPost({ pre: E, comm: One2One({ weight: 1 }), syn: Expon(), out: CUBA({ E: 0 } as never), post: E }),
      )
    },
    /^projection 'EE' \(FullProjAlignPost\) output CUBA: E is not a parameter \(known: \) \(got 0\)$/,
  ],
]

for (const [name, fn, re] of cases) {
  test(`refused: ${name}`, () => {
    try {
      fn()
    } catch (e) {
      assert.instance(e, SpikecsError)
      assert.match((e as Error).message, re)
      return
    }
    assert.unreachable(`no error for: ${name}`)
  })
}

test('a refused projection leaves the world unchanged', () => {
  const { world, E, I } = net()
  const before = { version: world.version, columns: world.columns.length, names: world.names.size, queue: E.queue }
  assert.throws(() =>
    addProjection(
      world,
      'bad',
      FullProjAlignPost({ pre: E, delay: 2, comm: EventJitFPHomoLinear({ prob: 2, weight: 1 }), ...base(), post: I }),
    ),
  )
  assert.equal({ version: world.version, columns: world.columns.length, names: world.names.size, queue: E.queue }, before)
})

test.run()
