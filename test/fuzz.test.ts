// Property-based tests (fast-check) of random small networks — sizes 1–50, LIF parameters with edge values,
// delays, the four projection kinds, every comm kind (JIT homogeneous/uniform/normal, CSR FixedProb and
// FromList, One2One, All2All, Linear), Mg and non-Mg, labels, spike buffers, inputs, both dtypes, fused and
// unfused: each is either refused while it is built, with a SpikecsError, or runs its ticks with every
// floating-point column finite (a checker every tick, and a scan of every column at the end), valid spike
// lists, no other exception, within a time bound; and a snapshot in the middle, restored into a fresh world,
// continues bit for bit. Time-bounded (FUZZ_MS, default 8 s); FUZZ_SEED replays a run.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { checkNetwork, fuzzStats as stats, networkSpec } from './fuzz-network.js'

const budgetMs = Number(process.env.FUZZ_MS ?? 8000)
const seed = process.env.FUZZ_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED)
test(`random networks build and run finite, or are refused with a SpikecsError (seed ${seed}, ${budgetMs} ms)`, () => {
  const t0 = performance.now()
  fc.assert(fc.property(networkSpec, (spec) => { checkNetwork(spec) }), {
    seed, numRuns: 100000, interruptAfterTimeLimit: budgetMs, markInterruptAsFailure: false,
  })
  const top = [...stats.reasons].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k} ${n}`).join(', ')
  console.log(`    fuzz: ${stats.built} networks run (${stats.ticks} ticks, ${stats.spikes} spikes), ${stats.refused} refused (${top}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  assert.ok(stats.built >= 20 && stats.built >= stats.refused / 5, `too few networks were accepted: ${stats.built} run, ${stats.refused} refused`)
  assert.ok(stats.spikes > 0)
})

test.run()
