// The README stays true: its quick start names the scripts that exist, and its hand-built EINet runs and
// gives the rates of the einet preset (same names, hence the same random streams and the same network).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { run, spikeData } from '@spikecs/systems'
import { einet, summarizeSpikes } from '@spikecs/presets'

const root = fileURLToPath(new URL('..', import.meta.url))
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

test('the quick start is two commands, and every pnpm script it names exists', () => {
  const qs = README.slice(README.indexOf('## Quick start'))
  const block = qs
    .slice(qs.indexOf('```sh') + 5, qs.indexOf('```', qs.indexOf('```sh') + 5))
    .trim()
    .split('\n')
  assert.is(block.length, 2)
  const scripts = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts
  for (const m of README.matchAll(/pnpm (test:\w+|spikecs|test|build|lint|format)\b/g)) assert.ok(m[1] in scripts, `script ${m[1]}`)
})

test('the hand-built EINet of the README runs and gives the rates of einet({ kernel: "wasm" })', () => {
  const start = README.indexOf('```ts', README.indexOf('## Build a network yourself'))
  const code = README.slice(start + 5, README.indexOf('```', start + 5))
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' })
  assert.is(r.status, 0, r.stderr)
  const net = einet({ seed: 1, kernel: 'wasm' })
  run(net.world, 1000)
  const spikes = spikeData(net.monitors.spikes!)
  const s = summarizeSpikes(spikes, net.groups, 1000)
  assert.is(r.stdout.trim(), `${spikes.ticks.length} spikes; E ${s.rates.E.toFixed(2)} Hz, I ${s.rates.I.toFixed(2)} Hz`)
})

test.run()
