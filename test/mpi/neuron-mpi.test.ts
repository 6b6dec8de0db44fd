// Exported PyNN scripts on NEURON over MPI (`pnpm test:mpi`; needs openmpi-bin, python3-pynn, python3-neuron and
// pyNN.neuron's mechanisms compiled once: scripts/pynn-neuron-mechanisms.sh). Each script runs unchanged under
// `mpirun -np K /usr/bin/python3 net.py neuron`; every rank must exit 0 and only rank 0 prints the JSON line.
// - coba scaled to 400 neurons (80 inputs each), exact connectivity, seeds 1–3, 1 s, on 1 and 2 ranks (seed 1
//   also on 4): the spike lists of every rank count are identical, and the rates agree with spikecs's within
//   the bands of the Brian2 interop test (each seed within 20 %, the 3-seed means within 10 %).
// - coba with 4000 neurons, exact connectivity, seed 1, 200 ms, on 1 and 2 ranks: identical spike lists, rates
//   within 20 % of spikecs's.
// - statistical connectivity (coba with on-the-fly rows, 400 neurons, 200 ms) on 1, 2 and 4 ranks: PyNN's
//   parallel-safe generator draws the same matrix for any number of ranks, so the spike lists are identical.
// - single-synapse PSPs (COBA excitatory, COBA inhibitory, CUBA) on 1 and 2 ranks: the same V traces; against
//   spikecs, NEURON's PSP starts exactly one tick later (as under Brian2: test/interop), the amplitudes agree
//   within 1 % (measured −0.18 to −0.23 %) and the peak times, after removing that tick, within 0.05 ms
//   (measured +0.01 to +0.03 ms).
// Identity is expected: the connection lists (or the draws) are the same, NEURON's fixed step is deterministic,
// the one-tick minimum delay makes NEURON exchange spikes every step, so each spike is delivered in the same
// step for any number of ranks, and the weights of a receptor are equal, so the order of delivery within a
// step does not change any sum.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import { createWorld } from '@spikecs/ecs-core'
import {
  addInput,
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
  LifRef,
  LifRefLTC,
} from '@spikecs/systems'
import { coba, exportPyNN, summarizeSpikes, type PyNNExportOptions } from '@spikecs/presets'
import { PYTHON, onsetOf, peakOf, runJson, scratch, type PyResult } from '../support/python.js'

const { env, write, remove } = scratch('spikecs-mpi-')
const asRoot = process.getuid?.() === 0 ? ['--allow-run-as-root'] : []

/** Runs `path` on NEURON with `ranks` MPI processes; every rank must exit 0 and one JSON line be printed. */
async function mpirun(path: string, ranks: number): Promise<{ result: PyResult; seconds: number }> {
  const r = await runJson('mpirun', [...asRoot, '--oversubscribe', '-quiet', '-np', String(ranks), PYTHON, path, 'neuron'], env)
  assert.is(r.jsonLines, 1, `${path} on ${ranks} ranks: only rank 0 prints`)
  assert.is(r.result.ranks, ranks, `${path}: ranks in the JSON line`)
  return { result: r.result, seconds: r.seconds }
}

/** The first neuron whose spike times differ between two runs, or null. */
function firstSpikeDifference(a: PyResult, b: PyResult): string | null {
  for (const pop of Object.keys(a.spikeTimes!)) {
    const x = a.spikeTimes![pop],
      y = b.spikeTimes![pop]
    if (x.length !== y.length) return `${pop}: ${x.length} vs ${y.length} neurons`
    for (let i = 0; i < x.length; i++) {
      if (x[i].length !== y[i].length || x[i].some((t, k) => t !== y[i][k])) return `${pop}[${i}]: ${x[i].join(' ')} vs ${y[i].join(' ')}`
    }
  }
  return null
}

function assertSameSpikes(a: PyResult, b: PyResult, what: string): void {
  const d = firstSpikeDifference(a, b)
  assert.ok(d === null, `${what}: spike lists differ at ${d}`)
  assert.ok(a.spikes > 0, `${what}: no spikes`)
}

const fmt = (r: Record<string, number>) => `E ${r.E.toFixed(2)} I ${r.I.toFixed(2)} Hz`
const times = (r: { result: PyResult; seconds: number }) =>
  `wall ${r.seconds.toFixed(1)} s (build ${r.result.buildSeconds.toFixed(1)} s, run ${r.result.runSeconds.toFixed(1)} s)`

/** A coba network exported to `name`.py (spike times printed) and spikecs's rates for the same world. */
function cobaCase(name: string, options: Parameters<typeof coba>[0], durationMs: number, ex: PyNNExportOptions = {}) {
  const net = coba(options)
  const out = exportPyNN(net.world, {
    durationMs,
    groups: net.groups,
    spikeTimes: true,
    dataFile: `${name}.npz`,
    scriptName: `${name}.py`,
    ...ex,
  })
  const path = write(`${name}.py`, out)
  run(net.world, durationMs)
  return { path, rates: summarizeSpikes(spikeData(net.monitors.spikes!), net.groups, durationMs).rates, synapses: out.synapses }
}

test('mpirun, NEURON with MPI and pyNN.neuron with its mechanisms', () => {
  const m = spawnSync('mpirun', ['--version'], { encoding: 'utf8' })
  assert.is(m.status, 0, 'mpirun is needed (Debian: apt-get install openmpi-bin)')
  const r = spawnSync(PYTHON, ['-c', 'import pyNN.neuron, neuron; print(pyNN.__version__, neuron.__version__)'], { env, encoding: 'utf8' })
  assert.is(
    r.status,
    0,
    `pyNN.neuron does not load: install python3-pynn and python3-neuron, then compile its mechanisms once ` +
      `(scripts/pynn-neuron-mechanisms.sh, as root)\n${r.stderr.slice(-1500)}`,
  )
  console.log(`  ${m.stdout.split('\n')[0]}; PyNN and NEURON ${r.stdout.trim().split('\n').pop()}`)
})

test('coba, 400 neurons, exact, 1 s: identical spikes on 1, 2 (and 4) ranks; rates within the interop bands of spikecs', async () => {
  const seeds = [1, 2, 3]
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const neuron: Record<string, number>[] = []
  const spikecs: Record<string, number>[] = []
  for (const seed of seeds) {
    const c = cobaCase(`coba400-${seed}`, { scale: 0.1, seed }, 1000)
    const one = await mpirun(c.path, 1)
    const two = await mpirun(c.path, 2)
    assertSameSpikes(one.result, two.result, `seed ${seed}, 1 vs 2 ranks`)
    let four = ''
    if (seed === 1) {
      const r4 = await mpirun(c.path, 4)
      assertSameSpikes(one.result, r4.result, `seed ${seed}, 1 vs 4 ranks`)
      four = `; 4 ranks identical, ${times(r4)}`
    }
    const p = one.result.rates
    console.log(
      `  seed ${seed} (${c.synapses} synapses): spikecs ${fmt(c.rates)}; NEURON ${fmt(p)}, ${one.result.spikes} spikes; ` +
        `1 rank ${times(one)}; 2 ranks identical, ${times(two)}${four}`,
    )
    for (const g of ['E', 'I'])
      assert.ok(Math.abs(p[g] / c.rates[g] - 1) < 0.2, `seed ${seed} ${g}: NEURON ${p[g]} vs spikecs ${c.rates[g]}`)
    neuron.push(p)
    spikecs.push(c.rates)
  }
  for (const g of ['E', 'I']) {
    const s = mean(spikecs.map((r) => r[g])),
      p = mean(neuron.map((r) => r[g]))
    console.log(`  mean ${g}: spikecs ${s.toFixed(2)} Hz, NEURON ${p.toFixed(2)} Hz (${((p / s - 1) * 100).toFixed(1)} %)`)
    assert.ok(Math.abs(p / s - 1) < 0.1, `3-seed mean ${g}: NEURON ${p} vs spikecs ${s}`)
  }
})

test('coba, 4000 neurons, exact, 200 ms: identical spikes on 1 and 2 ranks; rates within 20 % of spikecs', async () => {
  const c = cobaCase('coba4000', { seed: 1 }, 200)
  const one = await mpirun(c.path, 1)
  const two = await mpirun(c.path, 2)
  assertSameSpikes(one.result, two.result, '4000 neurons, 1 vs 2 ranks')
  const p = one.result.rates
  console.log(
    `  ${c.synapses} synapses: spikecs ${fmt(c.rates)}; NEURON ${fmt(p)}, ${one.result.spikes} spikes; ` +
      `1 rank ${times(one)}; 2 ranks identical, ${times(two)}`,
  )
  for (const g of ['E', 'I']) assert.ok(Math.abs(p[g] / c.rates[g] - 1) < 0.2, `${g}: NEURON ${p[g]} vs spikecs ${c.rates[g]}`)
})

test("statistical connectivity: PyNN's parallel-safe draws build one network for 1, 2 and 4 ranks", async () => {
  const c = cobaCase('coba400-statistical', { scale: 0.1, seed: 2, conn: 'jit' }, 200, { conn: 'statistical' })
  const runs = [await mpirun(c.path, 1), await mpirun(c.path, 2), await mpirun(c.path, 4)]
  assertSameSpikes(runs[0].result, runs[1].result, 'statistical, 1 vs 2 ranks')
  assertSameSpikes(runs[0].result, runs[2].result, 'statistical, 1 vs 4 ranks')
  console.log(
    `  about ${Math.round(c.synapses)} synapses drawn by PyNN: NEURON ${fmt(runs[0].result.rates)} on 1, 2 and 4 ranks ` +
      `(spikecs's own matrix: ${fmt(c.rates)}); ${runs.map(times).join('; ')}`,
  )
})

test('single-synapse PSPs on NEURON: one tick later than spikecs, same amplitude; the same V traces on 2 ranks', async () => {
  const dt = 0.1
  const world = createWorld({ dtMs: dt, seed: 1 })
  // NEURON detects a spike when V crosses the threshold from below: the presynaptic neuron starts at rest and is
  // driven over the threshold once (R·I = 40 mV: in tick 57), then stays refractory for the run.
  const pre = addPopulation(world, 'pre', LifRefLTC({ size: 1, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 1000, v0: -60 }))
  addInput(world, pre, 40)
  const cell = { size: 1, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60 }
  const C = addPopulation(world, 'C', LifRefLTC(cell))
  const H = addPopulation(world, 'H', LifRefLTC(cell))
  const K = addPopulation(world, 'K', LifRef(cell))
  const one = (weight: number) => EventCSRLinear({ conn: FromList({ pre: [0], post: [0] }), weight })
  addProjection(world, 'pre2C', FullProjAlignPost({ pre, post: C, comm: one(0.6), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }))
  addProjection(world, 'pre2H', FullProjAlignPost({ pre, post: H, comm: one(1), syn: Expon({ tau: 10 }), out: COBA({ E: -80 }) }))
  addProjection(world, 'pre2K', FullProjAlignPost({ pre, post: K, comm: one(2), syn: Expon({ tau: 5 }), out: CUBA() }))
  const names = ['C', 'H', 'K'] as const
  const probes = [C, H, K].map((p) => addStateProbe(world, p, 'V', [0]))
  const path = write('psp.py', exportPyNN(world, { durationMs: 60, recordV: [...names], spikeTimes: true, scriptName: 'psp.py' }))
  run(world, 60)
  const one1 = await mpirun(path, 1),
    two = await mpirun(path, 2)
  assert.equal(two.result.v, one1.result.v, 'the traces of 2 ranks are those of 1 rank')
  assertSameSpikes(one1.result, two.result, 'PSP network, 1 vs 2 ranks')
  // The presynaptic spike: tick 57 in spikecs, t = 5.8 ms (the end of that tick) in NEURON.
  assert.is(one1.result.spikeTimes!.pre.length, 1)
  assert.ok(Math.abs(one1.result.spikeTimes!.pre[0][0] - 5.8) < 1e-9, `NEURON's presynaptic spike at ${one1.result.spikeTimes!.pre[0]}`)
  for (const name of names) {
    const k = names.indexOf(name)
    const sign = name === 'H' ? -1 : 1
    // spikecs's sample k is V at the end of tick k, t = (k+1)·dt; PyNN's sample j is V at t = j·dt.
    const vs = probeData(probes[k]).values,
      vp = one1.result.v![name][0]
    const s = peakOf(vs, -60, dt, dt, sign),
      p = peakOf(vp, -60, 0, dt, sign)
    const offset = onsetOf(vp, -60, 0, dt) - onsetOf(vs, -60, dt, dt)
    const shift = p.t - dt - s.t
    console.log(
      `  ${name}: amplitude spikecs ${s.amp.toFixed(4)} mV, NEURON ${p.amp.toFixed(4)} mV (${((p.amp / s.amp - 1) * 100).toFixed(2)} %); ` +
        `onset offset ${offset.toFixed(3)} ms; peak after removing one tick ${shift >= 0 ? '+' : ''}${shift.toFixed(3)} ms`,
    )
    assert.ok(Math.abs(offset - dt) < 1e-9, `${name}: NEURON's PSP starts ${offset} ms after spikecs's, not one tick`)
    assert.ok(Math.abs(p.amp / s.amp - 1) < 0.01, `${name}: amplitude ${p.amp} vs ${s.amp}`)
    assert.ok(Math.abs(shift) < 0.05, `${name}: peak ${p.t} vs ${s.t} + one tick`)
  }
})

test.after(remove)

test.run()
