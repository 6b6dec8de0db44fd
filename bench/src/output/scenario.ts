/**
 * Outputs, ns per neuron-output: `OutputSystem` of a `fuse: false` world (kernel js) with two COBA outputs on
 * 4000 neurons, adding g to Σg and g·E to Σg·E (Float64Array sums) from coba's conductances. The sums are
 * never consumed here (no `NeuronSystem`), so they just grow; double additions cost the same at any value.
 * Baseline: the same two loops over plain arrays.
 */
import { createWorld } from '@spikecs/ecs-core'
import {
  COBA,
  EventJitFPHomoLinear,
  Expon,
  FullProjAlignPost,
  LifRef,
  OutputSystem,
  addPopulation,
  addProjection,
  planOf,
} from '@spikecs/systems'
import type { CobaSnapshot } from '../lib/fixtures.js'
import type { MicroScenario } from '../lib/micro.js'

export function outputScenarios(snap: CobaSnapshot): MicroScenario[] {
  const n = snap.n
  const world = createWorld({ seed: 1, fuse: false })
  const pop = addPopulation(world, 'N', LifRef({ size: n }))
  const rev = [0, -80]
  for (const [name, tau, E] of [
    ['exc', 5, rev[0]],
    ['inh', 10, rev[1]],
  ] as const) {
    addProjection(
      world,
      name,
      FullProjAlignPost({
        pre: pop,
        post: pop,
        comm: EventJitFPHomoLinear({ prob: 0.02, weight: 1 }),
        syn: Expon({ tau }),
        out: COBA({ E }),
      }),
    )
  }
  const plan = planOf(world)
  pop.states[0].cond.array.set(snap.gE)
  pop.states[1].cond.array.set(snap.gI)
  const inp = plan.neurons[0].inp
  const cond = [Float32Array.from(snap.gE), Float32Array.from(snap.gI)]
  const G = new Float64Array(n),
    GE = new Float64Array(n)
  const plainTick = () => {
    for (let k = 0; k < 2; k++) {
      const c = cond[k],
        E = rev[k]
      for (let i = 0; i < n; i++) {
        const g = c[i]
        G[i] += g
        GE[i] += g * E
      }
    }
  }
  return [
    {
      id: 'output-coba',
      title: 'outputs, 2 COBA outputs × 4000 neurons into Σg, Σg·E',
      unit: 'neuron-output',
      baseline: { name: 'plain loop (Float32Array g into Float64Array sums)', units: 2 * n, fn: plainTick },
      cases: [{ name: 'OutputSystem (js, fuse: false)', units: 2 * n, info: { kernel: 'js' }, fn: () => OutputSystem(world) }],
      check: () => {
        inp.G.fill(0)
        inp.GE.fill(0)
        G.fill(0)
        GE.fill(0)
        OutputSystem(world)
        plainTick()
        for (let i = 0; i < n; i++) {
          if (!Object.is(inp.G[i], G[i]) || !Object.is(inp.GE[i], GE[i])) return `sums differ from the plain loop at neuron ${i}`
        }
        return null
      },
    },
  ]
}
