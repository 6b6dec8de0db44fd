// The `cobahh` preset (Brette et al. 2007 COBAHH): structure, initial state, short runs. The 1 s statistics
// against Brian2's are in test/slow/cobahh.test.ts.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { CommData } from '@spikecs/ecs-core'
import { addChecker, run, spikeData } from '@spikecs/systems'
import { cobahh } from '@spikecs/presets'
import { assertSameRecord } from '../support/compare.js'

test("cobahh builds 3200 E + 800 I HHLTC neurons, four non-Mg COBA projections with the benchmark's weights and time constants", () => {
  const net = cobahh({ record: false })
  const { E, I } = net.pops
  assert.equal([E.model, E.size, I.model, I.size], ['HHLTC', 3200, 'HHLTC', 800])
  const projs = net.world.components.Projection.list
  assert.equal(
    projs.map((p) => [p.name, p.kind, p.pre!.name, p.post.name, p.state.kind, p.state.params.tau, p.output.kind, p.output.params.E]),
    [
      ['E2E', 'FullProjAlignPost', 'E', 'E', 'Expon', 5, 'COBA', 0],
      ['E2I', 'FullProjAlignPost', 'E', 'I', 'Expon', 5, 'COBA', 0],
      ['I2E', 'FullProjAlignPost', 'I', 'E', 'Expon', 10, 'COBA', -80],
      ['I2I', 'FullProjAlignPost', 'I', 'I', 'Expon', 10, 'COBA', -80],
    ],
  )
  // Every ordered pair with p = 0.02: 16 000 000 pairs, 320 000 ± 5·560 synapses; weights 6 and 67 nS.
  let total = 0
  for (const p of projs) {
    const c = p.comm as Extract<CommData, { kind: 'EventCSRLinear' }>
    total += c.nSynapses
    assert.is(c.weight, p.pre === E ? 6 : 67)
  }
  assert.ok(Math.abs(total - 320000) < 5 * Math.sqrt(16e6 * 0.02 * 0.98), `${total} synapses`)
  // Brian2's initial state: V ~ N(−65, 5) mV, g_e ~ 10·N(4, 1.5) nS, g_i ~ 10·N(20, 12) nS, gates 0 (5 standard errors).
  const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0) / a.length
  const sd = (a: ArrayLike<number>) => {
    const m = mean(a)
    return Math.sqrt(Array.from(a).reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1))
  }
  assert.ok(Math.abs(mean(E.state.V.array) + 65) < (5 * 5) / Math.sqrt(3200) && Math.abs(sd(E.state.V.array) - 5) < 0.4)
  const ge = projs[0].state.cols.g.array,
    gi = projs[2].state.cols.g.array
  assert.ok(Math.abs(mean(ge) - 40) < (5 * 15) / Math.sqrt(3200) && Math.abs(sd(ge) - 15) < 1.5, `g_e ${mean(ge)} ± ${sd(ge)}`)
  assert.ok(Math.abs(mean(gi) - 200) < (5 * 120) / Math.sqrt(3200) && Math.abs(sd(gi) - 120) < 12, `g_i ${mean(gi)} ± ${sd(gi)}`)
  for (const g of ['m', 'h', 'n']) assert.ok(Array.from(E.state[g].array).every((x) => x === 0))
})

test('cobahh runs: no NaN, golden spike counts of seed 1 in 100 ms; CSR and on-the-fly connectivity give the same spikes', () => {
  const spikes = (['csr', 'jit'] as const).map((conn) => {
    const net = cobahh({ conn, nE: 800, nI: 200, p: 0.08 })
    addChecker(net.world, { every: 100, maxRateHz: 500 })
    run(net.world, 100)
    return spikeData(net.monitors.spikes!)
  })
  const { ticks, indices } = spikes[0]
  const nE = Array.from(indices).filter((i) => i < 800).length,
    nI = ticks.length - nE
  // Golden counts of the default seed (1), float32: 39.09 Hz (E) and 36.40 Hz (I) in the first 100 ms. Over
  // seeds 1–12 these rates range over 24.6–40.4 Hz (E, SD 5.8) and 26.7–38.8 Hz (I, SD 4.0): a change of the
  // arithmetic that moves them must be intended, and keep them in that range.
  assert.is(nE, 3127, `E spikes (${nE / 80} Hz)`)
  assert.is(nI, 728, `I spikes (${nI / 20} Hz)`)
  assertSameRecord(spikes[1], spikes[0], 'spikes with on-the-fly rows')
})

test('cobahh refuses bad parameters, naming the preset, the parameter and the value', () => {
  assert.throws(() => cobahh({ p: 2 }), /^preset 'cobahh': p must be a probability in \[0, 1\] \(got 2\)$/)
  assert.throws(() => cobahh({ wI: -1 }), /^preset 'cobahh': wI must be a finite number >= 0 nS \(got -1\)$/)
  assert.throws(() => cobahh({ conn: 'dense' as 'csr' }), /^preset 'cobahh': conn must be one of csr, jit \(got "dense"\)$/)
  assert.throws(() => cobahh({ tauE: 0 }), /^preset 'cobahh': tauE must be > 0 ms \(got 0\)$/)
  assert.throws(() => cobahh({ nE: 1.5 }), /^preset 'cobahh': nE must be an integer \(got 1.5\)$/)
  assert.throws(
    () => cobahh({ we: 6 } as never),
    /^preset 'cobahh': we is not an option or parameter of this preset \(parameters: .*wE.*\) \(got 6\)$/,
  )
})

test.run()
