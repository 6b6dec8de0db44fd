// Slow statistical validation (`pnpm test:slow`): 1 s runs over seeds 1–5.
// - coba against Brian2 2.5.1's 5-seed statistics of the same model (cpp_standalone runs of the reference
//   implementation's coba_brian2.py, seeds 1–5, 1 s; the script is in SPIKECS_ANCHORS, see docs/benchmarks.md):
//   5-seed means of the E and I rates within 10 %, mean CV ISI within 15 %, each seed's rates within 25 %.
// - cuba against Brian2 2.5.1 runs of Brian2's CUBA example (cpp_standalone, seeds 1–5, 1 s; the script is
//   test/slow/reference/cuba_brian2.py), with the same bands.
// - einet: no Brian2 figures; Mg and non-Mg variants of one shape must be close (5-seed means within 10 %
//   of each other) but not equal (their spikes differ), and every variant in the irregular regime.
// The numbers are printed so a run can be quoted.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { run, spikeData } from '@spikecs/systems'
import { buildPreset, summarizeSpikes } from '@spikecs/presets'

const SEEDS = [1, 2, 3, 4, 5]

interface Stat {
  E: number
  I: number
  cv: number
  spikes: number
  checksum: number
}

function runPreset(preset: string, options: Record<string, unknown>, ms = 1000): Stat {
  const net = buildPreset(preset, options)
  run(net.world, ms)
  const s = spikeData(net.monitors.spikes!)
  const sum = summarizeSpikes(s, net.groups, ms)
  // A cheap fingerprint of the spike train, to tell equal trains from different ones.
  let h = 0
  for (let k = 0; k < s.ticks.length; k++) h = (Math.imul(h, 31) + s.ticks[k] * 4099 + s.indices[k]) | 0
  return { E: sum.rates.E, I: sum.rates.I, cv: sum.cvIsi, spikes: sum.spikes, checksum: h }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)))
const fmt = (xs: number[], d = 2) => `${mean(xs).toFixed(d)} ± ${sd(xs).toFixed(d)}`

function table(name: string, rows: Stat[]): string {
  const lines = rows.map((r, k) => `  seed ${SEEDS[k]}: E ${r.E.toFixed(2)} Hz, I ${r.I.toFixed(2)} Hz, CV ${r.cv.toFixed(3)}`)
  return [
    `${name}: E ${fmt(rows.map((r) => r.E))} Hz, I ${fmt(rows.map((r) => r.I))} Hz, CV ${fmt(
      rows.map((r) => r.cv),
      3,
    )}`,
    ...lines,
  ].join('\n')
}

function checkAgainst(name: string, rows: Stat[], ref: { E: number; I: number; cv: number }): void {
  console.log(`${table(name, rows)}\n  reference: E ${ref.E}, I ${ref.I}, CV ${ref.cv}`)
  const mE = mean(rows.map((r) => r.E)),
    mI = mean(rows.map((r) => r.I)),
    mCv = mean(rows.map((r) => r.cv))
  assert.ok(Math.abs(mE / ref.E - 1) < 0.1, `${name}: 5-seed mean E ${mE} not within 10 % of ${ref.E}`)
  assert.ok(Math.abs(mI / ref.I - 1) < 0.1, `${name}: 5-seed mean I ${mI} not within 10 % of ${ref.I}`)
  assert.ok(Math.abs(mCv / ref.cv - 1) < 0.15, `${name}: 5-seed mean CV ${mCv} not within 15 % of ${ref.cv}`)
  rows.forEach((r, k) => {
    assert.ok(Math.abs(r.E / ref.E - 1) < 0.25, `${name} seed ${SEEDS[k]}: E ${r.E} not within 25 % of ${ref.E}`)
    assert.ok(Math.abs(r.I / ref.I - 1) < 0.25, `${name} seed ${SEEDS[k]}: I ${r.I} not within 25 % of ${ref.I}`)
  })
}

// Brian2 2.5.1 standalone, seeds 1–5: the means of the reference implementation's coba_brian2.py (Brette et al.
// 2007 COBA with the parameters of the coba preset).
const BRIAN2_COBA = { E: 21.33, I: 21.39, cv: 1.59 }
// Brian2 2.5.1 standalone, Brian2's CUBA example model, seeds 1–5, 1 s (reference/cuba_brian2.py):
// E 5.60, 5.51, 5.62, 5.86, 5.74; I 5.66, 5.62, 5.62, 5.66, 5.64; CV 0.515, 0.528, 0.523, 0.524, 0.530.
const BRIAN2_CUBA = { E: 5.665, I: 5.641, cv: 0.524 }

test('coba (FullProjAlignPost, csr) matches Brian2: 5-seed means within 10 % (rates) and 15 % (CV)', () => {
  checkAgainst(
    'coba',
    SEEDS.map((seed) => runPreset('coba', { seed })),
    BRIAN2_COBA,
  )
})

test('coba mg variant stays within the same Brian2 bands', () => {
  checkAgainst(
    'coba mg',
    SEEDS.map((seed) => runPreset('coba', { seed, variant: 'mg' })),
    BRIAN2_COBA,
  )
})

test("cuba matches Brian2's CUBA example: 5-seed means within 10 % (rates) and 15 % (CV)", () => {
  checkAgainst(
    'cuba',
    SEEDS.map((seed) => runPreset('cuba', { seed })),
    BRIAN2_CUBA,
  )
})

test('einet: Mg and non-Mg variants close (5-seed means within 10 %) but not equal', () => {
  const res: Record<string, Stat[]> = {}
  for (const variant of ['halfMg', 'half', 'fullMg', 'full']) {
    res[variant] = SEEDS.map((seed) => runPreset('einet', { seed, variant }))
    console.log(table(`einet ${variant}`, res[variant]))
  }
  for (const [mg, non] of [
    ['halfMg', 'half'],
    ['fullMg', 'full'],
  ]) {
    for (const key of ['E', 'I', 'cv'] as const) {
      const a = mean(res[mg].map((r) => r[key])),
        b = mean(res[non].map((r) => r[key]))
      assert.ok(Math.abs(a / b - 1) < 0.1, `einet ${mg} vs ${non}: ${key} ${a} vs ${b}`)
    }
    // Same network and initial state per seed, different synapse numerics: the trains differ.
    res[mg].forEach((r, k) => assert.is.not(r.checksum, res[non][k].checksum, `${mg} and ${non} equal for seed ${SEEDS[k]}`))
  }
  for (const rows of Object.values(res)) for (const r of rows) assert.ok(r.cv > 1 && r.E > 10 && r.I > 10)
})

test.run()
