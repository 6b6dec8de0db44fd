// Property-based tests (fast-check) of random small networks — sizes 1–50, LIF parameters with edge values,
// delays, the four projection kinds, every comm kind (JIT homogeneous/uniform/normal, CSR FixedProb and
// FromList, One2One, All2All, Linear), Mg and non-Mg, labels, spike buffers, inputs, both dtypes, fused and
// unfused: each is either refused while it is built with one of the documented refusals (a SpikecsError whose
// message matches `DOCUMENTED_REFUSALS`), or runs its ticks with every floating-point column finite (a checker
// every tick, and a scan of every column at the end), valid spike lists, no other exception, within a time
// bound; and a snapshot in the middle, restored into a fresh world, continues bit for bit. A fixed seed and a
// fixed number of runs, so every run of the suite checks the same networks; FUZZ_SEED and FUZZ_RUNS explore others.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { checkNetwork, fuzzStats as stats, networkSpec } from '../support/fuzz-network.js'

const seed = Number(process.env.FUZZ_SEED ?? 13)
const runs = Number(process.env.FUZZ_RUNS ?? 2500)
test(`random networks build and run finite, or are refused with a documented SpikecsError (seed ${seed}, ${runs} runs)`, () => {
  const t0 = performance.now()
  fc.assert(
    fc.property(networkSpec, (spec) => {
      checkNetwork(spec)
    }),
    { seed, numRuns: runs },
  )
  const top = [...stats.reasons]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')
  console.log(
    `    fuzz: ${stats.built} networks run (${stats.ticks} ticks, ${stats.spikes} spikes), ` +
      `${stats.refused} refused (${top}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  )
  assert.is(stats.built + stats.refused, runs)
  assert.ok(stats.built >= runs / 5, `too few networks were accepted: ${stats.built} run, ${stats.refused} refused`)
  assert.ok(stats.spikes > 0)
})

test.run()
