/**
 * Paired microbenchmarks with benchmark.js. A scenario is one piece of spikecs work (a system call on a
 * prepared world) and a plain typed-array loop doing the same arithmetic, written out by hand; both run in the
 * same process, round after round (baseline, case 1, case 2, …, then again), and each case is reported as the
 * ratio of its time to the baseline's time of the same round. The median ratio over the rounds is robust to
 * the drift of a shared machine; absolute figures (ns per unit of work) are given with their quartiles.
 */
import Benchmark from 'benchmark'
import { median, pairedRatios, scaleSpread, spread, type Spread } from './stats.js'

// Call the functions through their reference: benchmark.js would otherwise re-compile their source text, which
// loses the closures the cases are built from.
Benchmark.support.decompilation = false

/** One timed operation: `fn` does `units` units of work (neuron-ticks, synaptic events, spikes). */
export interface MicroCase {
  readonly name: string
  readonly fn: () => void
  readonly units: number
  /** Free-form details saved with the result (kernel, sizes). */
  readonly info?: Record<string, unknown>
}

export interface MicroScenario {
  readonly id: string
  readonly title: string
  /** The unit of work, e.g. `neuron-tick`; results are ns per unit. */
  readonly unit: string
  readonly baseline: MicroCase
  readonly cases: readonly MicroCase[]
  /**
   * Returns null when the baseline and the spikecs cases compute the same thing (checked before timing, on
   * copies of the prepared state), else what differs. A baseline that did less work would flatter spikecs.
   */
  readonly check?: () => string | null
}

export interface MicroOptions {
  readonly rounds: number
  /** Seconds benchmark.js spends on one case in one round. */
  readonly maxTime: number
  /** Seconds per benchmark.js sample (each sample times many operations). */
  readonly minTime: number
}

export interface CaseResult {
  readonly name: string
  readonly info: Record<string, unknown>
  readonly units: number
  /** ns per unit over all samples of all rounds. */
  readonly nsPerUnit: Spread
  /** Median over rounds of benchmark.js's relative margin of error (%, 95 %). */
  readonly rme: number
  readonly samples: number
  /** Per-round medians (ns per unit), in round order. */
  readonly rounds: readonly number[]
  /**
   * Per round: this case's median time per unit ÷ the baseline's median time per unit in the same round (null
   * for the baseline itself). Per unit, because the two may do different amounts of work per operation.
   */
  readonly ratio: Spread | null
}

export interface ScenarioResult {
  readonly id: string
  readonly title: string
  readonly unit: string
  readonly check: string | null
  readonly baseline: CaseResult
  readonly cases: readonly CaseResult[]
}

interface Timing {
  /** Seconds per operation, one per benchmark.js sample. */
  readonly sample: number[]
  readonly rme: number
}

function time(c: MicroCase, o: MicroOptions): Timing {
  const b = new Benchmark(c.name, c.fn, { maxTime: o.maxTime, minTime: o.minTime, minSamples: 5, initCount: 1 })
  b.run({ async: false })
  if (b.error) throw b.error
  return { sample: [...b.stats.sample], rme: b.stats.rme }
}

export function runScenario(s: MicroScenario, o: MicroOptions): ScenarioResult {
  const check = s.check ? s.check() : null
  const all = [s.baseline, ...s.cases]
  const timings: Timing[][] = all.map(() => [])
  for (let r = 0; r < o.rounds; r++) {
    for (let k = 0; k < all.length; k++) timings[k].push(time(all[k], o))
  }
  const basePerUnit = timings[0].map((t) => median(t.sample) / s.baseline.units)
  const result = (k: number): CaseResult => {
    const c = all[k]
    const perRound = timings[k].map((t) => median(t.sample) / c.units)
    const pooled = timings[k].flatMap((t) => t.sample)
    return {
      name: c.name, info: c.info ?? {}, units: c.units,
      nsPerUnit: scaleSpread(spread(pooled), 1e9 / c.units),
      rme: median(timings[k].map((t) => t.rme)),
      samples: pooled.length,
      rounds: perRound.map((x) => x * 1e9),
      ratio: k === 0 ? null : spread(pairedRatios(perRound, basePerUnit)),
    }
  }
  return {
    id: s.id, title: s.title, unit: s.unit, check,
    baseline: result(0), cases: all.slice(1).map((_, k) => result(k + 1)),
  }
}
