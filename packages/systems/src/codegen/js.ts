/**
 * TypeScript kernels generated from model records (`models/record.ts`): JavaScript source text compiled with
 * `new Function` — once per model and dtype for the unfused neuron kernel, once per synapse kind, Mg order
 * and dtype for the unfused synapse advance, once per output kind for the unfused output, and once per
 * population for the fused kernel (slots 3–5 in one loop). Every kernel takes a neuron range [from, to).
 *
 * The source evaluates each snippet node by node with explicit parentheses, so the double operations and
 * their order are the snippet's; a value stored into a state column is rounded to the state dtype before
 * anything reads it (`fr`, Math.fround, in float32 worlds), which is what storing and reloading would do.
 * The fused kernel forms the sums as the unfused systems do (`0 + c0 + c1`, in creation order): both paths
 * give the same numbers bit for bit.
 */
import type { Dtype, OutputData, PopulationData, SynapseStateData } from '@spikecs/ecs-core'
import { jsText, namesOf, parseExpr, parseSnippet, type Expr, type Stmt } from '../models/expr.js'
import { blockLayout, type NeuronInputs, type NeuronRecord, type OutputRecord, type SynapseRecord } from '../models/record.js'

/** A neuron kernel over [from, to): appends spike indices to `pop.spikes` from index `ns`, returns the new count. */
export type NeuronKernel = (pop: PopulationData, inp: NeuronInputs, tick: number, from: number, to: number, ns: number) => number
export type SynapseKernel = (s: SynapseStateData, from: number, to: number) => void
export type OutputKernel = (o: OutputData, inp: NeuronInputs, V: ArrayLike<number> | null, from: number, to: number) => void

const INPUTS = ['G', 'GE', 'Ic', 'Is', 'Ia'] as const
type Sums = Record<(typeof INPUTS)[number], string>

interface ParsedNeuron {
  readonly always: Stmt[]
  readonly update: Stmt[]
  readonly spike: Expr | null
  readonly reset: Stmt[]
}

const parsedNeurons = new WeakMap<NeuronRecord, ParsedNeuron>()
/** A record's snippets, parsed once. */
export function parseNeuron(rec: NeuronRecord): ParsedNeuron {
  let p = parsedNeurons.get(rec)
  if (p === undefined) {
    p = {
      always: parseSnippet(rec.always ?? ''),
      update: parseSnippet(rec.update),
      spike: rec.spike === null ? null : parseExpr(rec.spike),
      reset: parseSnippet(rec.reset),
    }
    parsedNeurons.set(rec, p)
  }
  return p
}

const ident = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_')

/**
 * The neuron part of a kernel: prologue (parameters and columns hoisted once per call) and the loop body for
 * neuron `i`, with the tick's inputs given as expression texts.
 */
export function emitNeuron(
  rec: NeuronRecord,
  sums: Sums,
  round: (x: string) => string,
  sumsFirst = false,
): { prologue: string; body: string } {
  const ps = parseNeuron(rec)
  const layout = blockLayout(rec)
  const slot = new Map(layout.map((n, k) => [n, k]))
  const stateNames = new Set(rec.state.map((v) => v.name))
  const pro: string[] = ['const P = pop.params;']
  layout.forEach((n, k) => pro.push(`const p_${n} = P[${k}];`))
  for (const v of rec.state) pro.push(`const c_${v.name} = pop.state.${v.name}.array;`)
  if (rec.lastSpike) pro.push('const c_last = pop.state.lastSpike.array;')
  if (rec.spike !== null) pro.push('const spk = pop.spikes.array;')

  const temps = new Set<string>()
  const assigned = new Set<string>() // state variables with a new value so far
  // In `always`/`update`, a state name reads the old value; in the spike condition and reset, the new one.
  const namer =
    (readNew: boolean) =>
    (id: string, old: boolean): string => {
      if (stateNames.has(id)) return !old && readNew && assigned.has(id) ? `n_${id}` : `s_${id}`
      if (old) throw new Error(`${rec.kind}: old(${id}) names no state variable`)
      if (temps.has(id)) return `t_${id}`
      if (slot.has(id)) return `p_${id}`
      if ((INPUTS as readonly string[]).includes(id)) return `i_${id}`
      throw new Error(`${rec.kind}: the snippet reads '${id}', which is no parameter, derived constant, state variable, temporary or input`)
    }
  const body: string[] = []
  // The inputs, once per neuron (a literal where the kernel has none), and the old state: read before the
  // refractory check when `always` needs them or the sums must be read (and zeroed) for every neuron,
  // otherwise after it, so a held neuron costs nothing more.
  const early = new Set<string>()
  for (const st of ps.always) namesOf(st.e, early)
  const inputs = INPUTS.map((k) => `const i_${k} = ${sums[k]};`)
  const loads = (first: boolean) => rec.state.filter((v) => early.has(v.name) === first).map((v) => `const s_${v.name} = c_${v.name}[i];`)
  const inputsFirst = sumsFirst || INPUTS.some((k) => early.has(k))
  if (inputsFirst) body.push(...inputs)
  body.push(...loads(true))
  const stmts = (list: Stmt[], readNew: boolean, reassign: boolean): void => {
    for (const s of list) {
      const rhs = jsText(s.e, namer(readNew))
      if (s.temp) {
        if (temps.has(s.name)) throw new Error(`${rec.kind}: temporary '${s.name}' defined twice`)
        temps.add(s.name)
        body.push(`const t_${s.name} = ${rhs};`)
      } else {
        if (!stateNames.has(s.name)) throw new Error(`${rec.kind}: '${s.name}' is assigned but is no state variable`)
        if (reassign) body.push(`n_${s.name} = ${round(rhs)};`)
        else {
          if (assigned.has(s.name)) throw new Error(`${rec.kind}: state '${s.name}' assigned twice`)
          assigned.add(s.name)
          body.push(`let n_${s.name} = ${round(rhs)};`)
        }
      }
    }
  }
  stmts(ps.always, false, false)
  const alwaysSet = [...assigned]
  for (const n of alwaysSet) body.push(`c_${n}[i] = n_${n};`)
  if (rec.refractory) body.push('if (tick - c_last[i] <= p_nRef) continue; // refractory: held')
  if (!inputsFirst) body.push(...inputs)
  body.push(...loads(false))
  stmts(ps.update, false, false)
  const stores = [...assigned].filter((n) => !alwaysSet.includes(n)).map((n) => `c_${n}[i] = n_${n};`)
  if (ps.spike !== null) {
    const cond = jsText(ps.spike, namer(true))
    const before = body.length
    stmts(ps.reset, true, true)
    const reset = body.splice(before)
    for (const r of ps.reset) {
      if (!r.temp && !assigned.has(r.name)) throw new Error(`${rec.kind}: reset assigns '${r.name}', which the update does not`)
    }
    const alwaysReset = ps.reset.filter((r) => !r.temp && alwaysSet.includes(r.name)).map((r) => `c_${r.name}[i] = n_${r.name};`)
    body.push(
      `if (${cond}) {`,
      ...reset,
      ...stores,
      ...alwaysReset,
      ...(rec.lastSpike ? ['c_last[i] = tick;'] : []),
      'spk[ns++] = i;',
      '} else {',
      ...stores,
      '}',
    )
  } else body.push(...stores)
  return { prologue: pro.join('\n'), body: body.join('\n') }
}

/**
 * A plain function of a snippet's temporaries, `(inputs…) → [results…]`, in double arithmetic: for setup code
 * that needs a record's expressions outside a kernel (e.g. HH's gates at their steady state, from its rates).
 */
export function snippetFunction(src: string, inputs: readonly string[], results: readonly string[]): (...args: number[]) => number[] {
  const stmts = parseSnippet(src)
  const temps = new Set<string>()
  const namer = (id: string): string => {
    if (temps.has(id)) return `t_${id}`
    if (inputs.includes(id)) return `a_${id}`
    throw new Error(`snippet function: '${id}' is no input or temporary`)
  }
  const body = stmts.map((st) => {
    if (!st.temp) throw new Error(`snippet function: '${st.name}' must be a temporary`)
    const line = `const t_${st.name} = ${jsText(st.e, namer)};`
    temps.add(st.name)
    return line
  })
  const code =
    `return function (${inputs.map((n) => `a_${n}`).join(', ')}) {\n${body.join('\n')}\nreturn ` + `[${results.map(namer).join(', ')}];\n}`
  return new Function(code)() as (...args: number[]) => number[]
}

function roundFor(dtype: Dtype): (x: string) => string {
  return dtype === 'float32' ? (x) => `fr(${x})` : (x) => x
}

/** Rounds unless the text is already a stored value (a plain read of a column is in the dtype). */
function roundUnlessRead(round: (x: string) => string, x: string, plainRead: boolean): string {
  return plainRead ? x : round(x)
}

// --- Unfused neuron kernels ------------------------------------------------------------------------------

/** Source text of the unfused kernel of a neuron record for a dtype (exported for tests and docs). */
export function unfusedNeuronSource(rec: NeuronRecord, dtype: Dtype): string {
  const n = emitNeuron(rec, { G: 'G[i]', GE: 'GE[i]', Ic: 'I[i]', Is: 'iS', Ia: 'ia[i]' }, roundFor(dtype), true)
  return [
    `return function update_${ident(rec.kind)}_${dtype}(pop, inp, tick, from, to, ns) {`,
    n.prologue,
    'const G = inp.G, GE = inp.GE, I = inp.I, ia = inp.iArr, iS = inp.iScalar;',
    'for (let i = from; i < to; i++) {',
    // The sums are read (as inputs, in the body) and zeroed for the next tick's outputs, refractory or not.
    n.body.replace(/^(const i_Ic = I\[i\];)$/m, '$1\nG[i] = 0; GE[i] = 0; I[i] = 0;'),
    '}',
    'return ns;',
    '}',
  ].join('\n')
}

const unfusedCache = new WeakMap<NeuronRecord, Partial<Record<Dtype, NeuronKernel>>>()
/** The unfused neuron kernel of a record for a dtype, compiled once. */
export function unfusedNeuronKernel(rec: NeuronRecord, dtype: Dtype): NeuronKernel {
  let byType = unfusedCache.get(rec)
  if (byType === undefined) {
    byType = {}
    unfusedCache.set(rec, byType)
  }
  let k = byType[dtype]
  if (k === undefined) {
    k = new Function('fr', unfusedNeuronSource(rec, dtype))(Math.fround) as NeuronKernel
    byType[dtype] = k
  }
  return k
}

// --- Synapse states ----------------------------------------------------------------------------------------

interface ParsedSynapse {
  readonly advance: Stmt[]
  readonly cond: Expr
}
const parsedSynapses = new WeakMap<SynapseRecord, ParsedSynapse>()
function parseSynapse(rec: SynapseRecord): ParsedSynapse {
  let p = parsedSynapses.get(rec)
  if (p === undefined) {
    p = { advance: parseSnippet(rec.advance), cond: parseExpr(rec.conductance) }
    for (const s of p.advance) {
      if (!s.temp && !rec.columns.includes(s.name)) throw new Error(`${rec.kind}: advance assigns '${s.name}', which is no column`)
    }
    parsedSynapses.set(rec, p)
  }
  return p
}

/**
 * One synapse state's part of a kernel (state `k` of the population, `st[k]`): advances it for neuron `i` in
 * the Mg or non-Mg order and leaves its bound conductance in `c{k}`. `condIsColumn` is true when the bound
 * conductance column is the state column the conductance expression names (merged `Expon`), so it is not
 * written twice.
 */
export function emitSynapse(
  rec: SynapseRecord,
  k: number,
  merged: boolean,
  condIsColumn: boolean,
  round: (x: string) => string,
): { prologue: string; body: string } {
  const ps = parseSynapse(rec)
  const pro: string[] = []
  rec.columns.forEach((c) => pro.push(`const S${k}_${c} = st[${k}].cols.${c}.array;`))
  pro.push(`const C${k} = st[${k}].cond.array;`)
  rec.derived.forEach((d, j) => pro.push(`const d${k}_${d.name} = st[${k}].derived[${j}];`))
  const temps = new Set<string>()
  const newCols = new Set<string>()
  const namer =
    (readNew: boolean) =>
    (id: string): string => {
      if (rec.columns.includes(id)) return readNew && newCols.has(id) ? `n${k}_${id}` : `s${k}_${id}`
      if (temps.has(id)) return `t${k}_${id}`
      if (rec.derived.some((d) => d.name === id)) return `d${k}_${id}`
      throw new Error(`${rec.kind}: the snippet reads '${id}', which is no column, temporary or derived constant`)
    }
  const body: string[] = rec.columns.map((c) => `const s${k}_${c} = S${k}_${c}[i];`)
  const condPlain = ps.cond.t === 'id'
  if (!merged) {
    body.push(`const c${k} = ${roundUnlessRead(round, jsText(ps.cond, namer(false)), condPlain)}; C${k}[i] = c${k};`)
  }
  for (const s of ps.advance) {
    const rhs = jsText(s.e, namer(false))
    if (s.temp) {
      temps.add(s.name)
      body.push(`const t${k}_${s.name} = ${rhs};`)
    } else {
      // Flush to zero (models/synapses.ts, `flushLimit`) of every value the propagation writes: the double is
      // compared with the dtype's limit, then rounded (the same values as rounding first and comparing with 2^−100)
      // — by the store alone unless the Mg order's conductance reads the new value in this kernel.
      const y = `fz(${rhs}, fl)`
      body.push(`const n${k}_${s.name} = ${merged ? round(y) : y}; S${k}_${s.name}[i] = n${k}_${s.name};`)
      newCols.add(s.name)
    }
  }
  if (merged) {
    body.push(
      `const c${k} = ${roundUnlessRead(round, jsText(ps.cond, namer(true)), condPlain)};${condIsColumn ? '' : ` C${k}[i] = c${k};`}`,
    )
  }
  return { prologue: pro.join('\n'), body: body.join('\n') }
}

/** True when a state's bound conductance column is the column its conductance expression reads. */
export function condIsColumn(rec: SynapseRecord, s: SynapseStateData): boolean {
  const e = parseSynapse(rec).cond
  return e.t === 'id' && s.cols[e.name] !== undefined && s.cols[e.name].array === s.cond.array
}

/** Source text of the unfused advance of a synapse record (exported for tests and docs). */
export function unfusedSynapseSource(rec: SynapseRecord, merged: boolean, alias: boolean, dtype: Dtype, flushLimit: number): string {
  const e = emitSynapse(rec, 0, merged, alias, roundFor(dtype))
  return [
    `return function advance_${ident(rec.kind)}_${merged ? 'mg' : 'nomg'}_${dtype}(s, from, to) {`,
    'const st = [s];',
    `const fl = ${flushLimit};`,
    e.prologue,
    'for (let i = from; i < to; i++) {',
    e.body,
    '}',
    '}',
  ].join('\n')
}

const synCache = new WeakMap<SynapseRecord, Map<string, SynapseKernel>>()
/** The unfused advance kernel of a synapse state, compiled once per record, order, aliasing and dtype. */
export function unfusedSynapseKernel(
  rec: SynapseRecord,
  s: SynapseStateData,
  dtype: Dtype,
  flushLimit: number,
  fz: (y: number, l: number) => number,
): SynapseKernel {
  let byKey = synCache.get(rec)
  if (byKey === undefined) {
    byKey = new Map()
    synCache.set(rec, byKey)
  }
  const alias = condIsColumn(rec, s)
  const key = `${s.merged}:${alias}:${dtype}`
  let k = byKey.get(key)
  if (k === undefined) {
    k = new Function('fr', 'fz', unfusedSynapseSource(rec, s.merged, alias, dtype, flushLimit))(Math.fround, fz) as SynapseKernel
    byKey.set(key, k)
  }
  return k
}

// --- Outputs -------------------------------------------------------------------------------------------------

interface ParsedOutput {
  readonly temps: Stmt[]
  readonly G: Expr | null
  readonly GE: Expr | null
  readonly Ic: Expr | null
}
const parsedOutputs = new WeakMap<OutputRecord, ParsedOutput>()
function parseOutput(rec: OutputRecord): ParsedOutput {
  let p = parsedOutputs.get(rec)
  if (p === undefined) {
    const e = (s: string | null) => (s === null ? null : parseExpr(s))
    p = { temps: parseSnippet(rec.temps), G: e(rec.G), GE: e(rec.GE), Ic: e(rec.Ic) }
    parsedOutputs.set(rec, p)
  }
  return p
}

/**
 * Output `k`'s part of a kernel: its conductance is `c{k}`, `vOld` the text of the post neuron's V at the start
 * of the tick; returns the body (its temporaries) and the contribution texts to each sum (null where none).
 */
export function emitOutput(
  rec: OutputRecord,
  k: number,
  vOld: string,
): { prologue: string; body: string; G: string | null; GE: string | null; Ic: string | null } {
  const po = parseOutput(rec)
  const pro: string[] = []
  rec.params.forEach((p) => pro.push(`const o${k}_${p.name} = out[${k}].params.${p.name};`))
  rec.derived.forEach((d, j) => pro.push(`const o${k}_${d.name} = od[${k}][${j}](out[${k}].params);`))
  const temps = new Set<string>()
  const namer = (id: string): string => {
    if (id === 'c') return `c${k}`
    if (id === 'V') return vOld
    if (temps.has(id)) return `u${k}_${id}`
    if (rec.params.some((p) => p.name === id) || rec.derived.some((d) => d.name === id)) return `o${k}_${id}`
    throw new Error(`${rec.kind}: the snippet reads '${id}', which is no parameter, derived constant or temporary`)
  }
  const body: string[] = []
  for (const s of po.temps) {
    body.push(`const u${k}_${s.name} = ${jsText(s.e, namer)};`)
    temps.add(s.name)
  }
  const t = (e: Expr | null) => (e === null ? null : jsText(e, namer))
  return { prologue: pro.join('\n'), body: body.join('\n'), G: t(po.G), GE: t(po.GE), Ic: t(po.Ic) }
}

/** Derived-constant functions of an output record, as the generated prologue calls them. */
export function outputDerivers(rec: OutputRecord): ((p: Readonly<Record<string, number>>) => number)[] {
  return rec.derived.map((d) => (p: Readonly<Record<string, number>>) => d.f(p, 0))
}

/** Source text of the unfused kernel of an output record. */
export function unfusedOutputSource(rec: OutputRecord): string {
  const e = emitOutput(rec, 0, 'V[i]')
  const add: string[] = []
  if (e.G !== null) add.push(`G[i] += ${e.G};`)
  if (e.GE !== null) add.push(`GE[i] += ${e.GE};`)
  if (e.Ic !== null) add.push(`I[i] += ${e.Ic};`)
  return [
    `return function output_${ident(rec.kind)}(o, inp, V, from, to) {`,
    'const out = [o];',
    e.prologue,
    'const C = o.state.cond.array, G = inp.G, GE = inp.GE, I = inp.I;',
    'for (let i = from; i < to; i++) {',
    'const c0 = C[i];',
    e.body,
    ...add,
    '}',
    '}',
  ].join('\n')
}

const outCache = new WeakMap<OutputRecord, OutputKernel>()
/** The unfused kernel of an output record, compiled once. */
export function unfusedOutputKernel(rec: OutputRecord): OutputKernel {
  let k = outCache.get(rec)
  if (k === undefined) {
    k = new Function('od', unfusedOutputSource(rec).replace(/od\[0\]/g, 'od'))(outputDerivers(rec)) as OutputKernel
    outCache.set(rec, k)
  }
  return k
}

// --- Fused kernels -----------------------------------------------------------------------------------------

/**
 * Source text of the fused kernel of a population: per neuron, each incoming synapse state advances and binds
 * its conductance, each output adds it to the sums (in creation order, starting from 0 as the unfused sums
 * do), then the neuron integrates with them.
 */
export function fusedSource(
  pop: PopulationData,
  rec: NeuronRecord,
  states: readonly { rec: SynapseRecord; s: SynapseStateData }[],
  outs: readonly OutputRecord[],
  dtype: Dtype,
  flushLimit: number,
  hasArr: boolean,
): string {
  const round = roundFor(dtype)
  const pro: string[] = [`const fl = ${flushLimit};`]
  // The synapse states advance, then the outputs form their terms (which read only the bound conductances and
  // the V of the start of the tick), then the neuron integrates.
  const body: string[] = []
  const outBody: string[] = []
  const G = ['0'],
    GE = ['0'],
    Ic = ['0']
  states.forEach(({ rec: sr, s }, k) => {
    const syn = emitSynapse(sr, k, s.merged, condIsColumn(sr, s), round)
    pro.push(syn.prologue)
    body.push(`// synapse state ${k}: ${s.kind}${s.merged ? ' (merged)' : ''}`, syn.body)
    const o = emitOutput(outs[k], k, 'c_V[i]')
    pro.push(o.prologue)
    if (o.body) outBody.push(o.body)
    if (o.G !== null) G.push(o.G)
    if (o.GE !== null) GE.push(o.GE)
    if (o.Ic !== null) Ic.push(o.Ic)
  })
  const n = emitNeuron(rec, { G: G.join(' + '), GE: GE.join(' + '), Ic: Ic.join(' + '), Is: 'iS', Ia: hasArr ? 'ia[i]' : '0' }, round)
  return [
    `return function fused_${ident(pop.name)}(pop, inp, tick, from, to, ns) {`,
    n.prologue,
    ...pro,
    'const iS = inp.iScalar, ia = inp.iArr;',
    'for (let i = from; i < to; i++) {',
    ...body,
    ...outBody,
    n.body,
    '}',
    'return ns;',
    '}',
  ].join('\n')
}
