// The golden spike record (test/golden/hashes.json): every preset, variant, connectivity, kernel and dtype
// at 500 ms, seed 7, recomputed in two child processes and compared exactly — spikeHash, spike count and
// synaptic event count. Refactors, new kernels and threads must reproduce it; a deliberate change of the
// numbers is recorded with `pnpm golden:update -- --overwrite`, naming in the commit what changed and why.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import { DURATION_MS, HASHES_FILE, SEED, comboName, combos, computeAll, type GoldenFile } from './golden.js'

test('every preset, variant, connectivity, kernel and dtype emits the recorded spikes (500 ms, seed 7)', async () => {
  const golden = JSON.parse(readFileSync(HASHES_FILE, 'utf8')) as GoldenFile
  assert.is(golden.durationMs, DURATION_MS)
  assert.is(golden.seed, SEED)
  assert.equal(golden.entries.map(comboName), combos().map(comboName), 'the record lists every combination, in order')
  const got = await computeAll(2)
  const diffs: string[] = []
  got.forEach((g, k) => {
    const e = golden.entries[k]
    for (const f of ['spikeHash', 'spikes', 'events'] as const) {
      if (g[f] !== e[f]) diffs.push(`${comboName(g)}: ${f} ${JSON.stringify(g[f])}, recorded ${JSON.stringify(e[f])}`)
    }
  })
  if (diffs.length > 0) assert.unreachable(`${diffs.length} differences from the golden record:\n${diffs.join('\n')}`)
})

test.run()
