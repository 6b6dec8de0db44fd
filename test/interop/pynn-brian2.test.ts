// Interop with real PyNN 0.10 + Brian2 (`pnpm test:interop`; Debian: apt-get install python3-pynn python3-brian).
// Exported scripts run under /usr/bin/python3 with pyNN.brian2 (numpy code generation, HOME in a temporary
// folder for Brian2's cache) and are compared with spikecs running the same world:
// - coba scaled to 400 neurons (scale 0.1: 80 inputs each), exact connectivity, seeds 1–3, 1 s: each
//   seed's E and I rates within 20 % of spikecs's, the 3-seed means within 10 %.
//   Measured (spikecs → PyNN/Brian2, Hz): seed 1 E 15.78 → 17.00, I 19.21 → 20.43; seed 2 E 14.70 → 15.05,
//   I 16.84 → 17.07; seed 3 E 15.62 → 16.22, I 18.98 → 20.07 (seeds 4, 5: E 19.96 → 18.53, 28.18 → 24.41).
// - single-synapse PSPs (one presynaptic spike at t = 0 into four neurons at rest: COBA excitatory, COBA
//   excitatory through an Mg projection with a 2 ms delay, COBA inhibitory, CUBA): Brian2 delivers a delayed
//   spike after the state update of its arrival step, so every PSP starts exactly one tick (0.1 ms) later than
//   in spikecs — the measured offset. After removing that tick the peak times agree within 0.075 ms
//   (conductance PSPs: pyNN.brian2 integrates IF_cond_exp with forward Euler, whose faster synaptic decay
//   moves the peak 0.06–0.07 ms earlier) and within 0.01 ms for the exactly integrated current PSP
//   (measured +0.003 ms); amplitudes agree within 1.5 % (measured −0.43 %, −0.44 %, −0.04 %, −1.0 %).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import { createWorld } from '@spikecs/ecs-core'
import {
  addPopulation,
  addProjection,
  addStateProbe,
  probeData,
  run,
  spikeData,
  COBA,
  CUBA,
  EventCSRLinear,
  Expon,
  FromList,
  FullProjAlignPost,
  FullProjAlignPostMg,
  LifRef,
  LifRefLTC,
} from '@spikecs/systems'
import { coba, exportPyNN, summarizeSpikes } from '@spikecs/presets'
import { PYTHON, onsetOf, peakOf, pool, runJson, scratch } from '../support/python.js'

const { env, write, remove } = scratch('spikecs-interop-')
const runScript = (path: string) => runJson(PYTHON, [path], env)

test('python3 has PyNN 0.10 and Brian2', () => {
  const r = spawnSync(PYTHON, ['-c', 'import pyNN, brian2; print(pyNN.__version__, brian2.__version__)'], { env, encoding: 'utf8' })
  assert.is(r.status, 0, `PyNN and Brian2 are needed (Debian: apt-get install python3-pynn python3-brian)\n${r.stderr}`)
  const [pynn, brian] = r.stdout.trim().split(' ')
  console.log(`  PyNN ${pynn}, Brian2 ${brian}`)
  assert.ok(pynn.startsWith('0.10'), `PyNN ${pynn}`)
})

test(
  "coba, 400 neurons, exact connectivity: PyNN/Brian2 reproduces spikecs's rates (each seed within " + '20 %, means within 10 %)',
  async () => {
    const seeds = [1, 2, 3]
    const rows = seeds.map((seed) => {
      const net = coba({ scale: 0.1, seed })
      const t0 = performance.now()
      const ex = exportPyNN(net.world, {
        durationMs: 1000,
        groups: net.groups,
        dataFile: `coba-${seed}.npz`,
        scriptName: `coba-${seed}.py`,
      })
      const exportSeconds = (performance.now() - t0) / 1000
      assert.ok(ex.data !== null && ex.synapsesExact)
      const path = write(`coba-${seed}.py`, ex)
      run(net.world, 1000)
      const rates = summarizeSpikes(spikeData(net.monitors.spikes!), net.groups, 1000).rates
      return { seed, path, rates, exportSeconds, synapses: ex.synapses }
    })
    const py = await pool(
      rows.map((r) => () => runScript(r.path)),
      2,
    )
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    rows.forEach((r, k) => {
      const p = py[k].result
      console.log(
        `  seed ${r.seed}: spikecs E ${r.rates.E.toFixed(2)} I ${r.rates.I.toFixed(2)} Hz; PyNN/Brian2 E ${p.rates.E.toFixed(2)} ` +
          `I ${p.rates.I.toFixed(2)} Hz (${r.synapses} synapses; export ${r.exportSeconds.toFixed(2)} s; Python build ` +
          `${p.buildSeconds.toFixed(1)} s, run ${p.runSeconds.toFixed(1)} s, wall ${py[k].seconds.toFixed(1)} s)`,
      )
      for (const g of ['E', 'I']) {
        assert.ok(Math.abs(p.rates[g] / r.rates[g] - 1) < 0.2, `seed ${r.seed} ${g}: PyNN ${p.rates[g]} vs spikecs ${r.rates[g]}`)
      }
    })
    for (const g of ['E', 'I']) {
      const s = mean(rows.map((r) => r.rates[g])),
        p = mean(py.map((x) => x.result.rates[g]))
      console.log(`  mean ${g}: spikecs ${s.toFixed(2)} Hz, PyNN/Brian2 ${p.toFixed(2)} Hz (${((p / s - 1) * 100).toFixed(1)} %)`)
      assert.ok(Math.abs(p / s - 1) < 0.1, `3-seed mean ${g}: PyNN ${p} vs spikecs ${s}`)
    }
  },
)

test("single-synapse PSPs: same amplitude, same peak time after the one-tick offset of Brian2's delivery", async () => {
  const dt = 0.1
  const world = createWorld({ dtMs: dt, seed: 1 })
  // One presynaptic neuron starts above threshold: it spikes in tick 0, then stays refractory for the run.
  const pre = addPopulation(world, 'pre', LifRefLTC({ size: 1, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 1000, v0: -45 }))
  const cell = { size: 1, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }
  const C = addPopulation(world, 'C', LifRefLTC(cell))
  const M = addPopulation(world, 'M', LifRefLTC(cell))
  const H = addPopulation(world, 'H', LifRefLTC(cell))
  const K = addPopulation(world, 'K', LifRef(cell))
  const one = (weight: number) => EventCSRLinear({ conn: FromList({ pre: [0], post: [0] }), weight })
  addProjection(world, 'pre2C', FullProjAlignPost({ pre, post: C, comm: one(0.6), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }))
  addProjection(
    world,
    'pre2M',
    FullProjAlignPostMg({ pre, post: M, delay: 2, comm: one(0.6), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }),
  )
  addProjection(world, 'pre2H', FullProjAlignPost({ pre, post: H, comm: one(1), syn: Expon({ tau: 10 }), out: COBA({ E: -80 }) }))
  addProjection(world, 'pre2K', FullProjAlignPost({ pre, post: K, comm: one(2), syn: Expon({ tau: 5 }), out: CUBA() }))
  const names = ['C', 'M', 'H', 'K'] as const
  const probes = [C, M, H, K].map((p) => addStateProbe(world, p, 'V', [0]))
  const ex = exportPyNN(world, { durationMs: 40, recordV: [...names], spikeTimes: true, scriptName: 'psp.py' })
  assert.is(ex.data, null)
  const path = write('psp.py', ex)
  run(world, 40)
  const { result } = await runScript(path)
  assert.equal(result.spikeTimes!.pre, [[0]], 'the presynaptic neuron spikes once, at t = 0, in PyNN too')

  for (const name of names) {
    const k = names.indexOf(name)
    const sign = name === 'H' ? -1 : 1
    // spikecs's probe sample k is V at the end of tick k, t = (k+1)·dt; PyNN's (recorded at the end of each
    // step, plus the initial value) sample j is V at t = j·dt.
    const vs = probeData(probes[k]).values
    const vp = result.v![name][0]
    const s = peakOf(vs, -60, dt, dt, sign),
      p = peakOf(vp, -60, 0, dt, sign)
    const offset = onsetOf(vp, -60, 0, dt) - onsetOf(vs, -60, dt, dt)
    const shift = p.t - dt - s.t
    console.log(
      `  ${name}: amplitude spikecs ${s.amp.toFixed(4)} mV, PyNN/Brian2 ${p.amp.toFixed(4)} mV ` +
        `(${((p.amp / s.amp - 1) * 100).toFixed(2)} %); peak ${s.t.toFixed(3)} ms vs ${p.t.toFixed(3)} ms; onset offset ` +
        `${offset.toFixed(3)} ms; peak after removing one tick ${shift >= 0 ? '+' : ''}${shift.toFixed(3)} ms`,
    )
    assert.ok(Math.abs(offset - dt) < 1e-9, `${name}: Brian2's PSP starts ${offset} ms after spikecs's, not one tick`)
    assert.ok(Math.abs(p.amp / s.amp - 1) < 0.015, `${name}: amplitude ${p.amp} vs ${s.amp}`)
    assert.ok(Math.abs(shift) < (name === 'K' ? 0.01 : 0.075), `${name}: peak ${p.t} vs ${s.t} + one tick`)
  }
  // The Mg projection's PSP is the plain one scaled by a = exp(−dt/τ), in spikecs and in PyNN alike.
  const a = Math.fround(Math.exp(-dt / 5))
  const ampOf = (v: ArrayLike<number>, t0: number) => peakOf(v, -60, t0, dt, 1).amp
  const rs = ampOf(probeData(probes[1]).values, dt) / ampOf(probeData(probes[0]).values, dt)
  const rp = ampOf(result.v!.M[0], 0) / ampOf(result.v!.C[0], 0)
  assert.ok(Math.abs(rs / a - 1) < 2e-3 && Math.abs(rp / a - 1) < 2e-3, `Mg/plain amplitude: spikecs ${rs}, PyNN ${rp}, a ${a}`)
})

test.after(remove)

test.run()
