// A single presynaptic spike through each of the four projection kinds: the bound conductance equals the
// closed form from the tick at which docs/semantics.md says it arrives — for Mg states g = Δ·a^(k+1), for non-Mg g = Δ·a^k,
// k = ticks since arrival, a = e^(−dt/τ) — and is exactly 0 before.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type World } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addInput,
  addStateProbe,
  addSpikeMonitor,
  addSpikeBuffer,
  pushSpike,
  insertSystem,
  probeData,
  spikeData,
  run,
  CommSystem,
  Lif,
  LifRef,
  One2One,
  Expon,
  COBA,
  FullProjAlignPost,
  FullProjAlignPostMg,
  HalfProjAlignPost,
  HalfProjAlignPostMg,
  fromQueue,
} from '@spikecs/systems'

const dt = 0.1,
  tau = 5,
  delta = 0.5,
  SPIKE_TICK = 7,
  TICKS = 60

/** A one-neuron population that spikes in tick SPIKE_TICK only (a pulse of input; long refractory period). */
function source(world: World) {
  const pre = addPopulation(world, 'pre', LifRef({ size: 1, vRest: -60, vTh: -50, vReset: -60, tau: 1, tauRef: 100, v0: -60 }))
  const series = new Float64Array(TICKS)
  series[SPIKE_TICK] = 1000
  addInput(world, pre, { series })
  return pre
}

function post(world: World) {
  return addPopulation(world, 'post', Lif({ size: 1, vRest: -60, vTh: -50, vReset: -60, tau: 10, v0: -60 }))
}

function expectTrace(values: Float64Array, arrival: number, merged: boolean, dtype: 'float32' | 'float64', what: string) {
  const a = Math.exp(-dt / tau)
  const tol = dtype === 'float32' ? 3e-6 : 1e-12
  for (let k = 0; k < values.length; k++) {
    if (k < arrival) {
      assert.is(values[k], 0, `${what}: g must be 0 before tick ${arrival} (tick ${k})`)
      continue
    }
    const want = delta * a ** (k - arrival + (merged ? 1 : 0))
    assert.ok(Math.abs(values[k] - want) <= tol * want * (1 + k - arrival), `${what}: tick ${k}: ${values[k]} vs ${want}`)
  }
}

for (const dtype of ['float32', 'float64'] as const) {
  for (const kind of ['FullProjAlignPostMg', 'FullProjAlignPost'] as const) {
    for (const delay of [0, 0.1, 0.2, 1.0, 2.0]) {
      test(`${kind}, delay ${delay} ms (${dtype}): arrives at j + max(1, round(D/dt)), next to a 1.5 ms entry on the same queue`, () => {
        const world = createWorld({ dtMs: dt, dtype })
        const pre = source(world)
        const p = post(world)
        const make = kind === 'FullProjAlignPostMg' ? FullProjAlignPostMg : FullProjAlignPost
        const proj = addProjection(
          world,
          'P',
          make({ pre, delay, comm: One2One({ weight: delta }), syn: Expon({ tau }), out: COBA({ E: 0 }), post: p }),
        )
        // A second entry of a different length on the same presynaptic queue (its own state: different τ).
        const other = addProjection(
          world,
          'Q',
          make({ pre, delay: 1.5, comm: One2One({ weight: delta }), syn: Expon({ tau: tau + 1 }), out: COBA({ E: 0 }), post: p }),
        )
        const probe = addStateProbe(world, proj, 'g', [0])
        const probeQ = addStateProbe(world, other, 'g', [0])
        const spikes = addSpikeMonitor(world, pre)
        run(world, TICKS * dt)
        assert.equal(Array.from(spikeData(spikes).ticks), [SPIKE_TICK])
        assert.is(pre.queue?.length, Math.max(1, Math.round(delay / dt), 15), 'queue length = longest entry')
        const arrival = SPIKE_TICK + Math.max(1, Math.round(delay / dt))
        expectTrace(probeData(probe).values, arrival, kind === 'FullProjAlignPostMg', dtype, `${kind} ${delay} ms`)
        const q = probeData(probeQ).values
        const arrQ = SPIKE_TICK + 15
        for (let k = 0; k < arrQ; k++) assert.is(q[k], 0)
        assert.ok(q[arrQ] > 0, 'the 1.5 ms entry arrives at j + 15')
      })
    }
  }

  for (const kind of ['HalfProjAlignPostMg', 'HalfProjAlignPost'] as const) {
    test(`${kind} (${dtype}): a queue-read slice arrives one tick later`, () => {
      const world = createWorld({ dtMs: dt, dtype })
      const pre = source(world)
      const p = post(world)
      const make = kind === 'HalfProjAlignPostMg' ? HalfProjAlignPostMg : HalfProjAlignPost
      const proj = addProjection(
        world,
        'P',
        make({ source: fromQueue(pre), comm: One2One({ weight: delta }), syn: Expon({ tau }), out: COBA({ E: 0 }), post: p }),
      )
      const probe = addStateProbe(world, proj, 'g', [0])
      run(world, TICKS * dt)
      expectTrace(probeData(probe).values, SPIKE_TICK + 1, kind === 'HalfProjAlignPostMg', dtype, kind)
    })

    test(`${kind} (${dtype}): a buffer filled by a user system arrives in the same tick`, () => {
      const world = createWorld({ dtMs: dt, dtype })
      const p = post(world)
      const buf = addSpikeBuffer(world, 'ext', 1)
      const make = kind === 'HalfProjAlignPostMg' ? HalfProjAlignPostMg : HalfProjAlignPost
      const proj = addProjection(
        world,
        'P',
        make({ source: buf, comm: One2One({ weight: delta }), syn: Expon({ tau }), out: COBA({ E: 0 }), post: p }),
      )
      insertSystem(
        world,
        (w) => {
          if (w.tick === SPIKE_TICK) pushSpike(buf, 0)
        },
        { before: CommSystem },
      )
      const probe = addStateProbe(world, proj, 'g', [0])
      run(world, TICKS * dt)
      expectTrace(probeData(probe).values, SPIKE_TICK, kind === 'HalfProjAlignPostMg', dtype, `${kind} buffer`)
      assert.is(buf.count, 0, 'CommSystem empties the buffer')
    })
  }
}

test('Mg versus non-Mg single-spike response: the peaks differ by exactly one factor a (float64)', () => {
  const peaks: number[] = []
  for (const make of [FullProjAlignPostMg, FullProjAlignPost]) {
    const world = createWorld({ dtMs: dt, dtype: 'float64' })
    const pre = source(world)
    const p = post(world)
    const proj = addProjection(
      world,
      'P',
      make({ pre, comm: One2One({ weight: delta }), syn: Expon({ tau }), out: COBA({ E: 0 }), post: p }),
    )
    const probe = addStateProbe(world, proj, 'g', [0])
    run(world, TICKS * dt)
    peaks.push(Math.max(...probeData(probe).values))
  }
  assert.ok(Math.abs(peaks[0] / peaks[1] - Math.exp(-dt / tau)) < 1e-12)
})

test('a delay that is not a whole number of ticks is refused, unless rounding is asked for', () => {
  const world = createWorld({ dtMs: dt })
  const pre = source(world)
  const p = post(world)
  const desc = { pre, delay: 0.25, comm: One2One({ weight: delta }), syn: Expon({ tau }), out: COBA({ E: 0 }), post: p }
  assert.throws(
    () => addProjection(world, 'P', FullProjAlignPost(desc)),
    /projection 'P' \(FullProjAlignPost\): delay must be a whole number of ticks of dt = 0.1 ms \(it is 2.5 ticks.*\(got 0.25\)/,
  )
  const proj = addProjection(world, 'P', FullProjAlignPost({ ...desc, roundDelay: true }))
  assert.is(proj.source.kind === 'queue' && proj.source.latency, 3)
})

test.run()
