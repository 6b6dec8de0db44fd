// The CLI's streaming statistics: the per-neuron sums a system fills as the run goes give exactly (to the
// last bit) the rates, CV ISI and counts that the stored spikes of a monitor give, and the spikes it records
// for a raster plot are the monitor's.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { buildPreset, summarizeSpikes, summarizeSpikeStats } from '@spikecs/presets'
import { run, spikeData } from '@spikecs/systems'
import { addSpikeStats } from '@spikecs/cli'

const MAIN = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url))

for (const [preset, options] of [
  ['coba', { seed: 2 }],
  ['einet', { seed: 3, variant: 'halfMg' }], // one population holding both groups
  ['cuba', { seed: 1, dtype: 'float64', kernel: 'js' }],
] as const) {
  test(`${preset}: streaming statistics equal those of the recorded spikes, and so do the recorded spikes`, () => {
    const net = buildPreset(preset, { ...options, record: true })
    const rec = addSpikeStats(net.world, { record: true })
    run(net.world, 300)
    const stored = spikeData(net.monitors.spikes!)
    const want = summarizeSpikes(stored, net.groups, 300)
    assert.ok(want.cvNeurons > 100, `${want.cvNeurons} neurons in the CV`)
    assert.equal(summarizeSpikeStats(rec.stats, net.groups, 300), want)
    const got = rec.spikes()!
    assert.equal(got.ticks, stored.ticks)
    assert.equal(got.indices, stored.indices)
  })
}

test('added mid-run (as after --resume): the statistics and the record cover the ticks from then on only', () => {
  const net = buildPreset('coba', { seed: 4, record: true })
  run(net.world, 100)
  const from = net.world.tick
  const rec = addSpikeStats(net.world, { record: true })
  run(net.world, 150)
  const all = spikeData(net.monitors.spikes!)
  let k = 0
  while (all.ticks[k] < from) k++
  const later = { ticks: all.ticks.slice(k).map((t) => t - from), indices: all.indices.slice(k) }
  assert.equal(summarizeSpikeStats(rec.stats, net.groups, 150), summarizeSpikes(later, net.groups, 150))
  assert.equal(rec.spikes()!.ticks, later.ticks)
  assert.equal(rec.spikes()!.indices, later.indices)
})

test('without a raster nothing is recorded', () => {
  const net = buildPreset('cuba', { seed: 1, record: false })
  const rec = addSpikeStats(net.world, { record: false })
  run(net.world, 20)
  assert.is(rec.spikes(), null)
  assert.ok(summarizeSpikeStats(rec.stats, net.groups, 20).spikes > 0)
})

test('spikecs run --json gives the numbers of the same preset run with a monitor', () => {
  const r = spawnSync(process.execPath, [MAIN, 'run', 'cuba', '--duration', '300', '--seed', '5', '--json', '--quiet'], {
    encoding: 'utf8',
  })
  assert.is(r.status, 0, r.stderr)
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!)
  const net = buildPreset('cuba', { seed: 5, kernel: 'wasm' })
  run(net.world, 300)
  const s = summarizeSpikes(spikeData(net.monitors.spikes!), net.groups, 300)
  assert.equal({ rates: j.rates, cvIsi: j.cvIsi, cvNeurons: j.cvNeurons, spikes: j.spikes }, s)
})

test.run()
