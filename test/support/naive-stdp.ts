/**
 * An independent, deliberately naive reference of the STDP_Song2000 rule as docs/semantics.md ("Plasticity")
 * states it, sharing no code with the packages (it imports nothing): dense nPre × nPost matrices of weights and
 * of existence, the traces as plain arrays, every step a loop over every pair, the dtype emulated with
 * Math.fround where the text says a value is stored. The spike trains are given (emission tick lists), so the
 * rule is tested without any neuron dynamics; the synapse state it feeds is an Mg `Expon` state
 * (g_k = fl(fl(g_{k−1} + Δ_k)·a), each increment added on its own in ascending pre order, then ascending post).
 *
 * Tick k, in this order: post trace takes the post spikes of tick k−1; each existing (i, j) with i arriving in
 * tick k (emitted in tick k − L) is depressed by A2·Apost_j, clipped; each existing (i, j) with j spiking in
 * tick k−1 is potentiated by A1·Apre_i, clipped; g takes w_ij for each arrival (updated weights), then decays;
 * pre trace takes the arrivals of tick k.
 */

export interface NaiveStdpNet {
  dtype: 'float32' | 'float64'
  dtMs: number
  nPre: number
  nPost: number
  /** Latency in ticks from a pre spike's emission to its arrival (≥ 1). */
  latency: number
  /** Synapses as (pre, post, weight); at most one per pair. */
  synapses: { pre: number; post: number; w: number }[]
  /** Emission ticks per pre neuron and spike ticks per post neuron. */
  preSpikes: number[][]
  postSpikes: number[][]
  tauS: number
  tauT: number
  A1: number
  A2: number
  wMin: number | null
  wMax: number | null
  /** Time constant of the Mg Expon synapse state the weights feed (ms). */
  tauSyn: number
}

export interface NaiveStdpResult {
  /** Final weight of each listed synapse, in the order given. */
  w: number[]
  Apre: number[]
  /** The post trace as the implementation holds it after the last tick: Apost_{K−1}. */
  Apost: number[]
  /** The synapse state after the last tick. */
  g: number[]
}

/** Runs ticks 0 … ticks−1 of the rule on the given spike trains. */
export function naiveStdp(net: NaiveStdpNet, ticks: number): NaiveStdpResult {
  const fl = net.dtype === 'float32' ? Math.fround : (x: number) => x
  const { nPre, nPost } = net
  const exists: boolean[][] = []
  const W: number[][] = []
  for (let i = 0; i < nPre; i++) {
    exists.push(new Array(nPost).fill(false))
    W.push(new Array(nPost).fill(0))
  }
  for (const s of net.synapses) {
    exists[s.pre][s.post] = true
    W[s.pre][s.post] = fl(s.w)
  }
  const aS = fl(Math.exp(-net.dtMs / net.tauS))
  const aT = fl(Math.exp(-net.dtMs / net.tauT))
  const aG = fl(Math.exp(-net.dtMs / net.tauSyn))
  const lo = net.wMin === null ? -Infinity : fl(net.wMin)
  const hi = net.wMax === null ? Infinity : fl(net.wMax)
  const clip = (x: number) => fl(Math.min(Math.max(x, lo), hi))
  const Apre = new Array(nPre).fill(0)
  const Apost = new Array(nPost).fill(0)
  const g = new Array(nPost).fill(0)
  const fired = (trains: number[][], who: number, tick: number) => trains[who].includes(tick)
  for (let k = 0; k < ticks; k++) {
    const arriving = (i: number) => fired(net.preSpikes, i, k - net.latency)
    const postFired = (j: number) => k >= 1 && fired(net.postSpikes, j, k - 1)
    for (let j = 0; j < nPost; j++) Apost[j] = fl(fl(Apost[j] * aT) + (postFired(j) ? 1 : 0))
    for (let i = 0; i < nPre; i++) {
      if (!arriving(i)) continue
      for (let j = 0; j < nPost; j++) if (exists[i][j]) W[i][j] = clip(W[i][j] - net.A2 * Apost[j])
    }
    for (let j = 0; j < nPost; j++) {
      if (!postFired(j)) continue
      for (let i = 0; i < nPre; i++) if (exists[i][j]) W[i][j] = clip(W[i][j] + net.A1 * Apre[i])
    }
    for (let i = 0; i < nPre; i++) {
      if (!arriving(i)) continue
      for (let j = 0; j < nPost; j++) if (exists[i][j]) g[j] = fl(g[j] + W[i][j])
    }
    for (let j = 0; j < nPost; j++) g[j] = fl(g[j] * aG)
    for (let i = 0; i < nPre; i++) Apre[i] = fl(fl(Apre[i] * aS) + (arriving(i) ? 1 : 0))
  }
  return { w: net.synapses.map((s) => W[s.pre][s.post]), Apre, Apost, g }
}
