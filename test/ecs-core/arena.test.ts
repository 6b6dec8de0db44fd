// The non-shared WebAssembly arena (what a browser page that is not cross-origin isolated gets): growing it
// detaches the old buffer, and every column must be re-pointed with its length and contents intact.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { allocColumn, createArena, createWorld, type World } from '@spikecs/ecs-core'
import { buildPreset } from '@spikecs/presets'
import { run, spikeData } from '@spikecs/systems'

/** Runs `make` as on a host without SharedArrayBuffer, so arenas are non-shared. */
function withoutShared<T>(make: () => T): T {
  const g = globalThis as { SharedArrayBuffer?: unknown }
  const saved = g.SharedArrayBuffer
  g.SharedArrayBuffer = undefined
  try {
    return make()
  } finally {
    g.SharedArrayBuffer = saved
  }
}

test("a non-shared arena keeps every column's length and contents when it grows", () => {
  const world: World = withoutShared(() => createWorld({ kernel: 'wasm' }))
  assert.is(world.arena!.shared, false)
  assert.is(withoutShared(() => createArena()).shared, false)
  const cols = [allocColumn(world, 1, 'a', 'f32', 1000), allocColumn(world, 1, 'b', 'i32', 5)]
  cols[0].array.fill(1.5)
  cols[1].array.set([1, 2, 3, 4, 5])
  const bytes = world.arena!.memory.buffer.byteLength
  const big = allocColumn(world, 2, 'big', 'f64', 400_000) // more than the initial memory: it grows
  assert.ok(world.arena!.memory.buffer.byteLength > bytes)
  assert.is(big.array.length, 400_000)
  assert.is(cols[0].array.length, 1000)
  assert.ok(cols[0].array.every((x) => x === 1.5))
  assert.equal(Array.from(cols[1].array), [1, 2, 3, 4, 5])
  assert.is(cols[0].array.buffer, world.arena!.memory.buffer)
})

for (const [preset, scale] of [
  ['coba', 1],
  ['cuba', 1],
  ['einet', 1],
  ['einet', 2],
] as const) {
  test(`${preset} x${scale} on a non-shared arena gives the spikes of a shared one`, () => {
    const local = withoutShared(() => buildPreset(preset, { seed: 3, scale, kernel: 'wasm' }))
    const shared = buildPreset(preset, { seed: 3, scale, kernel: 'wasm' })
    assert.is(local.world.arena!.shared, false)
    run(local.world, 20)
    run(shared.world, 20)
    const a = spikeData(local.monitors.spikes!),
      b = spikeData(shared.monitors.spikes!)
    assert.ok(b.indices.length > 100)
    assert.equal(a.indices, b.indices)
    assert.equal(a.ticks, b.ticks)
  })
}

test.run()
