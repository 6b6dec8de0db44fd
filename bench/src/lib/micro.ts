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
  /** Child processes the rounds were spread over. */
  readonly processes: number
  readonly baseline: CaseResult
  readonly cases: readonly CaseResult[]
}

/** One benchmark.js run of one case: seconds per operation (one per sample) and the relative margin of error. */
export interface Timing {
  readonly sample: number[]
  readonly rme: number
}

/** What one process measured for a scenario: per case (baseline first), one timing per round. */
export interface ScenarioRaw {
  readonly id: string
  readonly title: string
  readonly unit: string
  readonly check: string | null
  readonly cases: readonly { name: string; units: number; info: Record<string, unknown>; timings: Timing[] }[]
}

function time(c: MicroCase, o: MicroOptions): Timing {
  const b = new Benchmark(c.name, c.fn, { maxTime: o.maxTime, minTime: o.minTime, minSamples: 5, initCount: 1 })
  b.run({ async: false })
  if (b.error) throw b.error
  return { sample: [...b.stats.sample], rme: b.stats.rme }
}

/** Checks the scenario, then times the baseline and each case, round after round. */
export function runScenario(s: MicroScenario, o: MicroOptions): ScenarioRaw {
  const check = s.check ? s.check() : null
  const all = [s.baseline, ...s.cases]
  const timings: Timing[][] = all.map(() => [])
  for (let r = 0; r < o.rounds; r++) {
    for (let k = 0; k < all.length; k++) timings[k].push(time(all[k], o))
  }
  return {
    id: s.id,
    title: s.title,
    unit: s.unit,
    check,
    cases: all.map((c, k) => ({ name: c.name, units: c.units, info: c.info ?? {}, timings: timings[k] })),
  }
}

/**
 * Merges the rounds of several processes. Each process compiles the code anew and places the arrays at new
 * addresses, which alone can move a loop's speed by tens of percent, so a scenario is spread over a few
 * processes and every round of every process is one paired ratio.
 */
export function summarizeScenario(raws: readonly ScenarioRaw[]): ScenarioResult {
  const first = raws[0]
  const rounds = (k: number) => raws.flatMap((r) => r.cases[k].timings)
  const basePerUnit = rounds(0).map((t) => median(t.sample) / first.cases[0].units)
  const result = (k: number): CaseResult => {
    const c = first.cases[k]
    const timings = rounds(k)
    const perRound = timings.map((t) => median(t.sample) / c.units)
    const pooled = timings.flatMap((t) => t.sample)
    return {
      name: c.name,
      info: c.info,
      units: c.units,
      nsPerUnit: scaleSpread(spread(pooled), 1e9 / c.units),
      rme: median(timings.map((t) => t.rme)),
      samples: pooled.length,
      rounds: perRound.map((x) => x * 1e9),
      ratio: k === 0 ? null : spread(pairedRatios(perRound, basePerUnit)),
    }
  }
  const checks = raws.map((r) => r.check).filter((c): c is string => c !== null)
  return {
    id: first.id,
    title: first.title,
    unit: first.unit,
    check: checks.length ? checks[0] : null,
    processes: raws.length,
    baseline: result(0),
    cases: first.cases.slice(1).map((_, k) => result(k + 1)),
  }
}
