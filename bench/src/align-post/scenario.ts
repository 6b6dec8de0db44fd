/**
 * Align-post decay, ns per neuron-state: `AlignPostSystem` of a `fuse: false` world (kernel js; the
 * WebAssembly kernel always fuses this slot into the neuron update) on two Expon states of 4000 neurons,
 * refilled before each tick with coba's conductances. Non-Mg states bind g to the output's `cond` and store it
 * decayed; Mg states decay in place. Baseline: the same loops over Float32Arrays.
 */
import { createWorld } from '@spikecs/ecs-core'
import {
  AlignPostSystem,
  COBA,
  EventJitFPHomoLinear,
  Expon,
  FullProjAlignPost,
  FullProjAlignPostMg,
  LifRef,
  addPopulation,
  addProjection,
  planOf,
} from '@spikecs/systems'
import type { CobaSnapshot } from '../lib/fixtures.js'
import type { MicroScenario } from '../lib/micro.js'

function decayWorld(mg: boolean, n: number) {
  const world = createWorld({ seed: 1, fuse: false })
  const pop = addPopulation(world, 'N', LifRef({ size: n }))
  const Proj = mg ? FullProjAlignPostMg : FullProjAlignPost
  for (const [name, tau, E] of [
    ['exc', 5, 0],
    ['inh', 10, -80],
  ] as const) {
    addProjection(
      world,
      name,
      Proj({ pre: pop, post: pop, comm: EventJitFPHomoLinear({ prob: 0.02, weight: 1 }), syn: Expon({ tau }), out: COBA({ E }) }),
    )
  }
  planOf(world)
  const states = pop.states.map((s) => ({ g: s.cols.g.array as Float32Array, cond: s.cond.array as Float32Array, a: s.derived[0] }))
  return { world, states }
}

function scenario(mg: boolean, snap: CobaSnapshot): MicroScenario {
  const n = snap.n
  const fill = [snap.gE, snap.gI]
  const { world, states } = decayWorld(mg, n)
  const plain = states.map((s) => ({ g: new Float32Array(n), cond: new Float32Array(n), a: s.a }))
  const plainTick = mg
    ? () => {
        for (let k = 0; k < plain.length; k++) {
          const g = plain[k].g,
            a = plain[k].a
          g.set(fill[k])
          for (let i = 0; i < n; i++) g[i] = g[i] * a
        }
      }
    : () => {
        for (let k = 0; k < plain.length; k++) {
          const g = plain[k].g,
            c = plain[k].cond,
            a = plain[k].a
          g.set(fill[k])
          for (let i = 0; i < n; i++) {
            const x = g[i]
            c[i] = x
            g[i] = x * a
          }
        }
      }
  const caseTick = () => {
    states[0].g.set(fill[0])
    states[1].g.set(fill[1])
    AlignPostSystem(world)
  }
  return {
    id: `align-post-${mg ? 'mg' : 'plain'}`,
    title: `align-post decay, 2 Expon states × 4000 neurons, ${mg ? 'Mg (decay in place)' : 'non-Mg (bind cond, then decay)'}`,
    unit: 'neuron-state',
    baseline: { name: 'plain Float32Array loop', units: 2 * n, fn: plainTick },
    cases: [{ name: 'AlignPostSystem (js, fuse: false)', units: 2 * n, info: { kernel: 'js', mg }, fn: caseTick }],
    check: () => {
      caseTick()
      plainTick()
      for (let k = 0; k < 2; k++) {
        for (let i = 0; i < n; i++) {
          if (!Object.is(states[k].g[i], plain[k].g[i]) || (!mg && !Object.is(states[k].cond[i], plain[k].cond[i]))) {
            return `state ${k} differs from the plain loop at neuron ${i}`
          }
        }
      }
      return null
    },
  }
}

export function alignPostScenarios(snap: CobaSnapshot): MicroScenario[] {
  return [scenario(false, snap), scenario(true, snap)]
}
