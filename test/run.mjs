#!/usr/bin/env node
// Runs the uvu suites under test/ (or the folder given as the first argument, the files matching the pattern
// given as the second, a path relative to that folder) through tsx and ends with one plain line
// `N passed, N failed`; exits non-zero on any failure. Folders are searched recursively (test/ mirrors the
// packages); from test/ itself the folders slow, soak, interop, mpi and browser are left to their own scripts.
// Further arguments go to uvu (e.g. `--bail`: stop at the first failing test).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)
const uvuBin = join(dirname(dirname(require.resolve('uvu'))), 'bin.js')
const dir = process.argv[2] ?? 'test'
const pattern = process.argv[3] ?? '\\.test\\.ts$'
const args = [
  '--import',
  'tsx',
  uvuBin,
  dir,
  pattern,
  '--no-color',
  ...process.argv.slice(4),
  '--ignore',
  '^(slow|soak|interop|mpi|browser)$',
]
if (dir !== 'test') args.splice(args.indexOf('--ignore'), 2)

const child = spawn(process.execPath, args, {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'FORCE_COLOR')), NO_COLOR: '1' },
})
let out = ''
child.stdout.on('data', (d) => {
  out += d
  process.stdout.write(d)
})
child.on('close', (code) => {
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0)
  const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0)
  const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0)
  // uvu's Total counts the tests it ran; skipped ones are counted apart.
  let failed = Math.max(0, total - passed)
  if (code !== 0 && failed === 0) failed = 1 // a crash outside any test still counts as a failure
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
  process.exit(failed > 0 || code !== 0 ? 1 : 0)
})
