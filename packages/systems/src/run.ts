/**
 * Running a world. The tick order is written once, here:
 *
 *   DelaySystem → CommSystem → AlignPostSystem → OutputSystem → NeuronSystem → MonitorSystem → CheckerSystem → ClockSystem
 *
 * `step(world)` runs the world's pipeline (this order unless `setPipeline`/`insertSystem` changed it) once;
 * `run(world, ms)` steps for a duration. A game loop may instead call the systems itself, once per tick.
 */
import { SpikecsError, durationTicks, type System, type World } from '@spikecs/ecs-core'
import { DelaySystem } from './systems/DelaySystem.js'
import { CommSystem } from './systems/CommSystem.js'
import { AlignPostSystem } from './systems/AlignPostSystem.js'
import { OutputSystem } from './systems/OutputSystem.js'
import { NeuronSystem } from './systems/NeuronSystem.js'
import { MonitorSystem } from './systems/MonitorSystem.js'
import { CheckerSystem } from './systems/CheckerSystem.js'
import { ClockSystem } from './systems/ClockSystem.js'
import { planOf } from './plan.js'
import { PHASE } from './threads/control.js'
import { runThreadPhase } from './threads/phase.js'
import { TRIAL_CHUNK, recordChunk } from './threads/auto.js'
import { autoCores, pendingTrial } from './threads/build.js'

/** The documented tick order. */
export const defaultPipeline: readonly System[] = Object.freeze([
  DelaySystem,
  CommSystem,
  AlignPostSystem,
  OutputSystem,
  NeuronSystem,
  MonitorSystem,
  CheckerSystem,
  ClockSystem,
])

function pipelineOf(world: World): readonly System[] {
  return world.pipeline.length > 0 ? world.pipeline : defaultPipeline
}

/** The slots a threaded world runs on every thread, by system. */
const parallelSlots = new Map<System, number>([
  [CommSystem, PHASE.COMM],
  [AlignPostSystem, PHASE.ALIGN],
  [OutputSystem, PHASE.OUTPUT],
  [NeuronSystem, PHASE.NEURON],
])

const merged = new WeakMap<readonly System[], readonly System[]>()
/**
 * A pipeline with every run of consecutive parallel systems (slots 2–5) replaced by one system that runs them
 * as one phase on every thread (one hand-over and one wait per run instead of one per system); a system of
 * the user's between two of them ends the run, so it sees the world as on one thread. With one thread the
 * merged system calls the systems it replaces, in order.
 */
function mergedPipeline(systems: readonly System[]): readonly System[] {
  let m = merged.get(systems)
  if (m !== undefined) return m
  const out: System[] = []
  for (let k = 0; k < systems.length; ) {
    let mask = 0
    let j = k
    // Slots in tick order only (each bit above the ones before).
    while (j < systems.length && parallelSlots.has(systems[j]) && (parallelSlots.get(systems[j]) as number) > mask) {
      mask |= parallelSlots.get(systems[j]) as number
      j++
    }
    if (j - k < 2) {
      out.push(systems[k])
      k++
      continue
    }
    const run = systems.slice(k, j)
    const phase = mask
    out.push((world: World) => {
      const plan = planOf(world)
      if (plan.threads !== null) runThreadPhase(world, plan, phase)
      else for (let i = 0; i < run.length; i++) run[i](world)
    })
    k = j
  }
  m = out
  merged.set(systems, m)
  return m
}

/** Replaces the systems `step` runs. The list must contain `ClockSystem` (last), or time would not advance. */
export function setPipeline(world: World, systems: readonly System[]): void {
  if (!Array.isArray(systems) || systems.some((s) => typeof s !== 'function')) {
    throw new SpikecsError('setPipeline', 'systems', systems, 'must be an array of functions of the world')
  }
  if (systems[systems.length - 1] !== ClockSystem) {
    throw new SpikecsError('setPipeline', 'systems', systems, 'must end with ClockSystem')
  }
  world.pipeline = [...systems]
}

/** Inserts a system of your own before or after one of the pipeline's systems (e.g. a stimulus before NeuronSystem). */
export function insertSystem(world: World, system: System, where: { before: System } | { after: System }): void {
  const list = [...pipelineOf(world)]
  if (where === null || typeof where !== 'object') {
    throw new SpikecsError('insertSystem', 'where', where, 'must be { before: system } or { after: system }')
  }
  const anchor = 'before' in where ? where.before : where.after
  const k = list.indexOf(anchor)
  if (k < 0) throw new SpikecsError('insertSystem', 'where', anchor?.name, 'is not in the pipeline')
  list.splice('before' in where ? k : k + 1, 0, system)
  world.pipeline = list
}

/** Runs one tick. */
export function step(world: World): void {
  const systems = planOf(world).threads !== null ? mergedPipeline(pipelineOf(world)) : pipelineOf(world)
  for (let k = 0; k < systems.length; k++) systems[k](world)
}

export interface RunOptions {
  /** Called every `progressEvery` ticks (and at the end) with ticks done and the total. */
  onProgress?: (done: number, total: number) => void
  progressEvery?: number
}

/** Runs `durationMs` of biological time (a whole number of ticks) and returns the number of ticks run. */
export function run(world: World, durationMs: number, options: RunOptions = {}): number {
  const ticks = durationTicks('run', 'durationMs', durationMs, world.dtMs)
  const every = Math.max(1, options.progressEvery ?? 1000)
  const cb = options.onProgress
  let done = 0
  while (done < ticks) {
    // `threads: 'auto'` still measuring (threads/auto.ts): chunks of TRIAL_CHUNK ticks, each timed.
    const trial = pendingTrial(world)
    const n = trial === null ? ticks - done : Math.min(ticks - done, TRIAL_CHUNK)
    const systems = planOf(world).threads !== null ? mergedPipeline(pipelineOf(world)) : pipelineOf(world)
    const t0 = trial === null ? 0 : performance.now()
    for (let t = 0; t < n; t++) {
      for (let k = 0; k < systems.length; k++) systems[k](world)
      const d = done + t + 1
      if (cb !== undefined && (d % every === 0 || d === ticks)) cb(d, ticks)
    }
    if (trial !== null) recordChunk(world, trial, n, performance.now() - t0, autoCores(world))
    done += n
  }
  return ticks
}
