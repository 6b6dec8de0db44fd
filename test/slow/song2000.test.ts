// Slow statistical validation of `song2000` (`pnpm test:slow`): spikecs runs Brian2's STDP example for 100 s
// with seeds 1–5 (float32, WebAssembly kernels, the preset's defaults) and compares the 5-seed means of the
// final weight statistics and the output rate with Brian2 2.5.1 standalone's 5-seed means of the same example
// (test/slow/reference/song2000_brian2.json; Brian2 is not run here): the fractions of w/gmax below 0.1 and at
// or above 0.9 and the mean w/gmax within 15 %, the output rate within 20 %. The numbers are printed so a run
// can be quoted.
import { readFileSync } from 'node:fs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { addSpikeMonitor, run, weightsOf } from '@spikecs/systems'
import { song2000, weightStats } from '@spikecs/presets'

const SEEDS = [1, 2, 3, 4, 5]
const ref = JSON.parse(readFileSync(new URL('./reference/song2000_brian2.json', import.meta.url), 'utf8')) as {
  means: { low: number; high: number; mean: number; rate_out: number }
}

test('song2000, 100 s, seeds 1–5: weight statistics within 15 % and output rate within 20 % of Brian2', () => {
  const rows = SEEDS.map((seed) => {
    const net = song2000({ seed, record: false })
    const outMonitor = addSpikeMonitor(net.world, net.pops.Out) // the output only: the inputs' 1.5 M spikes are not kept
    run(net.world, 100_000)
    const w = weightStats(weightsOf(net.world, net.plastic!.projection), net.plastic!.wMax)
    return { seed, low: w.fracLow, high: w.fracHigh, mean: w.mean, rate: outMonitor.count / 100 }
  })
  const avg = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length
  const m = { low: avg((r) => r.low), high: avg((r) => r.high), mean: avg((r) => r.mean), rate: avg((r) => r.rate) }
  console.log(
    [
      ...rows.map(
        (r) =>
          `  seed ${r.seed}: low ${r.low.toFixed(3)}, high ${r.high.toFixed(3)}, mean ${r.mean.toFixed(4)}, rate ${r.rate.toFixed(2)} Hz`,
      ),
      `  spikecs 5-seed means: low ${m.low.toFixed(4)}, high ${m.high.toFixed(4)}, mean ${m.mean.toFixed(4)}, rate ${m.rate.toFixed(2)} Hz`,
      `  Brian2  5-seed means: low ${ref.means.low.toFixed(4)}, high ${ref.means.high.toFixed(4)}, ` +
        `mean ${ref.means.mean.toFixed(4)}, rate ${ref.means.rate_out.toFixed(2)} Hz`,
    ].join('\n'),
  )
  const within = (name: string, x: number, r: number, tol: number) =>
    assert.ok(Math.abs(x - r) <= tol * r, `${name}: spikecs ${x.toFixed(4)} vs Brian2 ${r.toFixed(4)} (band ±${tol * 100} %)`)
  within('fraction w/gmax < 0.1', m.low, ref.means.low, 0.15)
  within('fraction w/gmax >= 0.9', m.high, ref.means.high, 0.15)
  within('mean w/gmax', m.mean, ref.means.mean, 0.15)
  within('output rate', m.rate, ref.means.rate_out, 0.2)
})

test.run()
