/**
 * Rewrites `test/golden/hashes.json` from the current build (`pnpm golden:update -- --overwrite`). Refuses to
 * replace an existing record without `--overwrite`: the record is what refactors must reproduce, so changing
 * it is a decision to state in the commit (which combinations changed, and why).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { DURATION_MS, HASHES_FILE, SEED, comboName, computeAll, type GoldenFile } from './golden.js'

const overwrite = process.argv.includes('--overwrite')
if (existsSync(HASHES_FILE) && !overwrite) {
  process.stderr.write(`${HASHES_FILE} exists; run again with --overwrite to replace it\n`)
  process.exit(2)
}
const old = existsSync(HASHES_FILE) ? (JSON.parse(readFileSync(HASHES_FILE, 'utf8')) as GoldenFile) : null
const t0 = performance.now()
const entries = await computeAll(2)
const file: GoldenFile = { durationMs: DURATION_MS, seed: SEED, entries }
// One entry per line, so that a change of the record reads as a diff of the combinations that changed.
const lines = file.entries.map((e) => ` ${JSON.stringify(e)}`).join(',\n')
writeFileSync(HASHES_FILE, `{ "durationMs": ${file.durationMs}, "seed": ${file.seed}, "entries": [\n${lines}\n] }\n`)
let changed = 0
for (const e of entries) {
  const before = old?.entries.find((o) => comboName(o) === comboName(e))
  if (before !== undefined && (before.spikeHash !== e.spikeHash || before.spikes !== e.spikes || before.events !== e.events)) {
    changed++
    process.stderr.write(`changed: ${comboName(e)}\n`)
  }
}
process.stderr.write(
  `${entries.length} combinations written to ${HASHES_FILE} in ${((performance.now() - t0) / 1000).toFixed(1)} s` +
    `${old ? `, ${changed} changed` : ''}\n`,
)
