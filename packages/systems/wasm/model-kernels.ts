// Generates WebAssembly text (f32x4 SIMD, 4 neurons per step) from the model records, at build time
// (scripts/build-wasm.ts runs it through tsx). Every record gets:
//   - neuron kernels n_<kind>(from, to, prm, tick, ns) → ns: read the float32 sums Σg, Σg·E, Σ current that the
//     synapse kernels left (and zero them), run the record's snippets in float32 lane arithmetic, hold
//     refractory lanes, detect spikes, reset, append the indices of spiking neurons (ascending) to the spike list;
//   - synapse kernels s_<kind>_<m|n>_<output>(from, to, prm): advance a state in the Mg or non-Mg order (the flush
//     to zero as in every synapse kernel), bind its conductance and add the output's contribution to the sums.
// A population's tick on this path is its synapse kernels in creation order, then its neuron kernel: the sums are
// formed in the TypeScript kernels' order, in float32. The layouts of the parameter blocks come from
// src/codegen/wasm-layout.ts, as the runtime reads them.
//
// The snippet of a record is compiled node by node, in the written order: + − × ÷ are f32x4 operations,
// comparisons give lane masks, `c ? a : b` is a lane select (both sides are evaluated), exp is a Cephes-style
// range-reduced float32 exponential (about 1 ulp), expm1 a degree-7 series below 0.5 in magnitude and
// exp − 1 above, `expc` the LIF family's series around −0.175 (`exp4` of lif-kernels.mjs, the same text).
// Subexpressions of parameters only are computed once per call, before the loop, with the same operations.
import { blockLayout, type NeuronRecord, type OutputRecord, type SynapseRecord } from '../src/models/record.js'
import { parseExpr, parseSnippet, jsText, type Expr, type Stmt } from '../src/models/expr.js'
import { NEURON_SLOTS, neuronExport, synapseExport, synapseLayout } from '../src/codegen/wasm-layout.js'
import { exp4, f32Text } from './lif-kernels.mjs'

const get = (n: string): string => `(local.get $${n})`
const set = (n: string, e: string): string => `(local.set $${n} ${e})`

/** Locals, hoisted constants and statements of one function being generated. */
class Fn {
  readonly v128 = new Set<string>()
  readonly i32 = new Set<string>()
  /** Statements run once per call, before the loop. */
  readonly pre: string[] = []
  private readonly hoisted = new Map<string, string>()
  private readonly consts = new Map<string, string>()
  private n = 0
  local(prefix: string): string {
    const name = `${prefix}${this.n++}`
    this.v128.add(name)
    return name
  }
  /** A splatted float32 constant, in a local set before the loop. */
  splat(v: number): string {
    const key = f32Text(v)
    let l = this.consts.get(key)
    if (l === undefined) {
      l = `K${this.consts.size}`
      this.v128.add(l)
      this.consts.set(key, l)
      this.pre.push(set(l, `(f32x4.splat (f32.const ${key}))`))
    }
    return get(l)
  }
  /** A once-per-call value keyed by `key`, computed by `emit` into the pre-loop statements. */
  hoist(key: string, emit: (out: string[]) => string): string {
    let l = this.hoisted.get(key)
    if (l === undefined) {
      const out: string[] = []
      const e = emit(out)
      l = this.local('H')
      this.pre.push(...out, set(l, e))
      this.hoisted.set(key, l)
    }
    return get(l)
  }
}

/** Float32 e^x on 4 lanes, Cephes-style: x = n·ln2 + r, e^x = 2^n·p(r); x clamped to [−87, 88]. */
function expF32(fn: Fn, x: string, out: string[]): string {
  const ex = fn.local('ex'),
    fx = fn.local('fx'),
    nn = fn.local('nn'),
    r = fn.local('r'),
    p = fn.local('p')
  out.push(
    set(ex, `(f32x4.pmin (f32x4.pmax ${x} ${fn.splat(-87)}) ${fn.splat(88)})`),
    set(fx, `(f32x4.add (f32x4.mul ${get(ex)} ${fn.splat(Math.LOG2E)}) ${fn.splat(12582912.0)})`),
    set(nn, `(i32x4.shl (i32x4.sub ${get(fx)} (i32x4.splat (i32.const ${0x4b400000 - 127}))) (i32.const 23))`),
    set(fx, `(f32x4.sub ${get(fx)} ${fn.splat(12582912.0)})`),
    set(
      r,
      `(f32x4.sub (f32x4.sub ${get(ex)} (f32x4.mul ${get(fx)} ${fn.splat(0.693359375)})) (f32x4.mul ` +
        `${get(fx)} ${fn.splat(-2.1219444e-4)}))`,
    ),
    set(p, `(f32x4.add (f32x4.mul ${get(r)} ${fn.splat(1.98756915e-4)}) ${fn.splat(1.3981999507e-3)})`),
    ...[8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1].map((c) =>
      set(p, `(f32x4.add (f32x4.mul ${get(p)} ${get(r)}) ${fn.splat(c)})`),
    ),
    set(p, `(f32x4.add (f32x4.add (f32x4.mul ${get(p)} (f32x4.mul ${get(r)} ${get(r)})) ${get(r)}) ${fn.splat(1.0)})`),
    set(p, `(f32x4.mul ${get(p)} ${get(nn)})`),
  )
  return get(p)
}

/** Float32 e^x − 1: x·(1 + x/2 + x²/6 + … + x⁶/5040) (Horner) where |x| < 0.5, e^x − 1 elsewhere. */
function expm1F32(fn: Fn, x: string, out: string[]): string {
  const xv = fn.local('xm'),
    s = fn.local('sm')
  out.push(set(xv, x))
  const e = expF32(fn, get(xv), out)
  let poly = fn.splat(1 / 5040)
  for (const c of [1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1]) poly = `(f32x4.add (f32x4.mul ${get(xv)} ${poly}) ${fn.splat(c)})`
  out.push(
    set(
      s,
      `(v128.bitselect (f32x4.mul ${get(xv)} ${poly}) (f32x4.sub ${e} ${fn.splat(1)}) (f32x4.lt (f32x4.abs ${get(xv)}) ${fn.splat(0.5)}))`,
    ),
  )
  return get(s)
}

const BIN: Record<string, string> = {
  '+': 'f32x4.add',
  '-': 'f32x4.sub',
  '*': 'f32x4.mul',
  '/': 'f32x4.div',
  '<': 'f32x4.lt',
  '<=': 'f32x4.le',
  '>': 'f32x4.gt',
  '>=': 'f32x4.ge',
  '==': 'f32x4.eq',
  '!=': 'f32x4.ne',
  '&&': 'v128.and',
  '||': 'v128.or',
}

interface Scope {
  /** WAT text of a name (`old` for old(X)). */
  name(id: string, old: boolean): string
  /** True when a name is a parameter or derived constant (the same for every lane and neuron). */
  isConst(id: string): boolean
}

function isConstExpr(e: Expr, scope: Scope): boolean {
  switch (e.t) {
    case 'num':
      return true
    case 'id':
      return scope.isConst(e.name)
    case 'neg':
      return isConstExpr(e.a, scope)
    case 'bin':
      return isConstExpr(e.a, scope) && isConstExpr(e.b, scope)
    case 'call':
      return e.f !== 'old' && e.args.every((a) => isConstExpr(a, scope))
    case 'sel':
      return isConstExpr(e.c, scope) && isConstExpr(e.a, scope) && isConstExpr(e.b, scope)
  }
}

/** WAT text of an expression on 4 lanes; statements it needs (exponentials) go to `out`. */
function compile(fn: Fn, e: Expr, scope: Scope, out: string[]): string {
  if (e.t !== 'num' && e.t !== 'id' && isConstExpr(e, scope)) {
    return fn.hoist(
      jsText(e, (id) => id),
      (pre) => compileNode(fn, e, scope, pre),
    )
  }
  return compileNode(fn, e, scope, out)
}

function compileNode(fn: Fn, e: Expr, scope: Scope, out: string[]): string {
  switch (e.t) {
    case 'num':
      return fn.splat(e.v)
    case 'id':
      return scope.name(e.name, false)
    case 'neg':
      return `(f32x4.neg ${compile(fn, e.a, scope, out)})`
    case 'bin':
      return `(${BIN[e.op]} ${compile(fn, e.a, scope, out)} ${compile(fn, e.b, scope, out)})`
    case 'sel':
      return `(v128.bitselect ${compile(fn, e.a, scope, out)} ${compile(fn, e.b, scope, out)} ${compile(fn, e.c, scope, out)})`
    case 'call': {
      if (e.f === 'old') return scope.name((e.args[0] as { name: string }).name, true)
      const a = compile(fn, e.args[0], scope, out)
      switch (e.f) {
        case 'abs':
          return `(f32x4.abs ${a})`
        case 'exp':
          return expF32(fn, a, out)
        case 'expm1':
          return expm1F32(fn, a, out)
        case 'expc': {
          const names = {
            r: fn.local('cr'),
            nn: fn.local('cn'),
            p: fn.local('cp'),
            e: fn.local('ce'),
            ex: fn.local('cx'),
            fx: fn.local('cf'),
          }
          out.push(...exp4(a, { splat: (v: number) => fn.splat(v), names }))
          return get(names.e)
        }
      }
      throw new Error(`no WebAssembly form of ${e.f}`)
    }
  }
}

const ld = (slot: number, t = 'f32'): string => `(${t}.load offset=${slot * 4} (local.get $prm))`

/** The neuron kernel of a record. */
export function neuronKernelText(rec: NeuronRecord): string {
  const fn = new Fn()
  const layout = blockLayout(rec)
  const L = layout.length
  const slot = new Map(layout.map((n, k) => [n, k]))
  const stateNames = rec.state.map((v) => v.name)
  const always = parseSnippet(rec.always ?? '')
  const update = parseSnippet(rec.targets?.wasm?.update ?? rec.update)
  const spike = rec.spike === null ? null : parseExpr(rec.spike)
  const reset = parseSnippet(rec.reset)
  for (const n of ['off', 'idx', 'bits', 'ia', 'G', 'GE', 'Ic', 'spk', 'last']) fn.i32.add(n)
  for (const n of ['tickv', 'nv', 'lanes', 'nRef', 'active', 'lastv', 'spike', 'i_G', 'i_GE', 'i_Ic', 'i_Ia', 'i_Is', 'zero'])
    fn.v128.add(n)
  stateNames.forEach((s) => {
    fn.i32.add(`S_${s}`)
    fn.v128.add(`s_${s}`)
    fn.v128.add(`n_${s}`)
  })
  const params = new Set<string>()
  const temps = new Set<string>()
  const assigned = new Set<string>()
  const scope = (readNew: boolean): Scope => ({
    name(id, old) {
      if (stateNames.includes(id)) return get(!old && readNew && assigned.has(id) ? `n_${id}` : `s_${id}`)
      if (temps.has(id)) return get(`t_${id}`)
      if (slot.has(id)) {
        params.add(id)
        return get(`p_${id}`)
      }
      if (['G', 'GE', 'Ic', 'Is', 'Ia'].includes(id)) return get(`i_${id}`)
      throw new Error(`${rec.kind}: '${id}' is no name of the record`)
    },
    isConst: (id) => !stateNames.includes(id) && !temps.has(id) && slot.has(id),
  })
  const pre: string[] = [
    set('tickv', '(i32x4.splat (local.get $tick))'),
    set('nv', '(i32x4.splat (local.get $to))'),
    set('lanes', '(v128.const i32x4 0 1 2 3)'),
    set('zero', '(v128.const i32x4 0 0 0 0)'),
    set('i_Is', `(f32x4.splat ${ld(L + NEURON_SLOTS.iS)})`),
    set('ia', ld(L + NEURON_SLOTS.ia, 'i32')),
    set('G', ld(L + NEURON_SLOTS.G, 'i32')),
    set('GE', ld(L + NEURON_SLOTS.GE, 'i32')),
    set('Ic', ld(L + NEURON_SLOTS.Ic, 'i32')),
    set('spk', ld(L + NEURON_SLOTS.spikes, 'i32')),
    set('last', ld(L + NEURON_SLOTS.last, 'i32')),
    set('nRef', `(i32x4.splat ${ld(L + NEURON_SLOTS.nRef, 'i32')})`),
    set('idx', get('from')),
    set('off', '(i32.shl (local.get $from) (i32.const 2))'),
    ...stateNames.map((s, j) => set(`S_${s}`, ld(L + NEURON_SLOTS.state + j, 'i32'))),
  ]
  const at = (p: string): string => `(i32.add ${get(p)} ${get('off')})`

  // The loop body, generated once with the tail mask as a flag.
  function chunk(tail: boolean): string[] {
    temps.clear()
    assigned.clear()
    const out: string[] = []
    for (const k of ['G', 'GE', 'Ic']) out.push(set(`i_${k}`, `(v128.load ${at(k)})`), `(v128.store ${at(k)} ${get('zero')})`)
    out.push(set('i_Ia', `(v128.load ${at('ia')})`))
    for (const s of stateNames) out.push(set(`s_${s}`, `(v128.load ${at(`S_${s}`)})`))
    const stmts = (list: Stmt[], readNew: boolean, masked: string | null): void => {
      for (const s of list) {
        const e = compile(fn, s.e, scope(readNew), out)
        if (s.temp) {
          temps.add(s.name)
          fn.v128.add(`t_${s.name}`)
          out.push(set(`t_${s.name}`, e))
        } else if (masked !== null) {
          // A reset: only the spiking lanes take the new value.
          out.push(set(`n_${s.name}`, `(v128.bitselect ${e} ${get(`n_${s.name}`)} ${masked})`))
        } else {
          out.push(set(`n_${s.name}`, e))
          assigned.add(s.name)
        }
      }
    }
    stmts(always, false, null)
    const alwaysSet = new Set(assigned)
    if (rec.refractory) {
      out.push(
        set('lastv', `(v128.load ${at('last')})`),
        set('active', `(i32x4.gt_s (i32x4.sub ${get('tickv')} ${get('lastv')}) ${get('nRef')})`),
      )
    }
    stmts(update, false, null)
    // Refractory lanes keep the old value of what `update` assigns.
    if (rec.refractory) {
      for (const s of assigned)
        if (!alwaysSet.has(s)) out.push(set(`n_${s}`, `(v128.bitselect ${get(`n_${s}`)} ${get(`s_${s}`)} ${get('active')})`))
    }
    if (spike !== null) {
      const valid = `(i32x4.lt_s (i32x4.add (i32x4.splat ${get('idx')}) ${get('lanes')}) ${get('nv')})`
      let cond = compile(fn, spike, scope(true), out)
      if (rec.refractory) cond = `(v128.and ${cond} ${get('active')})`
      if (tail) cond = `(v128.and ${cond} ${valid})`
      out.push(set('spike', cond))
      stmts(reset, true, get('spike'))
    }
    for (const s of stateNames) if (assigned.has(s)) out.push(`(v128.store ${at(`S_${s}`)} ${get(`n_${s}`)})`)
    if (spike !== null) {
      out.push(
        set('bits', `(i32x4.bitmask ${get('spike')})`),
        `(if ${get('bits')} (then
        ${rec.lastSpike ? `(v128.store ${at('last')} (v128.bitselect ${get('tickv')} (v128.load ${at('last')}) ${get('spike')}))` : ''}
        (loop $B
        (i32.store (i32.add ${get('spk')} (i32.shl ${get('ns')} (i32.const 2))) (i32.add ${get('idx')} (i32.ctz ${get('bits')})))
        ${set('ns', `(i32.add ${get('ns')} (i32.const 1))`)}
        ${set('bits', `(i32.and ${get('bits')} (i32.sub ${get('bits')} (i32.const 1)))`)}
        (br_if $B ${get('bits')}))))`,
      )
    }
    out.push(set('idx', `(i32.add ${get('idx')} (i32.const 4))`), set('off', `(i32.add ${get('off')} (i32.const 16))`))
    return out
  }
  const full = chunk(false)
  const tail = chunk(true)
  for (const p of params) {
    fn.v128.add(`p_${p}`)
    pre.unshift(set(`p_${p}`, `(f32x4.splat ${ld(slot.get(p) as number)})`))
  }
  const name = neuronExport(rec.kind)
  return `(func $${name} (export "${name}")
  (param $from i32) (param $to i32) (param $prm i32) (param $tick i32) (param $ns i32) (result i32)
  ${[...fn.v128].map((n) => `(local $${n} v128)`).join(' ')}
  ${[...fn.i32].map((n) => `(local $${n} i32)`).join(' ')}
  ${pre.join('\n  ')}
  ${fn.pre.join('\n  ')}
  (block $done (loop $L
    (br_if $done (i32.gt_s (i32.add ${get('idx')} (i32.const 4)) ${get('to')}))
    ${full.join('\n    ')}
    (br $L)))
  (if (i32.lt_s ${get('idx')} ${get('to')}) (then
    ${tail.join('\n    ')}))
  ${get('ns')})`
}

/**
 * The synapse kernel of a (synapse record, Mg order, output record): advance, bind, add to the sums. Lanes past
 * the population's end compute on the columns' padding and write only there.
 */
export function synapseKernelText(syn: SynapseRecord, merged: boolean, out: OutputRecord, { flush = true } = {}): string {
  const fn = new Fn()
  const lay = synapseLayout(syn, out)
  const advance = parseSnippet(syn.advance)
  const cond = parseExpr(syn.conductance)
  const otemps = parseSnippet(out.temps)
  for (const n of ['off', 'C', 'G', 'GE', 'Ic', 'V']) fn.i32.add(n)
  for (const n of ['c', 'absm', 'tiny']) fn.v128.add(n)
  syn.columns.forEach((c) => {
    fn.i32.add(`S_${c}`)
    fn.v128.add(`s_${c}`)
    fn.v128.add(`n_${c}`)
  })
  const constNames = new Map<string, number>()
  syn.derived.forEach((d, j) => constNames.set(d.name, lay.derived + j))
  const outConst = new Map<string, number>()
  out.params.forEach((p, j) => outConst.set(p.name, lay.outParams + j))
  out.derived.forEach((d, j) => outConst.set(d.name, lay.outDerived + j))
  const used = new Set<string>()
  const newCols = new Set<string>()
  const temps = new Set<string>()
  const synScope = (readNew: boolean): Scope => ({
    name(id) {
      if (syn.columns.includes(id)) return get(readNew && newCols.has(id) ? `n_${id}` : `s_${id}`)
      if (temps.has(id)) return get(`t_${id}`)
      if (constNames.has(id)) {
        used.add(id)
        return get(`d_${id}`)
      }
      throw new Error(`${syn.kind}: '${id}' is no name of the record`)
    },
    isConst: (id) => constNames.has(id),
  })
  const outScope: Scope = {
    name(id) {
      if (id === 'c') return get('c')
      if (id === 'V') return `(v128.load ${'(i32.add (local.get $V) (local.get $off))'})`
      if (temps.has(`o_${id}`)) return get(`t_o_${id}`)
      if (outConst.has(id)) {
        used.add(`o:${id}`)
        return get(`o_${id}`)
      }
      throw new Error(`${out.kind}: '${id}' is no name of the record`)
    },
    isConst: (id) => outConst.has(id),
  }
  const at = (p: string): string => `(i32.add ${get(p)} ${get('off')})`
  const body: string[] = []
  for (const c of syn.columns) body.push(set(`s_${c}`, `(v128.load ${at(`S_${c}`)})`))
  if (!merged) body.push(set('c', compile(fn, cond, synScope(false), body)), `(v128.store ${at('C')} ${get('c')})`)
  for (const s of advance) {
    const e = compile(fn, s.e, synScope(false), body)
    if (s.temp) {
      temps.add(s.name)
      fn.v128.add(`t_${s.name}`)
      body.push(set(`t_${s.name}`, e))
      continue
    }
    body.push(set(`n_${s.name}`, e))
    // The flush to zero of every synapse kernel (models/synapses.ts, `flushLimit`): |y| < 2^−100 → 0.
    if (flush)
      body.push(
        set(`n_${s.name}`, `(v128.and ${get(`n_${s.name}`)} (i32x4.gt_s (v128.and ${get(`n_${s.name}`)} ${get('absm')}) ${get('tiny')}))`),
      )
    body.push(`(v128.store ${at(`S_${s.name}`)} ${get(`n_${s.name}`)})`)
    newCols.add(s.name)
  }
  if (merged) body.push(set('c', compile(fn, cond, synScope(true), body)), `(v128.store ${at('C')} ${get('c')})`)
  for (const s of otemps) {
    const e = compile(fn, s.e, outScope, body)
    temps.add(`o_${s.name}`)
    fn.v128.add(`t_o_${s.name}`)
    body.push(set(`t_o_${s.name}`, e))
  }
  for (const [sum, text] of [
    ['G', out.G],
    ['GE', out.GE],
    ['Ic', out.Ic],
  ] as const) {
    if (text === null) continue
    body.push(`(v128.store ${at(sum)} (f32x4.add (v128.load ${at(sum)}) ${compile(fn, parseExpr(text), outScope, body)}))`)
  }
  body.push(set('off', `(i32.add ${get('off')} (i32.const 16))`))
  const pre: string[] = [
    set('off', '(i32.shl (local.get $from) (i32.const 2))'),
    set('absm', '(v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)'),
    // 2^−100 as float32 bits, minus one: |y| ≥ 2^−100 ⇔ bits(|y|) > this (a NaN stays NaN, for the checker).
    set('tiny', `(i32x4.splat (i32.const ${0x0d800000 - 1}))`),
    ...syn.columns.map((c, j) => set(`S_${c}`, ld(lay.cols + j, 'i32'))),
    set('C', ld(lay.cond, 'i32')),
    set('G', ld(lay.G, 'i32')),
    set('GE', ld(lay.GE, 'i32')),
    set('Ic', ld(lay.Ic, 'i32')),
    set('V', ld(lay.V, 'i32')),
  ]
  for (const [n, k] of constNames)
    if (used.has(n)) {
      fn.v128.add(`d_${n}`)
      pre.push(set(`d_${n}`, `(f32x4.splat ${ld(k)})`))
    }
  for (const [n, k] of outConst)
    if (used.has(`o:${n}`)) {
      fn.v128.add(`o_${n}`)
      pre.push(set(`o_${n}`, `(f32x4.splat ${ld(k)})`))
    }
  const name = synapseExport(syn.kind, merged, out.kind)
  return `(func $${name} (export "${name}")
  (param $from i32) (param $to i32) (param $prm i32)
  ${[...fn.v128].map((n) => `(local $${n} v128)`).join(' ')}
  ${[...fn.i32].map((n) => `(local $${n} i32)`).join(' ')}
  ${pre.join('\n  ')}
  ${fn.pre.join('\n  ')}
  (block $done (loop $L
    (br_if $done (i32.ge_s (i32.shr_u ${get('off')} (i32.const 2)) ${get('to')}))
    ${body.join('\n    ')}
    (br $L))))`
}

/** Every generated function: the neuron kernels of `neurons`, the synapse kernels of every (synapse, order, output). */
export function modelFunctions(
  neurons: readonly NeuronRecord[],
  synapses: readonly SynapseRecord[],
  outputs: readonly OutputRecord[],
  opts: { flush?: boolean } = {},
): string {
  const fns: string[] = neurons.map(neuronKernelText)
  for (const s of synapses) for (const merged of [false, true]) for (const o of outputs) fns.push(synapseKernelText(s, merged, o, opts))
  return fns.join('\n')
}
