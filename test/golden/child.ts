// One shard of the golden record (see golden.ts): `child.ts SHARD SHARDS` runs combinations SHARD, SHARD +
// SHARDS, … and prints one JSON entry per line.
import { combos, runCombo } from './golden.js'

const shard = Number(process.argv[2]),
  shards = Number(process.argv[3])
combos().forEach((c, k) => {
  if (k % shards === shard) process.stdout.write(`${JSON.stringify(runCombo(c))}\n`)
})
