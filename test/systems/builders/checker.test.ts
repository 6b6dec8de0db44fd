// Checkers: every trigger — NaN, +Infinity and −Infinity in V and in synapse states (injected, and reached by
// overflow), in float32 and float64, fused and unfused — is reported in the first checked tick, naming the
// object, the variable with its index, the value and the tick; the rate check over its sliding window fires
// exactly when the count of the last windowTicks ticks (this one included) exceeds maxRateHz·n·windowMs/1000.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, SpikecsError, type Dtype, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addChecker,
  addSpikeBuffer,
  pushSpike,
  insertSystem,
  step,
  run,
  NeuronSystem,
  CommSystem,
  Lif,
  LifRef,
  LifRefLTC,
  One2One,
  Expon,
  DualExponV2,
  COBA,
  CUBA,
  HalfProjAlignPost,
  HalfProjAlignPostMg,
  FullProjAlignPostMg,
} from '@spikecs/systems'

/** Steps until an error or `ticks`; returns the error message (or null). */
function runUntilError(world: World, ticks: number): string | null {
  try {
    for (let t = 0; t < ticks; t++) step(world)
  } catch (e) {
    assert.instance(e, SpikecsError)
    return (e as Error).message
  }
  return null
}

/** A quiet network: population E (LifRefLTC, 20 neurons) fed through a merged Expon and a non-merged DualExponV2. */
function quiet(dtype: Dtype, fuse: boolean) {
  const world = createWorld({ dtype, fuse })
  const E = addPopulation(world, 'E', LifRefLTC({ size: 20, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }))
  addProjection(
    world,
    'EE',
    FullProjAlignPostMg({ pre: E, comm: One2One({ weight: 0.5 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), post: E }),
  )
  const buf = addSpikeBuffer(world, 'ext', 20)
  addProjection(world, 'X', HalfProjAlignPost({ source: buf, comm: One2One({ weight: 0.1 }), syn: DualExponV2(), out: CUBA(), post: E }))
  return { world, E }
}

const injections: [string, number][] = [
  ['NaN', NaN],
  ['+Infinity', Infinity],
  ['-Infinity', -Infinity],
]

for (const dtype of ['float32', 'float64'] as const) {
  for (const fuse of [true, false]) {
    for (const [label, value] of injections) {
      test(`${label} in V and in a synapse state (${dtype}, ${fuse ? 'fused' : 'unfused'}): reported at the first checked tick`, () => {
        // Injected after NeuronSystem in tick 10 (a checked tick of a checker every 5 ticks), so that the
        // integration does not turn it into something else first (+Infinity in V would spike and reset).
        for (const [where, expected] of [
          ['V', `population 'E': V[3] must stay finite (checker 'c'); it did not at tick 10 (got ${label.replace('+', '')})`],
          [
            'g',
            `synapse state of projection 'EE' onto 'E': g[3] must stay finite (checker 'c'); it did not at ` +
              `tick 10 (got ${label.replace('+', '')})`,
          ],
          [
            'gDecay',
            `synapse state of projection 'X' onto 'E': gDecay[3] must stay finite (checker 'c'); it did not ` +
              `at tick 10 (got ${label.replace('+', '')})`,
          ],
        ] as const) {
          const { world, E } = quiet(dtype, fuse)
          addChecker(world, { name: 'c', every: 5 })
          insertSystem(
            world,
            (w) => {
              if (w.tick !== 10) return
              if (where === 'V') E.state.V.array[3] = value
              else {
                const st = E.states.find((s) => where in s.cols)!
                st.cols[where].array[3] = value
              }
            },
            { after: NeuronSystem },
          )
          assert.is(runUntilError(world, 50), expected)
          assert.is(world.tick, 10)
        }
      })
    }
  }
}

test('the finite check runs in ticks k with k mod every = 0: NaN put into V in tick 7 is reported in tick 10', () => {
  const { world, E } = quiet('float32', true)
  addChecker(world, { name: 'c', every: 5 })
  insertSystem(
    world,
    (w) => {
      if (w.tick === 7) E.state.V.array[19] = NaN
    },
    { after: NeuronSystem },
  )
  assert.is(runUntilError(world, 50), "population 'E': V[19] must stay finite (checker 'c'); it did not at tick 10 (got NaN)")
})

test('overflow reached by the network itself: a float32 conductance of 3e38 per tick becomes Infinity, V NaN', () => {
  // Tick 0: g = (0 + w)·a = 2.94e38; tick 1: g + w = 5.9e38 overflows float32 to Infinity in CommSystem, so the
  // LIF's V_inf is Infinity and V = V_inf + (V − V_inf)·k = Infinity − Infinity = NaN. V is listed first.
  const world = createWorld()
  const post = addPopulation(world, 'post', Lif({ size: 2 }))
  const buf = addSpikeBuffer(world, 'drive', 2)
  insertSystem(world, () => pushSpike(buf, 1), { before: CommSystem })
  addProjection(
    world,
    'huge',
    HalfProjAlignPostMg({ source: buf, comm: One2One({ weight: 3e38 }), syn: Expon({ tau: 5 }), out: CUBA(), post }),
  )
  addChecker(world, { name: 'c', every: 1 })
  assert.is(runUntilError(world, 10), "population 'post': V[1] must stay finite (checker 'c'); it did not at tick 1 (got NaN)")
  assert.is(post.states[0].cols.g.array[1], Infinity)
  assert.is(post.state.V.array[0], 0)
})

test('a checker without the finite check and without a rate limit never stops a run', () => {
  const { world, E } = quiet('float32', true)
  addChecker(world, { finite: false, maxRateHz: Infinity })
  E.state.V.array[0] = NaN
  assert.is(runUntilError(world, 100), null)
})

/**
 * Rate windows. dt = 1 ms, a window of 8 ms = 8 ticks, two neurons, 125 Hz: the largest allowed count is
 * 125 · 2 · 8 / 1000 = 2 spikes in the last 8 ticks. Each neuron spikes exactly in the ticks listed (a pulse
 * of input drives it over threshold in that tick; with τ = 1 ms it is back at rest in the next).
 */
function rateNet(spikes: [tick: number, neuron: number][]) {
  const world = createWorld({ dtMs: 1 })
  const ticks = 40
  const series = new Float64Array(ticks * 2)
  for (const [t, i] of spikes) series[t * 2 + i] = 1000
  const p = addPopulation(world, 'p', LifRef({ size: 2, vRest: -60, vTh: -50, vReset: -60, tau: 1, v0: -60 }))
  addInput(world, p, { series, perNeuron: true })
  addChecker(world, { name: 'c', maxRateHz: 125, windowMs: 8, finite: false })
  return { world, ticks }
}

const rateCases: [string, [number, number][], number | null][] = [
  [
    'two spikes in 8 ticks are at the limit, not above it (10, 17; then 17, 18)',
    [
      [10, 0],
      [17, 0],
      [18, 0],
    ],
    null,
  ],
  [
    'the window includes the tick 7 ticks back: 10, 11 and 17',
    [
      [10, 0],
      [11, 0],
      [17, 0],
    ],
    17,
  ],
  [
    'a spike leaves the window after 8 ticks: 10, 17, 18 pass, 19 makes three',
    [
      [10, 0],
      [17, 0],
      [18, 0],
      [19, 1],
    ],
    19,
  ],
  [
    'simultaneous spikes of both neurons count twice',
    [
      [9, 0],
      [9, 1],
      [12, 1],
    ],
    12,
  ],
  [
    'nothing is checked before the window has filled: a burst at 0, 1, 2 is reported at tick 7',
    [
      [0, 0],
      [1, 0],
      [2, 1],
    ],
    7,
  ],
]

for (const [name, spikes, at] of rateCases) {
  test(`rate window: ${name}`, () => {
    const { world, ticks } = rateNet(spikes)
    const msg = runUntilError(world, ticks)
    if (at === null) {
      assert.is(msg, null)
      return
    }
    const count = spikes.filter(([t]) => t <= at && t > at - 8).length
    assert.is(
      msg,
      `population 'p': rate over the last 8 ms must stay <= 125 Hz (checker 'c'); exceeded at tick ${at} (got ${count / (2 * 0.008)})`,
    )
    assert.is(world.tick, at)
  })
}

test('the window length in messages is written as given (0.3 ms, not 0.30000000000000004)', () => {
  const world = createWorld()
  const p = addPopulation(world, 'p', Lif({ size: 1, vRest: -60, vTh: -50, vReset: -60, tau: 1, v0: -60 }))
  addInput(world, p, 1000) // a spike every tick
  addChecker(world, { name: 'c', maxRateHz: 5000, windowMs: 0.3 })
  assert.throws(
    () => run(world, 10),
    /^population 'p': rate over the last 0.3 ms must stay <= 5000 Hz \(checker 'c'\); exceeded at tick 2 \(got 10000\)$/,
  )
})

test('limits are per population size: 3 spikes exceed 125 Hz for 2 neurons, not for 4', () => {
  const world = createWorld({ dtMs: 1 })
  const series2 = new Float64Array(40 * 2),
    series4 = new Float64Array(40 * 4)
  for (const t of [5, 6, 7]) {
    series2[t * 2] = 1000
    series4[t * 4] = 1000
  }
  const a = addPopulation(world, 'four', LifRef({ size: 4, vRest: -60, vTh: -50, vReset: -60, tau: 1, v0: -60 }))
  const b = addPopulation(world, 'two', LifRef({ size: 2, vRest: -60, vTh: -50, vReset: -60, tau: 1, v0: -60 }))
  addInput(world, a, { series: series4, perNeuron: true })
  addInput(world, b, { series: series2, perNeuron: true })
  addChecker(world, { name: 'c', maxRateHz: 125, windowMs: 8, finite: false })
  assert.match(runUntilError(world, 40) ?? '', /^population 'two': rate over the last 8 ms .* exceeded at tick 7 \(got 187.5\)$/)
})

test.run()
