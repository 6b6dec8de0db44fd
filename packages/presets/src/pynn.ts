/**
 * `exportPyNN(world, options)`: a spikecs network as one runnable PyNN 0.10 script, so that NEST, SpiNNaker,
 * Brian2 or NEURON can run it (on a cluster, on neuromorphic hardware) with the same populations, parameters,
 * initial state, input and connectivity. Browser-safe: it returns text and bytes and touches no file.
 *
 * Mapping. The LIF family (`Lif`, `LifRef`, `LifLTC`, `LifRefLTC`) with `Expon` synapses becomes
 * `IF_cond_exp` when its outputs are `COBA` and `IF_curr_exp` when they are `CUBA`. spikecs writes
 *
 *   τ dV/dt = −(V − V_rest) + R·(I_ext + Σ g·(E − V) + Σ I_cuba)      (R·I in mV, g in units of 1/R)
 *
 * and PyNN `c_m dv/dt = (v_rest − v)·c_m/τ_m + i_offset + Σ g·(E − v) + Σ i`, in ms, mV, nF, nA and µS.
 * With a membrane resistance R_p in MΩ (any value gives the same dynamics; 100 MΩ by default):
 * `cm = τ / R_p` (nF), `i_offset = R·I / R_p` (nA), conductance weight `R·w / R_p` (µS), current weight
 * `R·w / R_p` (nA); time constants, reversal, reset and threshold potentials carry over. Each post
 * population has two receptor channels (`excitatory`, `inhibitory`), each with its own τ (and E):
 * incoming synapse states are grouped by (τ, E) for COBA and by (τ, sign of the weights) for CUBA, since
 * PyNN wants conductances positive and inhibitory currents negative.
 *
 * Timing. A spike reaches its targets L ticks after it was emitted (L ≥ 1); the export writes the delay
 * L·dt (PyNN has no zero delay, so one tick stays one tick). `Mg` projections add, then decay, so each
 * increment is first felt as w·a with a = exp(−dt/τ): their weights are exported as w·a.
 *
 * Connectivity. `exact` writes the realised (pre, post[, weight]) lists (`FromListConnector`), on-the-fly
 * rows materialised with `generateRow`; `statistical` writes the PyNN connector that draws a matrix with the
 * same law (`FixedProbabilityConnector`, `FixedNumberPostConnector`). One-to-one, all-to-all and dense
 * layers are deterministic and written the same way in both modes. Arrays larger than `inlineLimit` values
 * in total go to a side `.npz` file next to the script.
 *
 * Everything else is refused with a `SpikecsError` naming the object, the parameter and the value: there is
 * no silent approximation. Where PyNN's integration still differs from spikecs's (the LTC form, refractory
 * counting, the threshold comparison, Brian2's delivery of delayed spikes), the script's header says so.
 */
import { SpikecsError, TICK_TOLERANCE, type CommData, type InputData, type PopulationData, type ProjectionData, type World } from '@spikecs/ecs-core'
import { generateRow } from '@spikecs/systems'
import { npzBytes, type NpyArray } from './npz.js'

export type PyNNSimulator = 'brian2' | 'nest' | 'neuron' | 'spiNNaker'
export const PYNN_SIMULATORS: readonly PyNNSimulator[] = ['brian2', 'nest', 'neuron', 'spiNNaker']

/** A named range of global neuron indices whose rate the script prints (e.g. a preset's E and I groups). */
export interface PyNNGroup {
  readonly name: string
  readonly start: number
  readonly size: number
}

export interface PyNNExportOptions {
  /** Biological time the script simulates (ms), default 1000; a whole number of ticks. */
  durationMs?: number
  /** `exact` (default): the realised connection lists; `statistical`: PyNN connectors drawing a new matrix. */
  conn?: 'exact' | 'statistical'
  /** Simulator the script uses when run without an argument, default `brian2`. */
  simulator?: PyNNSimulator
  /** Membrane resistance R_p (MΩ) of the unit conversion, default 100. */
  resistanceMOhm?: number
  /** Rate groups printed in the JSON line, default one per population. */
  groups?: readonly PyNNGroup[]
  /** File name of the side data file, relative to the script, default `net.npz`. */
  dataFile?: string
  /** `auto` (default): arrays inline up to `inlineLimit` values in total, else in the side file. */
  data?: 'auto' | 'inline' | 'file'
  /** Largest number of array values written into the script itself, default 2000. */
  inlineLimit?: number
  /** Seed of PyNN's random generator for statistical connectivity, default the world's seed. */
  seed?: number
  /** Populations whose membrane potential the script records and prints (`v`: one list per neuron). */
  recordV?: readonly string[]
  /** Print every population's spike times (ms, one list per neuron) in the JSON line. */
  spikeTimes?: boolean
  /** First line of the script's header, e.g. the command that made it. */
  title?: string
  /** File name of the script, for the usage line of its header, default `net.py`. */
  scriptName?: string
}

export interface PyNNExport {
  /** The Python script. */
  readonly script: string
  /** The side `.npz` file, or null when every array is inline. */
  readonly data: Uint8Array | null
  /** Its file name as the script opens it (relative to the script), or null. */
  readonly dataFile: string | null
  /** Where the PyNN network's integration differs from spikecs's (also in the script's header). */
  readonly notes: readonly string[]
  /** Synapses written: exact count in exact mode, expected count in statistical mode. */
  readonly synapses: number
  readonly synapsesExact: boolean
}

// ---------------------------------------------------------------------------------------------------------
// Python literals

/** A Python float literal (JavaScript's shortest round-trip text is also Python's). */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) throw new SpikecsError('exportPyNN', 'value', x, 'must be finite')
  if (Object.is(x, -0)) return '-0.0'
  const s = String(x)
  return /[.e]/.test(s) ? s : `${s}.0`
}

/** The shortest decimal that rounds to the same float32 (so a float32 world's 0.6 prints as 0.6). */
export function shortFloat32(x: number): number {
  if (Math.fround(x) !== x || !Number.isFinite(x)) return x
  for (let p = 1; p <= 9; p++) {
    const y = Number(x.toPrecision(p))
    if (Math.fround(y) === x) return y
  }
  return x
}

const pyStr = (s: string) => JSON.stringify(s)
const pyBool = (b: boolean) => (b ? 'True' : 'False')
/** A value computed in double from parameters: printed with 12 significant digits, which drops float noise. */
const tidy = (x: number) => Number(x.toPrecision(12))

// ---------------------------------------------------------------------------------------------------------
// The plan: what the script builds, resolved from the world before any text is written

const LIF_MODELS: Readonly<Record<string, { ltc: boolean; ref: boolean }>> = {
  Lif: { ltc: false, ref: false },
  LifRef: { ltc: false, ref: true },
  LifLTC: { ltc: true, ref: false },
  LifRefLTC: { ltc: true, ref: true },
}

type Receptor = 'excitatory' | 'inhibitory'

interface PopPlan {
  readonly pop: PopulationData
  readonly key: string
  readonly cell: 'IF_cond_exp' | 'IF_curr_exp'
  /** Cell parameters in PyNN units, by name; a string is an array reference. */
  readonly params: [string, number | string][]
  readonly v0: number | string
  readonly recordV: boolean
}

interface ProjPlan {
  readonly proj: ProjectionData
  readonly preExpr: string
  readonly receptor: Receptor
  readonly connector: string
  /** Weight as Python text (a number in PyNN units or a RandomDistribution), or null when the list holds weights. */
  readonly weight: string | null
  readonly delayMs: number
  /** Synapses: the exact count, or the expected one for statistical connectors (`exactCount` false). */
  readonly synapses: number
  readonly exactCount: boolean
}

interface Channel {
  readonly tau: number
  /** COBA reversal potential, or NaN for CUBA. */
  readonly E: number
  /** CUBA: +1 or −1 (the sign of the weights); 0 for COBA. */
  readonly sign: number
  receptor: Receptor
}

function lifParam(pop: PopulationData, name: string): number {
  return pop.params[pop.paramIndex[name]]
}

/** Materialised synapses of one projection, in the projection's own indices (pre re-indexed from 0). */
interface Synapses {
  readonly pre: Int32Array
  readonly post: Int32Array
  /** Per-synapse weights (spikecs units, as spikecs uses them), or null when `homo` holds the weight. */
  readonly w: Float64Array | null
  readonly homo: number
}

function selfOffsetOf(proj: ProjectionData): number {
  const src = proj.source
  return src.kind === 'queue' && src.pop === proj.post ? src.offset : -1
}

function materialize(world: World, proj: ProjectionData): Synapses {
  const c = proj.comm
  switch (c.kind) {
    case 'EventCSRLinear': {
      const indptr = c.indptr.array, indices = c.indices.array
      const n = c.nSynapses
      const pre = new Int32Array(n)
      for (let i = 0; i < c.nPre; i++) pre.fill(i, indptr[i], indptr[i + 1])
      const post = Int32Array.from(indices.subarray(0, n))
      const w = c.weights !== null ? Float64Array.from(c.weights.array.subarray(0, n)) : null
      return { pre, post, w, homo: c.weight }
    }
    case 'EventJitFPHomoLinear':
    case 'EventJitFPUniformLinear':
    case 'EventJitFPNormalLinear': {
      const gen = c.gen
      const selfOffset = selfOffsetOf(proj)
      const rowT = new Int32Array(c.nPost)
      const rowW = gen.weight.kind === 'homo' ? null : world.dtype === 'float32' ? new Float32Array(c.nPost) : new Float64Array(c.nPost)
      const keys = new Uint32Array(2)
      let cap = Math.max(16, Math.ceil(c.nPre * c.nPost * gen.prob * 1.05 + 64))
      let pre = new Int32Array(cap), post = new Int32Array(cap)
      let w = rowW === null ? null : new Float64Array(cap)
      let n = 0
      for (let i = 0; i < c.nPre; i++) {
        const m = generateRow(gen, i, selfOffset < 0 ? -1 : i + selfOffset, rowT, rowW, keys)
        if (n + m > cap) {
          cap = Math.max(n + m, Math.ceil(cap * 1.5))
          const grow = <T extends Int32Array | Float64Array>(a: T, make: (k: number) => T): T => {
            const b = make(cap)
            b.set(a.subarray(0, n) as ArrayLike<number>)
            return b
          }
          pre = grow(pre, (k) => new Int32Array(k))
          post = grow(post, (k) => new Int32Array(k))
          if (w !== null) w = grow(w, (k) => new Float64Array(k))
        }
        pre.fill(i, n, n + m)
        post.set(rowT.subarray(0, m), n)
        if (w !== null && rowW !== null) for (let k = 0; k < m; k++) w[n + k] = rowW[k]
        n += m
      }
      return {
        pre: pre.slice(0, n), post: post.slice(0, n), w: w === null ? null : w.slice(0, n),
        homo: gen.weight.kind === 'homo' ? gen.weight.value : NaN,
      }
    }
    case 'One2One': {
      const idx = new Int32Array(c.nPre)
      for (let i = 0; i < c.nPre; i++) idx[i] = i
      return { pre: idx, post: idx.slice(), w: c.weights === null ? null : Float64Array.from(c.weights.array), homo: c.weight }
    }
    case 'Linear': {
      const W = c.W.array
      let n = 0
      for (let k = 0; k < W.length; k++) if (W[k] !== 0) n++
      const pre = new Int32Array(n), post = new Int32Array(n), w = new Float64Array(n)
      let q = 0
      for (let i = 0; i < c.nPre; i++) {
        for (let j = 0; j < c.nPost; j++) {
          const x = W[i * c.nPost + j]
          if (x !== 0) {
            pre[q] = i
            post[q] = j
            w[q++] = x
          }
        }
      }
      return { pre, post, w, homo: NaN }
    }
    case 'All2All':
      throw new Error('all-to-all layers are written as AllToAllConnector, never materialised')
    default:
      // Non-event layers multiply graded inputs; PyNN's static synapses carry spikes only.
      throw new SpikecsError(`projection '${proj.name}'`, 'comm', c.kind, 'has no PyNN equivalent (non-event layer)')
  }
}

/** Sign of a set of weights: +1 all ≥ 0, −1 all ≤ 0 (and some < 0), 0 mixed. */
function signOf(s: Synapses): number {
  if (s.w === null) return s.homo < 0 ? -1 : 1
  let pos = false, neg = false
  for (let k = 0; k < s.w.length; k++) {
    if (s.w[k] > 0) pos = true
    else if (s.w[k] < 0) neg = true
  }
  return pos && neg ? 0 : neg ? -1 : 1
}

/** Weight law of a random layer, for the statistical connector and its sign: [low, high] of its support. */
function weightLaw(c: CommData): { kind: 'homo' | 'uniform' | 'normal'; a: number; b: number } | null {
  if (c.kind === 'EventJitFPHomoLinear') return { kind: 'homo', a: (c.gen.weight as { value: number }).value, b: NaN }
  if (c.kind === 'EventJitFPUniformLinear' || c.kind === 'EventJitFPNormalLinear') {
    const w = c.gen.weight
    return w.kind === 'uniform' ? { kind: 'uniform', a: w.low, b: w.high } : w.kind === 'normal' ? { kind: 'normal', a: w.mean, b: w.std } : null
  }
  if (c.kind === 'EventCSRLinear' && c.drawn) {
    const w = c.drawn.weight
    if (w === null) return { kind: 'homo', a: c.weight, b: NaN }
    return w.kind === 'uniform' ? { kind: 'uniform', a: w.low, b: w.high } : { kind: 'normal', a: w.mean, b: w.std }
  }
  return null
}

// ---------------------------------------------------------------------------------------------------------
// Export

/**
 * Writes a PyNN script that builds `world`'s network (see the module comment). Throws a `SpikecsError`
 * naming the object, parameter and value for anything PyNN cannot express.
 */
export function exportPyNN(world: World, options: PyNNExportOptions = {}): PyNNExport {
  const o = 'exportPyNN'
  const dt = world.dtMs
  const durationMs = options.durationMs ?? 1000
  const ticks = durationMs / dt
  if (!Number.isFinite(durationMs) || durationMs <= 0 || Math.abs(ticks - Math.round(ticks)) > TICK_TOLERANCE) {
    throw new SpikecsError(o, 'durationMs', durationMs, `must be a whole number (>= 1) of ticks of dt = ${dt} ms`)
  }
  const mode = options.conn ?? 'exact'
  if (mode !== 'exact' && mode !== 'statistical') throw new SpikecsError(o, 'conn', mode, "must be 'exact' or 'statistical'")
  const simulator = options.simulator ?? 'brian2'
  if (!PYNN_SIMULATORS.includes(simulator)) throw new SpikecsError(o, 'simulator', simulator, `must be one of ${PYNN_SIMULATORS.join(', ')}`)
  const Rp = options.resistanceMOhm ?? 100
  if (!(Rp > 0) || !Number.isFinite(Rp)) throw new SpikecsError(o, 'resistanceMOhm', Rp, 'must be a finite number > 0 (MΩ)')
  const dataMode = options.data ?? 'auto'
  if (!['auto', 'inline', 'file'].includes(dataMode)) throw new SpikecsError(o, 'data', dataMode, "must be 'auto', 'inline' or 'file'")
  const inlineLimit = options.inlineLimit ?? 2000
  const dataFile = options.dataFile ?? 'net.npz'
  if (!/^[^/\\]+\.npz$/.test(dataFile)) throw new SpikecsError(o, 'dataFile', dataFile, 'must be a file name ending in .npz (no folder)')
  const seed = options.seed ?? world.seed
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new SpikecsError(o, 'seed', seed, 'must be an integer in [0, 4294967295]')
  if (world.tick !== 0) {
    throw new SpikecsError('world', 'tick', world.tick,
      'must be 0: export a network before running it (synapse states, refractory counters and queued spikes have no PyNN form)')
  }
  const f32 = world.dtype === 'float32'
  const show = (x: number) => (f32 ? shortFloat32(x) : x)
  const popList = world.components.Population.list
  if (popList.length === 0) throw new SpikecsError('world', 'populations', 0, 'must hold at least one population to export')
  const recordV = new Set(options.recordV ?? [])
  for (const name of recordV) {
    if (!popList.some((p) => p.name === name)) throw new SpikecsError(o, 'recordV', name, 'is not a population of this world')
  }

  const arrays: [string, NpyArray][] = []
  const notes: string[] = []
  const addArray = (key: string, a: NpyArray) => {
    arrays.push([key, a])
    return key
  }

  // --- inputs: constant currents only (one value, or one per neuron) become i_offset
  const inputOf = new Map<PopulationData, { scalar: number; arr: Float64Array | null }>()
  for (const pop of popList) {
    let scalar = 0
    let arr: Float64Array | null = null
    for (const inp of pop.inputs as InputData[]) {
      if (inp.kind !== 'constant') {
        throw new SpikecsError(`input '${inp.name}'`, 'kind', inp.kind,
          'has no PyNN equivalent in this export: only constant inputs (one value, or one per neuron) become i_offset')
      }
      if (inp.perNeuron) {
        arr ??= new Float64Array(pop.size)
        for (let i = 0; i < pop.size; i++) arr[i] += inp.values[i] * inp.scale
      } else scalar += inp.values[0] * inp.scale
    }
    inputOf.set(pop, { scalar, arr })
  }

  // --- projections: checks, weights in PyNN units, receptor channels of each post population
  const channels = new Map<PopulationData, Channel[]>()
  const outKind = new Map<PopulationData, 'COBA' | 'CUBA'>()
  interface Pending { proj: ProjectionData; channel: Channel; scale: number; syn: Synapses | null; law: ReturnType<typeof weightLaw> }
  const pending: Pending[] = []
  const mgNotes: string[] = []
  for (const proj of world.components.Projection.list) {
    const obj = `projection '${proj.name}'`
    if (proj.source.kind !== 'queue') {
      throw new SpikecsError(obj, 'source', 'spike buffer',
        'has no PyNN equivalent: its spikes come from a user system (export networks whose projections read populations)')
    }
    const st = proj.state
    if (st.kind !== 'Expon') {
      throw new SpikecsError(obj, 'syn', st.kind, 'has no PyNN equivalent in IF_cond_exp/IF_curr_exp (only Expon synapses are exported)')
    }
    const out = proj.output
    if (out.kind !== 'COBA' && out.kind !== 'CUBA') {
      throw new SpikecsError(obj, 'out', out.kind, 'has no PyNN equivalent (only COBA and CUBA outputs are exported)')
    }
    const post = proj.post
    if (LIF_MODELS[post.model] === undefined) {
      throw new SpikecsError(`population '${post.name}'`, 'model', post.model, 'has no PyNN equivalent (exported: Lif, LifRef, LifLTC, LifRefLTC)')
    }
    const prevKind = outKind.get(post)
    if (prevKind !== undefined && prevKind !== out.kind) {
      throw new SpikecsError(`population '${post.name}'`, 'outputs', `${prevKind} and ${out.kind}`,
        'cannot be mixed: a PyNN cell is either conductance-based (IF_cond_exp) or current-based (IF_curr_exp)')
    }
    outKind.set(post, out.kind)
    const a = st.derived[0]
    const Rs = lifParam(post, 'R')
    // weight in PyNN units = w·R·(a for Mg) / R_p (the division last, so w/R_p is exactly what one writes by hand)
    const scale = Rs * (st.merged ? a : 1)
    if (st.merged) mgNotes.push(`${proj.name} (a = ${pyFloat(show(a))}, tau = ${pyFloat(st.params.tau)} ms)`)

    // Weights: materialised when the lists are written (and to read their sign), else the layer's law.
    const c = proj.comm
    const random = c.kind === 'EventJitFPHomoLinear' || c.kind === 'EventJitFPUniformLinear' ||
      c.kind === 'EventJitFPNormalLinear' || (c.kind === 'EventCSRLinear' && c.drawn != null)
    const law = weightLaw(c)
    let syn: Synapses | null = null
    let sign: number
    if (c.kind === 'All2All' || (c.kind === 'One2One' && c.weights === null)) {
      sign = c.weight < 0 ? -1 : 1
    } else if (mode === 'statistical' && random && law !== null) {
      if (law.kind === 'homo') sign = law.a < 0 ? -1 : 1
      else if (law.kind === 'uniform') sign = law.a >= 0 ? 1 : law.b <= 0 ? -1 : 0
      else sign = law.b === 0 ? (law.a < 0 ? -1 : 1) : 0
      if (sign === 0) {
        throw new SpikecsError(obj, 'weight', law.kind === 'uniform' ? `uniform(${law.a}, ${law.b})` : `normal(${law.a}, ${law.b})`,
          'takes both signs, and PyNN needs one sign per projection (positive conductances, negative inhibitory currents): use exact connectivity if the realised weights have one sign')
      }
    } else {
      syn = materialize(world, proj)
      sign = signOf(syn)
      if (sign === 0) {
        throw new SpikecsError(obj, 'weight', 'both signs',
          'must have one sign per projection: PyNN wants positive conductances and negative inhibitory currents')
      }
    }
    if (out.kind === 'COBA' && sign < 0) {
      // the most negative weight
      const value = syn === null ? law?.a ?? (c as { weight?: number }).weight
        : syn.w === null ? syn.homo : syn.w.reduce((m, x) => Math.min(m, x), Infinity)
      throw new SpikecsError(obj, 'weight', value, 'must be >= 0: PyNN conductances are positive (an inhibitory synapse is a positive conductance with a low reversal potential)')
    }
    const list = channels.get(post) ?? []
    channels.set(post, list)
    const E = out.kind === 'COBA' ? out.params.E : NaN
    const sg = out.kind === 'CUBA' ? sign : 0
    let ch = list.find((k) => k.tau === st.params.tau && (out.kind === 'COBA' ? k.E === E : k.sign === sg))
    if (ch === undefined) {
      ch = { tau: st.params.tau, E, sign: sg, receptor: 'excitatory' }
      list.push(ch)
    }
    pending.push({ proj, channel: ch, scale, syn, law })
  }

  // --- receptor channels: two per PyNN cell
  for (const [post, list] of channels) {
    const kind = outKind.get(post)
    const desc = list.map((k) => (kind === 'COBA' ? `tau ${k.tau} ms, E ${k.E} mV` : `tau ${k.tau} ms, weights ${k.sign < 0 ? '< 0' : '>= 0'}`)).join('; ')
    if (kind === 'COBA') {
      if (list.length > 2) {
        throw new SpikecsError(`population '${post.name}'`, 'synapses', desc,
          'need more than two receptor channels; IF_cond_exp has two (excitatory, inhibitory), one (tau, E) each')
      }
      list.sort((x, y) => y.E - x.E || x.tau - y.tau)
      if (list.length === 2) {
        list[0].receptor = 'excitatory'
        list[1].receptor = 'inhibitory'
      } else list[0].receptor = list[0].E > lifParam(post, 'vRest') ? 'excitatory' : 'inhibitory'
    } else {
      const pos = list.filter((k) => k.sign > 0), neg = list.filter((k) => k.sign < 0)
      if (pos.length > 1 || neg.length > 1) {
        throw new SpikecsError(`population '${post.name}'`, 'synapses', desc,
          'need more than one time constant per sign; IF_curr_exp has one excitatory (weights >= 0) and one inhibitory (weights < 0) channel')
      }
      for (const k of pos) k.receptor = 'excitatory'
      for (const k of neg) k.receptor = 'inhibitory'
    }
  }

  // --- populations
  const popPlans: PopPlan[] = []
  popList.forEach((pop, k) => {
    const m = LIF_MODELS[pop.model]
    if (m === undefined) {
      throw new SpikecsError(`population '${pop.name}'`, 'model', pop.model, 'has no PyNN equivalent (exported: Lif, LifRef, LifLTC, LifRefLTC)')
    }
    const key = `pop${k}`
    const Rs = lifParam(pop, 'R'), tau = lifParam(pop, 'tau')
    const nRef = m.ref ? Math.round(lifParam(pop, 'tauRef') / dt) : 0
    const kind = outKind.get(pop) ?? 'COBA'
    const cell = kind === 'COBA' ? 'IF_cond_exp' : 'IF_curr_exp'
    const inp = inputOf.get(pop)!
    let iOffset: number | string = tidy((Rs * inp.scalar) / Rp)
    if (inp.arr !== null) {
      const a = new Float64Array(pop.size)
      for (let i = 0; i < pop.size; i++) a[i] = (Rs * (inp.scalar + inp.arr[i])) / Rp
      iOffset = addArray(`${key}.i_offset`, a)
    }
    const list = channels.get(pop) ?? []
    const exc = list.find((c) => c.receptor === 'excitatory')
    const inh = list.find((c) => c.receptor === 'inhibitory')
    const params: [string, number | string][] = [
      ['tau_m', tau], ['cm', tidy(tau / Rp)], ['v_rest', lifParam(pop, 'vRest')], ['v_reset', lifParam(pop, 'vReset')],
      ['v_thresh', lifParam(pop, 'vTh')], ['tau_refrac', tidy(nRef * dt)], ['i_offset', iOffset],
      ['tau_syn_E', exc?.tau ?? 5], ['tau_syn_I', inh?.tau ?? 5],
    ]
    if (cell === 'IF_cond_exp') params.push(['e_rev_E', exc?.E ?? 0], ['e_rev_I', inh?.E ?? -70])
    // Initial V: the realised values (float32 worlds: at float32 precision).
    const V = pop.state.V.array
    let v0: number | string = show(V[0])
    for (let i = 1; i < pop.size; i++) {
      if (V[i] !== V[0]) {
        v0 = addArray(`${key}.v0`, Float64Array.from(V))
        break
      }
    }
    popPlans.push({ pop, key, cell, params, v0, recordV: recordV.has(pop.name) })
  })

  // --- connectors
  let synapses = 0
  let synapsesExact = true
  let usesRng = false
  const projPlans: ProjPlan[] = pending.map(({ proj, channel, scale, syn, law }, k) => {
    const src = proj.source as Extract<ProjectionData['source'], { kind: 'queue' }>
    const preKey = pyStr(src.pop.name)
    const preExpr = src.offset === 0 && src.count === src.pop.size
      ? `pops[${preKey}]` : `pops[${preKey}][${src.offset}:${src.offset + src.count}]`
    const c = proj.comm
    const key = `proj${k}`
    const selfPossible = selfOffsetOf(proj) >= 0
    const delayMs = tidy(src.latency * dt)
    const wOf = (x: number) => tidy((show(x) * scale) / Rp)
    let connector: string
    let weight: string | null
    let n: number
    let exactCount = true
    if (c.kind === 'All2All') {
      connector = `sim.AllToAllConnector(allow_self_connections=${pyBool(c.includeSelf)})`
      weight = pyFloat(wOf(c.weight))
      n = c.nPre * c.nPost - (c.includeSelf || !selfPossible ? 0 : c.nPre)
    } else if (c.kind === 'One2One' && c.weights === null) {
      connector = 'sim.OneToOneConnector()'
      weight = pyFloat(wOf(c.weight))
      n = c.nPre
    } else if (syn === null) {
      // statistical: a random layer with a known law
      const l = law!
      const prob = c.kind === 'EventCSRLinear' ? c.drawn!.prob : (c as Extract<CommData, { gen: unknown }>).gen.prob
      const includeSelf = c.kind === 'EventCSRLinear' ? c.drawn!.includeSelf : (c as Extract<CommData, { gen: unknown }>).gen.includeSelf
      usesRng = true
      exactCount = false
      if (c.kind === 'EventCSRLinear' && c.drawn!.fixedOutDegree) {
        const deg = Math.floor(c.nPost * prob)
        if (!includeSelf && selfPossible) {
          throw new SpikecsError(`projection '${proj.name}' comm EventCSRLinear FixedProb`, 'includeSelf', false,
            'with fixedOutDegree drops the self pair after drawing (rows of k or k − 1 targets), which no PyNN connector draws: use exact connectivity')
        }
        connector = `sim.FixedNumberPostConnector(${deg}, allow_self_connections=${pyBool(includeSelf)}, with_replacement=False, rng=rng)`
        n = c.nPre * deg
      } else {
        connector = `sim.FixedProbabilityConnector(${pyFloat(tidy(prob))}, allow_self_connections=${pyBool(includeSelf)}, rng=rng)`
        n = c.nPre * c.nPost * prob - (includeSelf || !selfPossible ? 0 : c.nPre * prob)
      }
      weight = l.kind === 'homo' ? pyFloat(wOf(l.a))
        : l.kind === 'uniform'
          ? `sim.RandomDistribution("uniform", low=${pyFloat(tidy((l.a * scale) / Rp))}, high=${pyFloat(tidy((l.b * scale) / Rp))}, rng=rng)`
          : pyFloat(tidy((l.a * scale) / Rp)) // normal with sigma 0 (both-sign laws were refused)
    } else {
      n = syn.pre.length
      addArray(`${key}.pre`, syn.pre)
      addArray(`${key}.post`, syn.post)
      if (syn.w !== null) {
        const w = new Float64Array(syn.w.length)
        for (let q = 0; q < w.length; q++) w[q] = (syn.w[q] * scale) / Rp
        addArray(`${key}.weight`, w)
        connector = `sim.FromListConnector(connections(${pyStr(key)}, weights=True), column_names=("weight",))`
        weight = null
      } else {
        connector = `sim.FromListConnector(connections(${pyStr(key)}))`
        weight = pyFloat(wOf(syn.homo))
      }
    }
    synapses += n
    if (!exactCount) synapsesExact = false
    return { proj, preExpr, receptor: channel.receptor, connector, weight, delayMs, synapses: n, exactCount }
  })

  // --- groups for the printed rates
  const groups = options.groups ?? popList.map((p) => ({ name: p.name, start: p.start, size: p.size }))
  const groupPieces = groups.map((g) => {
    if (!Number.isInteger(g.start) || !Number.isInteger(g.size) || g.size < 1 || g.start < 0 || g.start + g.size > world.nNeurons) {
      throw new SpikecsError(o, 'groups', g, `must be ranges of whole neuron indices inside [0, ${world.nNeurons})`)
    }
    const pieces: [string, number, number][] = []
    for (const p of popList) {
      const a = Math.max(g.start, p.start), b = Math.min(g.start + g.size, p.start + p.size)
      if (a < b) pieces.push([p.name, a - p.start, b - p.start])
    }
    return [g.name, pieces] as const
  })

  // --- notes: where PyNN's numbers differ from spikecs's
  notes.push(...integrationNotes(world, popPlans, pending.map((p) => p.proj), mgNotes, mode, seed, synapses))

  // --- arrays: inline or side file
  let total = 0
  for (const [, a] of arrays) total += a.length
  const useFile = arrays.length > 0 && (dataMode === 'file' || (dataMode === 'auto' && total > inlineLimit))
  const data = useFile ? npzBytes(arrays) : null

  const script = renderScript({
    title: options.title ?? 'spikecs network exported to PyNN', scriptName: options.scriptName ?? 'net.py',
    world, simulator, durationMs, Rp, seed, usesRng, popPlans, projPlans, groupPieces, notes,
    arrays: useFile ? [] : arrays, dataFile: useFile ? dataFile : null, spikeTimes: options.spikeTimes === true,
    synapses, synapsesExact, mode,
  })
  return { script, data, dataFile: useFile ? dataFile : null, notes, synapses, synapsesExact }
}

function integrationNotes(
  world: World, pops: PopPlan[], projs: ProjectionData[], mg: string[], mode: string, seed: number, synapses: number,
): string[] {
  const notes: string[] = []
  const dt = world.dtMs
  const names = (f: (p: PopPlan) => boolean) => pops.filter(f).map((p) => p.pop.name).join(', ')
  const cond = (p: PopPlan) => p.cell === 'IF_cond_exp'
  const ltcCond = names((p) => LIF_MODELS[p.pop.model].ltc && cond(p))
  const eulerCond = names((p) => !LIF_MODELS[p.pop.model].ltc && cond(p) && p.pop.states.length > 0)
  const curr = names((p) => p.cell === 'IF_curr_exp' && p.pop.states.length > 0)
  if (mode === 'exact') {
    const jit = projs.some((p) => p.comm.kind.startsWith('EventJitFP'))
    notes.push(`Connectivity: the ${synapses} synapses spikecs realised for seed ${world.seed}${jit ? ' (on-the-fly rows materialised)' : ''}, so PyNN builds the same matrix.`)
  } else {
    notes.push(`Connectivity: statistical; PyNN draws a new matrix with the same law (NumpyRNG seed ${seed}), not spikecs's matrix.`)
  }
  notes.push('Initial state: V as spikecs initialised it (per neuron); synaptic conductances and currents start at 0.')
  if (mg.length > 0) {
    notes.push(`Mg projections ${mg.join(', ')}: spikecs adds each increment, then decays the merged state, so an increment is first felt as w*a with a = exp(-dt/tau); their PyNN weights are w*a.`)
  }
  if (ltcCond) {
    notes.push(`Populations ${ltcCond} (LTC form): spikecs holds g over each tick and steps V exactly for it (exponential Euler); pyNN.brian2 integrates IF_cond_exp, V and g alike, with forward Euler (the method Brian2 picks for these equations), NEST and NEURON with their own solvers: differences of order dt.`)
  }
  if (eulerCond) {
    notes.push(`Populations ${eulerCond} (non-LTC LifRef/Lif): spikecs evaluates g*(E - V) with the V of the previous tick and holds it over the tick; pyNN.brian2 integrates IF_cond_exp with forward Euler, NEST and NEURON with their own solvers: differences of order dt.`)
  }
  if (curr) {
    notes.push(`Populations ${curr} (current-based): spikecs holds each synaptic current over its tick and steps V exactly for it; pyNN.brian2 integrates IF_curr_exp exactly, the current decaying within the step: differences of order dt/tau_syn.`)
  }
  const refr = pops.filter((p) => LIF_MODELS[p.pop.model].ref)
  if (refr.length > 0) {
    const parts = refr.map((p) => {
      const n = Math.round(lifParam(p.pop, 'tauRef') / dt)
      return `${p.pop.name} ${n} ticks`
    })
    notes.push(`Refractoriness: spikecs holds V at v_reset for round(tau_ref/dt) ticks after a spike (${parts.join(', ')}) and integrates again in the next; tau_refrac is exported as that many ticks times dt.`)
  }
  notes.push('Threshold: spikecs spikes when V >= v_thresh; the Brian2 backend of PyNN tests v > v_thresh (NEST: >=).')
  if (projs.length > 0) {
    const lat = [...new Set(projs.map((p) => (p.source as { latency: number }).latency))].sort((a, b) => a - b)
    notes.push(`Delays: a spike reaches its targets L ticks after it was emitted in spikecs (L = ${lat.join(', ')}); the export writes delay = L*dt (PyNN's minimum delay is dt). NEST delivers it L steps later, as spikecs does; Brian2 applies delayed spikes after the state update of their arrival step, so under pyNN.brian2 every projection acts one tick later than in spikecs.`)
  }
  if (world.dtype === 'float32') {
    notes.push('Precision: spikecs ran float32 state; numbers are written at float32 precision (shortest decimals), the simulators compute in double.')
  }
  notes.push('Recording: spikes of every population; spikecs monitors, probes and checkers are not exported.')
  return notes
}

// ---------------------------------------------------------------------------------------------------------
// Rendering

interface Render {
  title: string
  scriptName: string
  world: World
  simulator: PyNNSimulator
  durationMs: number
  Rp: number
  seed: number
  usesRng: boolean
  popPlans: PopPlan[]
  projPlans: ProjPlan[]
  groupPieces: (readonly [string, [string, number, number][]])[]
  notes: string[]
  arrays: [string, NpyArray][]
  dataFile: string | null
  spikeTimes: boolean
  synapses: number
  synapsesExact: boolean
  mode: string
}

/** Wraps prose to `width` columns with a prefix on every line. */
function wrap(text: string, prefix: string, first: string, width = 110): string[] {
  const words = text.split(/\s+/)
  const lines: string[] = []
  let line = first
  for (const w of words) {
    if (line.length + w.length + 1 > width && line.trim().length > first.trim().length) {
      lines.push(line.trimEnd())
      line = prefix
    }
    line += (line === first || line === prefix ? '' : ' ') + w
  }
  lines.push(line.trimEnd())
  return lines
}

function pyList(a: NpyArray, f32: boolean): string {
  const parts: string[] = []
  if (a instanceof Int32Array) for (let i = 0; i < a.length; i++) parts.push(String(a[i]))
  else for (let i = 0; i < a.length; i++) parts.push(pyFloat(f32 ? shortFloat32(a[i]) : a[i]))
  const lines: string[] = []
  let line: string[] = []
  let width = 0
  for (const p of parts) {
    if (width + p.length > 100 && line.length > 0) {
      lines.push(line.join(', '))
      line = []
      width = 0
    }
    line.push(p)
    width += p.length + 2
  }
  if (line.length > 0) lines.push(line.join(', '))
  return lines.length <= 1 ? `[${lines.join('')}]` : `[\n        ${lines.join(',\n        ')},\n    ]`
}

function renderScript(r: Render): string {
  const { world } = r
  const nNeurons = r.popPlans.reduce((s, p) => s + p.pop.size, 0)
  const summary = `${r.popPlans.length} population${r.popPlans.length === 1 ? '' : 's'} (${nNeurons} neurons: ` +
    r.popPlans.map((p) => `${p.pop.name} ${p.pop.size} ${p.pop.model} -> ${p.cell}`).join(', ') + `), ` +
    `${r.projPlans.length} projection${r.projPlans.length === 1 ? '' : 's'} (${r.synapsesExact ? '' : 'about '}${Math.round(r.synapses)} synapses, ${r.mode} connectivity), ` +
    `dt ${world.dtMs} ms, ${r.durationMs} ms.`
  const L: string[] = []
  L.push('#!/usr/bin/env python3')
  L.push('"""' + r.title.replace(/"""/g, "'''"))
  L.push('')
  L.push(...wrap(summary, '', ''))
  L.push('')
  L.push('Run with PyNN 0.10 and one of its simulators:')
  L.push(`    python3 ${r.scriptName} [brian2|nest|neuron|spiNNaker]    (default: ${r.simulator})`)
  L.push('It builds the network, runs it and prints one JSON line:')
  L.push('    {"simulator": ..., "durationMs": ..., "rates": {group: Hz}, "spikes": n, "buildSeconds": s, "runSeconds": s}')
  L.push('')
  L.push(...wrap(
    'Units: PyNN uses ms, mV, nF, nA and uS. spikecs writes tau dV/dt = -(V - V_rest) + R*I with R*I in mV and ' +
    'conductances in units of 1/R; with a membrane resistance R_p (R_MOHM below): cm = tau_m/R_p, ' +
    'i_offset = R*I/R_p, weight = R*w/R_p. Time constants and potentials carry over.', '', ''))
  L.push('')
  L.push('Where this PyNN network differs from the spikecs one:')
  for (const n of r.notes) L.push(...wrap(n, '  ', '- '))
  L.push('"""')
  L.push('import json')
  L.push('import os')
  L.push('import sys')
  L.push('import time')
  L.push('')
  L.push('import numpy as np')
  L.push('')
  L.push(`SIMULATOR = sys.argv[1] if len(sys.argv) > 1 else ${pyStr(r.simulator)}`)
  L.push('if SIMULATOR not in ("brian2", "nest", "neuron", "spiNNaker"):')
  L.push('    sys.exit("usage: python3 %s [brian2|nest|neuron|spiNNaker]" % sys.argv[0])')
  L.push('if SIMULATOR == "brian2":')
  L.push('    import brian2')
  L.push('    # numpy code generation needs no compiler; SPIKECS_BRIAN2_TARGET=cython runs long simulations faster')
  L.push('    brian2.prefs.codegen.target = os.environ.get("SPIKECS_BRIAN2_TARGET", "numpy")')
  L.push('sim = __import__("pyNN." + SIMULATOR, fromlist=["setup"])')
  L.push('')
  const maxDelay = r.projPlans.reduce((m, p) => Math.max(m, p.delayMs), world.dtMs)
  L.push(`DT = ${pyFloat(world.dtMs)}  # ms, spikecs's tick`)
  L.push(`DURATION = ${pyFloat(r.durationMs)}  # ms`)
  L.push(`R_MOHM = ${pyFloat(r.Rp)}  # membrane resistance of the unit conversion (MOhm)`)
  L.push(`MAX_DELAY = ${pyFloat(tidy(maxDelay))}  # ms`)
  if (r.usesRng) L.push(`SEED = ${r.seed}  # PyNN's random generator (statistical connectivity)`)
  L.push('HERE = os.path.dirname(os.path.abspath(__file__))')
  L.push(`DATA_FILE = ${r.dataFile ? pyStr(r.dataFile) : 'None'}  # side file of the arrays below (numpy .npz)`)
  L.push('')
  L.push('# Arrays written into the script (the others are in DATA_FILE).')
  L.push('INLINE = {')
  const f32 = world.dtype === 'float32'
  for (const [key, a] of r.arrays) L.push(`    ${pyStr(key)}: ${pyList(a, f32 && key.endsWith('.v0'))},`)
  L.push('}')
  L.push('_data = None')
  L.push('')
  L.push('')
  L.push('def array(key):')
  L.push('    """One array of the network: from INLINE, or from the side file."""')
  L.push('    global _data')
  L.push('    if key in INLINE:')
  L.push('        return np.asarray(INLINE[key])')
  L.push('    if _data is None:')
  L.push('        _data = np.load(os.path.join(HERE, DATA_FILE))')
  L.push('    return _data[key]')
  L.push('')
  L.push('')
  L.push('def connections(key, weights=False):')
  L.push('    """A FromListConnector list: (pre, post) or (pre, post, weight) per synapse, in population indices."""')
  L.push('    columns = [array(key + ".pre"), array(key + ".post")]')
  L.push('    if weights:')
  L.push('        columns.append(array(key + ".weight"))')
  L.push('    return np.column_stack(columns)')
  L.push('')
  L.push('')
  L.push('t0 = time.perf_counter()')
  L.push('sim.setup(timestep=DT, min_delay=DT, max_delay=MAX_DELAY)')
  if (r.usesRng) L.push('rng = sim.NumpyRNG(seed=SEED)')
  L.push('')
  L.push('pops = {}')
  for (const p of r.popPlans) {
    const pop = p.pop
    L.push(`# ${pop.name}: ${pop.size} ${pop.model} neurons (tau ${lifParam(pop, 'tau')} ms, R ${lifParam(pop, 'R')}); cm = tau_m/R_p, i_offset = R*I/R_p`)
    const args = p.params.map(([k, v]) => `${k}=${typeof v === 'string' ? `array(${pyStr(v)})` : pyFloat(v)}`)
    L.push(`pops[${pyStr(pop.name)}] = sim.Population(${pop.size}, sim.${p.cell}(`)
    L.push(...wrap(args.join(', ') + '),', '    ', '    '))
    L.push(`    label=${pyStr(pop.name)})`)
    L.push(`pops[${pyStr(pop.name)}].initialize(v=${typeof p.v0 === 'string' ? `array(${pyStr(p.v0)})` : pyFloat(p.v0)})`)
    L.push(`pops[${pyStr(pop.name)}].record(${p.recordV ? '["spikes", "v"]' : '"spikes"'})`)
  }
  L.push('')
  L.push('projections = {}')
  for (const p of r.projPlans) {
    const pr = p.proj
    const src = pr.source as { latency: number }
    L.push(`# ${pr.name}: ${pr.kind}, ${pr.comm.kind}, ${pr.state.kind}(tau ${pr.state.params.tau} ms) + ${pr.output.kind}` +
      `${pr.output.kind === 'COBA' ? `(E ${pr.output.params.E} mV)` : ''}, latency ${src.latency} tick${src.latency === 1 ? '' : 's'}, ` +
      `${p.exactCount ? '' : 'about '}${Math.round(p.synapses)} synapses`)
    const synArgs = p.weight === null ? `delay=${pyFloat(p.delayMs)}` : `weight=${p.weight}, delay=${pyFloat(p.delayMs)}`
    L.push(`projections[${pyStr(pr.name)}] = sim.Projection(`)
    L.push(`    ${p.preExpr}, pops[${pyStr(pr.post.name)}],`)
    L.push(`    ${p.connector},`)
    L.push(`    synapse_type=sim.StaticSynapse(${synArgs}),`)
    L.push(`    receptor_type=${pyStr(p.receptor)}, label=${pyStr(pr.name)})`)
  }
  L.push('t1 = time.perf_counter()')
  L.push('sim.run(DURATION)')
  L.push('t2 = time.perf_counter()')
  L.push('')
  L.push('# Rate of each group: spikes / (neurons x seconds); a group is (population, first, end) slices.')
  L.push('GROUPS = {')
  for (const [name, pieces] of r.groupPieces) {
    L.push(`    ${pyStr(name)}: [${pieces.map(([p, a, b]) => `(${pyStr(p)}, ${a}, ${b})`).join(', ')}],`)
  }
  L.push('}')
  L.push('')
  L.push('')
  L.push('def neuron_index(pop, train):')
  L.push('    """Index in its population of the neuron a spike train belongs to (backends annotate it differently)."""')
  L.push('    a = train.annotations')
  L.push('    if "source_index" in a:')
  L.push('        return int(a["source_index"])')
  L.push('    return int(pop.id_to_index(int(a["source_id"] if "source_id" in a else a["channel_id"])))')
  L.push('')
  L.push('')
  L.push('counts, times, traces = {}, {}, {}')
  L.push('for name, pop in pops.items():')
  L.push('    block = pop.get_data()')
  L.push('    segment = block.segments[0]')
  L.push('    c = np.zeros(pop.size, dtype=np.int64)')
  L.push('    t = [[] for _ in range(pop.size)]')
  L.push('    for train in segment.spiketrains:')
  L.push('        i = neuron_index(pop, train)')
  L.push('        c[i] = len(train)')
  L.push('        t[i] = [float(x) for x in train.rescale("ms").magnitude]')
  L.push('    counts[name], times[name] = c, t')
  L.push('    for signal in segment.analogsignals:')
  L.push('        if signal.name == "v":')
  L.push('            traces[name] = np.asarray(signal.rescale("mV").magnitude).T.tolist()')
  L.push('rates = {')
  L.push('    group: float(sum(counts[p][a:b].sum() for p, a, b in pieces)')
  L.push('                 / (sum(b - a for p, a, b in pieces) * DURATION / 1000.0))')
  L.push('    for group, pieces in GROUPS.items()')
  L.push('}')
  L.push('result = {')
  L.push('    "simulator": SIMULATOR, "durationMs": DURATION, "dtMs": DT, "rates": rates,')
  L.push('    "spikes": int(sum(c.sum() for c in counts.values())),')
  L.push('    "buildSeconds": t1 - t0, "runSeconds": t2 - t1,')
  L.push('}')
  if (r.spikeTimes) L.push('result["spikeTimes"] = times')
  if (r.popPlans.some((p) => p.recordV)) L.push('result["v"] = traces  # mV, one list per neuron, sampled every DT from t = 0')
  L.push('sim.end()')
  L.push('print(json.dumps(result))')
  L.push('')
  return L.join('\n')
}
