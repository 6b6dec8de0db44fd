// The nonlinear integrate-and-fire families (ExpIF, AdExIF, QuaIF, Izhikevich, each in four variants) and the
// HH neurons: kernels against independent reference loops written from the equations, firing patterns,
// resting states found independently, and integration accuracy against a fine-step RK4 solution.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createWorld, type PopulationData } from '@spikecs/ecs-core'
import {
  addPopulation,
  addInput,
  addSpikeMonitor,
  addStateProbe,
  spikeData,
  probeData,
  run,
  neuronModels,
  sectionInput,
  setParam,
  ExpIF,
  ExpIFRef,
  AdExIF,
  QuaIF,
  QuaIFRef,
  Izhikevich,
  HH,
  HHLTC,
  type NeuronDesc,
  type NeuronInputs,
} from '@spikecs/systems'

const dt = 0.1

// ---------------------------------------------------------------------------------------------------------
// Reference: one exponential-Euler step V ← V + F·(e^(A·dt) − 1)/A per model, written from each equation.

interface Drive {
  iExt: number
  ic: number
  g: number
  E: number
}
/** One integration step (before the threshold): the new V and w from the old ones. */
type Step = (s: { V: number; w: number }, d: Drive, ltc: boolean) => { V: number; w: number }
interface Ref {
  params: Record<string, number>
  vTh: number
  vReset: number
  jump: number
  step: Step
}

function expEuler(v: number, F: number, A: number): number {
  return A === 0 ? v + F * dt : v + (F * (Math.exp(A * dt) - 1)) / A
}

const EXP = { vRest: -65, vReset: -68, vTh: -30, vT: -59.9, deltaT: 3.48, R: 1.5, tau: 10 }
const ADEX = { ...EXP, a: 0.5, b: 2, tauW: 30 }
const QUA = { vRest: -65, vReset: -68, vTh: -30, vC: -50, c: 0.07, R: 1.5, tau: 10 }
const IZH = { vTh: 30, a: 0.02, b: 0.2, c: -65, d: 8 }

const refs: Record<string, Ref> = {
  ExpIF: {
    params: EXP,
    vTh: EXP.vTh,
    vReset: EXP.vReset,
    jump: 0,
    step: (s, d, ltc) => {
      const ex = Math.exp((s.V - EXP.vT) / EXP.deltaT)
      const I = d.iExt + d.ic + d.g * (d.E - s.V)
      const F = (-(s.V - EXP.vRest) + EXP.deltaT * ex + EXP.R * I) / EXP.tau
      const A = (-1 + ex - (ltc ? EXP.R * d.g : 0)) / EXP.tau
      return { V: expEuler(s.V, F, A), w: 0 }
    },
  },
  AdExIF: {
    params: ADEX,
    vTh: ADEX.vTh,
    vReset: ADEX.vReset,
    jump: ADEX.b,
    step: (s, d, ltc) => {
      const ex = Math.exp((s.V - ADEX.vT) / ADEX.deltaT)
      const I = d.iExt + d.ic + d.g * (d.E - s.V)
      const F = (-(s.V - ADEX.vRest) + ADEX.deltaT * ex - ADEX.R * s.w + ADEX.R * I) / ADEX.tau
      const A = (-1 + ex - (ltc ? ADEX.R * d.g : 0)) / ADEX.tau
      const wInf = ADEX.a * (s.V - ADEX.vRest)
      return { V: expEuler(s.V, F, A), w: wInf + (s.w - wInf) * Math.exp(-dt / ADEX.tauW) }
    },
  },
  QuaIF: {
    params: QUA,
    vTh: QUA.vTh,
    vReset: QUA.vReset,
    jump: 0,
    step: (s, d, ltc) => {
      const I = d.iExt + d.ic + d.g * (d.E - s.V)
      const F = (QUA.c * (s.V - QUA.vRest) * (s.V - QUA.vC) + QUA.R * I) / QUA.tau
      const A = (QUA.c * (2 * s.V - QUA.vRest - QUA.vC) - (ltc ? QUA.R * d.g : 0)) / QUA.tau
      return { V: expEuler(s.V, F, A), w: 0 }
    },
  },
  Izhikevich: {
    params: IZH,
    vTh: IZH.vTh,
    vReset: IZH.c,
    jump: IZH.d,
    step: (s, d, ltc) => {
      const I = d.iExt + d.ic + d.g * (d.E - s.V)
      const F = 0.04 * s.V * s.V + 5 * s.V + 140 - s.w + I
      const A = 0.08 * s.V + 5 - (ltc ? d.g : 0)
      return { V: expEuler(s.V, F, A), w: IZH.b * s.V + (s.w - IZH.b * s.V) * Math.exp(-IZH.a * dt) }
    },
  },
}

/** The drive of neuron i in tick k: scalar + per-neuron + CUBA current and a conductance with E = 0 or −80. */
function drive(family: string, i: number, k: number): Drive & { iS: number; ia: number } {
  const scale = family === 'Izhikevich' ? 1 : family === 'QuaIF' ? 1.2 : 2
  const iS = 4 * scale,
    ia = scale * (1 + 0.5 * i),
    ic = scale * 3 * Math.sin(0.05 * k + i)
  const g = (family === 'Izhikevich' ? 0.02 : 0.15) * (1 + Math.sin(0.13 * k + 2 * i))
  return { iS, ia, iExt: iS + ia, ic, g, E: i % 2 === 0 ? 0 : -80 }
}

for (const family of Object.keys(refs)) {
  for (const [suffix, ref, ltc] of [
    ['', false, false],
    ['Ref', true, false],
    ['LTC', false, true],
    ['RefLTC', true, true],
  ] as const) {
    test(`${family}${suffix}: kernel equals the reference loop written from the equation (float64, 600 ticks)`, () => {
      const spec = refs[family]
      const world = createWorld({ dtMs: dt, dtype: 'float64' })
      const v0 = [-66, -64, -61, -58, -55, -70]
      const tauRef = ref ? 1.5 : undefined
      const kind = `${family}${suffix}`
      const pop = addPopulation(world, 'n', { model: kind, size: 6, given: { ...spec.params, v0, ...(tauRef ? { tauRef } : {}) } })
      const model = neuronModels[kind]
      const n = pop.size
      const inp: NeuronInputs = {
        G: new Float64Array(n),
        GE: new Float64Array(n),
        I: new Float64Array(n),
        iArr: new Float64Array(n),
        hasArr: true,
        iScalar: 0,
      }
      const nRef = tauRef ? Math.round(tauRef / dt) : -1
      const st = v0.map((V) => ({ V, w: family === 'Izhikevich' ? 0.2 * V : 0, last: -1e9 }))
      let spikes = 0
      for (let k = 0; k < 600; k++) {
        for (let i = 0; i < n; i++) {
          const d = drive(family, i, k)
          inp.G[i] = d.g
          inp.GE[i] = d.g * d.E
          inp.I[i] = d.ic
          inp.iArr[i] = d.ia
          inp.iScalar = d.iS
          // w integrates in every tick; V only outside the refractory hold; then threshold and reset.
          const s = st[i]
          const next = spec.step(s, d, ltc)
          s.w = next.w
          if (k - s.last > nRef) {
            s.V = next.V
            if (s.V >= spec.vTh) {
              s.V = spec.vReset
              s.w += spec.jump
              s.last = k
            }
          }
        }
        model.update(pop, inp, k)
        const got = Array.from(pop.spikes.array.subarray(0, pop.nSpikes))
        const want = st.map((s, i) => (s.last === k ? i : -1)).filter((i) => i >= 0)
        assert.equal(got, want, `spikes in tick ${k}`)
        spikes += got.length
        const V = pop.state.V.array
        const W = (pop.state.w ?? pop.state.u)?.array
        for (let i = 0; i < n; i++) {
          assert.ok(Math.abs(V[i] - st[i].V) <= 1e-9 * Math.max(1, Math.abs(st[i].V)), `V[${i}] in tick ${k}: ${V[i]} vs ${st[i].V}`)
          if (W) assert.ok(Math.abs(W[i] - st[i].w) <= 1e-9 * Math.max(1, Math.abs(st[i].w)), `w[${i}] in tick ${k}`)
        }
      }
      assert.ok(spikes >= 6, `the drive must make the neurons fire to test the reset (${spikes} spikes)`)
    })
  }
}

// ---------------------------------------------------------------------------------------------------------
// Firing patterns

function spikeTicks(desc: NeuronDesc, I: number, ms: number, dtype: 'float32' | 'float64' = 'float32'): number[] {
  const world = createWorld({ dtMs: dt, dtype })
  const pop = addPopulation(world, 'n', desc)
  if (I !== 0) addInput(world, pop, I)
  const mon = addSpikeMonitor(world, pop)
  run(world, ms)
  return Array.from(spikeData(mon).ticks)
}
const isis = (t: number[]) => t.slice(1).map((x, k) => x - t[k])

test('Izhikevich regular spiking (a .02, b .2, c −65, d 8) adapts; fast spiking (a .1, d 2) fires tonically at a high rate', () => {
  // Input 10 (mV/ms), 500 ms. RS: every ISI at least the one before, the settled ISI more than twice the first;
  // FS: from its fifth ISI on, every ISI within two ticks of the last one (the period, ~7.4 ms, is not a whole
  // number of ticks, so spike ticks jitter by one either way), and more than 4× the RS rate.
  const rs = isis(spikeTicks(Izhikevich({ size: 1 }), 10, 500))
  const fs = isis(spikeTicks(Izhikevich({ size: 1, a: 0.1, b: 0.2, c: -65, d: 2 }), 10, 500))
  assert.ok(rs.length >= 5, `RS fires (${rs.length + 1} spikes)`)
  for (let k = 1; k < rs.length; k++) assert.ok(rs[k] >= rs[k - 1] - 1, `RS ISI ${k} (${rs[k]}) shorter than ISI ${k - 1} (${rs[k - 1]})`)
  assert.ok(rs[rs.length - 1] > 2 * rs[0], `RS adapts: ISIs ${rs.join(', ')}`)
  const settled = fs[fs.length - 1]
  for (let k = 4; k < fs.length; k++) assert.ok(Math.abs(fs[k] - settled) <= 2, `FS ISI ${k} = ${fs[k]} vs ${settled}`)
  const rateRS = 1e4 / rs[rs.length - 1],
    rateFS = 1e4 / settled
  assert.ok(rateFS > 100 && rateFS > 4 * rateRS, `FS ${rateFS.toFixed(0)} Hz vs RS ${rateRS.toFixed(0)} Hz`)
})

test('AdExIF: spike-triggered adaptation lengthens successive ISIs; without adaptation (a = b = 0) the ISIs are constant', () => {
  const adapt = isis(spikeTicks(AdExIF({ size: 1, a: 1, b: 1, tauW: 30 }), 10, 500))
  for (let k = 1; k < adapt.length; k++) assert.ok(adapt[k] >= adapt[k - 1] - 1, `ISI ${k}: ${adapt.join(', ')}`)
  assert.ok(adapt[4] > 1.3 * adapt[0], `adapting ISIs: ${adapt.join(', ')}`)
  const flat = isis(spikeTicks(AdExIF({ size: 1, a: 0, b: 0 }), 10, 500, 'float64'))
  assert.ok(flat.length >= 5)
  assert.ok(
    flat.every((x) => Math.abs(x - flat[0]) <= 1),
    `constant ISIs: ${flat.join(', ')}`,
  )
  // With a = b = 0, w stays 0 and AdExIF is ExpIF: the same spikes.
  assert.equal(spikeTicks(AdExIF({ size: 1, a: 0, b: 0 }), 10, 300, 'float64'), spikeTicks(ExpIF({ size: 1 }), 10, 300, 'float64'))
})

test('Ref variants: V is held at the reset for round(tauRef/dt) ticks, so each ISI is exactly nRef ticks longer', () => {
  // After a spike in tick s the non-Ref neuron integrates from the reset in tick s + 1; the Ref neuron holds the
  // reset through tick s + nRef and then follows the same trajectory: ISI_ref = ISI + nRef (tauRef 2 ms: 20 ticks).
  for (const [plain, withRef] of [
    [ExpIF, ExpIFRef],
    [QuaIF, QuaIFRef],
  ] as const) {
    const a = isis(spikeTicks(plain({ size: 1 }), 10, 300, 'float64'))
    const b = isis(spikeTicks(withRef({ size: 1, tauRef: 2 }), 10, 300, 'float64'))
    assert.ok(a.length >= 3 && b.length >= 3)
    for (const x of a) assert.is(x, a[0])
    for (const x of b) assert.is(x, a[0] + 20)
  }
})

// ---------------------------------------------------------------------------------------------------------
// Resting states without input

/** Root of f in [lo, hi] by bisection (f(lo), f(hi) of opposite signs). */
function bisect(f: (v: number) => number, lo: number, hi: number): number {
  let flo = f(lo)
  for (let k = 0; k < 200; k++) {
    const m = 0.5 * (lo + hi),
      fm = f(m)
    if (fm < 0 === flo < 0) {
      lo = m
      flo = fm
    } else hi = m
  }
  return 0.5 * (lo + hi)
}

function restAfter(desc: NeuronDesc, ms: number, dtype: 'float32' | 'float64', I = 0): { V: number; spikes: number; pop: PopulationData } {
  const world = createWorld({ dtMs: dt, dtype })
  const pop = addPopulation(world, 'n', desc)
  if (I !== 0) addInput(world, pop, I)
  const mon = addSpikeMonitor(world, pop)
  run(world, ms)
  return { V: pop.state.V.array[0], spikes: spikeData(mon).ticks.length, pop }
}

test('without input every IF-family model settles at its resting state (the stable fixed point, found by bisection)', () => {
  // ExpIF: V_rest − V + ΔT·e^((V − V_T)/ΔT) = 0 below V_T; AdExIF adds −R·a·(V − V_rest); QuaIF: V_rest itself;
  // Izhikevich: 0.04V² + (5 − b)V + 140 = 0, the lower root (−70 for b = 0.2).
  const cases: [string, NeuronDesc, number][] = [
    ['ExpIF', ExpIF({ size: 1, v0: -62 }), bisect((v) => -65 - v + 3.48 * Math.exp((v - -59.9) / 3.48), -70, -61)],
    ['AdExIF', AdExIF({ size: 1, v0: -62, a: 1 }), bisect((v) => -65 - v + 3.48 * Math.exp((v - -59.9) / 3.48) - (v + 65), -70, -61)],
    ['QuaIF', QuaIF({ size: 1, v0: -55 }), -65],
    // 0.04V² + 4.8V + 140 = 0: V = (−4.8 ± √(23.04 − 22.4))/0.08 = (−4.8 ± 0.8)/0.08, the lower root −70.
    ['Izhikevich', Izhikevich({ size: 1, v0: -60 }), -70],
  ]
  for (const [name, desc, want] of cases) {
    for (const dtype of ['float64', 'float32'] as const) {
      const r = restAfter(desc, 2000, dtype)
      assert.is(r.spikes, 0, `${name} stays silent`)
      // float32 stops where a tick's change is below half an ulp of V (3.8e-6 mV near 64 mV): within
      // 3.8e-6/(dt·λ) of the fixed point, λ ≥ 0.05/ms the relaxation rate of these models, i.e. 7.6e-4 mV.
      const tol = dtype === 'float64' ? 1e-6 : 1e-3
      assert.ok(Math.abs(r.V - want) < tol, `${name} (${dtype}) rests at ${r.V}, expected ${want}`)
    }
  }
})

test(
  'defaults follow BrainPy: ExpIF (−65, −68, −30, −59.9, 3.48, R 1, τ 10), AdExIF (a 1, b 1, τw ' +
    '30), QuaIF (V_c −50, c 0.07), Izhikevich (30, .02, .2, −65, 8, V0 −70, u0 = b·V0)',
  () => {
    const world = createWorld()
    const get = (p: PopulationData, k: string) => p.params[p.paramIndex[k]]
    const e = addPopulation(world, 'e', AdExIF({ size: 2 }))
    assert.equal(
      ['vRest', 'vReset', 'vTh', 'vT', 'deltaT', 'R', 'tau', 'a', 'b', 'tauW'].map((k) => get(e, k)),
      [-65, -68, -30, -59.9, 3.48, 1, 10, 1, 1, 30],
    )
    assert.is(e.state.V.array[0], -65)
    const q = addPopulation(world, 'q', QuaIF({ size: 2 }))
    assert.equal(
      ['vRest', 'vReset', 'vTh', 'vC', 'c', 'R', 'tau'].map((k) => get(q, k)),
      [-65, -68, -30, -50, 0.07, 1, 10],
    )
    const z = addPopulation(world, 'z', Izhikevich({ size: 3, v0: [-70, -60, -50] }))
    assert.equal(
      ['vTh', 'a', 'b', 'c', 'd'].map((k) => get(z, k)),
      [30, 0.02, 0.2, -65, 8],
    )
    assert.equal(
      Array.from(z.state.u.array),
      [-70, -60, -50].map((v) => Math.fround(0.2 * v)),
    )
    const z2 = addPopulation(world, 'z2', Izhikevich({ size: 1, u0: 3 }))
    assert.is(z2.state.u.array[0], 3)
    // A live change re-derives the derived constants at once (e^(−dt/τw)); the kernels read vTh itself.
    setParam(world, e, 'tauW', 60)
    setParam(world, e, 'vTh', -20)
    assert.is(get(e, 'kW'), Math.exp(-0.1 / 60))
    assert.is(get(e, 'vTh'), -20)
    assert.throws(() => setParam(world, q, 'vC', -70), /^population 'q' \(QuaIF\): vC must be above vRest \(-65\) \(got -70\)$/)
  },
)

// ---------------------------------------------------------------------------------------------------------
// Hodgkin–Huxley (COBAHH kinetics): an independent RK4 reference at dt = 0.005 ms (its error is far below the 0.1% scale of these tests)

const HHP = { C: 200, gNa: 20000, gK: 6000, gL: 10, ENa: 50, EK: -90, EL: -60, VT: -63 }
/** num/(e^(num/k) − 1), continuous at num = 0 (value k). */
function lin(num: number, k: number): number {
  return num === 0 ? k : num / (Math.exp(num / k) - 1)
}
function hhRates(V: number): number[] {
  const x = HHP.VT - V
  return [
    0.32 * lin(13 + x, 4),
    0.28 * lin(V - HHP.VT - 40, 5),
    0.128 * Math.exp((17 + x) / 18),
    4 / (1 + Math.exp((40 + x) / 5)),
    0.032 * lin(15 + x, 5),
    0.5 * Math.exp((10 + x) / 40),
  ]
}
function hhIonic(V: number, m: number, h: number, n: number): number {
  return HHP.gL * (HHP.EL - V) + HHP.gNa * m * m * m * h * (HHP.ENa - V) + HHP.gK * n * n * n * n * (HHP.EK - V)
}
function hhSteady(V: number): number[] {
  const r = hhRates(V)
  return [r[0] / (r[0] + r[1]), r[2] / (r[2] + r[3]), r[4] / (r[4] + r[5])]
}
/** Spike times (ms, upward crossings of −20 mV) of an RK4 solution with current I(t) pA, from V0 and its steady gates. */
function hhRK4(V0: number, I: (t: number) => number, ms: number, h = 0.005): number[] {
  const s = new Float64Array([V0, ...hhSteady(V0)]),
    tmp = new Float64Array(4),
    acc = new Float64Array(4),
    k = new Float64Array(4)
  // k ← f(y, t) for y = s + c·k (c = 0: s itself); plain loops, no closures per step.
  const f = (c: number, t: number) => {
    for (let i = 0; i < 4; i++) tmp[i] = s[i] + c * k[i]
    const r = hhRates(tmp[0])
    k[0] = (hhIonic(tmp[0], tmp[1], tmp[2], tmp[3]) + I(t)) / HHP.C
    k[1] = r[0] * (1 - tmp[1]) - r[1] * tmp[1]
    k[2] = r[2] * (1 - tmp[2]) - r[3] * tmp[2]
    k[3] = r[4] * (1 - tmp[3]) - r[5] * tmp[3]
  }
  const out: number[] = []
  for (let n = 0; n * h < ms; n++) {
    const t = n * h
    k.fill(0)
    f(0, t)
    for (let i = 0; i < 4; i++) acc[i] = k[i]
    f(h / 2, t + h / 2)
    for (let i = 0; i < 4; i++) acc[i] += 2 * k[i]
    f(h / 2, t + h / 2)
    for (let i = 0; i < 4; i++) acc[i] += 2 * k[i]
    f(h, t + h)
    for (let i = 0; i < 4; i++) acc[i] += k[i]
    const before = s[0]
    for (let i = 0; i < 4; i++) s[i] += (h / 6) * acc[i]
    if (before < -20 && s[0] >= -20) out.push(t + h)
  }
  return out
}

test(
  'HH: with the COBAHH parameters there is no rest at zero current; a holding current of −100 pA ' + 'gives the rest found by bisection',
  () => {
    // The ionic current is positive at every V (no fixed point), so an isolated neuron fires tonically.
    for (let v = -90; v <= -40; v += 0.5) {
      const [m, h, n] = hhSteady(v)
      assert.ok(hhIonic(v, m, h, n) > 0, `I_ion(${v}) > 0`)
    }
    const want = bisect(
      (v) => {
        const [m, h, n] = hhSteady(v)
        return hhIonic(v, m, h, n) - 100
      },
      -80,
      -62,
    )
    for (const make of [HH, HHLTC]) {
      for (const dtype of ['float64', 'float32'] as const) {
        const r = restAfter(make({ size: 1, v0: -65 }), 500, dtype, -100)
        assert.is(r.spikes, 0)
        // float32: see the IF test above (relaxation rate gL/C = 0.05/ms: within 7.6e-4 mV).
        assert.ok(Math.abs(r.V - want) < (dtype === 'float64' ? 1e-6 : 1e-3), `rests at ${r.V}, expected ${want}`)
      }
    }
  },
)

test('HH: from a holding current of −100 pA, a +40 pA step (subthreshold) gives no spike, a +300 pA step fires repetitively', () => {
  // Steps at 50 ms via sectionInput; the RK4 reference agrees: no spike at −60 pA total, tonic firing at +200 pA.
  const steps = (delta: number) => {
    const world = createWorld({ dtMs: dt })
    const pop = addPopulation(world, 'n', HH({ size: 1, v0: -70 }))
    addInput(
      world,
      pop,
      sectionInput(world, [
        [50, -100],
        [150, -100 + delta],
      ]),
    )
    const mon = addSpikeMonitor(world, pop)
    run(world, 200)
    return Array.from(spikeData(mon).ticks)
  }
  assert.equal(steps(40), [])
  const fired = steps(300)
  assert.ok(fired.length >= 5 && fired[0] >= 500, `spikes after the step: ${fired.join(', ')}`)
  assert.is(hhRK4(-70, (t) => (t < 50 ? -100 : -60), 200).length, 0)
  assert.ok(hhRK4(-70, (t) => (t < 50 ? -100 : 200), 200).length >= 5)
})

test('HH: exponential Euler converges to the RK4 (dt 0.005 ms) spike train: ISI error < 10% at dt 0.1 ms, < 1.5% at dt 0.01 ms', () => {
  // The scheme is first order: measured ISI errors at dt 0.1 ms are 3.5% at zero current (~14 Hz) and 7% at
  // 200 pA (~46 Hz), as for Brian2's exponential_euler on the same equations; at dt 0.01 ms they shrink ~10×.
  for (const I of [0, 200]) {
    const ref = hhRK4(-60, () => I, 250)
    const refIsi = ref[2] - ref[1]
    for (const [step, tol] of [
      [0.1, 0.1],
      [0.01, 0.015],
    ] as const) {
      const world = createWorld({ dtMs: step, dtype: 'float64' })
      const pop = addPopulation(world, 'n', HH({ size: 1, v0: -60 }))
      if (I !== 0) addInput(world, pop, I)
      const mon = addSpikeMonitor(world, pop)
      run(world, 250)
      const got = Array.from(spikeData(mon).ticks).map((k) => (k + 1) * step)
      assert.ok(ref.length >= 3 && Math.abs(got.length - ref.length) <= 1, `${got.length} spikes vs ${ref.length}`)
      const gotIsi = got[2] - got[1]
      assert.ok(
        Math.abs(gotIsi - refIsi) <= tol * refIsi,
        `I = ${I} pA, dt ${step}: ISI ${gotIsi.toFixed(3)} ms vs RK4 ${refIsi.toFixed(3)} ms`,
      )
      assert.ok(Math.abs(got[0] - ref[0]) <= step + tol * ref[0], `dt ${step}: first spike ${got[0]} ms vs RK4 ${ref[0].toFixed(3)} ms`)
    }
  }
})

test("HH: gates start at their steady state for each neuron's initial V unless given; HH and HHLTC agree without conductances", () => {
  const world = createWorld({ dtype: 'float64' })
  const pop = addPopulation(world, 'h', HH({ size: 3, v0: [-70, -65, -60], h0: 0.5 }))
  for (let i = 0; i < 3; i++) {
    const [m, , n] = hhSteady([-70, -65, -60][i])
    assert.ok(Math.abs(pop.state.m.array[i] - m) < 1e-12 && Math.abs(pop.state.n.array[i] - n) < 1e-12)
    assert.is(pop.state.h.array[i], 0.5)
  }
  assert.equal(spikeTicks(HH({ size: 1 }), 150, 200, 'float64'), spikeTicks(HHLTC({ size: 1 }), 150, 200, 'float64'))
})

test(
  'HH and HHLTC under a constant conductance: HHLTC is the exact exponential step of the linear ' +
    'membrane; HH takes the current at the previous V',
  () => {
    // Gates frozen (gNa = gK = 0): C dV/dt = gL(EL − V) + g(E − V) + I. HHLTC: V∞ = (gL·EL + g·E + I)/(gL + g),
    // V ← V∞ + (V − V∞)·e^(−dt(gL + g)/C) — exact. HH: the synaptic current g(E − V_prev) is held over the tick.
    const g = 15,
      E = 0,
      I = 50,
      v0 = -70
    for (const kind of ['HHLTC', 'HH']) {
      const world = createWorld({ dtype: 'float64' })
      const pop = addPopulation(world, 'n', { model: kind, size: 1, given: { gNa: 0, gK: 0, v0, vTh: 100 } })
      const inp: NeuronInputs = {
        G: new Float64Array(1),
        GE: new Float64Array(1),
        I: new Float64Array(1),
        iArr: new Float64Array(1),
        hasArr: false,
        iScalar: I,
      }
      let ref = v0
      for (let k = 0; k < 100; k++) {
        inp.G[0] = g
        inp.GE[0] = g * E
        neuronModels[kind].update(pop, inp, k)
        if (kind === 'HH') {
          const vInf = (10 * -60 + g * (E - ref) + I) / 10
          ref = vInf + (ref - vInf) * Math.exp((-dt * 10) / 200)
        }
      }
      const vInf = (10 * -60 + g * E + I) / (10 + g)
      const exact = vInf + (v0 - vInf) * Math.exp((-100 * dt * (10 + g)) / 200)
      const V = pop.state.V.array[0]
      if (kind === 'HHLTC') assert.ok(Math.abs(V - exact) < 1e-9, `HHLTC ${V} vs exact ${exact}`)
      else assert.ok(Math.abs(V - ref) < 1e-9 && Math.abs(V - exact) > 1e-3, `HH ${V} vs held-current reference ${ref}`)
    }
  },
)

test('refused: bad parameters of the new neuron models name population, parameter and value', () => {
  const cases: [() => unknown, RegExp][] = [
    [
      () => addPopulation(createWorld(), 'Q', QuaIF({ size: 1, vC: -70 })),
      /^population 'Q' \(QuaIF\): vC must be above vRest \(-65\) \(got -70\)$/,
    ],
    [
      () => addPopulation(createWorld(), 'Z', Izhikevich({ size: 1, c: 40 })),
      /^population 'Z' \(Izhikevich\): c must be below vTh \(30\) \(got 40\)$/,
    ],
    [
      () => addPopulation(createWorld(), 'Z', Izhikevich({ size: 1, a: 0 })),
      /^population 'Z' \(Izhikevich\): a must be > 0 1\/ms \(got 0\)$/,
    ],
    [
      () => addPopulation(createWorld(), 'X', ExpIF({ size: 1, deltaT: -1 })),
      /^population 'X' \(ExpIF\): deltaT must be > 0 mV \(got -1\)$/,
    ],
    [
      () => addPopulation(createWorld(), 'X', ExpIF({ size: 1, vT: -20 })),
      /^population 'X' \(ExpIF\): vT must be below vTh \(-30\) \(got -20\)$/,
    ],
    [() => addPopulation(createWorld(), 'X', AdExIF({ size: 1, tauW: 0 })), /^population 'X' \(AdExIF\): tauW must be > 0 ms \(got 0\)$/],
    [
      () => addPopulation(createWorld(), 'X', ExpIF({ size: 1, tauRef: 2 } as never)),
      /^population 'X' \(ExpIF\): tauRef is not a parameter/,
    ],
    [() => addPopulation(createWorld(), 'H', HH({ size: 1, gL: 0 })), /^population 'H' \(HH\): gL must be > 0 nS \(got 0\)$/],
    [
      () => addPopulation(createWorld(), 'H', HH({ size: 2, m0: [0.1] })),
      /^population 'H' \(HH\): m0 must have one value per neuron \(2\) \(got array of length 1\)$/,
    ],
  ]
  for (const [f, re] of cases) assert.throws(f, re)
})

test('a population of each new neuron model runs through the pipeline, probes see V, and every BrainPy variant name exists', () => {
  for (const base of ['ExpIF', 'AdExIF', 'QuaIF', 'Izhikevich']) {
    for (const s of ['', 'Ref', 'LTC', 'RefLTC']) assert.ok(neuronModels[base + s] !== undefined, base + s)
  }
  const world = createWorld()
  const pops = ['ExpIFRefLTC', 'AdExIFRef', 'QuaIFLTC', 'IzhikevichRefLTC', 'HHLTC'].map((m) =>
    addPopulation(world, m, { model: m, size: 4, given: m.includes('Ref') ? { tauRef: 1 } : {} }),
  )
  for (const p of pops) addInput(world, p, p.model === 'HHLTC' ? 300 : 20)
  const probes = pops.map((p) => addStateProbe(world, p, 'V', [0]))
  const mon = addSpikeMonitor(world, pops)
  run(world, 100)
  const counts = pops.map((p) => Array.from(spikeData(mon).indices).filter((i) => i >= p.start && i < p.start + p.size).length)
  assert.ok(
    counts.every((c) => c > 0),
    `every population fires: ${counts.join(', ')}`,
  )
  assert.ok(probes.every((m) => probeData(m).values.every(Number.isFinite)))
})

test.run()
