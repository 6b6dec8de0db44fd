/**
 * `exportPyNN(world, options)`: a spikecs network as one runnable PyNN 0.10 script, so that NEST, SpiNNaker,
 * Brian2 or NEURON can run it (on a cluster, on neuromorphic hardware) with the same populations, parameters,
 * initial state, input and connectivity. Browser-safe: it returns text and bytes and touches no file.
 *
 * Mapping. The LIF family (`Lif`, `LifRef`, `LifLTC`, `LifRefLTC`) with `Expon` synapses becomes
 * `IF_cond_exp` when its outputs are `COBA` and `IF_curr_exp` when they are `CUBA`; the spike sources
 * `PoissonGroup` and `SpikeTimeGroup` become `SpikeSourcePoisson` (the same law, other draws) and
 * `SpikeSourceArray` (the same spikes). spikecs writes
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
 * Plasticity. `STDP_Song2000` becomes `STDPMechanism(SpikePairRule, AdditiveWeightDependence)` with
 * A± = A1/wMax, A2/wMax (PyNN's are relative to w_max) and the bounds in weight units; the script prints the
 * final weights' statistics. Where the order of a step differs (Brian2's on_pre/on_post) is in the notes.
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
import { SpikecsError, durationTicks, type World } from '@spikecs/ecs-core'
import { npzBytes } from '../npz.js'
import { checkProjection, planConnector } from './connect.js'
import { assignReceptors, constantInputs, planPopulations } from './model.js'
import { integrationNotes } from './notes.js'
import { renderScript } from './script.js'
import { shortFloat32 } from './literals.js'
import {
  PYNN_SIMULATORS,
  type Arrays,
  type GroupPieces,
  type PyNNExport,
  type PyNNExportOptions,
  type PyNNGroup,
  type Receptors,
  type Settings,
} from './types.js'

export { PYNN_SIMULATORS, type PyNNExport, type PyNNExportOptions, type PyNNGroup, type PyNNSimulator } from './types.js'
export { pyFloat, pyStr, pyText, shortFloat32 } from './literals.js'

/**
 * Writes a PyNN script that builds `world`'s network (see the module comment). Throws a `SpikecsError`
 * naming the object, parameter and value for anything PyNN cannot express.
 */
export function exportPyNN(world: World, options: PyNNExportOptions = {}): PyNNExport {
  const s = settingsOf(world, options)
  const popList = world.components.Population.list
  // 1. inputs: constant currents only (one value, or one per neuron) become i_offset
  const inputs = constantInputs(popList)
  // 2. projections: checks, weights in PyNN units, receptor channels of each post population (two per cell)
  const receptors: Receptors = { channels: new Map(), outKind: new Map() }
  const projInputs = world.components.Projection.list.map((proj) => checkProjection(s, receptors, proj))
  assignReceptors(receptors)
  // 3. populations, then connectors; arrays (per-neuron values, exact lists) in that order
  const arrays: Arrays = []
  const popPlans = planPopulations(s, receptors, inputs, arrays)
  const projPlans = projInputs.map((p, k) => planConnector(s, p, k, arrays))
  const synapses = projPlans.reduce((n, p) => n + p.synapses, 0)
  const synapsesExact = projPlans.every((p) => p.exactCount)
  // 4. rate groups, notes, and where the arrays go
  const groupPieces = groupsOf(world, options.groups)
  const notes = integrationNotes(s, popPlans, projPlans, synapses)
  let total = 0
  for (const [, a] of arrays) total += a.length
  const useFile = arrays.length > 0 && (s.dataMode === 'file' || (s.dataMode === 'auto' && total > s.inlineLimit))
  const data = useFile ? npzBytes(arrays) : null
  const dataFile = useFile ? s.dataFile : null
  const script = renderScript({
    title: options.title ?? 'spikecs network exported to PyNN',
    scriptName: options.scriptName ?? 'net.py',
    world,
    simulator: s.simulator,
    durationMs: s.durationMs,
    Rp: s.Rp,
    seed: s.seed,
    usesRng: !synapsesExact,
    popPlans,
    projPlans,
    groupPieces,
    notes,
    arrays: useFile ? [] : arrays,
    dataFile,
    spikeTimes: options.spikeTimes === true,
    finalWeights: options.finalWeights === true,
    synapses,
    synapsesExact,
    mode: s.mode,
  })
  return { script, data, dataFile, notes, synapses, synapsesExact }
}

/** The options, checked, with their defaults; and the world, which must be exportable as it stands. */
function settingsOf(world: World, options: PyNNExportOptions): Settings {
  const o = 'exportPyNN'
  const dt = world.dtMs
  const durationMs = options.durationMs ?? 1000
  if (durationTicks(o, 'durationMs', durationMs, dt) < 1) {
    throw new SpikecsError(o, 'durationMs', durationMs, `must be a whole number (>= 1) of ticks of dt = ${dt} ms`)
  }
  const mode = options.conn ?? 'exact'
  if (mode !== 'exact' && mode !== 'statistical') throw new SpikecsError(o, 'conn', mode, "must be 'exact' or 'statistical'")
  const simulator = options.simulator ?? 'brian2'
  if (!PYNN_SIMULATORS.includes(simulator))
    throw new SpikecsError(o, 'simulator', simulator, `must be one of ${PYNN_SIMULATORS.join(', ')}`)
  const Rp = options.resistanceMOhm ?? 100
  if (!(Rp > 0) || !Number.isFinite(Rp)) throw new SpikecsError(o, 'resistanceMOhm', Rp, 'must be a finite number > 0 (MΩ)')
  const dataMode = options.data ?? 'auto'
  if (!['auto', 'inline', 'file'].includes(dataMode)) throw new SpikecsError(o, 'data', dataMode, "must be 'auto', 'inline' or 'file'")
  const inlineLimit = options.inlineLimit ?? 2000
  const dataFile = options.dataFile ?? 'net.npz'
  if (!/^[^/\\]+\.npz$/.test(dataFile)) throw new SpikecsError(o, 'dataFile', dataFile, 'must be a file name ending in .npz (no folder)')
  const seed = options.seed ?? world.seed
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new SpikecsError(o, 'seed', seed, 'must be an integer in [0, 4294967295]')
  if (world.tick !== 0) {
    throw new SpikecsError(
      'world',
      'tick',
      world.tick,
      'must be 0: export a network before running it (synapse states, refractory counters and queued spikes have no PyNN form)',
    )
  }
  const popList = world.components.Population.list
  if (popList.length === 0) throw new SpikecsError('world', 'populations', 0, 'must hold at least one population to export')
  const recordV = new Set(options.recordV ?? [])
  for (const name of recordV) {
    if (!popList.some((p) => p.name === name)) throw new SpikecsError(o, 'recordV', name, 'is not a population of this world')
  }
  const f32 = world.dtype === 'float32'
  return {
    world,
    durationMs,
    mode,
    simulator,
    Rp,
    dataMode: dataMode as Settings['dataMode'],
    inlineLimit,
    dataFile,
    seed,
    recordV,
    show: (x: number) => (f32 ? shortFloat32(x) : x),
  }
}

/** The rate groups (default: one per population) as slices of populations. */
function groupsOf(world: World, groups: readonly PyNNGroup[] | undefined): GroupPieces[] {
  const popList = world.components.Population.list
  return (groups ?? popList.map((p) => ({ name: p.name, start: p.start, size: p.size }))).map((g) => {
    if (!Number.isInteger(g.start) || !Number.isInteger(g.size) || g.size < 1 || g.start < 0 || g.start + g.size > world.nNeurons) {
      throw new SpikecsError('exportPyNN', 'groups', g, `must be ranges of whole neuron indices inside [0, ${world.nNeurons})`)
    }
    const pieces: [string, number, number][] = []
    for (const p of popList) {
      const a = Math.max(g.start, p.start),
        b = Math.min(g.start + g.size, p.start + p.size)
      if (a < b) pieces.push([p.name, a - p.start, b - p.start])
    }
    return [g.name, pieces] as const
  })
}
