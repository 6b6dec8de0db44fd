/**
 * Neuron update, ns per neuron-tick, 4000 neurons with the conductances of a running coba network (refilled
 * before every tick, so that they neither decay to nothing nor turn subnormal; the baseline refills too).
 *
 * - "slots 3–5": the work `NeuronSystem` does for a population whose synapses and outputs are fused into its
 *   kernel (two Expon states decay, two COBA outputs form the sums, V integrates): TypeScript fused kernel
 *   (kernel js) and the WebAssembly SIMD kernel (kernel wasm, which always fuses). Baseline: `tickFused*`.
 * - "slot 5 alone": `NeuronSystem` of a `fuse: false` world, sums prepared beforehand. Baseline: `tickNeuron*`.
 */
import { createWorld, type PopulationData, type World } from '@spikecs/ecs-core'
import {
  COBA,
  ClockSystem,
  EventJitFPHomoLinear,
  Expon,
  FullProjAlignPost,
  LifRef,
  LifRefLTC,
  NeuronSystem,
  addInput,
  addPopulation,
  addProjection,
  planOf,
} from '@spikecs/systems'
import type { CobaSnapshot } from '../lib/fixtures.js'
import type { MicroCase, MicroScenario } from '../lib/micro.js'
import { cobaConstants, plainNeurons, tickFusedLif, tickFusedLtc, tickNeuronLif, tickNeuronLtc, type PlainNeurons } from './plain.js'

type Model = 'LifRef' | 'LifRefLTC'

interface NeuronWorld {
  readonly world: World
  readonly pop: PopulationData
  /** Conductance states: excitatory, inhibitory. */
  readonly sE: Float32Array
  readonly sI: Float32Array
}

/** One population of the coba neuron model with an excitatory and an inhibitory Expon/COBA projection onto itself. */
function neuronWorld(model: Model, kernel: 'js' | 'wasm', fuse: boolean, snap: CobaSnapshot): NeuronWorld {
  const world = createWorld({ seed: 1, kernel, fuse })
  const p = { size: snap.n, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: Array.from(snap.V) }
  const pop = addPopulation(world, 'N', model === 'LifRef' ? LifRef(p) : LifRefLTC(p))
  // The comm layers are never run here; the projections exist for their synapse states and outputs.
  addProjection(
    world,
    'exc',
    FullProjAlignPost({
      pre: pop,
      post: pop,
      comm: EventJitFPHomoLinear({ prob: 0.02, weight: 0.6 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  addProjection(
    world,
    'inh',
    FullProjAlignPost({
      pre: pop,
      post: pop,
      comm: EventJitFPHomoLinear({ prob: 0.02, weight: 6.7 }),
      syn: Expon({ tau: 10 }),
      out: COBA({ E: -80 }),
    }),
  )
  addInput(world, pop, 20)
  planOf(world)
  return { world, pop, sE: pop.states[0].cols.g.array as Float32Array, sI: pop.states[1].cols.g.array as Float32Array }
}

/** Σg and Σg·E of the snapshot, as `OutputSystem` would leave them. */
function snapshotSums(snap: CobaSnapshot): { G: Float64Array; GE: Float64Array } {
  const G = new Float64Array(snap.n),
    GE = new Float64Array(snap.n)
  for (let i = 0; i < snap.n; i++) {
    G[i] = 0 + snap.gE[i] + snap.gI[i]
    GE[i] = 0 + snap.gE[i] * 0 + snap.gI[i] * -80
  }
  return { G, GE }
}

function fusedCase(name: string, w: NeuronWorld, snap: CobaSnapshot, kernel: string): MicroCase {
  const { world, sE, sI } = w
  return {
    name,
    units: snap.n,
    info: { kernel, slots: '3-5' },
    fn: () => {
      sE.set(snap.gE)
      sI.set(snap.gI)
      NeuronSystem(world)
      ClockSystem(world)
    },
  }
}

/** Runs `ticks` ticks of a case and of its plain twin from the same state; describes any difference of V. */
function compare(
  label: string,
  ticks: number,
  runCase: () => void,
  runPlain: () => void,
  a: Float32Array,
  b: Float32Array,
  exact: boolean,
): string | null {
  for (let t = 0; t < ticks; t++) {
    runCase()
    runPlain()
  }
  let off = 0,
    worst = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i])
    if (exact ? !Object.is(a[i], b[i]) : d > 1e-3) off++
    if (d > worst) worst = d
  }
  if (exact && off > 0) return `${label}: V differs from the plain loop in ${off} neurons after ${ticks} ticks (max ${worst} mV)`
  if (!exact && off > a.length / 100) return `${label}: V off by > 1e-3 mV in ${off} neurons after ${ticks} ticks`
  return null
}

export function neuronScenarios(snap: CobaSnapshot): MicroScenario[] {
  const k = cobaConstants()
  const out: MicroScenario[] = []
  for (const model of ['LifRef', 'LifRefLTC'] as const) {
    const ltc = model === 'LifRefLTC'
    const tickFused = ltc ? tickFusedLtc : tickFusedLif
    const tickNeuron = ltc ? tickNeuronLtc : tickNeuronLif
    // Slots 3–5: fused TypeScript kernel and WebAssembly kernel beside the fused plain loop.
    const plainF: PlainNeurons = plainNeurons(snap)
    const js = neuronWorld(model, 'js', true, snap)
    const wasm = neuronWorld(model, 'wasm', true, snap)
    const jsCase = fusedCase(`${model} js (fused TypeScript kernel)`, js, snap, 'js')
    const wasmCase = fusedCase(`${model} wasm (SIMD kernel)`, wasm, snap, 'wasm')
    const plainFused = (p: PlainNeurons) => () => {
      p.sE.set(snap.gE)
      p.sI.set(snap.gI)
      tickFused(p, k)
    }
    const plainCase: MicroCase = { name: `plain Float32Array loop (${model}, 2 states + 2 outputs)`, units: snap.n, fn: plainFused(plainF) }
    out.push({
      id: `neuron-${model}-fused`,
      title: `neuron update ${model}, slots 3–5 fused (decay + COBA outputs + LIF), 4000 neurons`,
      unit: 'neuron-tick',
      baseline: plainCase,
      cases: [jsCase, wasmCase],
      check: () => {
        // Fresh worlds and plain state, 300 ticks each; the TypeScript kernel must match bit for bit, the
        // WebAssembly kernel to float32 rounding (its exp is a polynomial; it is tested against the TS one).
        const problems: (string | null)[] = []
        for (const kernel of ['js', 'wasm'] as const) {
          const w = neuronWorld(model, kernel, true, snap)
          const p = plainNeurons(snap)
          problems.push(
            compare(
              `${model} ${kernel}`,
              300,
              fusedCase('', w, snap, kernel).fn,
              plainFused(p),
              w.pop.state.V.array as Float32Array,
              p.V,
              kernel === 'js',
            ),
          )
        }
        return problems.filter((x) => x !== null).join('; ') || null
      },
    })

    // Slot 5 alone: unfused NeuronSystem (kernel js) beside the plain neuron-only loop.
    const sums = snapshotSums(snap)
    const plainN = plainNeurons(snap)
    const unfused = neuronWorld(model, 'js', false, snap)
    const neuronOnly = (w: NeuronWorld): (() => void) => {
      const inp = planOf(w.world).neurons[0].inp
      return () => {
        inp.G.set(sums.G)
        inp.GE.set(sums.GE)
        NeuronSystem(w.world)
        ClockSystem(w.world)
      }
    }
    const plainOnly = (s: PlainNeurons) => () => {
      s.G.set(sums.G)
      s.GE.set(sums.GE)
      tickNeuron(s, k)
    }
    out.push({
      id: `neuron-${model}-alone`,
      title: `neuron update ${model}, slot 5 alone (fuse: false), 4000 neurons`,
      unit: 'neuron-tick',
      baseline: { name: `plain Float32Array loop (${model}, sums given)`, units: snap.n, fn: plainOnly(plainN) },
      cases: [{ name: `${model} js NeuronSystem (unfused)`, units: snap.n, info: { kernel: 'js', slots: '5' }, fn: neuronOnly(unfused) }],
      check: () => {
        const w = neuronWorld(model, 'js', false, snap)
        const s = plainNeurons(snap)
        return compare(`${model} unfused`, 300, neuronOnly(w), plainOnly(s), w.pop.state.V.array as Float32Array, s.V, true)
      },
    })
  }
  return out
}
