/**
 * An independent, deliberately naive simulator of spikecs's semantics (docs/semantics.md and docs/models.md), written
 * from the equations and sharing no code with the packages (it imports nothing): plain JS arrays, one loop per
 * step of the tick order, the dtype emulated with Math.fround where docs/semantics.md says a value is stored in the state
 * dtype. Sums of a tick and every intermediate expression are doubles.
 *
 * What it covers — and therefore what a test against it can catch:
 * - Neurons: the LIF family only — `Lif`/`LifRef` (current from the previous V, V ← V∞ + (V − V∞)·e^(−dt/τ)) and
 *   `LifLTC`/`LifRefLTC` (conductances inside the exponential step); threshold V ≥ vTh on the stored V, reset,
 *   refractory hold of round(τ_ref/dt) ticks counted from the spike tick (τ_ref = 0: none); one constant input
 *   per neuron. V0 given per neuron.
 * - Synapses: `Expon`, `DualExponV2`, `Alpha`, `DualExpon` as exact one-tick propagators P whose constants are
 *   rounded to the dtype once; the default `A` of the two dual-exponential models is computed here (unit peak).
 *   `Mg` states add the tick's increments, then advance (s_k = P(s_{k−1} + Δ_k)); non-`Mg` states advance, then
 *   add (s_k = P(s_{k−1}) + Δ_k). Each increment is added into the state on its own, rounded to the dtype.
 * - Outputs: `COBA` (Σg, Σg·E), `CUBA` (current), `MgBlock` (g·B(V) with B at the V before this tick's
 *   integration); per neuron, in the order the states were created.
 * - Comm: an explicit synapse list per projection (pre index relative to its source, post, weight). Anything
 *   with stored or on-the-fly rows is given to it as that list (the test reads on-the-fly rows from the
 *   package); increments are added per spike in ascending pre order and, within a row, in list order.
 * - Sources: full projections read every neuron of `pre` emitted max(1, round(D/dt)) ticks earlier (D in ms;
 *   null or 0: one tick); half projections read a slice [start, end) of a population `latency` ticks later,
 *   re-indexed from 0, or a spike buffer whose indices for tick k are given and are delivered in tick k.
 * - Merging: `Mg` projections onto the same post whose output label, synapse kind and parameters (defaults
 *   resolved) and output kind and parameters are equal share one state (full and half alike); projections
 *   deliver in the order they are listed, so increments into a shared state follow that order. Non-`Mg`
 *   projections never share.
 * Not covered: other neuron models, spike sources (Poisson, spike times), non-event comm inputs (values),
 * function or series inputs, monitors, checkers, snapshots, live changes.
 */

export type Dtype = 'float32' | 'float64'

export interface NaivePop {
  name: string
  size: number
  /** Conductances inside the exponential step (LifLTC, LifRefLTC). */
  ltc: boolean
  vRest: number
  vReset: number
  vTh: number
  R: number
  tau: number
  /** Refractory period in ms (0: none). */
  tauRef: number
  v0: number[]
  /** Constant input per neuron (R·I in mV for R = 1). */
  input: number[]
}

export type NaiveSyn =
  | { kind: 'Expon'; tau: number }
  | { kind: 'DualExponV2'; tauDecay: number; tauRise: number; A?: number }
  | { kind: 'Alpha'; tauDecay: number }
  | { kind: 'DualExpon'; tauDecay: number; tauRise: number; A?: number }

export type NaiveOut =
  | { kind: 'COBA'; E: number }
  | { kind: 'CUBA' }
  | { kind: 'MgBlock'; E: number; ccMg: number; alpha: number; beta: number; vOffset: number }

export type NaiveSource =
  | { kind: 'full'; pre: string; delayMs: number | null }
  | { kind: 'slice'; pre: string; start: number; end: number; latency: number }
  | { kind: 'buffer'; buffer: string }

export interface NaiveProj {
  name: string
  source: NaiveSource
  merged: boolean
  post: string
  /** Synapses (pre index relative to the source, post index, weight). */
  syn: { pre: number; post: number; w: number }[]
  synapse: NaiveSyn
  out: NaiveOut
  label: string | null
}

export interface NaiveOptions {
  /** Per spike buffer, per tick: the indices pushed in that tick (ascending). */
  buffers?: Record<string, number[][]>
  /** Record V of every neuron after every tick, and the V each integrating neuron compared with vTh. */
  traceV?: boolean
}

export interface NaiveResult {
  /** Per population, per tick: the spiking neuron indices. */
  spikes: Record<string, number[][]>
  /** V at the end. */
  V: Record<string, number[]>
  /** Per population, per tick, V after the tick (with `traceV`). */
  Vtrace: Record<string, number[][]>
  /**
   * Per population, per tick, the V compared with vTh (before the reset; NaN while held) (with `traceV`): how
   * close each spike decision was.
   */
  Vtest: Record<string, number[][]>
  /** Bound conductance per projection at the end. */
  cond: Record<string, number[]>
  /** Index of each projection's synapse state (equal for projections that share one). */
  stateIndex: Record<string, number>
  /** Number of distinct synapse states. */
  nStates: number
}

/** Unit-peak normalisation of e^(−t/τd) − e^(−t/τr): its inverse value at t_p = τd·τr/(τd − τr)·ln(τd/τr). */
function unitPeak(tauDecay: number, tauRise: number): number {
  return (tauDecay / (tauDecay - tauRise)) * (tauRise / tauDecay) ** (tauRise / (tauRise - tauDecay))
}

interface State {
  key: string
  post: string
  merged: boolean
  out: NaiveOut
  /** The traces (one or two arrays of post size); `into` lists the ones increments go into. */
  x: number[][]
  into: number[]
  /** One tick of the exact propagator, in place, neuron i. */
  advance: (i: number) => void
  /** The conductance of neuron i from the traces. */
  conductance: (i: number) => number
  cond: number[]
}

function makeState(key: string, pr: NaiveProj, n: number, dt: number, r: (x: number) => number): State {
  const zeros = () => new Array<number>(n).fill(0)
  const s = pr.synapse
  const base = { key, post: pr.post, merged: pr.merged, out: pr.out, cond: zeros() }
  switch (s.kind) {
    case 'Expon': {
      // g ← a·g, a = e^(−dt/τ).
      const g = zeros(),
        a = r(Math.exp(-dt / s.tau))
      return {
        ...base,
        x: [g],
        into: [0],
        advance: (i) => {
          g[i] = r(g[i] * a)
        },
        conductance: (i) => g[i],
      }
    }
    case 'DualExponV2': {
      // Two independent exponential traces, each receiving every increment; conductance A·(g_d − g_r).
      const gr = zeros(),
        gd = zeros()
      const ar = r(Math.exp(-dt / s.tauRise)),
        ad = r(Math.exp(-dt / s.tauDecay))
      const A = s.A ?? unitPeak(s.tauDecay, s.tauRise)
      return {
        ...base,
        x: [gr, gd],
        into: [0, 1],
        advance: (i) => {
          gr[i] = r(gr[i] * ar)
          gd[i] = r(gd[i] * ad)
        },
        conductance: (i) => r(A * (gd[i] - gr[i])),
      }
    }
    case 'Alpha':
    case 'DualExpon': {
      // (h, g) with dh/dt = −h/τ_h, dg/dt = −g/τ_g + c'·h, increments into h. Over one tick exactly:
      // h ← a_h·h, g ← a_g·g + c·h with, for Alpha (τ_h = τ_g = τ): c = (dt/τ)·e^(−dt/τ); for DualExpon
      // (unit increment → A·(e^(−t/τd) − e^(−t/τr))): c = A·(e^(−dt/τd) − e^(−dt/τr)).
      let ah: number, ag: number, c: number
      if (s.kind === 'Alpha') {
        const e = Math.exp(-dt / s.tauDecay)
        ah = r(e)
        ag = r(e)
        c = r((dt / s.tauDecay) * e)
      } else {
        const er = Math.exp(-dt / s.tauRise),
          ed = Math.exp(-dt / s.tauDecay)
        const A = s.A ?? unitPeak(s.tauDecay, s.tauRise)
        ah = r(er)
        ag = r(ed)
        c = r(A * (ed - er))
      }
      const h = zeros(),
        g = zeros()
      return {
        ...base,
        x: [h, g],
        into: [0],
        advance: (i) => {
          const h0 = h[i]
          g[i] = r(ag * g[i] + c * h0)
          h[i] = r(ah * h0)
        },
        conductance: (i) => g[i],
      }
    }
  }
}

/** The merge key: post, label, synapse kind and parameters (A resolved), output kind and parameters. */
function stateKey(pr: NaiveProj): string {
  const s = pr.synapse
  const syn = s.kind === 'DualExponV2' || s.kind === 'DualExpon' ? { ...s, A: s.A ?? unitPeak(s.tauDecay, s.tauRise) } : s
  const canon = (o: object) => JSON.stringify(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return `${pr.post}|${pr.label}|${canon(syn)}|${canon(pr.out)}`
}

export function simulateNaive(
  pops: NaivePop[],
  projs: NaiveProj[],
  ticks: number,
  dt: number,
  dtype: Dtype,
  options: NaiveOptions = {},
): NaiveResult {
  const r = dtype === 'float32' ? Math.fround : (x: number) => x
  const byName = new Map(pops.map((p) => [p.name, p]))
  const V: Record<string, number[]> = {}
  const last: Record<string, number[]> = {}
  const emitted: Record<string, number[][]> = {}
  const Vtrace: Record<string, number[][]> = {}
  const Vtest: Record<string, number[][]> = {}
  for (const p of pops) {
    V[p.name] = p.v0.map(r)
    last[p.name] = p.v0.map(() => -1e9)
    emitted[p.name] = []
    Vtrace[p.name] = []
    Vtest[p.name] = []
  }

  // Synapse states, merged by key for Mg projections.
  const states: State[] = []
  const stateOf: State[] = []
  const stateIndex: Record<string, number> = {}
  for (const pr of projs) {
    const key = stateKey(pr)
    let k = pr.merged ? states.findIndex((s) => s.merged && s.key === key) : -1
    if (k < 0) {
      states.push(makeState(key, pr, byName.get(pr.post)!.size, dt, r))
      k = states.length - 1
    }
    stateOf.push(states[k])
    stateIndex[pr.name] = k
  }
  // Rows: per source index, the (post, weight) pairs in list order.
  const rows = projs.map((pr) => {
    const out = new Map<number, { post: number; w: number }[]>()
    for (const e of pr.syn) {
      if (!out.has(e.pre)) out.set(e.pre, [])
      out.get(e.pre)!.push({ post: e.post, w: r(e.w) })
    }
    return out
  })
  // Spikes a projection reads in tick k, as indices relative to its source.
  function arriving(src: NaiveSource, k: number): number[] {
    if (src.kind === 'buffer') return options.buffers?.[src.buffer]?.[k] ?? []
    if (src.kind === 'full') {
      const L = src.delayMs === null ? 1 : Math.max(1, Math.round(src.delayMs / dt))
      return k - L >= 0 ? emitted[src.pre][k - L] : []
    }
    if (k - src.latency < 0) return []
    return emitted[src.pre][k - src.latency].filter((i) => i >= src.start && i < src.end).map((i) => i - src.start)
  }

  for (let k = 0; k < ticks; k++) {
    // Non-Mg states: s ← P(s) before this tick's increments.
    for (const s of states) if (!s.merged) for (let i = 0; i < s.cond.length; i++) s.advance(i)
    // Increments, projection by projection, each added on its own.
    projs.forEach((pr, q) => {
      const s = stateOf[q]
      for (const i of arriving(pr.source, k)) {
        for (const e of rows[q].get(i) ?? []) for (const t of s.into) s.x[t][e.post] = r(s.x[t][e.post] + e.w)
      }
    })
    // Mg states: s ← P(s + Δ). Then every state's conductance of this tick.
    for (const s of states) {
      for (let i = 0; i < s.cond.length; i++) {
        if (s.merged) s.advance(i)
        s.cond[i] = r(s.conductance(i))
      }
    }
    const now: Record<string, number[]> = {}
    for (const p of pops) {
      const G = new Array<number>(p.size).fill(0),
        GE = new Array<number>(p.size).fill(0),
        I = new Array<number>(p.size).fill(0)
      const vPrev = V[p.name]
      for (const s of states) {
        if (s.post !== p.name) continue
        const o = s.out
        for (let i = 0; i < p.size; i++) {
          const g = s.cond[i]
          if (o.kind === 'CUBA') I[i] += g
          else {
            // MgBlock: B(V) = 1/(1 + (ccMg/β)·e^(α(V_offset − V))) at the previous V (1 without magnesium).
            const gb =
              o.kind === 'COBA' ? g : g * (o.ccMg === 0 ? 1 : 1 / (1 + (o.ccMg / o.beta) * Math.exp(o.alpha * (o.vOffset - vPrev[i]))))
            G[i] += gb
            GE[i] += gb * o.E
          }
        }
      }
      const nRef = Math.round(p.tauRef / dt)
      const spk: number[] = []
      const tested = new Array<number>(p.size).fill(NaN)
      for (let i = 0; i < p.size; i++) {
        if (k - last[p.name][i] <= nRef) continue // held at the reset
        const v = V[p.name][i]
        const iExt = p.input[i] + I[i]
        let vn: number
        if (p.ltc) {
          const g1 = 1 + p.R * G[i]
          const vInf = (p.vRest + p.R * (iExt + GE[i])) / g1
          vn = vInf + (v - vInf) * Math.exp((-dt / p.tau) * g1)
        } else {
          const vInf = p.vRest + p.R * (iExt + GE[i] - G[i] * v)
          vn = vInf + (v - vInf) * Math.exp(-dt / p.tau)
        }
        vn = r(vn)
        tested[i] = vn
        if (vn >= p.vTh) {
          V[p.name][i] = r(p.vReset)
          last[p.name][i] = k
          spk.push(i)
        } else V[p.name][i] = vn
      }
      now[p.name] = spk
      if (options.traceV) {
        Vtrace[p.name].push(V[p.name].slice())
        Vtest[p.name].push(tested)
      }
    }
    for (const p of pops) emitted[p.name][k] = now[p.name]
  }
  const cond: Record<string, number[]> = {}
  projs.forEach((pr, q) => {
    cond[pr.name] = stateOf[q].cond.slice()
  })
  return { spikes: emitted, V, Vtrace, Vtest, cond, stateIndex, nStates: states.length }
}
