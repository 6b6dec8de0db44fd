/**
 * Comm, ns per synaptic event: a projection of 4000 → 4000 neurons, p = 0.02 (80 targets per spike), one
 * weight, fed from a spike buffer with 8 spikes per tick (the per-tick count of coba at 4000 neurons and
 * ~20 Hz), cycling through 1024 random spike sets so that rows are not always the same. `CommSystem` is timed
 * alone (the synapse state is never decayed here: adds into float32 stay exact-cost whatever the value).
 * Stored rows (`EventCSRLinear`) and on-the-fly rows (`EventJitFPHomoLinear`), kernels js and wasm.
 */
import { createWorld, type ProjectionData, type SpikeBufferData, type World } from '@spikecs/ecs-core'
import {
  COBA,
  CommSystem,
  EventCSRLinear,
  EventJitFPHomoLinear,
  Expon,
  FixedProb,
  HalfProjAlignPost,
  LifRef,
  addPopulation,
  addProjection,
  addSpikeBuffer,
  planOf,
} from '@spikecs/systems'
import { spikeSets } from '../lib/fixtures.js'
import type { MicroCase, MicroScenario } from '../lib/micro.js'
import { deliverCsrPlain, deliverJitPlain, plainJit, type PlainCsr } from './plain.js'

const N = 4000,
  PROB = 0.02,
  WEIGHT = 0.6,
  SPIKES_PER_TICK = 8,
  SETS = 1024

interface CommWorld {
  readonly world: World
  readonly buf: SpikeBufferData
  readonly proj: ProjectionData
  readonly g: Float32Array
}

function commWorld(conn: 'csr' | 'jit', kernel: 'js' | 'wasm'): CommWorld {
  const world = createWorld({ seed: 1, kernel })
  const post = addPopulation(world, 'post', LifRef({ size: N }))
  const buf = addSpikeBuffer(world, 'pre', N)
  // Same projection name and seed for both forms: the same matrix.
  const proj = addProjection(
    world,
    'proj',
    HalfProjAlignPost({
      source: buf,
      post,
      comm:
        conn === 'csr'
          ? EventCSRLinear({ conn: FixedProb({ prob: PROB }), weight: WEIGHT })
          : EventJitFPHomoLinear({ prob: PROB, weight: WEIGHT }),
      syn: Expon({ tau: 5 }),
      out: COBA({ E: 0 }),
    }),
  )
  planOf(world)
  return { world, buf, proj, g: proj.state.cols.g.array as Float32Array }
}

/** One tick of spikecs delivery: the next spike set into the buffer (plain writes), then `CommSystem`. */
function stepper(w: CommWorld, sets: readonly Int32Array[]): () => void {
  let k = 0
  return () => {
    const s = sets[k]
    w.buf.indices.set(s)
    w.buf.count = s.length
    CommSystem(w.world)
    k = k + 1 === sets.length ? 0 : k + 1
  }
}

function sameArray(a: Float32Array, b: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false
  return true
}

export function commScenarios(): MicroScenario[] {
  const sets = spikeSets(N, SPIKES_PER_TICK, SETS, 7)
  const ref = commWorld('csr', 'js')
  const c = ref.proj.comm as Extract<ProjectionData['comm'], { kind: 'EventCSRLinear' }>
  const csr: PlainCsr = { ptr: Int32Array.from(c.indptr.array), ind: Int32Array.from(c.indices.array) }
  // Events per tick of spikecs (both forms walk the same rows), averaged over the cycle of spike sets.
  let total = 0
  for (const s of sets) for (const i of s) total += csr.ptr[i + 1] - csr.ptr[i]
  const eventsPerTick = total / sets.length
  const jit = plainJit(PROB, N, 0x2545f491)
  let plainJitTotal = 0
  const scratch = new Float32Array(N)
  for (const s of sets) plainJitTotal += deliverJitPlain(jit, s, s.length, scratch, WEIGHT)
  const plainJitPerTick = plainJitTotal / sets.length

  const cases = (conn: 'csr' | 'jit'): MicroCase[] =>
    (['js', 'wasm'] as const).map((kernel) => ({
      name: `${conn === 'csr' ? 'EventCSRLinear' : 'EventJitFPHomoLinear'} ${kernel}`,
      units: eventsPerTick,
      info: { kernel, conn },
      fn: stepper(commWorld(conn, kernel), sets),
    }))
  const plainCase = (conn: 'csr' | 'jit'): MicroCase => {
    const g = new Float32Array(N)
    let k = 0
    const deliver =
      conn === 'csr'
        ? (s: Int32Array) => deliverCsrPlain(csr, s, s.length, g, WEIGHT)
        : (s: Int32Array) => deliverJitPlain(jit, s, s.length, g, WEIGHT)
    return {
      name: `plain Float32Array loop (${conn === 'csr' ? 'CSR rows' : 'rows regenerated inline'})`,
      units: conn === 'csr' ? eventsPerTick : plainJitPerTick,
      fn: () => {
        deliver(sets[k])
        k = k + 1 === sets.length ? 0 : k + 1
      },
    }
  }
  // One pass over every spike set from zeroed states: every spikecs form must give the plain CSR loop's g
  // bit for bit (same matrix, same order of float32 additions); the plain on-the-fly rows must average p·N.
  const check = (): string | null => {
    const expect = new Float32Array(N)
    for (const s of sets) deliverCsrPlain(csr, s, s.length, expect, WEIGHT)
    const bad: string[] = []
    for (const conn of ['csr', 'jit'] as const) {
      for (const kernel of ['js', 'wasm'] as const) {
        const w = commWorld(conn, kernel)
        const step = stepper(w, sets)
        for (let k = 0; k < sets.length; k++) step()
        if (!sameArray(w.g, expect)) bad.push(`${conn} ${kernel}: g differs from the plain CSR loop`)
      }
    }
    const perSpike = plainJitPerTick / SPIKES_PER_TICK
    if (Math.abs(perSpike - PROB * N) > 0.05 * PROB * N) bad.push(`plain on-the-fly rows average ${perSpike} targets, not ${PROB * N}`)
    return bad.length ? bad.join('; ') : null
  }
  const title = (what: string) => `comm ${what}, 4000 → 4000, p = 0.02, ${SPIKES_PER_TICK} spikes per tick`
  return [
    { id: 'comm-csr', title: title('stored rows (CSR)'), unit: 'event', baseline: plainCase('csr'), cases: cases('csr'), check },
    { id: 'comm-jit', title: title('on-the-fly rows'), unit: 'event', baseline: plainCase('jit'), cases: cases('jit'), check },
  ]
}
