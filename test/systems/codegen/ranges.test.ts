// Every generated kernel takes a neuron range [from, to): running a population's kernels over two ranges (split
// at a multiple of 4, as a thread split would) gives the same spikes, in the same order, and the same state bit
// for bit as one call over the whole population — for the fused and unfused TypeScript kernels and the
// WebAssembly kernels generated from the records.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  step,
  setPipeline,
  planOf,
  DelaySystem,
  CommSystem,
  AlignPostSystem,
  OutputSystem,
  MonitorSystem,
  ClockSystem,
  FullProjAlignPost,
  FullProjAlignPostMg,
  EventCSRLinear,
  FixedProb,
  Expon,
  DualExpon,
  COBA,
  CUBA,
  MgBlock,
  PoissonGroup,
  prepareModelTask,
  runModelRange,
} from '@spikecs/systems'

function network(model: string, kernel: 'wasm' | 'js', fuse: boolean): World {
  const w = createWorld({ seed: 2, kernel, fuse, dtype: 'float32' })
  const src = addPopulation(w, 'src', PoissonGroup({ size: 60, rateHz: 60 }))
  const hh = model.startsWith('HH')
  const pop = addPopulation(w, 'p', { model, size: 53, given: { v0: hh ? -65 : 0, ...(model.includes('Ref') ? { tauRef: 1 } : {}) } })
  const g = hh ? 20 : 0.5
  addProjection(
    w,
    'e',
    FullProjAlignPost({
      pre: src,
      post: pop,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.4 }), weight: g }),
      syn: Expon({ tau: 4 }),
      out: COBA({ E: hh ? 0 : 60 }),
    }),
  )
  addProjection(
    w,
    'c',
    FullProjAlignPostMg({
      pre: src,
      post: pop,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.3 }), weight: hh ? 200 : 3 }),
      syn: DualExpon({}),
      out: CUBA(),
    }),
  )
  addProjection(
    w,
    'm',
    FullProjAlignPost({
      pre: src,
      post: pop,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.2 }), weight: g }),
      syn: Expon({ tau: 8 }),
      out: MgBlock({ E: 0 }),
    }),
  )
  return w
}

/** NeuronSystem for populations without external input, each kernel run over [0, 20) then [20, n). */
function splitNeuronSystem(world: World): void {
  const tick = world.tick
  for (const t of planOf(world).neurons) {
    const pop = t.pop,
      n = pop.size
    if (t.wasm !== null && t.wasm.kind === 'model') {
      prepareModelTask(t.wasm, t.inp)
      pop.nSpikes = runModelRange(t.wasm, tick, 20, n, runModelRange(t.wasm, tick, 0, 20, 0))
    } else if (t.kernel !== null) {
      pop.nSpikes = t.kernel(pop, t.inp, tick, 20, n, t.kernel(pop, t.inp, tick, 0, 20, 0))
    } else t.model.update(pop, t.inp, tick)
  }
}

for (const [kernel, fuse] of [
  ['js', true],
  ['js', false],
  ['wasm', true],
] as const) {
  test(`kernels over two ranges equal one call over the population (${kernel}, ${fuse ? 'fused' : 'unfused'})`, () => {
    for (const model of ['LifRefLTC', 'AdExIFRef', 'GifLTC', 'HHLTC']) {
      const a = network(model, kernel, fuse),
        b = network(model, kernel, fuse)
      setPipeline(b, [DelaySystem, CommSystem, AlignPostSystem, OutputSystem, splitNeuronSystem, MonitorSystem, ClockSystem])
      if (kernel === 'wasm') assert.is(planOf(b).neurons[1].wasm?.kind, 'model', `${model} runs the generated kernels`)
      const pa = a.components.Population.list[1],
        pb = b.components.Population.list[1]
      let spikes = 0
      for (let t = 0; t < 300; t++) {
        step(a)
        step(b)
        assert.equal(Array.from(pb.spikes.array.subarray(0, pb.nSpikes)), Array.from(pa.spikes.array.subarray(0, pa.nSpikes)))
        spikes += pa.nSpikes
        for (const v of Object.keys(pa.state)) {
          for (let i = 0; i < pa.size; i++)
            if (!Object.is(pa.state[v].array[i], pb.state[v].array[i])) assert.unreachable(`${model} ${v}[${i}] tick ${t}`)
        }
      }
      assert.ok(spikes > 0, `${model} spiked`)
    }
  })
}

test.run()
