/**
 * The script writer: the plan as Python text, section by section — header, simulator choice, constants and
 * arrays, helpers, populations, projections, the run, and the JSON line of results.
 */
import type { NpyArray } from '../npz.js'
import { lifParam } from './model.js'
import { pyFloat, pyList, pyStr, pyText, tidy, wrap } from './literals.js'
import type { GroupPieces, PopPlan, ProjPlan, PyNNSimulator } from './types.js'
import type { World } from '@spikecs/ecs-core'

export interface Render {
  title: string
  scriptName: string
  world: World
  simulator: PyNNSimulator
  durationMs: number
  Rp: number
  seed: number
  usesRng: boolean
  popPlans: readonly PopPlan[]
  projPlans: readonly ProjPlan[]
  groupPieces: readonly GroupPieces[]
  notes: readonly string[]
  /** Arrays written inline (the others are in `dataFile`). */
  arrays: readonly [string, NpyArray][]
  dataFile: string | null
  spikeTimes: boolean
  synapses: number
  synapsesExact: boolean
  mode: string
}

export function renderScript(r: Render): string {
  return [...header(r), ...preamble(r), ...constants(r), ...helpers(), ...populations(r), ...projections(r), ...results(r)].join('\n')
}

/** The docstring: what the network is, how to run it, the units, and where it differs from spikecs's. */
function header(r: Render): string[] {
  const nNeurons = r.popPlans.reduce((s, p) => s + p.pop.size, 0)
  const summary =
    `${r.popPlans.length} population${r.popPlans.length === 1 ? '' : 's'} (${nNeurons} neurons: ` +
    r.popPlans.map((p) => `${pyText(p.pop.name)} ${p.pop.size} ${p.pop.model} -> ${p.cell}`).join(', ') +
    `), ` +
    `${r.projPlans.length} projection${r.projPlans.length === 1 ? '' : 's'} ` +
    `(${r.synapsesExact ? '' : 'about '}${Math.round(r.synapses)} synapses, ${r.mode} connectivity), ` +
    `dt ${r.world.dtMs} ms, ${r.durationMs} ms.`
  const L: string[] = []
  L.push('#!/usr/bin/env python3')
  L.push(`"""${pyText(r.title)}`)
  L.push('')
  L.push(...wrap(summary, '', ''))
  L.push('')
  L.push('Run with PyNN 0.10 and one of its simulators:')
  L.push(`    python3 ${pyText(r.scriptName)} [brian2|nest|neuron|spiNNaker]    (default: ${r.simulator})`)
  L.push(`or on K MPI processes (NEURON, NEST): mpirun -np K python3 ${pyText(r.scriptName)} neuron`)
  L.push("It builds the network, runs it and prints one JSON line (on rank 0, with every rank's spikes):")
  L.push('    {"simulator": ..., "ranks": K, "durationMs": ..., "rates": {group: Hz}, "spikes": n, "buildSeconds": s, "runSeconds": s}')
  L.push('')
  L.push(
    ...wrap(
      'Units: PyNN uses ms, mV, nF, nA and uS. spikecs writes tau dV/dt = -(V - V_rest) + R*I with R*I in mV and ' +
        'conductances in units of 1/R; with a membrane resistance R_p (R_MOHM below): cm = tau_m/R_p, ' +
        'i_offset = R*I/R_p, weight = R*w/R_p. Time constants and potentials carry over.',
      '',
      '',
    ),
  )
  L.push('')
  L.push('Where this PyNN network differs from the spikecs one:')
  for (const n of r.notes) L.push(...wrap(n, '  ', '- '))
  L.push('"""')
  return L
}

/** Imports and the simulator, from the command line. */
function preamble(r: Render): string[] {
  return [
    'import json',
    'import os',
    'import sys',
    'import time',
    '',
    'import numpy as np',
    '',
    `SIMULATOR = sys.argv[1] if len(sys.argv) > 1 else ${pyStr(r.simulator)}`,
    'if SIMULATOR not in ("brian2", "nest", "neuron", "spiNNaker"):',
    '    sys.exit("usage: python3 %s [brian2|nest|neuron|spiNNaker]" % sys.argv[0])',
    'if SIMULATOR == "brian2":',
    '    import brian2',
    '    # numpy code generation needs no compiler; SPIKECS_BRIAN2_TARGET=cython runs long simulations faster',
    '    brian2.prefs.codegen.target = os.environ.get("SPIKECS_BRIAN2_TARGET", "numpy")',
    'if SIMULATOR == "neuron":',
    '    # MPI when started by mpirun (one process otherwise), before pyNN.neuron makes its ParallelContext',
    '    from neuron import h',
    '    h.nrnmpi_init()',
    'try:',
    '    sim = __import__("pyNN." + SIMULATOR, fromlist=["setup"])',
    'except OSError as error:  # pyNN.neuron without its compiled NMODL mechanisms',
    '    if SIMULATOR != "neuron":',
    '        raise',
    '    sys.exit("pyNN.neuron needs its NMODL mechanisms compiled once: run nrnivmodl in the folder named below, as a "',
    '             "user who may write there (Debian 12: see pyNN.neuron in spikecs\'s docs/pynn.md)\\n%s" % error)',
    'RANK, RANKS = sim.rank(), sim.num_processes()',
    '',
  ]
}

/** Time step, duration, unit conversion, delays, seed, and the arrays written inline. */
function constants(r: Render): string[] {
  const { world } = r
  const maxDelay = r.projPlans.reduce((m, p) => Math.max(m, p.delayMs), world.dtMs)
  const f32 = world.dtype === 'float32'
  const L: string[] = []
  L.push(`DT = ${pyFloat(world.dtMs)}  # ms, spikecs's tick`)
  L.push(`DURATION = ${pyFloat(r.durationMs)}  # ms`)
  L.push(`R_MOHM = ${pyFloat(r.Rp)}  # membrane resistance of the unit conversion (MOhm)`)
  L.push(`MAX_DELAY = ${pyFloat(tidy(maxDelay))}  # ms`)
  L.push("# NEURON's parallel solver wants every delay between ranks above DT (it tests delay - 1e-10 >= DT). A millionth")
  L.push("# of DT more satisfies it and moves no spike: NEURON's fixed step delivers an event at the step within DT/2 of it.")
  L.push('DELAY_MARGIN = DT * 1e-6 if SIMULATOR == "neuron" else 0.0  # ms')
  if (r.usesRng) L.push(`SEED = ${r.seed}  # PyNN's random generator (statistical connectivity)`)
  L.push('HERE = os.path.dirname(os.path.abspath(__file__))')
  L.push(`DATA_FILE = ${r.dataFile ? pyStr(r.dataFile) : 'None'}  # side file of the arrays below (numpy .npz)`)
  L.push('')
  L.push('# Arrays written into the script (the others are in DATA_FILE).')
  L.push('INLINE = {')
  for (const [key, a] of r.arrays) L.push(`    ${pyStr(key)}: ${pyList(a, f32 && key.endsWith('.v0'))},`)
  L.push('}')
  L.push('_data = None')
  L.push('')
  return L
}

/** `array(key)` and `connections(key)`: the network's arrays, from INLINE or the side file. */
function helpers(): string[] {
  return [
    '',
    'def array(key):',
    '    """One array of the network: from INLINE, or from the side file."""',
    '    global _data',
    '    if key in INLINE:',
    '        return np.asarray(INLINE[key])',
    '    if _data is None:',
    '        _data = np.load(os.path.join(HERE, DATA_FILE))',
    '    return _data[key]',
    '',
    '',
    'def connections(key, weights=False):',
    '    """A FromListConnector list: (pre, post) or (pre, post, weight) per synapse, in population indices."""',
    '    columns = [array(key + ".pre"), array(key + ".post")]',
    '    if weights:',
    '        columns.append(array(key + ".weight"))',
    '    return np.column_stack(columns)',
    '',
    '',
  ]
}

/** setup(), then one Population per population: cell type and parameters, initial V, recording. */
function populations(r: Render): string[] {
  const L: string[] = []
  L.push('t0 = time.perf_counter()')
  L.push('sim.setup(timestep=DT, min_delay=DT, max_delay=MAX_DELAY + DELAY_MARGIN)')
  // Parallel-safe: every rank draws the whole matrix and keeps its own part, so any number of ranks builds one network.
  if (r.usesRng) L.push('rng = sim.NumpyRNG(seed=SEED, parallel_safe=True)')
  L.push('')
  L.push('pops = {}')
  for (const p of r.popPlans) {
    const pop = p.pop
    L.push(
      `# ${pyText(pop.name)}: ${pop.size} ${pop.model} neurons (tau ${lifParam(pop, 'tau')} ms, R ` +
        `${lifParam(pop, 'R')}); cm = tau_m/R_p, i_offset = R*I/R_p`,
    )
    const args = p.params.map(([k, v]) => `${k}=${typeof v === 'string' ? `array(${pyStr(v)})` : pyFloat(v)}`)
    L.push(`pops[${pyStr(pop.name)}] = sim.Population(${pop.size}, sim.${p.cell}(`)
    L.push(...wrap(`${args.join(', ')}),`, '    ', '    '))
    L.push(`    label=${pyStr(pop.name)})`)
    L.push(`pops[${pyStr(pop.name)}].initialize(v=${typeof p.v0 === 'string' ? `array(${pyStr(p.v0)})` : pyFloat(p.v0)})`)
    L.push(`pops[${pyStr(pop.name)}].record(${p.recordV ? '["spikes", "v"]' : '"spikes"'})`)
  }
  L.push('')
  return L
}

/** One Projection per projection: source (a population or a view of it), connector, weight, delay, receptor. */
function projections(r: Render): string[] {
  const L: string[] = []
  L.push('projections = {}')
  for (const p of r.projPlans) {
    const pr = p.proj
    const src = pr.source as { latency: number }
    L.push(
      `# ${pyText(pr.name)}: ${pr.kind}, ${pr.comm.kind}, ${pr.state.kind}(tau ${pr.state.params.tau} ms) + ${pr.output.kind}` +
        `${pr.output.kind === 'COBA' ? `(E ${pr.output.params.E} mV)` : ''}, latency ${src.latency} tick${src.latency === 1 ? '' : 's'}, ` +
        `${p.exactCount ? '' : 'about '}${Math.round(p.synapses)} synapses`,
    )
    const delay = `delay=${pyFloat(p.delayMs)} + DELAY_MARGIN`
    const synArgs = p.weight === null ? delay : `weight=${p.weight}, ${delay}`
    L.push(`projections[${pyStr(pr.name)}] = sim.Projection(`)
    L.push(`    ${p.preExpr}, pops[${pyStr(pr.post.name)}],`)
    L.push(`    ${p.connector},`)
    L.push(`    synapse_type=sim.StaticSynapse(${synArgs}),`)
    L.push(`    receptor_type=${pyStr(p.receptor)}, label=${pyStr(pr.name)})`)
  }
  return L
}

/** The run, then the rates of the groups (and optional spike times and V traces) as one JSON line. */
function results(r: Render): string[] {
  const L: string[] = []
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
  L.push('def local_recording(pop):')
  L.push('    """This rank\'s neurons of pop: {index: spike times (ms)}, {index: V trace (mV)}."""')
  L.push('    segment = pop.get_data(gather=False).segments[0]')
  L.push('    spikes = {neuron_index(pop, train): [float(x) for x in train.rescale("ms").magnitude] for train in segment.spiketrains}')
  L.push('    v = {}')
  L.push('    for signal in segment.analogsignals:')
  L.push('        if signal.name == "v":')
  L.push('            for i, trace in zip(signal.array_annotations["channel_index"], np.asarray(signal.rescale("mV").magnitude).T):')
  L.push('                v[int(i)] = trace.tolist()')
  L.push('    return spikes, v')
  L.push('')
  L.push('')
  L.push('def gather(obj):')
  L.push('    """Every rank\'s obj, as a list on rank 0 (None on the other ranks)."""')
  L.push('    if RANKS == 1:')
  L.push('        return [obj]')
  L.push('    if SIMULATOR == "neuron":')
  L.push('        return sim.simulator.state.parallel_context.py_gather(obj, 0)')
  L.push('    from mpi4py import MPI')
  L.push('    return MPI.COMM_WORLD.gather(obj, root=0)')
  L.push('')
  L.push('')
  L.push('# Each rank recorded its own neurons; rank 0 puts them together and prints the result.')
  L.push('parts = gather(({name: local_recording(pop) for name, pop in pops.items()}, t1 - t0, t2 - t1))')
  L.push('if RANK == 0:')
  L.push('    times, traces = {}, {}')
  L.push('    for name, pop in pops.items():')
  L.push('        t, v = [[] for _ in range(pop.size)], [None] * pop.size')
  L.push('        for recording, _, _ in parts:')
  L.push('            for i, x in recording[name][0].items():')
  L.push('                if len(x) >= len(t[i]):')
  L.push('                    t[i] = x')
  L.push('            for i, x in recording[name][1].items():')
  L.push('                v[i] = x')
  L.push('        times[name] = t')
  L.push('        if any(x is not None for x in v):')
  L.push('            traces[name] = v')
  L.push('    counts = {name: np.array([len(x) for x in t], dtype=np.int64) for name, t in times.items()}')
  L.push('    rates = {')
  L.push('        group: float(sum(counts[p][a:b].sum() for p, a, b in pieces)')
  L.push('                     / (sum(b - a for p, a, b in pieces) * DURATION / 1000.0))')
  L.push('        for group, pieces in GROUPS.items()')
  L.push('    }')
  L.push('    result = {')
  L.push('        "simulator": SIMULATOR, "ranks": RANKS, "durationMs": DURATION, "dtMs": DT, "rates": rates,')
  L.push('        "spikes": int(sum(c.sum() for c in counts.values())),')
  L.push('        "buildSeconds": max(p[1] for p in parts), "runSeconds": max(p[2] for p in parts),')
  L.push('    }')
  if (r.spikeTimes) L.push('    result["spikeTimes"] = times')
  if (r.popPlans.some((p) => p.recordV)) L.push('    result["v"] = traces  # mV, one list per neuron, sampled every DT from t = 0')
  L.push('    print(json.dumps(result), flush=True)')
  L.push('sim.end()')
  L.push('if SIMULATOR == "neuron":')
  L.push("    # pyNN.neuron's end() leaves MPI open, and mpirun counts a rank that exits without closing it as failed")
  L.push('    sim.simulator.state.parallel_context.barrier()')
  L.push('    h.quit()')
  L.push('')
  return L
}
