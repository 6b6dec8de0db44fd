// The `spikecs` command, run as a child process from the built package (run `pnpm build` first):
// the --json record, --set/--scale resolution, exit code 2 with what is valid, raster files.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cobaDef, cubaDef, einetDef } from '@spikecs/presets'
import { cli, parseCommand } from '@spikecs/cli'

const MAIN = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url))
const tmp = mkdtempSync(join(tmpdir(), 'spikecs-cli-'))

function spikecs(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** The command in this process (same code path as `main.js`), with captured output. */
function spikecsHere(...args: string[]) {
  let stdout = '',
    stderr = ''
  const code = cli(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: false } as never,
  })
  return { code, stdout, stderr }
}

// biome-ignore lint/suspicious/noExplicitAny: the record's fields are read with the shapes each test expects
function lastJson(stdout: string): Record<string, any> {
  const lines = stdout.trimEnd().split('\n')
  return JSON.parse(lines[lines.length - 1])
}

test('run --json: the last stdout line is the run record with the required keys', () => {
  const r = spikecs('run', '--duration', '30', '--json')
  assert.is(r.code, 0, r.stderr)
  const j = lastJson(r.stdout)
  for (const k of [
    'preset',
    'variant',
    'n',
    'ticks',
    'durationMs',
    'dtMs',
    'seed',
    'rates',
    'cvIsi',
    'spikes',
    'buildSeconds',
    'simSeconds',
    'params',
    'synapses',
    'ticksPerSecond',
    'realTimeFactor',
    'threads',
    'spikeHash',
  ]) {
    assert.ok(k in j, `missing ${k}`)
  }
  assert.is(j.preset, 'coba')
  assert.is(j.variant, 'default')
  assert.is(j.n, 4000)
  assert.is(j.ticks, 300)
  assert.is(j.durationMs, 30)
  assert.is(j.dtMs, 0.1)
  assert.is(j.seed, 1)
  assert.ok(Number.isInteger(j.spikes) && j.spikes > 0)
  // rates × neurons × seconds gives back the spike count.
  const back = j.rates.E * 3200 * 0.03 + j.rates.I * 800 * 0.03
  assert.ok(Math.abs(back - j.spikes) < 1e-6, `${back} vs ${j.spikes}`)
  assert.equal(
    Object.keys(j.params),
    cobaDef.params.map((p) => p.name),
  )
  assert.ok(j.buildSeconds >= 0 && j.simSeconds > 0)
})

test('run: --set wins over --scale; seed, variant, conn and dtype are honoured', () => {
  const r = spikecs(
    'run',
    'einet',
    '--variant',
    'full',
    '--conn',
    'csr',
    '--dtype',
    'float64',
    '--seed',
    '9',
    '--scale',
    '0.5',
    '--set',
    'nE=1000',
    '--set',
    'wI=7',
    '--duration',
    '10',
    '--json',
  )
  assert.is(r.code, 0, r.stderr)
  const j = lastJson(r.stdout)
  assert.is(j.preset, 'einet')
  assert.is(j.variant, 'full')
  assert.is(j.conn, 'csr')
  assert.is(j.dtype, 'float64')
  assert.is(j.seed, 9)
  assert.is(j.params.nE, 1000)
  assert.is(j.params.nI, 400)
  assert.is(j.params.p, 0.04)
  assert.is(j.params.wI, 7)
  assert.is(j.n, 1400)
})

for (const preset of ['coba', 'einet']) {
  test(`run ${preset} --threads 2 and --threads 3 give the spikeHash of --threads 1; the record names the count`, () => {
    const runs = ['1', '2', '3'].map((t) => {
      const r = spikecs('run', preset, '--duration', '40', '--scale', '0.5', '--threads', t, '--json', '--quiet')
      assert.is(r.code, 0, r.stderr)
      return lastJson(r.stdout)
    })
    assert.equal(
      runs.map((j) => j.threads),
      [1, 2, 3],
    )
    assert.match(runs[0].spikeHash, /^[0-9a-f]{64}$/)
    for (const j of runs.slice(1)) {
      assert.is(j.spikeHash, runs[0].spikeHash)
      assert.is(j.spikes, runs[0].spikes)
      assert.is(j.events, runs[0].events)
    }
  })
}

test('run --threads auto (the default) takes one thread for the 4000-neuron presets', () => {
  const j = lastJson(spikecs('run', '--duration', '10', '--json', '--quiet').stdout)
  assert.is(j.threads, 1)
})

test('run: the same seed gives the same spikes', () => {
  const a = lastJson(spikecs('run', 'cuba', '--duration', '50', '--seed', '4', '--json').stdout)
  const b = lastJson(spikecs('run', 'cuba', '--duration', '50', '--seed', '4', '--json').stdout)
  assert.is(a.spikes, b.spikes)
  assert.equal(a.rates, b.rates)
})

test('run: human summary lists the statistics', () => {
  const r = spikecs('run', 'cuba', '--duration', '20')
  assert.is(r.code, 0, r.stderr)
  for (const k of [
    'neurons',
    'synapses',
    'ticks',
    'rate E',
    'rate I',
    'CV ISI',
    'spikes',
    'build',
    'simulation',
    'ticks/s',
    'real-time factor',
  ]) {
    assert.ok(r.stdout.includes(k), `summary lacks ${k}`)
  }
  const q = spikecs('run', 'cuba', '--duration', '20', '--quiet')
  assert.is(q.code, 0)
  assert.is(q.stdout, '')
})

const usageCases: [string, string[], string[]][] = [
  ['unknown preset', ['run', 'hh'], ['unknown preset', 'coba, einet, cuba']],
  ['unknown variant', ['run', 'einet', '--variant', 'mg'], ['unknown variant', 'halfMg, fullMg, half, full']],
  ['unknown flag', ['run', '--speed', '3'], ['--speed', 'valid flags', '--duration']],
  ['unknown parameter', ['run', 'cuba', '--set', 'eE=0'], ['unknown parameter', 'eE', 'v0Low']],
  ['non-numeric value', ['run', '--set', 'wE=strong'], ['wE', 'number', 'strong']],
  ['--set without =', ['run', '--set', 'wE'], ['NAME=VALUE']],
  ['non-numeric duration', ['run', '--duration', '1s'], ['--duration', '1s']],
  ['duration not a whole number of ticks', ['run', '--duration', '0.05'], ['whole number', 'ticks']],
  ['bad seed', ['run', '--seed', '1.5'], ['--seed', 'integer']],
  ['bad conn', ['run', '--conn', 'dense'], ['--conn', 'csr, jit']],
  ['bad dtype', ['run', '--dtype', 'float16'], ['float32 or float64']],
  ['bad thread count', ['run', '--threads', '0'], ['--threads must be auto or a whole number from 1 to 256 (got "0")']],
  ['threads not a number', ['run', '--threads', 'all'], ['--threads must be auto or a whole number', '"all"']],
  ['invalid parameter value', ['run', '--set', 'tauM=-5'], ["preset 'coba'", 'tauM', '-5']],
  ['scale that empties a population', ['run', '--scale', '0.0001'], ['scale', 'non-empty']],
  ['scale that makes p > 1', ['run', 'cuba', '--scale', '0.01'], ['scale', '> 1']],
  ['bad raster extension', ['run', '--raster', 'x.jpg'], ['.svg or .png']],
  ['bad weights extension', ['run', 'song2000', '--weights', 'w.jpg'], ['--weights must name a .svg or .png']],
  // Values may begin with a dash: they reach the tool's own checks, not the parser's "ambiguous" message.
  ['negative duration', ['run', '--duration', '-5'], ['--duration must be a number > 0 (got "-5")']],
  ['negative seed', ['run', '--seed', '-1'], ['--seed must be an integer in [0, 4294967295] (got "-1")']],
  ['negative dt given with =', ['run', '--dt=-0.1'], ['--dt must be a number > 0 (got "-0.1")']],
  ['negative --set value that the preset refuses', ['run', '--set', 'tauE=-2'], ["preset 'coba'", 'tauE', '-2']],
  ['a flag without its value', ['run', '--duration'], ['--duration needs a value (--duration MS)']],
  ['a value given to a switch', ['run', '--json=yes'], ['--json takes no value']],
  ['export: negative seed', ['export', 'pynn', '--seed', '-1'], ['--seed must be an integer', '"-1"']],
  ['unknown command', ['simulate'], ['unknown command', 'run, list, help']],
  ['no command', [], ['missing command']],
]
for (const [k, [name, args, fragments]] of usageCases.entries()) {
  test(`exit code 2: ${name}`, () => {
    const raster = join(tmp, `never-${name.replace(/\W+/g, '-')}.png`)
    const withRaster = args.includes('--raster') || args[0] !== 'run' ? args : ['run', '--raster', raster, ...args.slice(1)]
    // A few cases through a real process (the exit code as the shell sees it), the rest in this process.
    const r = k % 5 === 0 ? spikecs(...withRaster) : spikecsHere(...withRaster)
    assert.is(r.code, 2, `${name}: code ${r.code}, stderr ${r.stderr}`)
    for (const f of fragments) assert.ok(r.stderr.includes(f), `${name}: stderr should mention ${f}:\n${r.stderr}`)
    // One line, and where the refusal is not the preset's, a hint to --help (no 13 lines of usage).
    const lines = r.stderr.trimEnd().split('\n')
    assert.ok(lines.length <= 2, `${name}: ${lines.length} lines:\n${r.stderr}`)
    if (lines.length === 2) assert.match(lines[1], /^Run 'spikecs (export )?--help' for usage\.$/)
    // Nothing half-runs: no summary, no record, no picture.
    assert.is(r.stdout, '')
    assert.not.ok(existsSync(raster))
  })
}

test('list and help exit 0 and show every preset and parameter', () => {
  const l = spikecs('list')
  assert.is(l.code, 0)
  for (const def of [cobaDef, einetDef, cubaDef]) {
    assert.ok(l.stdout.includes(`${def.name}:`))
    for (const v of def.variants) assert.ok(l.stdout.includes(v))
    for (const p of def.params) assert.ok(new RegExp(`\\b${p.name}\\b`).test(l.stdout), p.name)
  }
  const h = spikecs('help')
  assert.is(h.code, 0)
  assert.ok(h.stdout.includes('usage: spikecs run'))
  // The usage names every run flag (--weights included) and song2000's own default duration.
  for (const flag of ['--weights FILE.svg|FILE.png', '--raster FILE.svg|FILE.png'])
    assert.ok(h.stdout.split('flags:')[0].includes(flag), flag)
  assert.ok(h.stdout.includes('duration defaults to 1000 ms (song2000: 100000 ms)'))
  assert.is(spikecs('--help').code, 0)
})

test('song2000: default duration 100 s, --json weights, --weights plot; refused for a preset without plasticity', () => {
  const svgPath = join(tmp, 'w.svg')
  const a = spikecs('run', 'song2000', '--duration', '500', '--weights', svgPath, '--json')
  assert.is(a.code, 0, a.stderr)
  const rec = lastJson(a.stdout) as {
    weights: { hist10: number[]; fracLow: number; fracHigh: number; mean: number }
    rates: Record<string, number>
  }
  assert.is(
    rec.weights.hist10.reduce((x, y) => x + y, 0),
    1000,
  )
  assert.ok(rec.weights.mean > 0.3 && rec.weights.mean < 0.7)
  assert.equal(Object.keys(rec.rates), ['In', 'Out'])
  const svg = readFileSync(svgPath, 'utf8')
  assert.is([...svg.matchAll(/<path class="trace"/g)].length, 8)
  assert.is([...svg.matchAll(/<path class="hist"/g)].length, 1)
  const b = spikecs('run', 'coba', '--duration', '1', '--weights', join(tmp, 'none.svg'))
  assert.is(b.code, 2)
  assert.ok(b.stderr.includes('has no plastic projection'), b.stderr)
  const req = parseCommand(['run', 'song2000'])
  assert.is(req.kind === 'run' && req.request.durationMs, 100_000)
  const other = parseCommand(['run', 'cuba'])
  assert.is(other.kind === 'run' && other.request.durationMs, 1000)
})

test('--raster: SVG with one raster path per population; PNG with the PNG signature', () => {
  const svgPath = join(tmp, 'r.svg'),
    pngPath = join(tmp, 'r.png')
  const a = spikecs('run', 'einet', '--duration', '20', '--raster', svgPath, '--json')
  assert.is(a.code, 0, a.stderr)
  assert.is(lastJson(a.stdout).raster, svgPath)
  const svg = readFileSync(svgPath, 'utf8')
  assert.equal(
    [...svg.matchAll(/<path class="raster" data-group="(\w+)"/g)].map((m) => m[1]),
    ['E', 'I'],
  )
  const b = spikecs('run', '--duration', '20', '--raster', pngPath, '--quiet')
  assert.is(b.code, 0, b.stderr)
  const png = readFileSync(pngPath)
  assert.equal([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  // Width and height (IHDR) are those of the SVG times the 1.5 zoom.
  const m = /<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg)!
  assert.is(png.readUInt32BE(16), Math.round(Number(m[1]) * 1.5))
  assert.is(png.readUInt32BE(20), Math.round(Number(m[2]) * 1.5))
})

test('output paths are checked before the network is built: exit 2, one line naming the option and the path', () => {
  const missing = join(tmp, 'no-such-folder')
  const cases: [string[], string, string][] = [
    [['run', '--save-state', join(missing, 'x.state')], '--save-state', join(missing, 'x.state')],
    [['run', '--raster', join(missing, 'r.png')], '--raster', join(missing, 'r.png')],
    [['run', '--raster', join(tmp, 'a-folder.svg')], '--raster', join(tmp, 'a-folder.svg')],
    [['export', 'pynn', '--out', join(missing, 'net.py')], '--out', join(missing, 'net.py')],
  ]
  mkdirSync(join(tmp, 'a-folder.svg'))
  for (const [args, option, path] of cases) {
    // A network of 10^9 neurons would take minutes to build: the check must come first.
    const r = spikecs(...args, '--scale', '250000')
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    assert.is(r.stdout, '')
    const lines = r.stderr.trimEnd().split('\n')
    assert.is(lines.length, 1, r.stderr)
    assert.ok(lines[0].startsWith(`spikecs: ${option} ${JSON.stringify(path)}: `), lines[0])
    assert.not.match(r.stderr, /\bat \S+ \(|ENOENT/)
  }
  assert.not.ok(existsSync(missing))
})

test('a file that still cannot be written at the end: the record is printed first, one line, exit 1, other files kept', () => {
  if (!existsSync('/dev/full')) return // writes to /dev/full fail with ENOSPC (Linux)
  const svgPath = join(tmp, 'kept.svg')
  const r = spikecs('run', 'cuba', '--duration', '20', '--save-state', '/dev/full', '--raster', svgPath, '--json')
  assert.is(r.code, 1, r.stderr)
  assert.is(lastJson(r.stdout).ticks, 200)
  assert.equal(r.stderr.trimEnd().split('\n'), [
    `spikecs: --save-state: could not write "/dev/full" (ENOSPC: no space left on device, write)`,
  ])
  assert.ok(readFileSync(svgPath, 'utf8').startsWith('<svg'))
})

test.after(() => rmSync(tmp, { recursive: true, force: true }))

test('--save-state then --resume continues the run exactly: 200 + 200 ms gives the spikes of 400 ms straight', () => {
  const state = join(tmp, 'state.bin')
  // The raster (spikes kept by the CLI, not by the world) does not change the state: saved with one, resumed without.
  const a = spikecs('run', 'einet', '--duration', '200', '--save-state', state, '--raster', join(tmp, 'first.svg'), '--json', '--quiet')
  assert.is(a.code, 0, a.stderr)
  const b = spikecs('run', 'einet', '--duration', '200', '--resume', state, '--json', '--quiet')
  assert.is(b.code, 0, b.stderr)
  const c = spikecs('run', 'einet', '--duration', '400', '--json', '--quiet')
  assert.is(lastJson(a.stdout).spikes + lastJson(b.stdout).spikes, lastJson(c.stdout).spikes)
  // A snapshot of another network is refused before anything runs (exit 2), naming the difference.
  const d = spikecs('run', 'coba', '--duration', '10', '--resume', state)
  assert.is(d.code, 2)
  assert.match(d.stderr, /restore: structure hash .* the snapshot is of a different network/)
  const e = spikecs('run', 'einet', '--resume', join(tmp, 'missing.bin'))
  assert.is(e.code, 2)
  assert.match(e.stderr, /--resume: file must be a readable snapshot file/)
})

test.run()
