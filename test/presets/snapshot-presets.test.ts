// Every preset (and every einet variant), float32 and float64: running 400 ticks straight equals 200 ticks,
// a snapshot, a restore into a freshly built world, and 200 more ticks — identical spikes and state bytes.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { restore, snapshot, type World } from '@spikecs/ecs-core'
import { run, spikeData } from '@spikecs/systems'
import { buildPreset } from '@spikecs/presets'

const cases: [string, Record<string, unknown>][] = [
  ['coba', {}],
  ['coba', { variant: 'mg', conn: 'jit' }],
  ['cuba', {}],
  ['cobahh', { scale: 0.25 }],
  ['einet', { variant: 'halfMg' }],
  ['einet', { variant: 'half' }],
  ['einet', { variant: 'fullMg' }],
  ['einet', { variant: 'full', conn: 'csr' }],
]

function stateBytes(world: World): number[] {
  const out: number[] = []
  for (const c of world.columns) {
    if (c.owner === 0) continue // kernel scratch
    const b = new Uint8Array(c.array.buffer, c.array.byteOffset, c.array.byteLength)
    let h = 0
    for (let i = 0; i < b.length; i++) h = (Math.imul(h, 31) + b[i]) | 0
    out.push(h)
  }
  return out
}

for (const dtype of ['float32', 'float64'] as const) {
  for (const [name, opts] of cases) {
    test(`${name} ${JSON.stringify(opts)} ${dtype}: 200 + snapshot/restore + 200 ticks equals 400 straight`, () => {
      const o = { ...opts, dtype, seed: 3 }
      const straight = buildPreset(name, o)
      run(straight.world, 40)
      const first = buildPreset(name, o)
      run(first.world, 20)
      const blob = snapshot(first.world)
      const resumed = buildPreset(name, o)
      restore(resumed.world, blob)
      run(resumed.world, 20)
      const a = spikeData(straight.monitors.spikes!),
        b = spikeData(resumed.monitors.spikes!)
      assert.ok(a.ticks.length > 50, `${a.ticks.length} spikes`)
      assert.ok(Array.from(a.ticks).every((t, k) => t === b.ticks[k]) && a.ticks.length === b.ticks.length, 'spike ticks')
      assert.ok(
        Array.from(a.indices).every((i, k) => i === b.indices[k]),
        'spike indices',
      )
      assert.equal(stateBytes(resumed.world), stateBytes(straight.world))
      assert.is(resumed.world.tick, straight.world.tick)
    })
  }
}

test.run()
