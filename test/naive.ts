/**
 * An independent, deliberately naive simulator of spikecs's semantics (spec Part A), written from the
 * equations and sharing no code with the packages: plain JS arrays, one loop per step of the tick order, the
 * dtype emulated with Math.fround where Part A says a value is stored in the state dtype.
 */

export type Dtype = 'float32' | 'float64'

export interface NaivePop {
  name: string
  size: number
  ltc: boolean
  vRest: number
  vReset: number
  vTh: number
  R: number
  tau: number
  tauRef: number
  v0: number[]
  /** Constant input per neuron (already summed). */
  input: number[]
}

export interface NaiveProj {
  name: string
  /** 'full' reads the whole pre population at `latency`; 'half' reads [start, end) of it at `latency`. */
  kind: 'full' | 'half'
  merged: boolean
  pre: string
  start: number
  end: number
  latency: number
  post: string
  /** Synapses (pre index relative to the source, post index, weight). */
  syn: { pre: number; post: number; w: number }[]
  tau: number
  out: { kind: 'COBA'; E: number } | { kind: 'CUBA' }
  label: string | null
}

export interface NaiveResult {
  /** Per tick, per population: the list of spiking neuron indices. */
  spikes: Record<string, number[][]>
  V: Record<string, number[]>
  /** Bound conductance per projection at the end, for inspection. */
  cond: Record<string, number[]>
}

export function simulateNaive(pops: NaivePop[], projs: NaiveProj[], ticks: number, dt: number, dtype: Dtype): NaiveResult {
  const r = dtype === 'float32' ? Math.fround : (x: number) => x
  const byName = new Map(pops.map((p) => [p.name, p]))
  const V: Record<string, number[]> = {}
  const last: Record<string, number[]> = {}
  const spikesNow: Record<string, number[]> = {}
  const history: Record<string, number[][]> = {}
  for (const p of pops) {
    V[p.name] = p.v0.map(r)
    last[p.name] = p.v0.map(() => -1e9)
    spikesNow[p.name] = []
    history[p.name] = []
  }
  // Synapse states: merged projections with the same (post, label, tau, output) share one.
  interface State { post: string; tau: number; a: number; merged: boolean; g: number[]; cond: number[]; out: NaiveProj['out'] }
  const states: State[] = []
  const stateOf = new Map<string, State>()
  for (const pr of projs) {
    const post = byName.get(pr.post)!
    const key = `${pr.post}|${pr.label}|${pr.tau}|${JSON.stringify(pr.out)}`
    let s = pr.merged ? states.find((x) => x.merged && `${x.post}|${labelOf(x)}|${x.tau}|${JSON.stringify(x.out)}` === key) : undefined
    if (!s) {
      s = { post: pr.post, tau: pr.tau, a: r(Math.exp(-dt / pr.tau)), merged: pr.merged, g: new Array(post.size).fill(0), cond: new Array(post.size).fill(0), out: pr.out }
      ;(s as State & { label: string | null }).label = pr.label
      states.push(s)
    }
    stateOf.set(pr.name, s)
  }
  function labelOf(s: State): string | null {
    return (s as State & { label: string | null }).label
  }
  // Spike history per population (what it emitted in each past tick).
  const emitted: Record<string, number[][]> = {}
  for (const p of pops) emitted[p.name] = []

  for (let k = 0; k < ticks; k++) {
    // Comm: every projection, in order, adds its events into its state.
    for (const pr of projs) {
      const j = k - pr.latency // tick whose spikes arrive now
      if (j < 0) continue
      const spk = emitted[pr.pre][j]
      const s = stateOf.get(pr.name)!
      for (const i of spk) {
        if (i < pr.start || i >= pr.end) continue
        const local = i - pr.start
        for (const e of pr.syn) if (e.pre === local) s.g[e.post] = r(s.g[e.post] + r(e.w))
      }
    }
    // Align-post: Mg: g = (g + Δ)·a ; non-Mg: the state holds g_{k−1}·a + Δ = g_k, bound, then decays.
    for (const s of states) {
      for (let i = 0; i < s.g.length; i++) {
        if (s.merged) {
          s.g[i] = r(s.g[i] * s.a)
          s.cond[i] = s.g[i]
        } else {
          s.cond[i] = s.g[i]
          s.g[i] = r(s.g[i] * s.a)
        }
      }
    }
    // Outputs into sums (double precision), then neurons.
    for (const p of pops) {
      const G = new Array(p.size).fill(0), GE = new Array(p.size).fill(0), I = new Array(p.size).fill(0)
      for (const s of states) {
        if (s.post !== p.name) continue
        for (let i = 0; i < p.size; i++) {
          if (s.out.kind === 'COBA') {
            G[i] += s.cond[i]
            GE[i] += s.cond[i] * s.out.E
          } else I[i] += s.cond[i]
        }
      }
      const nRef = Math.round(p.tauRef / dt)
      const spk: number[] = []
      for (let i = 0; i < p.size; i++) {
        if (k - last[p.name][i] <= nRef) continue
        const v = V[p.name][i]
        const ii = p.input[i] + 0 + I[i]
        let vn: number
        if (p.ltc) {
          const g1 = 1 + p.R * G[i]
          const vInf = (p.vRest + p.R * (ii + GE[i])) / g1
          vn = vInf + (v - vInf) * Math.exp((-dt / p.tau) * g1)
        } else {
          const vInf = p.vRest + p.R * (ii + GE[i] - G[i] * v)
          vn = vInf + (v - vInf) * Math.exp(-dt / p.tau)
        }
        vn = r(vn)
        if (vn >= p.vTh) {
          V[p.name][i] = r(p.vReset)
          last[p.name][i] = k
          spk.push(i)
        } else V[p.name][i] = vn
      }
      spikesNow[p.name] = spk
    }
    for (const p of pops) {
      emitted[p.name][k] = spikesNow[p.name]
      history[p.name].push(spikesNow[p.name])
    }
  }
  const cond: Record<string, number[]> = {}
  for (const pr of projs) cond[pr.name] = stateOf.get(pr.name)!.cond.slice()
  return { spikes: history, V, cond }
}
