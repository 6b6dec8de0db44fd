#!/usr/bin/env node
// Packs the four publishable packages into one folder as npm tarballs (`pnpm pack`, which turns the
// `workspace:^` ranges into real ones, e.g. ^0.1.0), after a clean build (see the `pack:all` script).
//   node scripts/pack-all.mjs [--out DIR]     (default: packs/)
// Prints the tarballs' paths; checks that each carries its README and LICENSE and no workspace range.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PACKAGES = ['ecs-core', 'systems', 'presets', 'cli']
const root = fileURLToPath(new URL('..', import.meta.url))

/** Packs every package into `out` (emptied of older spikecs tarballs first); returns the tarball paths. */
export function packAll(out) {
  mkdirSync(out, { recursive: true })
  for (const f of readdirSync(out)) if (/^spikecs-.*\.tgz$/.test(f)) rmSync(join(out, f))
  const tarballs = []
  for (const p of PACKAGES) {
    const dir = join(root, 'packages', p)
    execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] })
    const name = readdirSync(out).find((f) => f.startsWith(`spikecs-${p}-`) && f.endsWith('.tgz'))
    if (name === undefined) throw new Error(`pnpm pack wrote no tarball for packages/${p} into ${out}`)
    const tgz = join(out, name)
    const files = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n')
    for (const f of ['package/README.md', 'package/LICENSE', 'package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts']) {
      if (!files.includes(f)) throw new Error(`${name} lacks ${f.slice('package/'.length)}`)
    }
    const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' }))
    for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
      if (String(range).startsWith('workspace:')) throw new Error(`${name}: dependency ${dep} kept the range ${range}`)
    }
    tarballs.push(tgz)
  }
  return tarballs
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const k = process.argv.indexOf('--out')
  const out = resolve(k >= 0 ? process.argv[k + 1] : join(root, 'packs'))
  for (const t of packAll(out)) console.log(t)
}
