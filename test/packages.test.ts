// The four packages are ready to pack and publish: metadata, entry points, README and LICENSE in each, ranges
// that pnpm turns into real versions, and no Node module on the browser path of the three browser packages.
// (`pnpm test:consumer` packs and installs them for real.)
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const PACKAGES = ['ecs-core', 'systems', 'presets', 'cli']
const pkgOf = (p: string) => JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8'))

for (const p of PACKAGES) {
  test(`@spikecs/${p}: publishable package.json, README and LICENSE`, () => {
    const pkg = pkgOf(p)
    assert.is(pkg.name, `@spikecs/${p}`)
    assert.match(pkg.version, /^\d+\.\d+\.\d+$/)
    assert.is(pkg.type, 'module')
    assert.is(pkg.license, 'MIT')
    assert.ok(pkg.description.length > 20)
    assert.equal(pkg.exports['.'], { types: './dist/index.d.ts', default: './dist/index.js' })
    assert.is(pkg.main, './dist/index.js')
    assert.is(pkg.types, './dist/index.d.ts')
    for (const f of ['dist', 'README.md', 'LICENSE']) assert.ok(pkg.files.includes(f), `files lacks ${f}`)
    assert.equal(pkg.engines, { node: '>=20' })
    assert.equal(pkg.publishConfig, { access: 'public' })
    for (const [dep, range] of Object.entries(pkg.dependencies as Record<string, string>)) {
      if (dep.startsWith('@spikecs/')) assert.is(range, 'workspace:^', `${dep}: packed as ^version`)
      else assert.match(range, /^\^?\d/, `${dep}@${range}`)
    }
    assert.ok(existsSync(join(root, 'packages', p, 'README.md')))
    assert.is(readFileSync(join(root, 'packages', p, 'LICENSE'), 'utf8'), readFileSync(join(root, 'LICENSE'), 'utf8'))
  })
}

test('the presets package names every preset it holds', () => {
  for (const name of ['coba', 'cuba', 'einet', 'cobahh']) assert.match(pkgOf('presets').description, name)
})

test('ecs-core, systems and presets import no Node module on their browser path', () => {
  const browserMap = pkgOf('ecs-core').browser as Record<string, string>
  for (const p of ['ecs-core', 'systems', 'presets']) {
    const dist = join(root, 'packages', p, 'dist')
    const files = readdirSync(dist, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.js'))
    assert.ok(files.length > 5)
    for (const f of files) {
      if (p === 'ecs-core' && `./dist/${f}` in browserMap) continue // replaced in browser bundles
      const text = readFileSync(join(dist, f), 'utf8')
      assert.not.match(text, /from ['"](node:|fs|path|buffer|typedarray-pool)['"]|require\(/, `${p}/dist/${f}`)
    }
  }
})

test.run()
