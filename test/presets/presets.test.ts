// Presets: structure, defaults, scaling rules, validation errors, determinism; the SVG raster writer.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { SpikecsError, type World } from '@spikecs/ecs-core'
import { run, spikeData } from '@spikecs/systems'
import {
  buildPreset,
  coba,
  cobaDef,
  cuba,
  cubaDef,
  einet,
  einetDef,
  presets,
  exportPyNN,
  rasterSvg,
  song2000,
  song2000Def,
  summarizeSpikes,
  synapseCount,
  weightStats,
  type SpikeTrains,
} from '@spikecs/presets'

function throwsSpikecs(fn: () => unknown, ...fragments: string[]): SpikecsError {
  try {
    fn()
  } catch (e) {
    assert.instance(e, SpikecsError)
    for (const f of fragments) assert.ok((e as Error).message.includes(f), `"${(e as Error).message}" should mention ${f}`)
    return e as SpikecsError
  }
  throw new assert.Assertion({
    message: 'expected a SpikecsError',
    operator: 'throws',
    generated: false,
    expects: 'SpikecsError',
    actual: 'no error',
  })
}

function spikesAfter(world: World, mon: Parameters<typeof spikeData>[0], ms: number): SpikeTrains {
  run(world, ms)
  return spikeData(mon)
}

function sameTrains(a: SpikeTrains, b: SpikeTrains): boolean {
  if (a.ticks.length !== b.ticks.length) return false
  for (let k = 0; k < a.ticks.length; k++) if (a.ticks[k] !== b.ticks[k] || a.indices[k] !== b.indices[k]) return false
  return true
}

// ---------------------------------------------------------------------------------------------------------
// Structure and defaults

test('coba: two LifRefLTC populations, four FullProjAlignPost with stored connectivity, defaults as documented', () => {
  const net = coba()
  assert.is(net.preset, 'coba')
  assert.equal(net.options, { variant: 'default', seed: 1, dtype: 'float32', dtMs: 0.1, conn: 'csr', scale: 1, kernel: 'wasm', threads: 1 })
  assert.is(net.pops.E.size, 3200)
  assert.is(net.pops.I.size, 800)
  assert.is(net.pops.E.model, 'LifRefLTC')
  const projs = net.world.components.Projection.list
  assert.equal(
    projs.map((p) => p.name),
    ['E2E', 'E2I', 'I2E', 'I2I'],
  )
  for (const p of projs) {
    assert.is(p.kind, 'FullProjAlignPost')
    assert.is(p.comm.kind, 'EventCSRLinear')
    assert.is(p.source.kind === 'queue' && p.source.latency, 1)
    assert.is(p.output.kind, 'COBA')
  }
  const expected: Record<string, number> = {}
  for (const s of cobaDef.params) expected[s.name] = s.default
  assert.equal(net.params, expected)
  assert.equal(Object.keys(net.params), [
    'nE',
    'nI',
    'p',
    'wE',
    'wI',
    'tauE',
    'tauI',
    'eE',
    'eI',
    'iExt',
    'vRest',
    'vTh',
    'vReset',
    'tauM',
    'tauRef',
    'v0Mean',
    'v0Std',
  ])
  assert.equal(net.groups, [
    { name: 'E', start: 0, size: 3200 },
    { name: 'I', start: 3200, size: 800 },
  ])
  assert.ok(net.monitors.spikes !== null)
})

test('coba mg variant uses FullProjAlignPostMg; cuba uses LifRef with CUBA outputs and a negative inhibitory weight', () => {
  const mg = coba({ variant: 'mg', record: false })
  assert.ok(mg.world.components.Projection.list.every((p) => p.kind === 'FullProjAlignPostMg'))
  assert.is(mg.monitors.spikes, null)
  const c = cuba()
  assert.is(c.pops.E.model, 'LifRef')
  assert.ok(c.world.components.Projection.list.every((p) => p.output.kind === 'CUBA' && p.kind === 'FullProjAlignPost'))
  assert.is(c.params.vRest, -49)
  assert.is(c.params.wI, -9)
  assert.ok(Math.abs(c.params.wE - (60 * 0.27) / 10) < 1e-12)
  const ci = c.world.components.Projection.list.find((p) => p.name === 'I2E')!
  assert.is(ci.comm.kind === 'EventCSRLinear' && ci.comm.weight, -9)
})

test('einet variants: halfMg/half one population with slice sources; fullMg/full two populations with delay 0.1 ms', () => {
  const h = einet()
  assert.is(h.options.variant, 'halfMg')
  assert.is(h.options.conn, 'jit')
  assert.equal(Object.keys(h.pops), ['N'])
  const hp = h.world.components.Projection.list
  assert.equal(
    hp.map((p) => [p.name, p.kind, p.comm.kind]),
    [
      ['E', 'HalfProjAlignPostMg', 'EventJitFPHomoLinear'],
      ['I', 'HalfProjAlignPostMg', 'EventJitFPHomoLinear'],
    ],
  )
  const [sE, sI] = hp.map((p) => p.source)
  assert.ok(sE.kind === 'queue' && sE.offset === 0 && sE.count === 3200 && sE.latency === 1)
  assert.ok(sI.kind === 'queue' && sI.offset === 3200 && sI.count === 800 && sI.latency === 1)
  assert.equal(h.groups, [
    { name: 'E', start: 0, size: 3200 },
    { name: 'I', start: 3200, size: 800 },
  ])
  assert.ok(einet({ variant: 'half' }).world.components.Projection.list.every((p) => p.kind === 'HalfProjAlignPost'))
  for (const variant of ['fullMg', 'full'] as const) {
    const f = einet({ variant })
    assert.equal(Object.keys(f.pops), ['E', 'I'])
    const fp = f.world.components.Projection.list
    assert.equal(
      fp.map((p) => p.name),
      ['E2E', 'E2I', 'I2E', 'I2I'],
    )
    assert.ok(fp.every((p) => p.kind === (variant === 'fullMg' ? 'FullProjAlignPostMg' : 'FullProjAlignPost') && p.delayMs === 0.1))
    assert.is(f.pops.E.model, 'LifRef')
  }
  // The delay is a number of ticks: 0.2 ms at dt 0.1 reads spikes of two ticks ago.
  const d = einet({ delay: 0.2 })
  assert.ok(d.world.components.Projection.list.every((p) => p.source.kind === 'queue' && p.source.latency === 2))
})

test('registry: every preset builds by name with its defaults and lists its variants and parameters', () => {
  assert.equal(Object.keys(presets), ['coba', 'einet', 'cuba', 'cobahh', 'song2000'])
  for (const [name, { def }] of Object.entries(presets)) {
    assert.ok(def.variants.includes(def.defaultVariant))
    assert.ok(def.params.length >= 9)
    for (const v of def.variants) assert.type(def.variantDocs[v], 'string')
    const net = buildPreset(name, { record: false })
    assert.is(net.world.nNeurons, name === 'song2000' ? 1001 : 4000)
  }
  throwsSpikecs(() => buildPreset('nope'), 'preset', 'coba, einet, cuba, cobahh, song2000')
})

// ---------------------------------------------------------------------------------------------------------
// Scale

test('scale K: nE = round(3200K), nI = round(800K), p = 0.02/K, weights unchanged', () => {
  for (const K of [0.5, 2, 0.123]) {
    const net = coba({ scale: K, record: false })
    assert.is(net.params.nE, Math.round(3200 * K))
    assert.is(net.params.nI, Math.round(800 * K))
    assert.is(net.params.p, 0.02 / K)
    assert.is(net.params.wE, 0.6)
    assert.is(net.params.wI, 6.7)
    assert.is(net.options.scale, K)
  }
  // Explicit values win over the scaled defaults.
  const e = einet({ scale: 2, nE: 1000, p: 0.05 })
  assert.is(e.params.nE, 1000)
  assert.is(e.params.nI, 1600)
  assert.is(e.params.p, 0.05)
  // A K that makes p > 1 is fine when p is given explicitly.
  assert.is(cuba({ scale: 0.01, p: 0.5, record: false }).params.nE, 32)
})

test('scale K refused when it empties a population or makes p > 1', () => {
  const e1 = throwsSpikecs(() => coba({ scale: 0.0001 }), "preset 'coba'", 'scale', 'non-empty', '0.0001')
  assert.is(e1.param, 'scale')
  const e2 = throwsSpikecs(() => einet({ scale: 0.01 }), "preset 'einet'", 'scale', '> 1', '0.01')
  assert.is(e2.value, 0.01)
  throwsSpikecs(() => cuba({ scale: 0 }), 'scale', '> 0')
  throwsSpikecs(() => cuba({ scale: -1 }), 'scale')
  // With nI given explicitly, only p is left to refuse at K = 0.0004 (nE rounds to 1: still non-empty).
  throwsSpikecs(() => coba({ scale: 0.0004, nI: 10 }), 'p = 0.02/K')
})

// ---------------------------------------------------------------------------------------------------------
// Validation

test('parameter validation: errors name the preset, the parameter and the value; nothing is built', () => {
  throwsSpikecs(() => coba({ tauM: -5 }), "preset 'coba'", 'tauM', '-5', 'ms')
  throwsSpikecs(() => coba({ p: 1.5 }), 'p', 'probability', '1.5')
  throwsSpikecs(() => coba({ nE: 2.5 }), 'nE', 'integer', '2.5')
  throwsSpikecs(() => coba({ nI: 0 }), 'nI', '>= 1')
  throwsSpikecs(() => coba({ wE: -1 }), 'wE', '>= 0')
  throwsSpikecs(() => coba({ eI: Number.NaN }), 'eI', 'finite')
  throwsSpikecs(() => coba({ vReset: -40 }), 'vReset', 'below vTh', '-40')
  throwsSpikecs(() => coba({ taum: 20 } as never), 'taum', 'not an option or parameter', 'tauM')
  throwsSpikecs(() => coba({ variant: 'fast' } as never), 'variant', 'default, mg', 'fast')
  throwsSpikecs(() => coba({ conn: 'dense' } as never), 'conn', 'csr, jit')
  throwsSpikecs(() => coba({ dtype: 'float16' } as never), 'dtype', 'float16')
  throwsSpikecs(() => coba({ seed: -1 }), 'seed', '-1')
  throwsSpikecs(() => coba({ dtMs: 0 }), 'dtMs')
  throwsSpikecs(() => cuba({ v0Low: -40, v0High: -45 }), "preset 'cuba'", 'v0High', '-45')
  throwsSpikecs(() => einet({ variant: 'full', dtMs: 0.2 }), "preset 'einet'", 'delay', '0.1', 'whole number of ticks')
  throwsSpikecs(() => einet({ delay: -1 }), 'delay', '-1')
  throwsSpikecs(() => coba('x' as never), 'options')
})

// ---------------------------------------------------------------------------------------------------------
// Determinism and connectivity

test('same seed → identical spikes; another seed → different spikes', () => {
  const a = coba({ seed: 7 }),
    b = coba({ seed: 7 }),
    c = coba({ seed: 8 })
  const sa = spikesAfter(a.world, a.monitors.spikes!, 60)
  const sb = spikesAfter(b.world, b.monitors.spikes!, 60)
  const sc = spikesAfter(c.world, c.monitors.spikes!, 60)
  assert.ok(sa.ticks.length > 1000)
  assert.ok(sameTrains(sa, sb))
  assert.not.ok(sameTrains(sa, sc))
})

test('jit and csr connectivity give the same network, hence the same spikes', () => {
  for (const [build, name] of [
    [coba, 'coba'],
    [einet, 'einet'],
  ] as const) {
    const j = build({ conn: 'jit', seed: 3 }),
      c = build({ conn: 'csr', seed: 3 })
    const sj = spikesAfter(j.world, j.monitors.spikes!, 40)
    const sc = spikesAfter(c.world, c.monitors.spikes!, 40)
    assert.ok(sameTrains(sj, sc), name)
  }
})

test('synapse count: exact for csr (within 5 sd of N_pre·N_post·p), expected for jit', () => {
  const c = synapseCount(coba({ record: false }).world)
  assert.ok(c.exact)
  // 4000 × 4000 pairs at p = 0.02: mean 320000, sd sqrt(320000·0.98) ≈ 560.
  assert.ok(Math.abs(c.synapses - 320000) < 5 * 560, `${c.synapses}`)
  const j = synapseCount(coba({ conn: 'jit', record: false }).world)
  assert.not.ok(j.exact)
  assert.ok(Math.abs(j.synapses - 320000) < 1e-6)
})

test('einet halfMg and half: same network and initial V, different synapse order → close statistics, different spikes', () => {
  const mg = einet({ variant: 'halfMg', seed: 2 }),
    non = einet({ variant: 'half', seed: 2 })
  assert.equal(Array.from(mg.pops.N.state.V.array.slice(0, 50)), Array.from(non.pops.N.state.V.array.slice(0, 50)))
  const a = spikesAfter(mg.world, mg.monitors.spikes!, 300)
  const b = spikesAfter(non.world, non.monitors.spikes!, 300)
  assert.not.ok(sameTrains(a, b))
  const ra = summarizeSpikes(a, mg.groups, 300).rates,
    rb = summarizeSpikes(b, non.groups, 300).rates
  // Same model up to the attenuation e^(−dt/τ) of each increment (2 % for E, 1 % for I): over 300 ms one
  // seed's rates stay within 20 % of each other.
  assert.ok(Math.abs(ra.E / rb.E - 1) < 0.2 && Math.abs(ra.I / rb.I - 1) < 0.2, JSON.stringify([ra, rb]))
})

test('dtype float64 builds float64 state and runs', () => {
  const net = cuba({ dtype: 'float64' })
  assert.instance(net.pops.E.state.V.array, Float64Array)
  const s = spikesAfter(net.world, net.monitors.spikes!, 20)
  assert.ok(s.ticks.length > 0)
})

// ---------------------------------------------------------------------------------------------------------
// SVG raster

test('rasterSvg: one path per population with one mark per spike, one rate path per population', () => {
  const s: SpikeTrains = { ticks: Int32Array.from([0, 3, 3, 5, 9, 12]), indices: Int32Array.from([0, 4, 1, 2, 5, 3]) }
  const groups = [
    { name: 'E' as const, start: 0, size: 4 },
    { name: 'I' as const, start: 4, size: 2 },
  ]
  // Duration 1.2 ms = 12 ticks: the spike at tick 12 lies outside and is not drawn.
  const svg = rasterSvg(s, { groups, dtMs: 0.1, durationMs: 1.2, binMs: 0.5, title: 'a <b> & c' })
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'))
  assert.ok(svg.trimEnd().endsWith('</svg>'))
  assert.ok(svg.includes('a &lt;b&gt; &amp; c'))
  const raster = [...svg.matchAll(/<path class="raster" data-group="(\w+)"[^>]* d="([^"]*)"/g)]
  assert.equal(
    raster.map((m) => m[1]),
    ['E', 'I'],
  )
  const marks = raster.map((m) => (m[2].match(/M/g) ?? []).length)
  assert.equal(marks, [3, 2]) // E: spikes of neurons 0, 1, 2 (neuron 3's is at tick 12); I: neurons 4, 5
  const colours = raster.map((m) => /stroke="([^"]+)"/.exec(m[0])![1])
  assert.is.not(colours[0], colours[1])
  assert.is([...svg.matchAll(/<path class="rate"/g)].length, 2)
  assert.is([...svg.matchAll(/<path /g)].length, 4)
  assert.ok(svg.includes('time (ms)') && svg.includes('neuron index') && svg.includes('rate (Hz)'))
})

test('rasterSvg: above maxRows every k-th neuron is drawn, the rate panel keeps every spike', () => {
  // 10 neurons, one spike each at tick 1; maxRows 4 → stride ceil(10/4) = 3: neurons 0, 3, 6, 9 drawn.
  const s: SpikeTrains = { ticks: new Int32Array(10).fill(1), indices: Int32Array.from({ length: 10 }, (_, i) => i) }
  const svg = rasterSvg(s, { groups: [{ name: 'E', start: 0, size: 10 }], dtMs: 0.1, durationMs: 1, binMs: 1, maxRows: 4 })
  const d = /<path class="raster"[^>]* d="([^"]*)"/.exec(svg)![1]
  assert.is((d.match(/M/g) ?? []).length, 4)
  assert.ok(svg.includes('1 in 3 neurons'))
  // Rate panel: 10 spikes / (10 neurons × 1 ms) = 1000 Hz in the single bin, the top of the rate axis
  // (ticks 0, 500, 1000 Hz): y = top margin 20 + raster 620 + gap 46 = 686, from x = 78 (left margin).
  assert.ok(/<path class="rate"[^>]* d="M78 686L/.test(svg), /<path class="rate"[^>]*/.exec(svg)![0])
  assert.throws(() => rasterSvg(s, { groups: [{ name: 'E', start: 0, size: 10 }], dtMs: 0.1, durationMs: 1, maxRows: 0 }), /maxRows/)
})

test('rasterSvg of a preset run: E and I paths hold every spike', () => {
  const net = einet({ variant: 'fullMg' })
  const s = spikesAfter(net.world, net.monitors.spikes!, 50)
  const svg = rasterSvg(s, { groups: net.groups, dtMs: 0.1, durationMs: 50 })
  const raster = [...svg.matchAll(/<path class="raster" data-group="(\w+)"[^>]* d="([^"]*)"/g)]
  const total = raster.reduce((a, m) => a + (m[2].match(/M/g) ?? []).length, 0)
  assert.is(total, s.ticks.length)
  assert.throws(() => rasterSvg(s, { groups: [], dtMs: 0.1, durationMs: 50 }), /groups/)
})

// ---------------------------------------------------------------------------------------------------------
// The docs fragment stays true

const DOC = readFileSync(new URL('../../docs/presets-cli.md', import.meta.url), 'utf8')

test('docs/presets-cli.md lists every parameter of every preset with its default, and every preset', () => {
  for (const def of [cobaDef, cubaDef, song2000Def]) {
    const section = DOC.slice(DOC.indexOf(`### \`${def.name}\` parameters`))
    for (const p of def.params) {
      const shown =
        (p.default < 0 ? `−${-p.default}` : String(p.default)) + (p.scaled === 'times' ? ' ×K' : p.scaled === 'over' ? ' /K' : '')
      assert.ok(section.includes(`| \`${p.name}\` | ${shown} |`), `${def.name}.${p.name} = ${shown} missing from the docs`)
    }
  }
  for (const p of einetDef.params) assert.ok(DOC.includes(`\`${p.name}\``), `einet.${p.name} missing from the docs`)
  const table = DOC.slice(DOC.indexOf('## Presets'), DOC.indexOf('### Options of every preset'))
  for (const name of Object.keys(presets)) assert.ok(table.includes(`| \`${name}\``), `preset ${name} missing from the table`)
})

test("the docs' hand-built EINet runs and prints the rates of einet() for seed 1", () => {
  const start = DOC.indexOf('```ts', DOC.indexOf('<!-- example: einet-by-hand'))
  const code = DOC.slice(start + 5, DOC.indexOf('```', start + 5))
  // The example is plain JavaScript as well, so node runs it directly from the repository root.
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' })
  assert.is(r.status, 0, r.stderr)
  const net = einet({ seed: 1 })
  run(net.world, 1000)
  const s = summarizeSpikes(spikeData(net.monitors.spikes!), net.groups, 1000)
  assert.is(r.stdout.trim(), `E ${s.rates.E.toFixed(2)} Hz, I ${s.rates.I.toFixed(2)} Hz`)
})

test('song2000: one plastic projection, --json weight statistics, and a PyNN export with STDPMechanism', () => {
  const net = song2000({ seed: 2, record: false, nIn: 50 })
  assert.is(net.plastic?.projection.kind, 'STDP_Song2000')
  assert.is(net.plastic?.wMax, 0.01)
  const w = weightStats([0, 0.0025, 0.005, 0.0095, 0.01], 0.01) // w/wMax = 0, 0.25, 0.5, 0.95, 1
  assert.equal(w.hist10, [1, 0, 1, 0, 0, 1, 0, 0, 0, 2])
  assert.is(w.fracLow, 0.2)
  assert.is(w.fracHigh, 0.4)
  assert.ok(Math.abs(w.mean - 0.54) < 1e-12)
  assert.match(exportPyNN(net.world).script, 'synapse_type=sim.STDPMechanism(')
})

test.run()
