// Export to PyNN without Python: the structure of the generated script, the unit conversions (worked out by
// hand below), the connection lists in the side file (decoded here and compared with the world's matrix),
// the refusals (object, parameter, value), the .npz container and the `spikecs export pynn` command.
// Running the scripts with real PyNN + Brian2 is `pnpm test:interop` (test/interop/).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWorld, crc32, SpikecsError, type World } from '@spikecs/ecs-core'
import {
  addInput,
  addPopulation,
  addProjection,
  addSpikeBuffer,
  run,
  All2All,
  COBA,
  CUBA,
  DualExponV2,
  EventCSRLinear,
  EventJitFPNormalLinear,
  EventJitFPUniformLinear,
  Expon,
  FixedProb,
  FromList,
  FullProjAlignPost,
  FullProjAlignPostMg,
  HalfProjAlignPost,
  LifRef,
  LifRefLTC,
  Linear,
  MgBlock,
  One2One,
  PoissonGroup,
  STDP_Song2000,
  SpikeTimeGroup,
  generateRow,
  fromQueue,
  weightsOf,
} from '@spikecs/systems'
import {
  coba,
  cuba,
  einet,
  exportPyNN,
  npyBytes,
  npzBytes,
  pyFloat,
  pyStr,
  pyText,
  shortFloat32,
  song2000,
  synapseCount,
} from '@spikecs/presets'
import { cli } from '@spikecs/cli'

// ---------------------------------------------------------------------------------------------------------
// helpers

function throwsSpikecs(fn: () => unknown, object: string, param: string, ...fragments: string[]): SpikecsError {
  try {
    fn()
  } catch (e) {
    assert.instance(e, SpikecsError, String(e))
    const err = e as SpikecsError
    assert.is(err.object, object)
    assert.is(err.param, param)
    for (const f of fragments) assert.ok(err.message.includes(f), `"${err.message}" should mention ${f}`)
    return err
  }
  throw new assert.Assertion({
    message: 'expected a SpikecsError',
    operator: 'throws',
    generated: false,
    expects: 'SpikecsError',
    actual: 'no error',
  })
}

/** Reads an uncompressed .npz written by `npzBytes`: member name → array, checking every CRC. */
function readNpz(bytes: Uint8Array): Map<string, Int32Array | Float64Array> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Map<string, Int32Array | Float64Array>()
  let p = 0
  while (v.getUint32(p, true) === 0x04034b50) {
    assert.is(v.getUint16(p + 8, true), 0, 'stored, not compressed')
    const crc = v.getUint32(p + 14, true),
      size = v.getUint32(p + 18, true),
      nameLen = v.getUint16(p + 26, true)
    const name = new TextDecoder().decode(bytes.subarray(p + 30, p + 30 + nameLen))
    const data = bytes.subarray(p + 30 + nameLen, p + 30 + nameLen + size)
    assert.is(crc32(data), crc, `crc of ${name}`)
    out.set(name.replace(/\.npy$/, ''), readNpy(data))
    p += 30 + nameLen + size
  }
  assert.is(v.getUint32(bytes.length - 22, true), 0x06054b50, 'end of central directory')
  assert.is(v.getUint16(bytes.length - 22 + 10, true), out.size)
  return out
}

function readNpy(data: Uint8Array): Int32Array | Float64Array {
  assert.equal(Array.from(data.subarray(0, 8)), [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0])
  const hl = data[8] | (data[9] << 8)
  assert.is((10 + hl) % 64, 0, 'data aligned to 64 bytes')
  const header = new TextDecoder().decode(data.subarray(10, 10 + hl))
  assert.ok(header.endsWith('\n'))
  const m = /'descr': '(<i4|<f8)', 'fortran_order': False, 'shape': \((\d+),\)/.exec(header)
  assert.ok(m, header)
  const n = Number(m![2])
  const raw = data.slice(10 + hl).buffer
  const a = m![1] === '<i4' ? new Int32Array(raw) : new Float64Array(raw)
  assert.is(a.length, n)
  return a
}

/** The (pre, post) pairs of a CSR projection, sorted, as "pre:post" strings. */
function csrPairs(world: World, name: string): string[] {
  const proj = world.components.Projection.list.find((p) => p.name === name)!
  const c = proj.comm
  if (c.kind !== 'EventCSRLinear') throw new Error('not CSR')
  const out: string[] = []
  for (let i = 0; i < c.nPre; i++) for (let q = c.indptr.array[i]; q < c.indptr.array[i + 1]; q++) out.push(`${i}:${c.indices.array[q]}`)
  return out.sort()
}

const pairs = (pre: ArrayLike<number>, post: ArrayLike<number>) => Array.from(pre, (x, k) => `${x}:${post[k]}`).sort()

/** The keyword argument `name=` of the line that creates population `pop`, as a number. */
function cellParam(script: string, pop: string, name: string): number {
  const start = script.indexOf(`pops["${pop}"] = sim.Population(`)
  assert.ok(start >= 0, `population ${pop} in the script`)
  const text = script.slice(start, script.indexOf('label=', start))
  const m = new RegExp(`\\b${name}=(-?[0-9.e+-]+)`).exec(text)
  assert.ok(m, `${name} of ${pop}`)
  return Number(m![1])
}

/** The text of the Projection(...) call of projection `name`. */
function projText(script: string, name: string): string {
  const start = script.indexOf(`projections["${name}"] = sim.Projection(`)
  assert.ok(start >= 0, `projection ${name} in the script`)
  return script.slice(start, script.indexOf(`label="${name}")`, start))
}

function lif(world: World, name: string, size: number, extra: Record<string, unknown> = {}) {
  return addPopulation(world, name, LifRefLTC({ size, vRest: -60, vTh: -50, vReset: -60, tau: 20, tauRef: 5, v0: -60, ...extra }))
}

// ---------------------------------------------------------------------------------------------------------
// Structure and unit conversions

test('coba (scale 0.1, exact): IF_cond_exp populations, converted parameters, four FromList projections, side file', () => {
  const net = coba({ scale: 0.1, seed: 4 })
  const ex = exportPyNN(net.world, { durationMs: 200, groups: net.groups })
  const s = ex.script
  assert.ok(s.startsWith('#!/usr/bin/env python3\n"""'))
  assert.match(s, 'sim.setup(timestep=DT, min_delay=DT, max_delay=MAX_DELAY + DELAY_MARGIN)')
  assert.match(s, 'DELAY_MARGIN = DT * 1e-6 if SIMULATOR == "neuron" else 0.0')
  assert.match(s, 'DT = 0.1  #')
  assert.match(s, 'DURATION = 200.0  #')
  assert.match(s, 'R_MOHM = 100.0  #')
  for (const pop of ['E', 'I']) {
    assert.match(s, `pops["${pop}"] = sim.Population(${pop === 'E' ? 320 : 80}, sim.IF_cond_exp(`)
    // cm = tau_m / R = 20 ms / 100 MOhm = 0.2 nF; i_offset = R·I / R_p = 20 mV / 100 MOhm = 0.2 nA
    assert.is(cellParam(s, pop, 'tau_m'), 20)
    assert.is(cellParam(s, pop, 'cm'), 0.2)
    assert.is(cellParam(s, pop, 'i_offset'), 0.2)
    assert.is(cellParam(s, pop, 'v_rest'), -60)
    assert.is(cellParam(s, pop, 'v_reset'), -60)
    assert.is(cellParam(s, pop, 'v_thresh'), -50)
    assert.is(cellParam(s, pop, 'tau_refrac'), 5) // 50 ticks × 0.1 ms
    assert.is(cellParam(s, pop, 'tau_syn_E'), 5)
    assert.is(cellParam(s, pop, 'tau_syn_I'), 10)
    assert.is(cellParam(s, pop, 'e_rev_E'), 0)
    assert.is(cellParam(s, pop, 'e_rev_I'), -80)
    assert.match(s, `pops["${pop}"].record("spikes")`)
  }
  for (const [name, receptor, w] of [
    ['E2E', 'excitatory', 0.006],
    ['E2I', 'excitatory', 0.006],
    ['I2E', 'inhibitory', 0.067],
    ['I2I', 'inhibitory', 0.067],
  ] as const) {
    const t = projText(s, name)
    assert.match(t, 'sim.FromListConnector(connections(')
    // conductance weight = w / R_p: 0.6 g_leak / 100 MOhm = 0.006 µS, 6.7 / 100 = 0.067 µS
    assert.match(t, `sim.StaticSynapse(weight=${w}, delay=0.1 + DELAY_MARGIN)`)
    assert.match(t, `receptor_type="${receptor}"`)
  }
  // The side file holds the same matrix, projection by projection, and the initial V of every neuron.
  assert.ok(ex.data !== null)
  assert.is(ex.dataFile, 'net.npz')
  assert.match(s, 'DATA_FILE = "net.npz"')
  const arrays = readNpz(ex.data!)
  const names = ['E2E', 'E2I', 'I2E', 'I2I']
  names.forEach((name, k) => {
    assert.equal(pairs(arrays.get(`proj${k}.pre`)!, arrays.get(`proj${k}.post`)!), csrPairs(net.world, name), name)
  })
  assert.is(ex.synapses, synapseCount(net.world).synapses)
  assert.ok(ex.synapsesExact)
  assert.equal(Array.from(arrays.get('pop0.v0')!), Array.from(net.pops.E.state.V.array))
  assert.equal(Array.from(arrays.get('pop1.v0')!), Array.from(net.pops.I.state.V.array))
  // The printed rates: the preset's groups.
  assert.match(s, '"E": [("E", 0, 320)],')
  assert.match(s, '"I": [("I", 0, 80)],')
  assert.match(s, '    print(json.dumps(result), flush=True)')
  assert.match(s, 'h.nrnmpi_init()')
  assert.match(s, '"ranks": RANKS')
})

test("the header states the mapping and every place where PyNN's integration differs", () => {
  const ex = exportPyNN(coba({ scale: 0.1 }).world)
  const header = ex.script.slice(0, ex.script.indexOf('"""', ex.script.indexOf('"""') + 3)).replace(/\n {0,2}(?!- )/g, ' ')
  for (const words of [
    'cm = tau_m/R_p',
    'i_offset = R*I/R_p',
    'weight = R*w/R_p',
    'LTC form',
    'forward Euler',
    'round(tau_ref/dt) ticks',
    'V >= v_thresh',
    'v > v_thresh',
    'delay = L*dt',
    'one tick later',
    'float32',
  ]) {
    assert.ok(header.includes(words), `header should mention "${words}"`)
  }
  assert.ok(!header.includes('Mg projections'), 'no Mg note for a network without Mg projections')
  assert.is(ex.notes.length, header.split('\n- ').length - 1)
})

test('Mg projections: weights exported as w·a with a = exp(−dt/τ) rounded to the dtype, and said so', () => {
  const net = coba({ scale: 0.1, variant: 'mg' })
  const s = exportPyNN(net.world).script
  const aE = Math.fround(Math.exp(-0.1 / 5)),
    aI = Math.fround(Math.exp(-0.1 / 10))
  const wE = Number(((0.6 * aE) / 100).toPrecision(12)),
    wI = Number(((6.7 * aI) / 100).toPrecision(12))
  assert.match(projText(s, 'E2E'), `weight=${pyFloat(wE)},`)
  assert.match(projText(s, 'I2I'), `weight=${pyFloat(wI)},`)
  assert.ok(Math.abs(wE / 0.006 - aE) < 1e-9)
  assert.match(s, `Mg projections E2E (a = ${pyFloat(shortFloat32(aE))}, tau = 5.0 ms)`)
  assert.match(s, 'their PyNN weights are w*a')
})

test('unit conversions with R ≠ 1 and another R_p: cm = τ/R_p, i_offset = R·I/R_p, weight = R·w/R_p', () => {
  const world = createWorld({ dtype: 'float64' })
  const A = addPopulation(world, 'A', LifRef({ size: 3, R: 2, tau: 10, vRest: -65, vTh: -50, vReset: -70, tauRef: 2, v0: [-65, -60, -55] }))
  const B = addPopulation(world, 'B', LifRef({ size: 3, R: 4, tau: 25, vRest: -60, vTh: -50, vReset: -60, v0: -60 }))
  addInput(world, A, 3)
  addInput(world, A, [1, 0, -1]) // per neuron, summed with the scalar input
  addProjection(
    world,
    'AB',
    FullProjAlignPost({ pre: A, post: B, delay: 1.5, comm: All2All({ weight: 0.5 }), syn: Expon({ tau: 3 }), out: COBA({ E: 10 }) }),
  )
  addProjection(world, 'BA', FullProjAlignPost({ pre: B, post: A, comm: One2One({ weight: -2 }), syn: Expon({ tau: 7 }), out: CUBA() }))
  const ex = exportPyNN(world, { resistanceMOhm: 50 })
  const s = ex.script
  assert.is(ex.data, null, 'a small network is written inline')
  assert.match(s, 'R_MOHM = 50.0')
  // A: IF_curr_exp (CUBA input); cm = 10 ms / 50 MOhm = 0.2 nF; tau_refrac = 20 ticks × 0.1 ms
  assert.match(s, 'pops["A"] = sim.Population(3, sim.IF_curr_exp(')
  assert.is(cellParam(s, 'A', 'cm'), 0.2)
  assert.is(cellParam(s, 'A', 'tau_refrac'), 2)
  assert.is(cellParam(s, 'A', 'v_reset'), -70)
  // per-neuron i_offset = R·(3 + [1, 0, −1]) / 50 = [0.16, 0.12, 0.08] nA, written inline
  assert.match(s, 'i_offset=array("pop0.i_offset")')
  assert.match(s, '"pop0.i_offset": [0.16, 0.12, 0.08],')
  assert.match(s, '"pop0.v0": [-65.0, -60.0, -55.0],')
  // B: IF_cond_exp; cm = 25 / 50 = 0.5 nF; no input; one channel (E 10 mV > vRest: excitatory)
  assert.match(s, 'pops["B"] = sim.Population(3, sim.IF_cond_exp(')
  assert.is(cellParam(s, 'B', 'cm'), 0.5)
  assert.is(cellParam(s, 'B', 'i_offset'), 0)
  assert.is(cellParam(s, 'B', 'tau_refrac'), 0)
  assert.is(cellParam(s, 'B', 'tau_syn_E'), 3)
  assert.is(cellParam(s, 'B', 'e_rev_E'), 10)
  assert.match(s, 'pops["B"].initialize(v=-60.0)')
  // AB: conductance weight R_B·w / R_p = 4·0.5/50 = 0.04 µS; delay 1.5 ms = 15 ticks; all-to-all as such
  const ab = projText(s, 'AB')
  assert.match(ab, 'sim.AllToAllConnector(allow_self_connections=True)')
  assert.match(ab, 'weight=0.04, delay=1.5')
  assert.match(ab, 'receptor_type="excitatory"')
  // BA: current weight R_A·w / R_p = 2·(−2)/50 = −0.08 nA, negative on the inhibitory channel; tau_syn_I 7
  const ba = projText(s, 'BA')
  assert.match(ba, 'sim.OneToOneConnector()')
  assert.match(ba, 'weight=-0.08, delay=0.1')
  assert.match(ba, 'receptor_type="inhibitory"')
  assert.is(cellParam(s, 'A', 'tau_syn_I'), 7)
  assert.match(s, 'MAX_DELAY = 1.5')
})

test('cuba: IF_curr_exp, inhibitory weights stay negative (−9 mV / 100 MOhm = −0.09 nA)', () => {
  const net = cuba({ scale: 0.1 })
  const s = exportPyNN(net.world).script
  assert.match(s, 'sim.IF_curr_exp(')
  assert.not.match(s, 'IF_cond_exp')
  assert.match(projText(s, 'E2E'), 'weight=0.0162, delay=0.1')
  assert.match(projText(s, 'I2E'), 'weight=-0.09, delay=0.1')
  assert.match(projText(s, 'I2E'), 'receptor_type="inhibitory"')
  assert.is(cellParam(s, 'E', 'tau_syn_I'), 10)
  assert.match(s, 'current-based')
})

test('einet halfMg: slices become PopulationViews; on-the-fly rows are materialised exactly', () => {
  const net = einet({ scale: 0.1, seed: 2 })
  const ex = exportPyNN(net.world, { groups: net.groups })
  const s = ex.script
  assert.match(projText(s, 'E'), 'pops["N"][0:320], pops["N"],')
  assert.match(projText(s, 'I'), 'pops["N"][320:400], pops["N"],')
  assert.match(s, '"E": [("N", 0, 320)],')
  assert.match(s, '"I": [("N", 320, 400)],')
  assert.match(s, 'on-the-fly rows materialised')
  assert.match(s, 'non-LTC')
  // Same rows as the generator: regenerate every row of projection E and compare.
  const proj = net.world.components.Projection.list.find((p) => p.name === 'E')!
  const c = proj.comm as Extract<typeof proj.comm, { gen: unknown }>
  const rows = new Int32Array(c.nPost),
    keys = new Uint32Array(2)
  const pre: number[] = [],
    post: number[] = []
  for (let i = 0; i < c.nPre; i++) {
    const n = generateRow(c.gen, i, i, rows, null, keys)
    for (let k = 0; k < n; k++) {
      pre.push(i)
      post.push(rows[k])
    }
  }
  const arrays = readNpz(ex.data!)
  assert.equal(pairs(arrays.get('proj0.pre')!, arrays.get('proj0.post')!), pairs(pre, post))
})

test('statistical connectivity: FixedProbabilityConnector with self-connections explicit and a seeded NumpyRNG', () => {
  const net = einet({ scale: 0.1, seed: 5, variant: 'full' })
  const ex = exportPyNN(net.world, { conn: 'statistical' })
  const s = ex.script
  assert.is(ex.data, null, 'only the initial V: inline')
  assert.not.ok(ex.synapsesExact)
  assert.ok(Math.abs(ex.synapses - 400 * 400 * 0.2) < 1e-6)
  assert.match(s, 'SEED = 5')
  assert.match(s, 'rng = sim.NumpyRNG(seed=SEED, parallel_safe=True)')
  for (const name of ['E2E', 'E2I', 'I2E', 'I2I']) {
    assert.match(projText(s, name), 'sim.FixedProbabilityConnector(0.2, allow_self_connections=True, rng=rng)')
  }
  assert.match(s, 'PyNN draws a new matrix with the same law')
  // Uniform weights become a RandomDistribution in PyNN units; fixed out-degree a FixedNumberPostConnector.
  const world = createWorld()
  const A = lif(world, 'A', 50),
    B = lif(world, 'B', 40)
  addProjection(
    world,
    'U',
    FullProjAlignPost({
      pre: A,
      post: B,
      comm: EventJitFPUniformLinear({ prob: 0.1, wLow: 0.5, wHigh: 1.5 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  addProjection(
    world,
    'F',
    FullProjAlignPost({
      pre: A,
      post: A,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.1, fixedOutDegree: true, includeSelf: false }), weight: 1 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  addProjection(
    world,
    'P',
    FullProjAlignPost({
      pre: B,
      post: B,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.3, includeSelf: false }), weight: 2 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  throwsSpikecs(
    () => exportPyNN(world, { conn: 'statistical' }),
    "projection 'F' comm EventCSRLinear FixedProb",
    'includeSelf',
    'fixedOutDegree',
    'exact',
  )
  const s2 = exportPyNN(world, { conn: 'exact' }).script
  assert.match(projText(s2, 'F'), 'FromListConnector')
  const w2 = createWorld()
  const A2 = lif(w2, 'A', 50),
    B2 = lif(w2, 'B', 40)
  addProjection(
    w2,
    'U',
    FullProjAlignPost({
      pre: A2,
      post: B2,
      comm: EventJitFPUniformLinear({ prob: 0.1, wLow: 0.5, wHigh: 1.5 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  addProjection(
    w2,
    'F',
    FullProjAlignPost({
      pre: A2,
      post: B2,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.1, fixedOutDegree: true }), weight: 1 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  addProjection(
    w2,
    'P',
    FullProjAlignPost({
      pre: B2,
      post: B2,
      comm: EventCSRLinear({ conn: FixedProb({ prob: 0.3, includeSelf: false }), weight: 2 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  const s3 = exportPyNN(w2, { conn: 'statistical' }).script
  assert.match(projText(s3, 'U'), 'sim.RandomDistribution("uniform", low=0.005, high=0.015, rng=rng)')
  assert.match(projText(s3, 'F'), 'sim.FixedNumberPostConnector(4, allow_self_connections=True, with_replacement=False, rng=rng)')
  assert.match(projText(s3, 'P'), 'sim.FixedProbabilityConnector(0.3, allow_self_connections=False, rng=rng)')
})

test('exact lists keep per-synapse weights (normal weights of on-the-fly rows, dense matrices, FromList)', () => {
  const world = createWorld()
  const A = lif(world, 'A', 30),
    B = lif(world, 'B', 20)
  addProjection(
    world,
    'N',
    FullProjAlignPost({
      pre: A,
      post: B,
      comm: EventJitFPNormalLinear({ prob: 0.3, wMu: 5, wSigma: 1 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  const W = Array.from({ length: 20 * 30 }, (_, k) => (k % 7 === 0 ? 0.5 + k / 1000 : 0))
  addProjection(world, 'D', FullProjAlignPost({ pre: B, post: A, comm: Linear({ W }), syn: Expon({ tau: 10 }), out: COBA({ E: -80 }) }))
  addProjection(
    world,
    'L',
    FullProjAlignPost({
      pre: A,
      post: A,
      delay: 0.3,
      comm: EventCSRLinear({ conn: FromList({ pre: [0, 1, 1], post: [1, 2, 0], weight: [0.5, 0.25, 1] }) }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  const ex = exportPyNN(world, { data: 'file' })
  const arrays = readNpz(ex.data!)
  // N: weights are the float32 weights spikecs delivers, divided by R_p
  const proj = world.components.Projection.list[0]
  const c = proj.comm as Extract<typeof proj.comm, { gen: unknown }>
  const t = new Int32Array(20),
    w = new Float32Array(20),
    keys = new Uint32Array(2)
  const expected: number[] = []
  for (let i = 0; i < 30; i++) {
    const n = generateRow(c.gen, i, -1, t, w, keys)
    for (let k = 0; k < n; k++) expected.push(w[k] / 100)
  }
  assert.equal(Array.from(arrays.get('proj0.weight')!), expected)
  assert.match(projText(ex.script, 'N'), 'connections("proj0", weights=True), column_names=("weight",))')
  assert.match(projText(ex.script, 'N'), 'sim.StaticSynapse(delay=0.1 + DELAY_MARGIN)')
  // D: only the nonzero entries of W, in pre-major order
  const dW = Array.from(arrays.get('proj1.weight')!)
  assert.equal(
    dW,
    W.filter((x) => x !== 0).map((x) => Math.fround(x) / 100),
  )
  assert.match(projText(ex.script, 'D'), 'receptor_type="inhibitory"')
  // L: the list as given (a list given by hand), delay 3 ticks = 0.3 ms
  assert.equal(Array.from(arrays.get('proj2.pre')!), [0, 1, 1])
  assert.equal(pairs(arrays.get('proj2.pre')!, arrays.get('proj2.post')!), ['0:1', '1:0', '1:2'])
  assert.match(projText(ex.script, 'L'), 'delay=0.3 + DELAY_MARGIN)')
})

test('deterministic: the same world gives the same script and the same bytes', () => {
  const a = exportPyNN(coba({ scale: 0.1, seed: 7 }).world)
  const b = exportPyNN(coba({ scale: 0.1, seed: 7 }).world)
  assert.is(a.script, b.script)
  assert.equal(a.data, b.data)
  const c = exportPyNN(coba({ scale: 0.1, seed: 8 }).world)
  assert.is.not(crc32(a.data!), crc32(c.data!))
})

// ---------------------------------------------------------------------------------------------------------
// Spike sources and plasticity

test('song2000: SpikeSourcePoisson inputs, IF_curr_exp without refractoriness, STDPMechanism with A± relative to w_max', () => {
  const net = song2000({ seed: 3, record: false })
  const ex = exportPyNN(net.world, { durationMs: 2000, groups: net.groups })
  const s = ex.script
  assert.match(s, 'pops["In"] = sim.Population(1000, sim.SpikeSourcePoisson(rate=15.0), label="In")')
  assert.match(s, 'pops["In"].record("spikes")')
  assert.not.match(s, 'pops["In"].initialize')
  // Out: Lif, R = 60/a (a the Mg attenuation); cm = 10 ms / 100 MOhm; no refractory period
  assert.match(s, 'pops["Out"] = sim.Population(1, sim.IF_curr_exp(')
  const out = { tau_m: 10, cm: 0.1, v_rest: -74, v_reset: -60, v_thresh: -54, tau_refrac: 0, tau_syn_E: 5 }
  for (const [name, value] of Object.entries(out)) assert.is(cellParam(s, 'Out', name), value, name)
  assert.match(s, 'pops["Out"].initialize(v=-60.0)')
  // The rule: A_plus = A1/wMax = (0.01·0.01)/0.01, A_minus = A2/wMax = 1.05·A1/0.01; the bounds, like the weights,
  // are R·a·w/R_p = 60·w/100 nA (R = 60/a): w_max = 0.006 nA.
  const t = projText(s, 'S')
  assert.match(t, 'sim.FromListConnector(connections("proj0", weights=True), column_names=("weight",))')
  assert.match(t, 'timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.0105)')
  assert.match(t, 'weight_dependence=sim.AdditiveWeightDependence(w_min=0.0, w_max=0.006)')
  assert.match(t, 'dendritic_delay_fraction=STDP_DDF, delay=0.1 + DELAY_MARGIN)')
  assert.match(t, 'receptor_type="excitatory"')
  assert.match(s, 'STDP_DDF = 1.0 if SIMULATOR == "nest" else 0.0')
  assert.match(s, 'PLASTIC = {"S": 0.006}')
  assert.match(s, 'result["weights"] = weights')
  assert.not.match(s, '["synapses"] = rows')
  // Seeded Poisson sources: the same script gives the same spikes on one simulator.
  assert.match(s, "SEED = 3  # random generators: the simulator's (Poisson sources)")
  assert.match(s, '    brian2.seed(SEED)')
  assert.match(s, 'sim.setup(timestep=DT, min_delay=DT, max_delay=MAX_DELAY + DELAY_MARGIN, **SEEDS)')
  // The weights written are spikecs's initial weights in nA (w·0.6), synapse by synapse.
  const arrays = readNpz(ex.data!)
  const w = weightsOf(net.world, net.plastic!.projection)
  const R = 60 / Math.fround(Math.exp(-0.1 / 5))
  const got = arrays.get('proj0.weight')!
  assert.is(got.length, 1000)
  for (let k = 0; k < 1000; k++) assert.ok(Math.abs(got[k] - w[k] * 0.6) < 1e-15 + 1e-12 * got[k], `weight ${k}`)
  assert.ok(Math.abs(R * Math.fround(Math.exp(-0.1 / 5)) - 60) < 1e-12)
  // The header says what differs.
  const header = s.slice(0, s.indexOf('"""', s.indexOf('"""') + 3)).replace(/\n {0,2}(?!- )/g, ' ')
  for (const words of [
    'plastic: S',
    'statistically equivalent',
    'tau_refrac = 0',
    'A_plus = A1/wMax',
    'A_minus = A2/wMax',
    'A_plus 0.01, A_minus 0.0105, w in [0.0, 0.006]',
    'dendritic_delay_fraction = 0',
    'NEST accepts only 1',
    'on_pre, then on_post',
    'exp(dt/tau_minus) = 1.005 times more',
    'the bounds of plastic ones',
    'pyNN.neuron',
  ]) {
    assert.ok(header.includes(words), `header should mention "${words}"`)
  }
  // With finalWeights, the JSON line carries the lists too.
  assert.match(exportPyNN(net.world, { finalWeights: true }).script, 'weights[name]["synapses"] = rows')
})

test('SpikeTimeGroup → SpikeSourceArray: the spike ticks of each neuron at k·dt; a static network has no plasticity', () => {
  const world = createWorld({ dtMs: 0.5 })
  const S = addPopulation(world, 'S', SpikeTimeGroup({ size: 3, indices: [2, 0, 2, 2], times: [1, 0.5, 3, 1.5] }))
  const A = lif(world, 'A', 3)
  addProjection(
    world,
    'SA',
    FullProjAlignPost({ pre: S, post: A, comm: One2One({ weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }),
  )
  const ex = exportPyNN(world, { data: 'inline' })
  const s = ex.script
  assert.match(s, 'pops["S"] = sim.Population(3, sim.SpikeSourceArray(spike_times=spike_times("pop0")), label="S")')
  assert.match(s, 'return [sim.Sequence(ticks[ptr[i]:ptr[i + 1]] * DT) for i in range(len(ptr) - 1)]')
  // neuron 0: tick 1; neuron 1: none; neuron 2: ticks 2, 3, 6 (1, 1.5 and 3 ms at dt 0.5 ms)
  assert.match(s, '"pop0.ptr": [0, 1, 1, 4],')
  assert.match(s, '"pop0.ticks": [1, 2, 3, 6],')
  assert.not.match(s, 'SEED =')
  assert.not.match(s, 'STDP')
  assert.not.match(s, 'PLASTIC')
  assert.match(s, 'the same spikes')
})

// ---------------------------------------------------------------------------------------------------------
// Refusals: object, parameter, value

test('refused: plastic bounds PyNN cannot hold; projections onto spike sources; V of a spike source', () => {
  const build = (bounds: { wMin?: number | null; wMax?: number | null }) => {
    const world = createWorld()
    const In = addPopulation(world, 'In', PoissonGroup({ size: 5, rateHz: 10 }))
    const B = lif(world, 'B', 2)
    const comm = EventCSRLinear({ conn: FixedProb({ prob: 1 }), weight: 0.5 })
    addProjection(world, 'P', STDP_Song2000({ pre: In, post: B, comm, syn: Expon({ tau: 5 }), out: COBA({ E: 0 }), ...bounds }))
    return world
  }
  throwsSpikecs(() => exportPyNN(build({ wMin: 0 })), "projection 'P'", 'wMax', 'Infinity', 'needs an upper bound')
  throwsSpikecs(() => exportPyNN(build({ wMin: 0, wMax: 0 })), "projection 'P'", 'wMax', 'must be finite and > 0')
  throwsSpikecs(() => exportPyNN(build({ wMax: 1 })), "projection 'P'", 'wMin', '-Infinity', 'needs a lower bound')
  throwsSpikecs(() => exportPyNN(build({ wMin: -1, wMax: 1 })), "projection 'P'", 'wMin', '-1', 'one weight sign')
  // accepted: w_max = R·a·wMax/R_p with R = 1 and the Mg attenuation a of τ 5 ms
  const wMax = pyFloat(Number((Math.fround(Math.exp(-0.1 / 5)) / 100).toPrecision(12)))
  assert.match(exportPyNN(build({ wMin: 0, wMax: 1 })).script, `AdditiveWeightDependence(w_min=0.0, w_max=${wMax})`)
  const world = createWorld()
  const In = addPopulation(world, 'In', PoissonGroup({ size: 5, rateHz: 10 }))
  const B = lif(world, 'B', 2)
  addProjection(
    world,
    'back',
    FullProjAlignPost({ pre: B, post: In, comm: All2All({ weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }),
  )
  throwsSpikecs(() => exportPyNN(world), "population 'In'", 'model', '"PoissonGroup"', 'is a spike source')
  const w2 = createWorld()
  addPopulation(w2, 'In', PoissonGroup({ size: 5, rateHz: 10 }))
  throwsSpikecs(() => exportPyNN(w2, { recordV: ['In'] }), 'exportPyNN', 'recordV', '"In"', 'no membrane potential')
})

test('refused: inputs that are not constant currents', () => {
  const world = createWorld()
  const A = lif(world, 'A', 4)
  addInput(world, A, { series: [1, 2, 3] }, 'steps')
  throwsSpikecs(() => exportPyNN(world), "input 'steps'", 'kind', '"series"', 'only constant inputs')
  const w2 = createWorld()
  addInput(w2, lif(w2, 'A', 4), (tick) => tick * 0.1, 'ramp')
  throwsSpikecs(() => exportPyNN(w2), "input 'ramp'", 'kind', '"function"')
})

test('refused: synapse and output models without a PyNN counterpart', () => {
  const world = createWorld()
  const A = lif(world, 'A', 4)
  addProjection(
    world,
    'dual',
    FullProjAlignPost({ pre: A, post: A, comm: All2All({ weight: 1 }), syn: DualExponV2({}), out: COBA({ E: 0 }) }),
  )
  throwsSpikecs(() => exportPyNN(world), "projection 'dual'", 'syn', '"DualExponV2"', 'only Expon')
  const w2 = createWorld()
  const B = lif(w2, 'B', 4)
  addProjection(
    w2,
    'nmda',
    FullProjAlignPost({ pre: B, post: B, comm: All2All({ weight: 1 }), syn: Expon({ tau: 100 }), out: MgBlock({}) }),
  )
  throwsSpikecs(() => exportPyNN(w2), "projection 'nmda'", 'out', '"MgBlock"')
})

test('refused: mixed COBA and CUBA into one population; more receptor channels than two', () => {
  const world = createWorld()
  const A = lif(world, 'A', 4)
  addProjection(
    world,
    'c',
    FullProjAlignPost({ pre: A, post: A, comm: All2All({ weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }),
  )
  addProjection(world, 'k', FullProjAlignPost({ pre: A, post: A, comm: All2All({ weight: 1 }), syn: Expon({ tau: 5 }), out: CUBA() }))
  throwsSpikecs(() => exportPyNN(world), "population 'A'", 'outputs', 'COBA and CUBA', 'IF_cond_exp')
  const w2 = createWorld()
  const B = lif(w2, 'B', 4)
  for (const [name, tau, E] of [
    ['e', 5, 0],
    ['i', 10, -80],
    ['j', 10, -70],
  ] as const) {
    addProjection(w2, name, FullProjAlignPost({ pre: B, post: B, comm: All2All({ weight: 1 }), syn: Expon({ tau }), out: COBA({ E }) }))
  }
  throwsSpikecs(() => exportPyNN(w2), "population 'B'", 'synapses', 'two receptor channels', 'tau 10 ms, E -70 mV')
  // Equal (τ, E) share a channel: Mg and non-Mg alike.
  const w3 = createWorld()
  const C = lif(w3, 'C', 4)
  addProjection(w3, 'a', FullProjAlignPost({ pre: C, post: C, comm: All2All({ weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }))
  addProjection(
    w3,
    'b',
    FullProjAlignPostMg({ pre: C, post: C, comm: All2All({ weight: 2 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }),
  )
  addProjection(
    w3,
    'c',
    FullProjAlignPost({ pre: C, post: C, comm: All2All({ weight: 2 }), syn: Expon({ tau: 10 }), out: COBA({ E: -80 }) }),
  )
  const s = exportPyNN(w3).script
  assert.match(projText(s, 'b'), 'receptor_type="excitatory"')
  assert.match(projText(s, 'c'), 'receptor_type="inhibitory"')
  // CUBA: two time constants with one sign
  const w4 = createWorld()
  const D = lif(w4, 'D', 4)
  addProjection(w4, 'x', FullProjAlignPost({ pre: D, post: D, comm: All2All({ weight: 1 }), syn: Expon({ tau: 5 }), out: CUBA() }))
  addProjection(w4, 'y', FullProjAlignPost({ pre: D, post: D, comm: All2All({ weight: 1 }), syn: Expon({ tau: 8 }), out: CUBA() }))
  throwsSpikecs(() => exportPyNN(w4), "population 'D'", 'synapses', 'one time constant per sign')
})

test('refused: negative conductances, weights of both signs', () => {
  const world = createWorld()
  const A = lif(world, 'A', 4)
  addProjection(
    world,
    'neg',
    FullProjAlignPost({ pre: A, post: A, comm: All2All({ weight: -0.5 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }),
  )
  throwsSpikecs(() => exportPyNN(world), "projection 'neg'", 'weight', '(got -0.5)', 'conductances are positive')
  const w2 = createWorld()
  const B = lif(w2, 'B', 3)
  addProjection(
    w2,
    'mixed',
    FullProjAlignPost({ pre: B, post: B, comm: One2One({ weight: [1, -1, 0] }), syn: Expon({ tau: 5 }), out: CUBA() }),
  )
  throwsSpikecs(() => exportPyNN(w2), "projection 'mixed'", 'weight', 'one sign per projection')
  const w3 = createWorld()
  const C = lif(w3, 'C', 30)
  addProjection(
    w3,
    'normal',
    FullProjAlignPost({
      pre: C,
      post: C,
      comm: EventJitFPNormalLinear({ prob: 0.2, wMu: 1, wSigma: 0.3 }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  throwsSpikecs(() => exportPyNN(w3, { conn: 'statistical' }), "projection 'normal'", 'weight', 'normal(1, 0.3)', 'both signs')
  assert.ok(exportPyNN(w3, { conn: 'exact' }).synapses > 0, 'the realised weights are all positive: exact export works')
})

test('refused: spike-buffer sources, a world that has run, bad options', () => {
  const world = createWorld()
  const A = lif(world, 'A', 4)
  const buf = addSpikeBuffer(world, 'stim', 4)
  addProjection(
    world,
    'fromBuffer',
    HalfProjAlignPost({ source: buf, post: A, comm: One2One({ weight: 1 }), syn: Expon({ tau: 5 }), out: COBA({ E: 0 }) }),
  )
  throwsSpikecs(() => exportPyNN(world), "projection 'fromBuffer'", 'source', 'user system')
  const w2 = createWorld()
  lif(w2, 'A', 4)
  run(w2, 1)
  throwsSpikecs(() => exportPyNN(w2), 'world', 'tick', '(got 10)', 'before running')
  const w3 = createWorld()
  lif(w3, 'A', 4)
  throwsSpikecs(() => exportPyNN(w3, { durationMs: 0.25 }), 'exportPyNN', 'durationMs', 'whole number')
  throwsSpikecs(() => exportPyNN(w3, { resistanceMOhm: 0 }), 'exportPyNN', 'resistanceMOhm')
  throwsSpikecs(() => exportPyNN(w3, { simulator: 'spinnaker' as never }), 'exportPyNN', 'simulator', 'brian2, nest, neuron, spiNNaker')
  throwsSpikecs(() => exportPyNN(w3, { conn: 'csr' as never }), 'exportPyNN', 'conn')
  throwsSpikecs(() => exportPyNN(w3, { dataFile: '../x.npz' }), 'exportPyNN', 'dataFile')
  throwsSpikecs(() => exportPyNN(w3, { recordV: ['B'] }), 'exportPyNN', 'recordV', '"B"')
  throwsSpikecs(() => exportPyNN(w3, { groups: [{ name: 'X', start: 2, size: 5 }] }), 'exportPyNN', 'groups')
  throwsSpikecs(() => exportPyNN(createWorld()), 'world', 'populations')
})

test('optional outputs: V traces and spike times in the JSON line; simulator and half projections with a latency', () => {
  const world = createWorld({ dtMs: 0.05 })
  const N = lif(world, 'N', 6)
  addProjection(
    world,
    'h',
    HalfProjAlignPost({
      source: fromQueue(N, { start: 2, end: 5, latency: 4 }),
      post: N,
      comm: All2All({ weight: 0.1, includeSelf: false }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  const s = exportPyNN(world, { recordV: ['N'], spikeTimes: true, simulator: 'nest', durationMs: 10 }).script
  assert.match(s, 'pops["N"].record(["spikes", "v"])')
  assert.match(s, '    result["v"] = traces')
  assert.match(s, '    result["spikeTimes"] = times')
  assert.match(s, 'SIMULATOR = sys.argv[1] if len(sys.argv) > 1 else "nest"')
  assert.match(s, 'DT = 0.05')
  const h = projText(s, 'h')
  assert.match(h, 'pops["N"][2:5], pops["N"],')
  assert.match(h, 'sim.AllToAllConnector(allow_self_connections=False)')
  assert.match(h, 'delay=0.2 + DELAY_MARGIN)') // 4 ticks × 0.05 ms
})

// ---------------------------------------------------------------------------------------------------------
// Formats

test('python literals and float32 shortest decimals', () => {
  assert.is(pyFloat(5), '5.0')
  assert.is(pyFloat(-0), '-0.0')
  assert.is(pyFloat(0.006), '0.006')
  assert.is(pyFloat(1e-7), '1e-7')
  assert.is(pyFloat(-2.5e21), '-2.5e+21')
  assert.is(shortFloat32(Math.fround(0.6)), 0.6)
  assert.is(shortFloat32(Math.fround(-55.123)), -55.123)
  assert.is(shortFloat32(0.1), 0.1, 'not a float32 value: unchanged')
  assert.throws(() => pyFloat(NaN), /finite/)
  // Strings the exporter did not write: one-line literals that mean exactly the string (test/presets/pynn/pynn-names.test.ts
  // parses them with Python)
  assert.is(pyStr('E'), '"E"')
  assert.is(pyStr('a"b\\c'), '"a\\"b\\\\c"')
  assert.is(pyStr('x\ny\r\tz'), '"x\\ny\\r\\tz"')
  assert.is(pyStr('\u0000\u001b\u007f\u0085'), '"\\x00\\x1b\\x7f\\x85"')
  assert.is(pyStr('\u2028\u2029\u202e\u200b\u00a0 '), '"\\u2028\\u2029\\u202e\\u200b\\xa0 "')
  assert.is(pyStr('\u{e0001}é中'), '"\\U000e0001é中"')
  assert.is(pyText('E cells (é)'), 'E cells (é)')
  assert.is(pyText('E"""'), '"E\\"\\"\\""')
  assert.is(pyText('a\\'), '"a\\\\"')
  assert.is(pyText('E\nimport os'), '"E\\nimport os"')
})

test('.npy and .npz: headers, alignment, CRC-32 check value, members in order', () => {
  assert.is(crc32(new TextEncoder().encode('123456789')), 0xcbf43926)
  const a = npyBytes(Int32Array.of(1, -2, 3))
  assert.is(a.length % 16, 12 % 16) // 64-byte header + 12 bytes of data
  assert.equal(Array.from(readNpy(a)), [1, -2, 3])
  assert.equal(Array.from(readNpy(npyBytes(Float64Array.of(0.5, -1e300)))), [0.5, -1e300])
  const z = npzBytes([
    ['b', Int32Array.of(7)],
    ['a.x', Float64Array.of(1.5, 2)],
  ])
  const m = readNpz(z)
  assert.equal([...m.keys()], ['b', 'a.x'])
  assert.equal(Array.from(m.get('a.x')!), [1.5, 2])
  assert.equal(npzBytes([['b', Int32Array.of(7)]]), npzBytes([['b', Int32Array.of(7)]]))
})

// ---------------------------------------------------------------------------------------------------------
// The command

function spikecsHere(...args: string[]) {
  let stdout = '',
    stderr = ''
  const code = cli(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t), isTTY: false } as never,
  })
  return { code, stdout, stderr }
}

test('spikecs export pynn: writes the script and its side file; refuses bad flags with exit code 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spikecs-pynn-'))
  try {
    const out = join(dir, 'coba.py')
    const r = spikecsHere('export', 'pynn', 'coba', '--scale', '0.1', '--seed', '3', '--duration', '250', '--out', out)
    assert.is(r.code, 0, r.stderr)
    assert.match(r.stderr, 'coba.npz')
    const script = readFileSync(out, 'utf8')
    assert.ok(existsSync(join(dir, 'coba.npz')))
    assert.match(script, 'DATA_FILE = "coba.npz"')
    assert.match(script, 'DURATION = 250.0')
    assert.match(script, 'python3 coba.py [brian2|nest|neuron|spiNNaker]')
    assert.match(script, 'spikecs export pynn coba --variant default --seed 3 --scale 0.1 --conn exact --duration 250')
    // Same network as the library call with the same options
    const ex = exportPyNN(coba({ scale: 0.1, seed: 3, record: false }).world, { durationMs: 250, dataFile: 'coba.npz' })
    assert.equal(new Uint8Array(readFileSync(join(dir, 'coba.npz'))), ex.data)

    const st = spikecsHere(
      'export',
      'pynn',
      'einet',
      '--variant',
      'full',
      '--scale',
      '0.05',
      '--conn',
      'statistical',
      '--set',
      'wE=0.5',
      '--simulator',
      'nest',
    )
    assert.is(st.code, 0, st.stderr)
    assert.match(st.stdout, 'sim.FixedProbabilityConnector(0.4, allow_self_connections=True, rng=rng)')
    assert.match(st.stdout, 'weight=0.005,')
    assert.match(st.stdout, 'else "nest"')

    for (const [args, words] of [
      [['export'], 'needs a format'],
      [['export', 'nest'], 'unknown export format "nest"'],
      [['export', 'pynn', 'coba', '--conn', 'csr'], '--conn must be exact or statistical'],
      [['export', 'pynn', 'coba', '--simulator', 'spinnaker'], '--simulator must be one of brian2, nest, neuron, spiNNaker'],
      [['export', 'pynn', 'coba', '--out', 'net.txt'], '--out must name a .py file'],
      [['export', 'pynn', 'nope'], 'unknown preset "nope"'],
      [['export', 'pynn', 'coba', '--set', 'wX=1'], 'unknown parameter "wX"'],
      [['export', 'pynn', 'coba', '--raster', 'x.png'], 'unknown flag --raster (valid flags: --variant V'],
      [['export', 'pynn', 'coba', '--scale', '0.001'], 'scale makes p'],
    ] as const) {
      const e = spikecsHere(...args)
      assert.is(e.code, 2, `${args.join(' ')}: ${e.stderr}`)
      assert.match(e.stderr, words)
    }
    const help = spikecsHere('export', '--help')
    assert.is(help.code, 0)
    assert.match(help.stdout, 'usage: spikecs export pynn')
    assert.match(spikecsHere('help').stdout, 'spikecs export pynn')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
