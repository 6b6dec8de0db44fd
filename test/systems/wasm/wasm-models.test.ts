// The WebAssembly kernels generated from the model records (wasm/model-kernels.ts), float32 in 4 lanes:
// 1. the LIF records' generated kernels against the hand-fused LIF kernels (wasm/lif-kernels.mjs), bit for bit,
//    on every LIF variant, COBA/CUBA count and Mg pattern, with and without a per-neuron input (the hand-fused
//    kernels have a variant of each kind);
// 2. every model's generated kernel against its TypeScript kernel (double arithmetic, float32 storage), with
//    every synapse kind, Mg order and output: the same spikes over 80 ms and V within a per-family tolerance —
//    the largest difference measured over that horizon times about three (it peaks during the fast upswing of a
//    spike: ExpIF/AdExIF's exponential, Izhikevich's and HH's action potentials); the same spike counts over 500 ms.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  step,
  neuronModels,
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
  type SynapseDesc,
  type OutputDesc,
} from '@spikecs/systems'

test(
  'LIF records: the generated WebAssembly kernels equal the hand-fused LIF kernels bit for bit ' +
    '(every variant, COBA/CUBA count, Mg pattern, with and without a per-neuron input)',
  () => {
    const models = ['Lif', 'LifRef', 'LifLTC', 'LifRefLTC'].flatMap((m) => [true, false].map((perNeuron) => [m, perNeuron] as const))
    for (const [model, perNeuron] of models) {
      for (const [nCoba, nCuba] of [
        [0, 0],
        [1, 0],
        [2, 0],
        [0, 1],
        [1, 1],
        [2, 2],
      ]) {
        for (const mg of ['n', 'm', 'x']) {
          if (nCoba + nCuba === 0 && mg !== 'n') continue
          const worlds = [true, false].map((hand) => {
            const w = createWorld({ seed: 4, kernel: 'wasm', dtype: 'float32' })
            if (!hand) w.caches.set('wasm:lif-fused', false)
            const src = addPopulation(w, 'src', PoissonGroup({ size: 40, rateHz: 50 }))
            const pop = addPopulation(w, 'p', {
              model,
              size: 45,
              given: { v0: Array.from({ length: 45 }, (_, i) => (i * 7) % 20), ...(model.includes('Ref') ? { tauRef: 2 } : {}) },
            })
            // Without the per-neuron part, a drive above threshold (V_th = 20 mV) on its own.
            addInput(w, pop, perNeuron ? 18 : 22)
            if (perNeuron) {
              addInput(w, pop, {
                fn: (_t: number, tMs: number, out: Float64Array) =>
                  out.forEach((_, i) => {
                    out[i] = (i % 5) * Math.sin(tMs / 7)
                  }),
                perNeuron: true,
              })
            }
            for (let k = 0; k < nCoba + nCuba; k++) {
              const merged = mg === 'm' || (mg === 'x' && k % 2 === 1)
              addProjection(
                w,
                `pr${k}`,
                (merged ? FullProjAlignPostMg : FullProjAlignPost)({
                  pre: src,
                  post: pop,
                  delay: 0.1,
                  comm: EventCSRLinear({ conn: FixedProb({ prob: 0.3 }), weight: k < nCoba ? 0.3 : 2 }),
                  syn: Expon({ tau: 3 + k }),
                  out: k < nCoba ? COBA({ E: k % 2 === 0 ? 60 : -20 }) : CUBA(),
                }),
              )
            }
            return w
          })
          const [a, b] = worlds
          assert.is(describePlan(a)[1].kernel, 'wasm-fused')
          assert.is(describePlan(b)[1].kernel, 'wasm')
          const pa = a.components.Population.list[1],
            pb = b.components.Population.list[1]
          let spikes = 0
          for (let t = 0; t < 400; t++) {
            step(a)
            step(b)
            assert.equal(Array.from(pa.spikes.array.subarray(0, pa.nSpikes)), Array.from(pb.spikes.array.subarray(0, pb.nSpikes)))
            spikes += pa.nSpikes
            for (const v of ['V', 'lastSpike']) {
              const x = pa.state[v].array,
                y = pb.state[v].array
              for (let i = 0; i < pa.size; i++)
                if (!Object.is(x[i], y[i]))
                  assert.unreachable(`${model} ${nCoba}/${nCuba}/${mg} ${perNeuron}: ${v}[${i}] tick ${t}: ${x[i]} vs ${y[i]}`)
            }
          }
          a.components.SynapseState.list.forEach((s, k) => {
            const t = b.components.SynapseState.list[k]
            assert.equal(Array.from(s.cols.g.array), Array.from(t.cols.g.array), 'synapse states')
          })
          assert.ok(spikes > 0, `${model} spiked`)
        }
      }
    }
  },
)

interface Drive {
  v0: [number, number]
  g: number
  I: number
  E: [number, number]
  tol: number
}
/** Drive per family, and the V tolerance (mV) over 80 ms (measured largest difference in brackets). */
const DRIVES: [string, Drive][] = [
  ['AdQuaIF', { v0: [-70, -60], g: 0.2, I: 6, E: [0, -80], tol: 1e-3 }], // [2.8e-4]
  ['QuaIF', { v0: [-70, -60], g: 0.2, I: 4, E: [0, -80], tol: 1e-3 }], // [2.3e-4]
  ['AdExIF', { v0: [-70, -60], g: 0.2, I: 4, E: [0, -80], tol: 0.06 }], // [2.0e-2]
  ['ExpIF', { v0: [-70, -60], g: 0.2, I: 4, E: [0, -80], tol: 0.06 }], // [1.6e-2]
  ['Izhikevich', { v0: [-75, -60], g: 0.05, I: 6, E: [0, -80], tol: 0.75 }], // [0.25]
  ['Gif', { v0: [-70, -60], g: 0.01, I: 1.2, E: [0, -80], tol: 1e-4 }], // [1.9e-5]
  ['Lif', { v0: [0, 20], g: 0.3, I: 15, E: [60, -20], tol: 1e-4 }], // [3.0e-5]
  ['IF', { v0: [0, 10], g: 0.3, I: 15, E: [60, -20], tol: 1e-4 }], // [1.8e-5]
  ['HH', { v0: [-75, -60], g: 8, I: 0, E: [0, -80], tol: 0.8 }], // [0.27]
]
const driveOf = (kind: string): Drive => DRIVES.find(([f]) => kind.startsWith(f))![1]

const SYN: Record<string, () => SynapseDesc> = {
  Expon: () => Expon({ tau: 5 }),
  DualExponV2: () => DualExponV2({}),
  Alpha: () => Alpha({ tauDecay: 3 }),
  DualExpon: () => DualExpon({}),
}

/** 61 uncoupled neurons fed by a Poisson source through `syns` × both Mg orders, outputs cycling COBA/COBA/CUBA/MgBlock. */
function network(kind: string, kernel: 'wasm' | 'js', syns: string[]): World {
  const w = createWorld({ seed: 9, kernel, dtype: 'float32' })
  const d = driveOf(kind)
  const src = addPopulation(w, 'src', PoissonGroup({ size: 50, rateHz: 40 }))
  const n = 61
  const v0 = Array.from({ length: n }, (_, i) => d.v0[0] + ((d.v0[1] - d.v0[0]) * ((i * 37) % n)) / n)
  const pop = addPopulation(w, 'p', { model: kind, size: n, given: { v0, ...(kind.includes('Ref') ? { tauRef: 2 } : {}) } })
  if (d.I) addInput(w, pop, d.I)
  const outs: (() => OutputDesc)[] = [() => COBA({ E: d.E[0] }), () => COBA({ E: d.E[1] }), () => CUBA(), () => MgBlock({ E: 0 })]
  let k = 0
  for (const s of syns) {
    for (const mg of [false, true]) {
      const weight = (k % 4 === 2 ? d.I * 0.3 + 0.5 : d.g) * (k % 4 === 1 ? 2 : 1)
      addProjection(
        w,
        `pr${k}`,
        (mg ? FullProjAlignPostMg : FullProjAlignPost)({
          pre: src,
          post: pop,
          delay: 0.1 * (1 + (k % 2)),
          comm: EventCSRLinear({ conn: FixedProb({ prob: 0.2 }), weight }),
          syn: SYN[s](),
          out: outs[k % outs.length](),
        }),
      )
      k++
    }
  }
  return w
}

const kinds = Object.keys(neuronModels).filter((k) => neuronModels[k].record !== null)
for (const syns of [['Expon'], Object.keys(SYN)]) {
  test(
    `every model's generated WebAssembly kernel against its TypeScript kernel: same spikes over 80 ` +
      `ms, V within tolerance (${syns.join(', ')})`,
    () => {
      for (const kind of kinds) {
        const a = network(kind, 'wasm', syns),
          b = network(kind, 'js', syns)
        assert.ok(describePlan(a)[1].kernel.startsWith('wasm'), `${kind} runs a WebAssembly kernel`)
        const pa = a.components.Population.list[1],
          pb = b.components.Population.list[1]
        const tol = driveOf(kind).tol
        let spikes = 0,
          maxDV = 0
        for (let t = 0; t < 800; t++) {
          step(a)
          step(b)
          assert.equal(
            Array.from(pa.spikes.array.subarray(0, pa.nSpikes)),
            Array.from(pb.spikes.array.subarray(0, pb.nSpikes)),
            `${kind} spikes in tick ${t}`,
          )
          spikes += pa.nSpikes
          for (let i = 0; i < pa.size; i++) maxDV = Math.max(maxDV, Math.abs(pa.state.V.array[i] - pb.state.V.array[i]))
        }
        assert.ok(maxDV <= tol, `${kind}: V differs by ${maxDV} mV (tolerance ${tol})`)
        if (!kind.startsWith('IF')) assert.ok(spikes > 20, `${kind} spiked (${spikes})`)
      }
    },
  )
}

test(
  'HH, HHLTC, AdExIF, Izhikevich: generated WebAssembly and TypeScript kernels give the same spike ' + 'count over 500 ms (within 1%)',
  () => {
    for (const kind of ['HH', 'HHLTC', 'AdExIFRefLTC', 'IzhikevichRef']) {
      const a = network(kind, 'wasm', Object.keys(SYN)),
        b = network(kind, 'js', Object.keys(SYN))
      const pa = a.components.Population.list[1],
        pb = b.components.Population.list[1]
      let sa = 0,
        sb = 0
      for (let t = 0; t < 5000; t++) {
        step(a)
        step(b)
        sa += pa.nSpikes
        sb += pb.nSpikes
      }
      assert.ok(sb > 500 && Math.abs(sa - sb) <= 0.01 * sb, `${kind}: ${sa} vs ${sb} spikes`)
    }
  },
)

test.run()
