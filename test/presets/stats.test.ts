// Statistics: rates, CV ISI and binned rates against hand-computed values and an independent naive loop;
// plus the fast statistical check of `coba` against Brian2 (the 5-seed, 1 s check is in test/slow).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { run, spikeData } from '@spikecs/systems'
import {
  binnedRateHz,
  coba,
  cuba,
  groupRateHz,
  meanCvIsi,
  spikeCounts,
  summarizeSpikes,
  type Group,
  type SpikeTrains,
} from '@spikecs/presets'

/** Spike trains from (tick, neuron) pairs, sorted by tick as a monitor records them. */
function trains(pairs: [number, number][]): SpikeTrains {
  const s = [...pairs].sort((a, b) => a[0] - b[0])
  return { ticks: Int32Array.from(s.map((p) => p[0])), indices: Int32Array.from(s.map((p) => p[1])) }
}

test('rate = spikes / (neurons × seconds)', () => {
  // 10 neurons, 20 spikes in 500 ms → 20 / (10 × 0.5 s) = 4 Hz; spikes of other neurons are ignored.
  const pairs: [number, number][] = []
  for (let k = 0; k < 20; k++) pairs.push([k * 7, 5 + (k % 10)])
  pairs.push([3, 2], [4, 15])
  const g: Group = { name: 'E', start: 5, size: 10 }
  assert.is(groupRateHz(trains(pairs), g, 500), 4)
  assert.equal(Array.from(spikeCounts(trains(pairs), 5, 10)), Array(10).fill(2))
})

test('CV ISI: per-neuron std/mean (ddof 0), neurons with >= 3 spikes, averaged', () => {
  // neuron 0: ticks 0, 10, 30 → ISIs 10, 20: mean 15, std 5 → CV 1/3
  // neuron 1: ticks 5, 15, 25, 35 → ISIs all 10 → CV 0
  // neuron 2: two spikes only → excluded; neuron 3: silent → excluded
  const s = trains([
    [0, 0],
    [10, 0],
    [30, 0],
    [5, 1],
    [15, 1],
    [25, 1],
    [35, 1],
    [3, 2],
    [50, 2],
  ])
  const r = meanCvIsi(s, 0, 4)
  assert.is(r.neurons, 2)
  assert.ok(Math.abs(r.cv - (1 / 3 + 0) / 2) < 1e-12)
  // Only neuron 0 in range [0, 1).
  assert.ok(Math.abs(meanCvIsi(s, 0, 1).cv - 1 / 3) < 1e-12)
  // No neuron with 3 spikes → NaN over 0 neurons.
  const none = meanCvIsi(s, 2, 2)
  assert.is(none.neurons, 0)
  assert.ok(Number.isNaN(none.cv))
})

test('CV ISI agrees with a naive per-neuron loop on random trains', () => {
  let state = 12345
  const rnd = () => {
    state = (state * 1103515245 + 12345) >>> 0
    return state / 2 ** 32
  }
  const n = 60
  const pairs: [number, number][] = []
  for (let i = 0; i < n; i++) {
    const count = Math.floor(rnd() * 12)
    let t = 0
    for (let k = 0; k < count; k++) {
      t += 1 + Math.floor(-Math.log(1 - rnd()) * 80)
      pairs.push([t, i])
    }
  }
  const s = trains(pairs)
  // Naive: gather each neuron's times, then mean and population std of the differences.
  let sum = 0,
    used = 0
  for (let i = 0; i < n; i++) {
    const ts = pairs
      .filter((p) => p[1] === i)
      .map((p) => p[0])
      .sort((a, b) => a - b)
    if (ts.length < 3) continue
    const isi = ts.slice(1).map((t, k) => t - ts[k])
    const mean = isi.reduce((a, b) => a + b, 0) / isi.length
    const sd = Math.sqrt(isi.reduce((a, b) => a + (b - mean) ** 2, 0) / isi.length)
    sum += sd / mean
    used++
  }
  const r = meanCvIsi(s, 0, n)
  assert.is(r.neurons, used)
  assert.ok(Math.abs(r.cv - sum / used) < 1e-12, `${r.cv} vs ${sum / used}`)
  // summarizeSpikes over two contiguous groups gives the same CV as one range.
  const sum2 = summarizeSpikes(
    s,
    [
      { name: 'E', start: 0, size: 40 },
      { name: 'I', start: 40, size: 20 },
    ],
    1000,
  )
  assert.ok(Math.abs(sum2.cvIsi - r.cv) < 1e-12)
  assert.is(sum2.spikes, pairs.length)
})

test('CV from the per-neuron sums is exact where m·S2 passes 2^53 (intervals of 2·10^7 ticks)', () => {
  // Intervals 2e7 + k, k = 0…19: S2 < 2^53 but m·S2 > 2^53; m·S2 − S1² = m²·var(k) = 400·33.25 = 13300.
  const ticks = [0]
  for (let k = 0; k < 20; k++) ticks.push(ticks[k] + 2e7 + k)
  const s = trains(ticks.map((t) => [t, 0]))
  const isi = ticks.slice(1).map((t, k) => BigInt(t - ticks[k]))
  const m = BigInt(isi.length),
    s1 = isi.reduce((a, b) => a + b, 0n),
    s2 = isi.reduce((a, b) => a + b * b, 0n)
  assert.ok(Number(m * s2) > Number.MAX_SAFE_INTEGER && Number(s2) < Number.MAX_SAFE_INTEGER)
  const exact = Math.sqrt(Number(m * s2 - s1 * s1)) / Number(s1)
  assert.is(meanCvIsi(s, 0, 1).cv, exact)
  assert.ok(exact > 0 && exact === Math.sqrt(13300) / 400000190, String(exact))
})

test('binned rate: counts per bin / (neurons × bin seconds); a short last bin uses its own length', () => {
  // 4 neurons, dt 0.1 ms, 25 ticks, bins of 10 ticks (1 ms): bins [0,10), [10,20), [20,25).
  const s = trains([
    [0, 0],
    [9, 1],
    [10, 2],
    [24, 3],
    [20, 0],
    [22, 9],
  ])
  const r = binnedRateHz(s, { name: 'E', start: 0, size: 4 }, 25, 10, 0.1)
  assert.is(r.length, 3)
  assert.ok(Math.abs(r[0] - 2 / (4 * 0.001)) < 1e-9)
  assert.ok(Math.abs(r[1] - 1 / (4 * 0.001)) < 1e-9)
  assert.ok(Math.abs(r[2] - 2 / (4 * 0.0005)) < 1e-9)
})

// Fast statistical check (default suite): `coba`, seed 1, 400 ms. The rates settle within ~20 ms, so a
// 400 ms window is compared with Brian2's 5-seed 1 s means (anchors Table 3: E 21.33, I 21.39 Hz) with a
// wider band than the slow test's: ±25 % (one seed, shorter window). The CV ISI grows with the window
// (long silent stretches need time to show: ~1.05 at 300 ms, ~1.3 at 500 ms, ~1.58 at 1 s), so here it is
// only required to be irregular-regime (> 0.8); the slow test checks it against Brian2's 1.59.
test('coba, 400 ms, seed 1: rates within 25 % of Brian2, irregular firing', () => {
  const net = coba({ seed: 1 })
  run(net.world, 400)
  const s = summarizeSpikes(spikeData(net.monitors.spikes!), net.groups, 400)
  assert.ok(Math.abs(s.rates.E / 21.33 - 1) < 0.25, `E ${s.rates.E}`)
  assert.ok(Math.abs(s.rates.I / 21.39 - 1) < 0.25, `I ${s.rates.I}`)
  assert.ok(s.cvIsi > 0.8, `CV ${s.cvIsi}`)
})

// Same for `cuba` against Brian2's CUBA example (5-seed 1 s means E 5.67, I 5.64 Hz, measured with
// test/slow/reference/cuba_brian2.py). At ~5.7 Hz only the faster neurons reach 3 spikes in 400 ms, so the
// CV ISI is lower than over 1 s (0.39 against 0.52 for seed 1): ±40 % here, ±15 % in the slow test.
test('cuba, 400 ms, seed 1: rates within 25 % and CV within 40 % of Brian2', () => {
  const net = cuba({ seed: 1 })
  run(net.world, 400)
  const s = summarizeSpikes(spikeData(net.monitors.spikes!), net.groups, 400)
  assert.ok(Math.abs(s.rates.E / 5.665 - 1) < 0.25, `E ${s.rates.E}`)
  assert.ok(Math.abs(s.rates.I / 5.641 - 1) < 0.25, `I ${s.rates.I}`)
  assert.ok(Math.abs(s.cvIsi / 0.524 - 1) < 0.4, `CV ${s.cvIsi}`)
})

test.run()
