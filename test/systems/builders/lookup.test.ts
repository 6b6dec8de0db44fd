// Lookup by name: populationOf, projectionOf, inputOf return the records the builders returned; a missing
// name, or the name of another kind of entity, is an error listing what the world has.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, SpikecsError } from '@spikecs/ecs-core'
import {
  addInput,
  addPopulation,
  addProjection,
  addSpikeMonitor,
  COBA,
  Expon,
  fromQueue,
  HalfProjAlignPostMg,
  inputOf,
  EventJitFPHomoLinear,
  LifRef,
  populationOf,
  projectionOf,
} from '@spikecs/systems'
import { coba, einet } from '@spikecs/presets'

function small() {
  const world = createWorld({ seed: 1 })
  const N = addPopulation(world, 'N', LifRef({ size: 100 }))
  const M = addPopulation(world, 'M', LifRef({ size: 10 }))
  const E = addProjection(
    world,
    'E',
    HalfProjAlignPostMg({
      source: fromQueue(N, { start: 0, end: 80 }),
      post: N,
      comm: EventJitFPHomoLinear({ prob: 0.1, weight: 0.6 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  const drive = addInput(world, N, 20, 'drive')
  const unnamed = addInput(world, M, 5)
  addSpikeMonitor(world, N, { name: 'spikes' })
  return { world, N, M, E, drive, unnamed }
}

function message(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    assert.instance(e, SpikecsError)
    return (e as Error).message
  }
  throw new Error('no error')
}

test('each lookup returns the record its builder returned', () => {
  const s = small()
  assert.is(populationOf(s.world, 'N'), s.N)
  assert.is(populationOf(s.world, 'M'), s.M)
  assert.is(projectionOf(s.world, 'E'), s.E)
  assert.is(inputOf(s.world, 'drive'), s.drive)
  assert.is(inputOf(s.world, s.unnamed.name), s.unnamed)
})

test('a missing name lists the names of that kind', () => {
  const s = small()
  assert.is(
    message(() => populationOf(s.world, 'X')),
    `populationOf: name must be one of the world's populations: "N", "M" (got "X")`,
  )
  assert.is(
    message(() => projectionOf(s.world, 'I')),
    `projectionOf: name must be one of the world's projections: "E" (got "I")`,
  )
  assert.is(
    message(() => inputOf(s.world, 'iExt')),
    `inputOf: name must be one of the world's inputs: "drive", ${JSON.stringify(s.unnamed.name)} (got "iExt")`,
  )
  assert.is(
    message(() => projectionOf(createWorld(), 'E')),
    'projectionOf: name must name a projection, and the world has none (got "E")',
  )
})

test('the name of another kind of entity says what it is', () => {
  const s = small()
  assert.match(
    message(() => populationOf(s.world, 'E')),
    /; "E" is a projection \(got "E"\)$/,
  )
  assert.match(
    message(() => projectionOf(s.world, 'N')),
    /; "N" is a population \(got "N"\)$/,
  )
  assert.match(
    message(() => inputOf(s.world, 'spikes')),
    /; "spikes" is a monitor \(got "spikes"\)$/,
  )
})

test("the presets' names: coba E, I, E2E…I2I, E:iExt, I:iExt; einet (halfMg) N, E, I, N:iExt", () => {
  const c = coba({ seed: 1, record: false })
  assert.is(populationOf(c.world, 'E'), c.pops.E)
  assert.is(inputOf(c.world, 'I:iExt'), c.inputs[1])
  assert.equal(
    ['E2E', 'E2I', 'I2E', 'I2I'].map((n) => projectionOf(c.world, n).name),
    ['E2E', 'E2I', 'I2E', 'I2I'],
  )
  assert.is(projectionOf(c.world, 'E2I').post, c.pops.I)
  const e = einet({ seed: 1, record: false })
  assert.is(populationOf(e.world, 'N'), e.pops.N)
  assert.is(inputOf(e.world, 'N:iExt'), e.inputs[0])
  assert.is(projectionOf(e.world, 'I').source.kind, 'queue')
})

test.run()
