/**
 * The plain loops the neuron kernels are compared with: the same arithmetic as spikecs's LIF kernels
 * (`LifRef`: exact integration with the input held, e^(−dt/τ) folded at build; `LifRefLTC`: exponential Euler
 * with the conductances inside the exponent, one `Math.exp` per neuron), written as one would by hand over
 * Float32Array columns with every constant in a local. Two shapes:
 * - `tickFused*`: slots 3–5 of a tick in one pass — two conductance states decay (each bound to its COBA
 *   output first), the sums are formed, V is integrated, threshold, reset and refractoriness;
 * - `tickNeuron*`: slot 5 alone — V from sums prepared in Float64Arrays (zeroed after use, as the unfused
 *   `NeuronSystem` does).
 */
import type { CobaSnapshot } from '../lib/fixtures.js'

export interface LifConstants {
  readonly vRest: number
  readonly vReset: number
  readonly vTh: number
  readonly iExt: number
  /** e^(−dt/τ) (non-LTC). */
  readonly kV: number
  /** −dt/τ (LTC). */
  readonly kNeg: number
  /** Refractory ticks. */
  readonly nRef: number
  /** Reversal potentials of the two COBA outputs (mV). */
  readonly eE: number
  readonly eI: number
  /** Per-tick decay factors of the two states, rounded to float32. */
  readonly aE: number
  readonly aI: number
}

/** The coba model's constants at dt = 0.1 ms. */
export function cobaConstants(dtMs = 0.1): LifConstants {
  return {
    vRest: -60,
    vReset: -60,
    vTh: -50,
    iExt: 20,
    kV: Math.exp(-dtMs / 20),
    kNeg: -dtMs / 20,
    nRef: Math.round(5 / dtMs),
    eE: 0,
    eI: -80,
    aE: Math.fround(Math.exp(-dtMs / 5)),
    aI: Math.fround(Math.exp(-dtMs / 10)),
  }
}

export interface PlainNeurons {
  readonly n: number
  readonly V: Float32Array
  readonly last: Int32Array
  readonly spikes: Int32Array
  nSpikes: number
  tick: number
  /** Conductance states and their bound copies (fused shape). */
  readonly sE: Float32Array
  readonly sI: Float32Array
  readonly cE: Float32Array
  readonly cI: Float32Array
  /** Sums Σg, Σg·E and the CUBA current (neuron-only shape). */
  readonly G: Float64Array
  readonly GE: Float64Array
  readonly I: Float64Array
}

export function plainNeurons(snap: CobaSnapshot): PlainNeurons {
  const n = snap.n
  const last = new Int32Array(n).fill(-1e9)
  return {
    n,
    V: Float32Array.from(snap.V),
    last,
    spikes: new Int32Array(n),
    nSpikes: 0,
    tick: 0,
    sE: Float32Array.from(snap.gE),
    sI: Float32Array.from(snap.gI),
    cE: new Float32Array(n),
    cI: new Float32Array(n),
    G: new Float64Array(n),
    GE: new Float64Array(n),
    I: new Float64Array(n),
  }
}

// Each model has its own loops (no model test inside a loop), as a hand-written simulator would.

/** Slots 3–5, `LifRef`: two non-Mg Expon states (bound, then decayed), COBA sums, exact integration with I held. */
export function tickFusedLif(s: PlainNeurons, k: LifConstants): void {
  const { vRest, vReset, vTh, iExt, kV, nRef, eE, eI, aE, aI } = k
  const V = s.V,
    last = s.last,
    spk = s.spikes,
    sE = s.sE,
    sI = s.sI,
    cE = s.cE,
    cI = s.cI
  const tick = s.tick
  let ns = 0
  for (let i = 0, n = s.n; i < n; i++) {
    const ge = sE[i]
    cE[i] = ge
    sE[i] = ge * aE
    const gi = sI[i]
    cI[i] = gi
    sI[i] = gi * aI
    if (tick - last[i] <= nRef) continue
    const v = V[i]
    const vInf = vRest + (iExt + (ge * eE + gi * eI) - (ge + gi) * v)
    const vn = Math.fround(vInf + (v - vInf) * kV)
    if (vn >= vTh) {
      V[i] = vReset
      last[i] = tick
      spk[ns++] = i
    } else V[i] = vn
  }
  s.nSpikes = ns
  s.tick = tick + 1
}

/** Slots 3–5, `LifRefLTC`: as `tickFusedLif`, exponential Euler with Σg inside the exponent. */
export function tickFusedLtc(s: PlainNeurons, k: LifConstants): void {
  const { vRest, vReset, vTh, iExt, kNeg, nRef, eE, eI, aE, aI } = k
  const V = s.V,
    last = s.last,
    spk = s.spikes,
    sE = s.sE,
    sI = s.sI,
    cE = s.cE,
    cI = s.cI
  const tick = s.tick
  let ns = 0
  for (let i = 0, n = s.n; i < n; i++) {
    const ge = sE[i]
    cE[i] = ge
    sE[i] = ge * aE
    const gi = sI[i]
    cI[i] = gi
    sI[i] = gi * aI
    if (tick - last[i] <= nRef) continue
    const v = V[i]
    const g1 = 1 + (ge + gi)
    const vInf = (vRest + (iExt + (ge * eE + gi * eI))) / g1
    const vn = Math.fround(vInf + (v - vInf) * Math.exp(kNeg * g1))
    if (vn >= vTh) {
      V[i] = vReset
      last[i] = tick
      spk[ns++] = i
    } else V[i] = vn
  }
  s.nSpikes = ns
  s.tick = tick + 1
}

/** Slot 5 alone, `LifRef`: V from the prepared sums, which are zeroed for the next tick. */
export function tickNeuronLif(s: PlainNeurons, k: LifConstants): void {
  const { vRest, vReset, vTh, iExt, kV, nRef } = k
  const V = s.V,
    last = s.last,
    spk = s.spikes,
    G = s.G,
    GE = s.GE,
    I = s.I
  const tick = s.tick
  let ns = 0
  for (let i = 0, n = s.n; i < n; i++) {
    const g = G[i],
      gE = GE[i],
      ic = I[i]
    G[i] = 0
    GE[i] = 0
    I[i] = 0
    if (tick - last[i] <= nRef) continue
    const v = V[i]
    const vInf = vRest + (iExt + ic + gE - g * v)
    const vn = Math.fround(vInf + (v - vInf) * kV)
    if (vn >= vTh) {
      V[i] = vReset
      last[i] = tick
      spk[ns++] = i
    } else V[i] = vn
  }
  s.nSpikes = ns
  s.tick = tick + 1
}

/** Slot 5 alone, `LifRefLTC`. */
export function tickNeuronLtc(s: PlainNeurons, k: LifConstants): void {
  const { vRest, vReset, vTh, iExt, kNeg, nRef } = k
  const V = s.V,
    last = s.last,
    spk = s.spikes,
    G = s.G,
    GE = s.GE,
    I = s.I
  const tick = s.tick
  let ns = 0
  for (let i = 0, n = s.n; i < n; i++) {
    const g = G[i],
      gE = GE[i],
      ic = I[i]
    G[i] = 0
    GE[i] = 0
    I[i] = 0
    if (tick - last[i] <= nRef) continue
    const v = V[i]
    const g1 = 1 + g
    const vInf = (vRest + (iExt + ic + gE)) / g1
    const vn = Math.fround(vInf + (v - vInf) * Math.exp(kNeg * g1))
    if (vn >= vTh) {
      V[i] = vReset
      last[i] = tick
      spk[ns++] = i
    } else V[i] = vn
  }
  s.nSpikes = ns
  s.tick = tick + 1
}
