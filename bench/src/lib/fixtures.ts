/**
 * Inputs shared by the microbenchmarks: a seeded generator for spike sets, and a snapshot of a running `coba`
 * network (conductances and membrane potentials of its 4000 neurons after 200 ms), so that the neuron and
 * synapse kernels are timed on the values they see in a real run (e.g. the LTC exponent depends on Σg, and a
 * decaying state left alone would sink into subnormal floats, which are slow).
 */
import { coba } from '@spikecs/presets'
import { run } from '@spikecs/systems'

/** mulberry32: a small seeded 32-bit generator; uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) | 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `sets` ascending lists of `k` distinct indices in [0, n), drawn uniformly. */
export function spikeSets(n: number, k: number, sets: number, seed: number): Int32Array[] {
  const rnd = seeded(seed)
  const out: Int32Array[] = []
  for (let s = 0; s < sets; s++) {
    const chosen = new Set<number>()
    while (chosen.size < k) chosen.add(Math.floor(rnd() * n))
    out.push(Int32Array.from([...chosen].sort((a, b) => a - b)))
  }
  return out
}

export interface CobaSnapshot {
  readonly n: number
  /** Excitatory and inhibitory conductance states (the stored, pre-decayed values), E neurons first. */
  readonly gE: Float32Array
  readonly gI: Float32Array
  /** Membrane potentials (mV). */
  readonly V: Float32Array
}

/** State of `coba` (seed 1, TypeScript kernels) after `ms` of biological time. */
export function cobaSnapshot(ms = 200): CobaSnapshot {
  const net = coba({ seed: 1, kernel: 'js', record: false })
  run(net.world, ms)
  const { E, I } = net.pops
  const n = E.size + I.size
  const gE = new Float32Array(n),
    gI = new Float32Array(n),
    V = new Float32Array(n)
  for (const pop of [E, I]) {
    V.set(pop.state.V.array as Float32Array, pop.start)
    pop.states.forEach((s, k) => {
      const excitatory = pop.outputs[k].params.E === 0
      ;(excitatory ? gE : gI).set(s.cols.g.array as Float32Array, pop.start)
    })
  }
  return { n, gE, gI, V }
}
