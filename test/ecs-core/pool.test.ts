// The scratch pool has two forms: typedarray-pool in Node and a copy of its protocol for browsers (where its
// `buffer` import does not exist). Both must hand out the same sizes, reuse what was given back and leave the
// zeroing to the scratch wrapper.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import * as node from '../../packages/ecs-core/src/pool.js'
import * as browser from '../../packages/ecs-core/src/pool-browser.js'

const SIZES = [0, 1, 2, 3, 7, 8, 9, 100, 1000, 4096, 4097, 65535, 1_000_000]

test('the browser pool gives the sizes typedarray-pool gives (next power of two, at least 1 byte)', () => {
  for (const n of SIZES) {
    const a = node.takeBuffer(n),
      b = browser.takeBuffer(n)
    assert.is(b.byteLength, a.byteLength, `${n} bytes`)
    assert.ok(a.byteLength >= Math.max(1, n) && a.byteLength < 2 * Math.max(1, n))
    node.giveBuffer(a)
    browser.giveBuffer(b)
  }
})

for (const [name, pool] of [
  ['typedarray-pool (Node)', node],
  ['browser pool', browser],
] as const) {
  test(`${name}: a buffer given back is handed out again for any size of its class, as it was left`, () => {
    const a = pool.takeBuffer(3000)
    new Uint8Array(a)[5] = 42
    pool.giveBuffer(a)
    const b = pool.takeBuffer(2049)
    assert.is(b, a)
    assert.is(new Uint8Array(b)[5], 42)
    assert.is.not(pool.takeBuffer(3000), a, 'taken twice without being given back')
  })
}

test('the package maps pool.js to pool-browser.js for browser bundles', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../packages/ecs-core/package.json', import.meta.url), 'utf8'))
  assert.equal(pkg.browser, { './dist/pool.js': './dist/pool-browser.js' })
})

test.run()
