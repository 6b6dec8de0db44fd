// docs/ecs.md stays true: its examples are the files of docs/examples/ shown verbatim, they type-check strictly,
// and each runs and prints what the page shows. The homeostasis example does what the page says — the homeostatic
// rule brings a population driven too hard (about 70 Hz) and one driven too weakly (silent) to the 5 Hz target,
// and a snapshot taken mid-run (the component's columns and fields in it) continues bit for bit in a world built
// the same way. The short examples are held to values derived independently: the spike buffer's current to the
// exponential decay of its weight from the tick of the push, the hand-built STDP_Song2000 network to the
// song2000 preset's weights, the probed V to the closed-form solution of the LIF equation.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getComponent, restore, run, snapshot, spikeData, weightsOf, type PopulationData } from '@spikecs/systems'
import { song2000 } from '@spikecs/presets'
import * as systems from '@spikecs/systems'
import * as core from '@spikecs/ecs-core'
import { assertSameBytes, assertSameRecord } from './support/compare.js'

const DOC = readFileSync(new URL('../docs/ecs.md', import.meta.url), 'utf8')
const EXAMPLES = ['homeostasis', 'spike-buffer', 'stdp', 'state-probe']

/** The ```ts block after the example's marker, and the ``` block after the "It prints:" that follows it. */
function shown(name: string): { code: string; output: string } {
  const at = DOC.indexOf(`<!-- example: ${name} `)
  assert.ok(at >= 0, `marker of ${name}`)
  const start = DOC.indexOf('```ts\n', at) + 6
  const end = DOC.indexOf('```', start)
  const prints = DOC.indexOf('It prints:', end)
  const outStart = DOC.indexOf('```\n', prints) + 4
  return { code: DOC.slice(start, end), output: DOC.slice(outStart, DOC.indexOf('```', outStart)) }
}

/** Imports (runs) docs/examples/NAME.ts and returns its module and the lines it printed. */
async function runExample(name: string): Promise<{ module: Record<string, unknown>; printed: string[] }> {
  const printed: string[] = []
  const log = console.log
  console.log = (...args: unknown[]) => {
    printed.push(args.join(' '))
  }
  const module = await import(`../docs/examples/${name}.js`).finally(() => {
    console.log = log
  })
  return { module, printed }
}

// Importing the homeostasis example runs it (10 s of the network, then its snapshot demonstration).
const homeostasis = await runExample('homeostasis')
const printed = homeostasis.printed
const { Homeostasis, homeostaticNetwork, net } = homeostasis.module as typeof import('../docs/examples/homeostasis.js')

/** Spikes per neuron per second of `pop` in ticks [from, to), counted from the monitor's record. */
function rateHz(ticks: Int32Array, indices: Int32Array, pop: PopulationData, from: number, to: number): number {
  let n = 0
  for (let k = 0; k < ticks.length; k++) {
    if (ticks[k] >= from && ticks[k] < to && indices[k] >= pop.start && indices[k] < pop.start + pop.size) n++
  }
  return n / pop.size / ((to - from) * 1e-4)
}

for (const name of EXAMPLES) {
  test(`docs/ecs.md shows docs/examples/${name}.ts verbatim`, () => {
    assert.is(shown(name).code, readFileSync(new URL(`../docs/examples/${name}.ts`, import.meta.url), 'utf8'))
  })
}

test("every function of the page's API table, and disposeWorld, comes from @spikecs/systems alone", () => {
  const table = DOC.slice(DOC.indexOf('## The API'), DOC.indexOf('## A worked example'))
  const names = [...table.matchAll(/`(\w+)(?:<\w+>)?\(/g)].map((m) => m[1])
  assert.ok(names.length >= 14, names.join(', '))
  for (const name of [...names, 'disposeWorld']) assert.type((systems as Record<string, unknown>)[name], 'function', name)
  assert.is(systems.disposeWorld, core.disposeWorld)
})

test('the examples type-check strictly (docs/examples/tsconfig.json: the settings of a consumer project)', () => {
  const require = createRequire(import.meta.url)
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc')
  const dir = fileURLToPath(new URL('../docs/examples', import.meta.url))
  const r = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' })
  assert.is(r.status, 0, r.stdout + r.stderr)
})

test('homeostasis prints what the page shows', () => {
  assert.is(`${printed.join('\n')}\n`, shown('homeostasis').output)
})

test('the rule brings both populations to 5 Hz: within 0.5 Hz over the last 2 s, from about 70 Hz and from silence', () => {
  // Measured over seeds 1-7: 4.96-5.18 Hz for both populations; the band is 10 % of the target.
  const { ticks, indices } = spikeData(net.spikes)
  assert.is(net.world.tick, 101_000)
  const hot = rateHz(ticks, indices, net.hot, 80_000, 100_000),
    cold = rateHz(ticks, indices, net.cold, 80_000, 100_000)
  assert.ok(Math.abs(hot - 5) < 0.5, `hot ${hot} Hz`)
  assert.ok(Math.abs(cold - 5) < 0.5, `cold ${cold} Hz`)
  assert.is(printed[0], `hot ${hot.toFixed(2)} Hz, cold ${cold.toFixed(2)} Hz (target 5 Hz)`)
  // Before the rule acted (first 50 ms), the drives were what the network was built with.
  assert.ok(rateHz(ticks, indices, net.hot, 0, 500) > 30, 'hot starts far above the target')
  assert.ok(rateHz(ticks, indices, net.cold, 0, 500) === 0, 'cold starts silent')
  // The drives moved the right way: down for the hot population, up for the cold one.
  const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length
  const hHot = getComponent(net.world, net.hot.eid, Homeostasis)!,
    hCold = getComponent(net.world, net.cold.eid, Homeostasis)!
  assert.ok(mean(hHot.drive.array) < -10 && mean(hCold.drive.array) > 0, `${mean(hHot.drive.array)}, ${mean(hCold.drive.array)}`)
  // The running estimate (τ = 200 ms) of a population's mean is near the target too.
  assert.ok(Math.abs(mean(hHot.rate.array) - 5) < 1.5 && Math.abs(mean(hCold.rate.array) - 5) < 1.5)
  assert.match(printed[1], /^drive of hot neuron 0: (-?\d+\.\d{3}) mV, in the restored copy \1 mV$/)
})

test("a snapshot mid-run continues bit for bit, the component's columns and fields included", () => {
  const a = homeostaticNetwork(3)
  run(a.world, 1500)
  getComponent(a.world, a.hot.eid, Homeostasis)!.eta = 0.3 // a live edit of a field: state the snapshot keeps
  const blob = snapshot(a.world)
  run(a.world, 500)
  const b = homeostaticNetwork(3)
  restore(b.world, blob)
  assert.is(getComponent(b.world, b.hot.eid, Homeostasis)!.eta, 0.3)
  run(b.world, 500)
  const full = homeostaticNetwork(3)
  run(full.world, 2000)
  const late = (m: typeof a.spikes) => {
    const { ticks, indices } = spikeData(m)
    const from = ticks.findIndex((t) => t >= 15_000)
    return { ticks: ticks.slice(from), indices: indices.slice(from) }
  }
  assertSameRecord(late(b.spikes), late(a.spikes), 'spikes after the restore')
  assertSameBytes(snapshot(b.world), snapshot(a.world), 'state after the restore')
  // Without the edit of eta the drives differ: the field is state that matters.
  const drive = (n: typeof a) => Array.from(getComponent(n.world, n.hot.eid, Homeostasis)!.drive.array)
  assert.not.equal(drive(full), drive(a))
})

test('spike buffer: delivered in the tick of the push, then the weight decays by e^(−dt/τ) per tick', async () => {
  const { printed } = await runExample('spike-buffer')
  assert.is(`${printed.join('\n')}\n`, shown('spike-buffer').output)
  // Non-Mg Expon: g_k = g_{k−1}·a + Δ_k with g_{−1} = 0 and one push in tick 0: 10, 10a, 10a² (a = e^(−0.1/5)).
  const a = Math.exp(-0.1 / 5)
  const expected = [0, 1, 2].map((k) => (10 * a ** k).toFixed(3)).join(', ')
  assert.is(printed[0], `channel 0 → neuron 0, R·I in ticks 0, 1, 2: ${expected} mV`)
  // Channel i fires every 10·(i + 1) ticks: its mean current 10·(1/(1 − a))/(10·(i + 1)) mV stays below the 10 mV
  // to threshold from i = 5 on, and those neurons do not fire (measured); more frequent channels fire at least as often.
  const counts = printed[1].replace('spikes per neuron in 1 s: ', '').split(' ').map(Number)
  assert.is(counts.length, 10)
  for (let i = 0; i < 10; i++) assert.ok(i === 0 || counts[i] <= counts[i - 1], `neuron ${i}: ${counts}`)
  for (let i = 5; i < 10; i++) assert.ok(10 / (1 - a) / (10 * (i + 1)) < 10 && counts[i] === 0, `neuron ${i}`)
  assert.ok(counts[0] > 0)
})

test("STDP built by hand: the song2000 preset's weights, bit for bit, at 0, 5, 10, 15 and 20 s", async () => {
  const { printed } = await runExample('stdp')
  assert.is(`${printed.join('\n')}\n`, shown('stdp').output)
  // The same lines, computed from the preset (its own code maps its parameters to the rule's).
  const net = song2000({ seed: 1, record: false })
  const proj = net.plastic!.projection
  const gmax = net.plastic!.wMax
  const seen: number[][] = [[], [], []]
  for (let k = 0; k <= 4; k++) {
    const w = weightsOf(net.world, proj)
    for (let s = 0; s < 3; s++) seen[s].push(w[s] / gmax)
    if (k < 4) run(net.world, 5000)
  }
  const w = weightsOf(net.world, proj)
  let low = 0,
    high = 0,
    sum = 0
  for (const x of w) {
    if (x < 0.1 * gmax) low++
    else if (x >= 0.9 * gmax) high++
    sum += x / gmax
  }
  const pct = (n: number) => `${((100 * n) / w.length).toFixed(1)} %`
  assert.is(printed[0], `after 20 s: mean w/gmax ${(sum / w.length).toFixed(3)}, ${pct(low)} below 0.1, ${pct(high)} at 0.9 or above`)
  for (let s = 0; s < 3; s++) {
    assert.is(printed[s + 1], `synapse ${s}, w/gmax at 0, 5, 10, 15, 20 s: ${seen[s].map((x) => x.toFixed(3)).join(', ')}`)
  }
})

test('state probe: V of a LIF neuron under constant input, against V_rest + R·I·(1 − e^(−t/τ))', async () => {
  const { printed } = await runExample('state-probe')
  assert.is(`${printed.join('\n')}\n`, shown('state-probe').output)
  // Samples in ticks 0, 100, 200, 300, i.e. at t = 0.1, 10.1, 20.1, 30.1 ms. Neuron 2 (R·I = 15 mV) reaches
  // −50 mV at t = 20·ln 3 = 21.97 ms, in tick ceil(219.7) − 1 = 219; held for 50 ticks (220–269), it integrates
  // again from tick 270: at the end of tick 300 for 3.1 ms.
  const v = (I: number, t: number) => -60 + I * (1 - Math.exp(-t / 20))
  const spikeTick = Math.ceil((20 * Math.log(3)) / 0.1) - 1
  assert.is(spikeTick, 219)
  ;[0.1, 10.1, 20.1, 30.1].forEach((t, k) => {
    const m = /^t = ([\d.]+) ms: V = (.+) mV$/.exec(printed[k])
    assert.ok(m, printed[k])
    assert.is(Number(m![1]), t)
    const got = m![2].split(', ').map(Number)
    const want = [v(5, t), v(9, t), t < 22 ? v(15, t) : v(15, t - (spikeTick + 51) * 0.1)]
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(got[i] - want[i]) < 1.5e-3, `t ${t} neuron ${i}: ${got[i]} vs ${want[i]}`)
  })
  assert.is(printed[4], `first spike: neuron 2 in tick ${spikeTick}`)
})

test.run()
