/**
 * The hand-written kernels that the record generators replaced (spikecs before model records), kept as an
 * independent reference: test/systems/models/generated-kernels.test.ts runs them beside the generated kernels on every model
 * variant and dtype and requires the same state bit for bit. They read parameters by name, so they do not
 * depend on the parameter block's layout; they share no code with the packages.
 */
import type { PopulationData, SynapseStateData } from '@spikecs/ecs-core'

export interface Inputs {
  readonly G: Float64Array
  readonly GE: Float64Array
  readonly I: Float64Array
  readonly iArr: Float64Array
  iScalar: number
}

const par = (pop: PopulationData, name: string, dflt = 0): number =>
  pop.paramIndex[name] === undefined ? dflt : pop.params[pop.paramIndex[name]]

export function legacyLif(pop: PopulationData, inp: Inputs, tick: number, ltc: boolean, dtMs: number): void {
  const vRest = par(pop, 'vRest'),
    vReset = par(pop, 'vReset'),
    vTh = par(pop, 'vTh'),
    r = par(pop, 'R')
  const tau = par(pop, 'tau')
  const kV = Math.exp(-dtMs / tau),
    kNeg = -dtMs / tau
  const nRef = pop.paramIndex.tauRef === undefined ? -1 : Math.round(par(pop, 'tauRef') / dtMs)
  const V = pop.state.V.array,
    last = pop.state.lastSpike.array as Int32Array,
    spk = pop.spikes.array
  const G = inp.G,
    GE = inp.GE,
    I = inp.I,
    ia = inp.iArr,
    iS = inp.iScalar
  let ns = 0
  for (let i = 0, n = pop.size; i < n; i++) {
    const g = G[i],
      ge = GE[i],
      ic = I[i]
    G[i] = 0
    GE[i] = 0
    I[i] = 0
    if (tick - last[i] <= nRef) continue
    const v = V[i]
    const ii = iS + ia[i] + ic
    if (ltc) {
      const g1 = 1 + r * g
      const vInf = (vRest + r * (ii + ge)) / g1
      V[i] = vInf + (v - vInf) * Math.exp(kNeg * g1)
    } else {
      const vInf = vRest + r * (ii + ge - g * v)
      V[i] = vInf + (v - vInf) * kV
    }
    if (V[i] >= vTh) {
      V[i] = vReset
      last[i] = tick
      spk[ns++] = i
    }
  }
  pop.nSpikes = ns
}

/** The generic coefficients of the former single nonlinear-IF kernel, per family. */
function coefficients(pop: PopulationData, family: string, dtMs: number): Record<string, number> {
  const p = (n: string) => par(pop, n)
  const base = { kW: 0, wK: 0, wV: 0, wJump: 0 }
  switch (family) {
    case 'ExpIF':
    case 'AdExIF': {
      const c = {
        q2: 0,
        r1: 0,
        r2: 0,
        q1: -1,
        q0: p('vRest'),
        dT: p('deltaT'),
        vT: p('vT'),
        rIn: p('R'),
        invTau: 1 / p('tau'),
        vReset: p('vReset'),
        vTh: p('vTh'),
        ltcR: p('R'),
      }
      return family === 'ExpIF' ? { ...c, ...base } : { ...c, kW: Math.exp(-dtMs / p('tauW')), wK: p('a'), wV: p('vRest'), wJump: p('b') }
    }
    case 'QuaIF':
      return {
        q2: p('c'),
        r1: p('vRest'),
        r2: p('vC'),
        q1: 0,
        q0: 0,
        dT: 0,
        vT: 0,
        rIn: p('R'),
        invTau: 1 / p('tau'),
        ...base,
        vReset: p('vReset'),
        vTh: p('vTh'),
        ltcR: p('R'),
      }
    case 'Izhikevich':
      return {
        q2: 0.04,
        r1: 0,
        r2: 0,
        q1: 5,
        q0: 140,
        dT: 0,
        vT: 0,
        rIn: 1,
        invTau: 1,
        kW: Math.exp(-p('a') * dtMs),
        wK: p('b'),
        wV: 0,
        wJump: p('d'),
        vReset: p('c'),
        vTh: p('vTh'),
        ltcR: 1,
      }
  }
  throw new Error(family)
}

export function legacyNonlinearIF(pop: PopulationData, inp: Inputs, tick: number, family: string, ltc: boolean, dtMs: number): void {
  const c = coefficients(pop, family, dtMs)
  const q2 = c.q2,
    r1 = c.r1,
    r2 = c.r2,
    q1 = c.q1,
    q0 = c.q0,
    dT = c.dT,
    vT = c.vT,
    rIn = c.rIn,
    invTau = c.invTau
  const ltcR = ltc ? c.ltcR : 0,
    kW = c.kW,
    wK = c.wK,
    wV = c.wV,
    wJump = c.wJump,
    vReset = c.vReset,
    vTh = c.vTh
  const nRef = pop.paramIndex.tauRef === undefined ? -1 : Math.round(par(pop, 'tauRef') / dtMs)
  const dt = dtMs
  const hasExp = dT > 0,
    invDT = hasExp ? 1 / dT : 0
  const V = pop.state.V.array
  const wCol = pop.state.w ?? pop.state.u
  const hasW = wCol !== undefined
  const W = hasW ? wCol.array : V
  const last = pop.state.lastSpike.array as Int32Array,
    spk = pop.spikes.array
  const G = inp.G,
    GE = inp.GE,
    Ic = inp.I,
    ia = inp.iArr,
    iS = inp.iScalar
  let ns = 0
  for (let i = 0, n = pop.size; i < n; i++) {
    const g = G[i],
      ge = GE[i],
      ic = Ic[i]
    G[i] = 0
    GE[i] = 0
    Ic[i] = 0
    const v = V[i]
    let w = 0
    if (hasW) {
      w = W[i]
      const wInf = wK * (v - wV)
      W[i] = wInf + (w - wInf) * kW
    }
    if (tick - last[i] <= nRef) continue
    const ex = hasExp ? Math.exp((v - vT) * invDT) : 0
    const f = (q2 * (v - r1) * (v - r2) + q1 * v + q0 + dT * ex - rIn * w + rIn * (iS + ia[i] + ic + ge - g * v)) * invTau
    const a = (q2 * (2 * v - r1 - r2) + q1 + ex - ltcR * g) * invTau
    const z = a * dt
    V[i] = z === 0 ? v + f * dt : v + (f * Math.expm1(z)) / a
    if (V[i] >= vTh) {
      V[i] = vReset
      if (hasW) W[i] += wJump
      last[i] = tick
      spk[ns++] = i
    }
  }
  pop.nSpikes = ns
}

function yOverExpm1(y: number, ey: number): number {
  return Math.abs(y) < 1e-6 ? 1 - y / 2 + (y * y) / 12 : y / (ey - 1)
}
const EXP_M5 = Math.exp(-5)
function hhRates(x: number, out: Float64Array): void {
  const e5 = Math.exp((40 + x) / 5)
  const ym = (13 + x) / 4,
    zm = (-40 - x) / 5,
    yn = (15 + x) / 5
  out[0] = 1.28 * yOverExpm1(ym, Math.exp(ym))
  out[1] = 1.4 * yOverExpm1(zm, 1 / e5)
  out[2] = 0.128 * Math.exp((17 + x) / 18)
  out[3] = 4 / (1 + e5)
  out[4] = 0.16 * yOverExpm1(yn, e5 * EXP_M5)
  out[5] = 0.5 * Math.exp((10 + x) / 40)
}
function gateStep(x: number, a: number, b: number, dt: number): number {
  const s = a + b
  const inf = a / s
  return inf + (x - inf) * Math.exp(-dt * s)
}
const rates = new Float64Array(6)

export function legacyHH(pop: PopulationData, inp: Inputs, ltcFlag: boolean, dtMs: number): void {
  const p = (n: string) => par(pop, n)
  const cm = p('C'),
    gNa = p('gNa'),
    gK = p('gK'),
    gL = p('gL'),
    eNa = p('ENa'),
    eK = p('EK'),
    eL = p('EL'),
    vT = p('vT')
  const vTh = p('vTh'),
    dt = dtMs,
    ltc = ltcFlag ? 1 : 0,
    nonLtc = 1 - ltc
  const kC = -dt / cm,
    gLeL = gL * eL
  const V = pop.state.V.array,
    M = pop.state.m.array,
    H = pop.state.h.array,
    N = pop.state.n.array
  const spk = pop.spikes.array
  const G = inp.G,
    GE = inp.GE,
    Ic = inp.I,
    ia = inp.iArr,
    iS = inp.iScalar
  const r = rates
  let ns = 0
  for (let i = 0, n = pop.size; i < n; i++) {
    const g = G[i],
      ge = GE[i],
      ic = Ic[i]
    G[i] = 0
    GE[i] = 0
    Ic[i] = 0
    const v = V[i],
      m = M[i],
      h = H[i],
      nk = N[i]
    hhRates(vT - v, r)
    M[i] = gateStep(m, r[0], r[1], dt)
    H[i] = gateStep(h, r[2], r[3], dt)
    N[i] = gateStep(nk, r[4], r[5], dt)
    const gna = gNa * m * m * m * h,
      gk = gK * nk * nk * nk * nk
    const gTot = gL + gna + gk + ltc * g
    const vInf = (gLeL + gna * eNa + gk * eK + ge - nonLtc * g * v + iS + ia[i] + ic) / gTot
    V[i] = vInf + (v - vInf) * Math.exp(kC * gTot)
    if (v < vTh && V[i] >= vTh) spk[ns++] = i
  }
  pop.nSpikes = ns
}

function flushed(y: number, limit: number): number {
  return Math.abs(y) < limit ? 0 : y
}
const limitOf = (c: ArrayLike<number>): number => (c instanceof Float32Array ? 2 ** -100 - 2 ** -125 : 2 ** -100)

/** The former `advance` of each synapse kind (Expon, DualExponV2, Alpha and DualExpon share the rise form). */
export function legacyAdvance(s: SynapseStateData): void {
  const c = s.cond.array,
    n = c.length,
    lim = limitOf(c)
  if (s.kind === 'Expon') {
    const g = s.cols.g.array,
      a = s.derived[0]
    if (s.merged) for (let i = 0; i < n; i++) g[i] = flushed(g[i] * a, lim)
    else
      for (let i = 0; i < n; i++) {
        const x = g[i]
        c[i] = x
        g[i] = flushed(x * a, lim)
      }
  } else if (s.kind === 'DualExponV2') {
    const gr = s.cols.gRise.array,
      gd = s.cols.gDecay.array
    const ar = s.derived[0],
      ad = s.derived[1],
      A = s.derived[2]
    if (s.merged) {
      for (let i = 0; i < n; i++) {
        gr[i] = flushed(gr[i] * ar, lim)
        gd[i] = flushed(gd[i] * ad, lim)
        c[i] = A * (gd[i] - gr[i])
      }
    } else {
      for (let i = 0; i < n; i++) {
        const r = gr[i],
          d = gd[i]
        c[i] = A * (d - r)
        gr[i] = flushed(r * ar, lim)
        gd[i] = flushed(d * ad, lim)
      }
    }
  } else {
    const H = s.cols.h.array,
      S = s.cols.g.array
    const ah = s.derived[0],
      ag = s.derived[1],
      cc = s.derived[2]
    if (s.merged) {
      for (let i = 0; i < n; i++) {
        const h = H[i]
        S[i] = flushed(ag * S[i] + cc * h, lim)
        c[i] = S[i]
        H[i] = flushed(ah * h, lim)
      }
    } else {
      for (let i = 0; i < n; i++) {
        const h = H[i],
          g = S[i]
        c[i] = g
        S[i] = flushed(ag * g + cc * h, lim)
        H[i] = flushed(ah * h, lim)
      }
    }
  }
}

/** The former unfused output kernel. */
export function legacyOutput(
  kind: string,
  params: Readonly<Record<string, number>>,
  cond: ArrayLike<number>,
  inp: Inputs,
  V: ArrayLike<number>,
): void {
  const n = cond.length
  if (kind === 'COBA') {
    for (let i = 0; i < n; i++) {
      const g = cond[i]
      inp.G[i] += g
      inp.GE[i] += g * params.E
    }
  } else if (kind === 'CUBA') {
    for (let i = 0; i < n; i++) inp.I[i] += cond[i]
  } else {
    const k = params.ccMg / params.beta
    for (let i = 0; i < n; i++) {
      const gb = cond[i] * (k === 0 ? 1 : 1 / (1 + k * Math.exp(params.alpha * (params.vOffset - V[i]))))
      inp.G[i] += gb
      inp.GE[i] += gb * params.E
    }
  }
}
