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
  finalWeights: boolean
  synapses: number
  synapsesExact: boolean
  mode: string
}

export function renderScript(r: Render): string {
  return [...header(r), ...preamble(r), ...constants(r), ...helpers(r), ...populations(r), ...projections(r), ...results(r)].join('\n')
}

/** The docstring: what the network is, how to run it, the units, and where it differs from spikecs's. */
function header(r: Render): string[] {
  const nNeurons = r.popPlans.reduce((s, p) => s + p.pop.size, 0)
  const summary =
    `${r.popPlans.length} population${r.popPlans.length === 1 ? '' : 's'} (${nNeurons} neurons: ` +
    r.popPlans.map((p) => `${pyText(p.pop.name)} ${p.pop.size} ${p.pop.model} -> ${p.cell}`).join(', ') +
    `), ` +
    `${r.projPlans.length} projection${r.projPlans.length === 1 ? '' : 's'} ` +
    `(${r.synapsesExact ? '' : 'about '}${Math.round(r.synapses)} synapses, ${r.mode} connectivity` +
    `${plasticNames(r) ? `; plastic: ${plasticNames(r)}` : ''}), ` +
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
  if (plasticNames(r)) {
    L.push('and, for each plastic projection, its final weights relative to w_max (fracLow: below 0.1, fracHigh: at or above 0.9):')
    L.push('    "weights": {projection: {"wMax": w_max, "hist10": [10 bins of [0, 1]], "fracLow": f, "fracHigh": f, "mean": m}}')
  }
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

/** The plastic projections' names, for prose ('' when there are none). */
function plasticNames(r: Render): string {
  return r.projPlans
    .filter((p) => p.stdp !== null)
    .map((p) => pyText(p.proj.name))
    .join(', ')
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
  if (r.projPlans.some((p) => p.stdp !== null)) {
    L.push('# STDP: spikecs shows a spike to the rule when it is delivered, after the whole delay (all of it axonal):')
    L.push('# dendritic_delay_fraction 0, the only value pyNN.brian2 supports. NEST supports only 1 (the rule sees the pre')
    L.push("# spike at once and the post spike after the delay). See the header's notes.")
    L.push('STDP_DDF = 1.0 if SIMULATOR == "nest" else 0.0  # dendritic_delay_fraction')
  }
  const poisson = r.popPlans.some((p) => p.cell === 'SpikeSourcePoisson')
  if (r.usesRng || poisson) {
    const uses = [r.usesRng ? "PyNN's (statistical connectivity)" : '', poisson ? "the simulator's (Poisson sources)" : '']
    L.push(`SEED = ${r.seed}  # random generators: ${uses.filter((u) => u).join(', ')}`)
  }
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

/** `array(key)`, `connections(key)` (and `spike_times(key)`): the network's arrays, from INLINE or the side file. */
function helpers(r: Render): string[] {
  const L = [
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
  if (r.popPlans.some((p) => p.cell === 'SpikeSourceArray')) {
    L.push(
      'def spike_times(key):',
      '    """SpikeSourceArray times (ms) per neuron: spikecs\'s spike ticks k of neuron i, ticks[ptr[i]:ptr[i + 1]], at k*DT."""',
      '    ptr, ticks = array(key + ".ptr"), array(key + ".ticks")',
      '    return [sim.Sequence(ticks[ptr[i]:ptr[i + 1]] * DT) for i in range(len(ptr) - 1)]',
      '',
      '',
    )
  }
  return L
}

/** setup(), then one Population per population: cell type and parameters, initial V, recording. */
function populations(r: Render): string[] {
  const L: string[] = []
  L.push('t0 = time.perf_counter()')
  if (r.popPlans.some((p) => p.cell === 'SpikeSourcePoisson')) {
    // Seeded Poisson sources: the same script gives the same spikes on one simulator (not spikecs's spikes).
    L.push('if SIMULATOR == "brian2":')
    L.push('    brian2.seed(SEED)')
    L.push('SEEDS = {"neuron": {"native_rng_baseseed": SEED}, "nest": {"rng_seed": SEED}}.get(SIMULATOR, {})')
    L.push('sim.setup(timestep=DT, min_delay=DT, max_delay=MAX_DELAY + DELAY_MARGIN, **SEEDS)')
  } else L.push('sim.setup(timestep=DT, min_delay=DT, max_delay=MAX_DELAY + DELAY_MARGIN)')
  // Parallel-safe: every rank draws the whole matrix and keeps its own part, so any number of ranks builds one network.
  if (r.usesRng) L.push('rng = sim.NumpyRNG(seed=SEED, parallel_safe=True)')
  L.push('')
  L.push('pops = {}')
  for (const p of r.popPlans) {
    const pop = p.pop
    const key = pyStr(pop.name)
    if (p.v0 === null) {
      // a spike source
      const rate = p.params.find(([k]) => k === 'rate')
      L.push(
        rate !== undefined
          ? `# ${pyText(pop.name)}: ${pop.size} ${pop.model} spike sources at ${rate[1]} Hz: PyNN draws its own spikes (the same law)`
          : `# ${pyText(pop.name)}: ${pop.size} ${pop.model} spike sources: spikecs's spike ticks k at times k*DT (the same spikes)`,
      )
      const args = p.params.map(([k, v]) => `${k}=${k === 'spike_times' ? `spike_times(${pyStr(v as string)})` : pyFloat(v as number)}`)
      L.push(`pops[${key}] = sim.Population(${pop.size}, sim.${p.cell}(${args.join(', ')}), label=${key})`)
      L.push(`pops[${key}].record("spikes")`)
      continue
    }
    L.push(
      `# ${pyText(pop.name)}: ${pop.size} ${pop.model} neurons (tau ${lifParam(pop, 'tau')} ms, R ` +
        `${lifParam(pop, 'R')}); cm = tau_m/R_p, i_offset = R*I/R_p`,
    )
    const args = p.params.map(([k, v]) => `${k}=${typeof v === 'string' ? `array(${pyStr(v)})` : pyFloat(v)}`)
    L.push(`pops[${key}] = sim.Population(${pop.size}, sim.${p.cell}(`)
    L.push(...wrap(`${args.join(', ')}),`, '    ', '    '))
    L.push(`    label=${key})`)
    L.push(`pops[${key}].initialize(v=${typeof p.v0 === 'string' ? `array(${pyStr(p.v0)})` : pyFloat(p.v0)})`)
    L.push(`pops[${key}].record(${p.recordV ? '["spikes", "v"]' : '"spikes"'})`)
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
      `# ${pyText(pr.name)}: ${pr.kind}${p.stdp === null ? '' : ' (plastic)'}, ${pr.comm.kind}, ` +
        `${pr.state.kind}(tau ${pr.state.params.tau} ms) + ${pr.output.kind}` +
        `${pr.output.kind === 'COBA' ? `(E ${pr.output.params.E} mV)` : ''}, latency ${src.latency} tick${src.latency === 1 ? '' : 's'}, ` +
        `${p.exactCount ? '' : 'about '}${Math.round(p.synapses)} synapses`,
    )
    const delay = `delay=${pyFloat(p.delayMs)} + DELAY_MARGIN`
    const synArgs = p.weight === null ? delay : `weight=${p.weight}, ${delay}`
    L.push(`projections[${pyStr(pr.name)}] = sim.Projection(`)
    L.push(`    ${p.preExpr}, pops[${pyStr(pr.post.name)}],`)
    L.push(`    ${p.connector},`)
    const d = p.stdp
    if (d === null) L.push(`    synapse_type=sim.StaticSynapse(${synArgs}),`)
    else {
      // A_plus = A1/wMax, A_minus = A2/wMax; the bounds in PyNN weight units, as the weights
      L.push('    synapse_type=sim.STDPMechanism(')
      L.push(
        `        timing_dependence=sim.SpikePairRule(tau_plus=${pyFloat(d.tauPlus)}, tau_minus=${pyFloat(d.tauMinus)}, ` +
          `A_plus=${pyFloat(d.aPlus)}, A_minus=${pyFloat(d.aMinus)}),`,
      )
      L.push(`        weight_dependence=sim.AdditiveWeightDependence(w_min=${pyFloat(d.wMin)}, w_max=${pyFloat(d.wMax)}),`)
      L.push(`        dendritic_delay_fraction=STDP_DDF, ${synArgs}),`)
    }
    L.push(`    receptor_type=${pyStr(p.receptor)}, label=${pyStr(pr.name)})`)
  }
  return L
}

/**
 * The run, then the rates of the groups (and optional spike times and V traces) as one JSON line; with plastic
 * projections, their final weights' statistics relative to w_max (and, optionally, the lists).
 */
function results(r: Render): string[] {
  const plastic = r.projPlans.filter((p) => p.stdp !== null)
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
  if (plastic.length > 0) {
    L.push('# Plastic projections and their w_max (PyNN units).')
    L.push(`PLASTIC = {${plastic.map((p) => `${pyStr(p.proj.name)}: ${pyFloat(p.stdp!.wMax)}`).join(', ')}}`)
    L.push('')
    L.push('')
    L.push('def local_weights(name):')
    L.push('    """This rank\'s synapses of a projection: (pre, post, weight) rows, population indices and PyNN units."""')
    L.push('    rows = projections[name].get("weight", format="list", gather=False, with_address=True)')
    L.push('    return [(int(i), int(j), float(w)) for i, j, w in rows]')
    L.push('')
    L.push('')
    L.push('def weight_stats(rows, w_max):')
    L.push('    """Weights relative to w_max: counts in 10 equal bins of [0, 1] (1 in the last), tails and mean."""')
    L.push('    x = np.array([w for _, _, w in rows]) / w_max')
    L.push('    hist = np.bincount(np.clip(np.floor(x * 10).astype(int), 0, 9), minlength=10)')
    L.push('    return {"wMax": w_max, "hist10": [int(c) for c in hist], "fracLow": float(np.mean(x < 0.1)),')
    L.push('            "fracHigh": float(np.mean(x >= 0.9)), "mean": float(np.mean(x))}')
    L.push('')
    L.push('')
  }
  const local = plastic.length > 0 ? ', {name: local_weights(name) for name in PLASTIC}' : ''
  L.push('# Each rank recorded its own neurons; rank 0 puts them together and prints the result.')
  L.push(`parts = gather(({name: local_recording(pop) for name, pop in pops.items()}, t1 - t0, t2 - t1${local}))`)
  L.push('if RANK == 0:')
  L.push('    times, traces = {}, {}')
  L.push('    for name, pop in pops.items():')
  L.push('        t, v = [[] for _ in range(pop.size)], [None] * pop.size')
  L.push('        for recording, *_ in parts:')
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
  if (plastic.length > 0) {
    L.push('    weights = {}')
    L.push('    for name, w_max in PLASTIC.items():')
    L.push('        rows = sorted(row for part in parts for row in part[3][name])')
    L.push('        weights[name] = weight_stats(rows, w_max)')
    if (r.finalWeights) L.push('        weights[name]["synapses"] = rows  # (pre, post, weight in PyNN units), sorted')
    L.push('    result["weights"] = weights')
  }
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
