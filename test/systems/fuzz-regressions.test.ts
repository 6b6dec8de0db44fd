// Counterexamples found by the property tests (fuzz.test.ts), shrunk and kept as regular tests, each with
// the expectation derived by hand.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addSpikeBuffer,
  addStateProbe,
  addChecker,
  insertSystem,
  probeData,
  run,
  Lif,
  LifRef,
  One2One,
  EventCSRLinear,
  FixedProb,
  FromList,
  Expon,
  COBA,
  MgBlock,
  HalfProjAlignPost,
  FullProjAlignPost,
} from '@spikecs/systems'
import { assertSameArray } from '../support/compare.js'
import { assertRefused } from '../support/refusal.js'

for (const fuse of [true, false]) {
  test(`MgBlock without magnesium (ccMg = 0) is COBA even where exp(α(vOffset − V)) overflows (${fuse ? 'fused' : 'unfused'})`, () => {
    // Found as: Lif with R = 229, tau = 0.001 ms, input −50 → V = −11448 mV, MgBlock(ccMg = 0): B = 1/(1 + 0·∞)
    // was NaN. With ccMg = 0, B(V) = 1 for every V, so the output must equal COBA(E) bit for bit.
    const trace = (out: ReturnType<typeof COBA>) => {
      const world = createWorld({ dtype: 'float64', fuse })
      const p = addPopulation(world, 'p', Lif({ size: 2, R: 229, tau: 0.001, v0: -20000 }))
      const buf = addSpikeBuffer(world, 'b', 2)
      addProjection(world, 'in', HalfProjAlignPost({ source: buf, comm: One2One({ weight: 1 }), syn: Expon({ tau: 5 }), out, post: p }))
      addInput(world, p, -50)
      addChecker(world, { every: 1 })
      buf.indices[0] = 0
      buf.count = 1 // one event into neuron 0 in tick 0
      const probe = addStateProbe(world, p, 'V', [0, 1])
      run(world, 5)
      return probeData(probe).values
    }
    const mg = trace(MgBlock({ E: 0, ccMg: 0 }))
    assert.ok(mg.every((v) => Number.isFinite(v)) && mg[1] < -10000, `V = ${mg[0]}, ${mg[1]}`)
    assertSameArray(mg, trace(COBA({ E: 0 })), 'MgBlock(ccMg = 0) vs COBA')
  })
}

// Values of the wrong type that a JavaScript caller (or a configuration file) can pass: each used to escape as a
// TypeError from inside a constructor; each is now refused like any other bad value.
const net = () => {
  const world = createWorld()
  return { world, E: addPopulation(world, 'E', LifRef({ size: 5 })) }
}
const proj = (over: Record<string, unknown>) => {
  const { world, E } = net()
  return addProjection(
    world,
    'p',
    FullProjAlignPost({ pre: E, post: E, comm: One2One({ weight: 1 }), syn: Expon(), out: COBA({ E: 0 }), ...over } as never),
  )
}
const typeCases: [string, () => unknown, string][] = [
  [
    'a null CSR weight with FixedProb',
    () => proj({ comm: EventCSRLinear({ conn: FixedProb({ prob: 0.1 }), weight: null as never }) }),
    "projection 'p' (FullProjAlignPost) comm EventCSRLinear: weight must be a number or an " +
      'initializer (normal/uniform) with FixedProb (got null)',
  ],
  [
    'a null CSR weight with FromList',
    () => proj({ comm: EventCSRLinear({ conn: FromList({ pre: [0], post: [1] }), weight: null as never }) }),
    "projection 'p' (FullProjAlignPost) comm EventCSRLinear: weight must be a number or an array of numbers (got null)",
  ],
  [
    'null output parameters',
    () => proj({ out: MgBlock(null as never) }),
    "projection 'p' (FullProjAlignPost) output MgBlock: parameters must be an object of parameters " +
      '(known: E, ccMg, alpha, beta, vOffset) (got null)',
  ],
  [
    'missing comm parameters',
    () => proj({ comm: One2One(undefined as never) }),
    "projection 'p' (FullProjAlignPost) comm One2One: parameters must be an object of parameters " +
      '(known: nPre, nPost, weight) (got undefined)',
  ],
  [
    'a FromList without pre indices',
    () => proj({ comm: EventCSRLinear({ conn: FromList({ pre: null as never, post: [1] }), weight: 1 }) }),
    "projection 'p' (FullProjAlignPost) comm EventCSRLinear FromList: pre must be an array of neuron indices (got null)",
  ],
  [
    'probe indices null',
    () => {
      const { world, E } = net()
      addStateProbe(world, E, 'V', null as never)
    },
    "state probe 'probe0': indices must be an array of neuron indices (got null)",
  ],
  [
    'insertSystem without an anchor',
    () => {
      const { world } = net()
      insertSystem(world, () => {}, null as never)
    },
    'insertSystem: where must be { before: system } or { after: system } (got null)',
  ],
]
for (const [name, fn, message] of typeCases) {
  test(`refused, not a TypeError: ${name}`, () => {
    assertRefused(fn, message, name)
  })
}

test.run()
