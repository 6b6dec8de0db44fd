// Generates the WebAssembly text of spikecs's SIMD kernels for the LIF family (float32, 4 lanes).
//
// One exported function per (LTC or not, number of COBA states, number of CUBA states, which states are
// merged), at most 4 states:
//   lif_{ltc|plain}_{nCoba}_{nCuba}_{n|m|x}(from, to, V, last, spikes, prm, tick, ns) -> new spike count
// over the neurons [from, to) (from a multiple of 4), appending spike indices from position ns
// where n: no state is merged, m: all are, x: mixed (the merged mask of each state is read at run time).
// These load no per-neuron input: their input is iS + 0, what adding a zero input gives (the same float32
// values). Populations with a per-neuron input (slot 8) run lif_{ltc|plain}_{nCoba}_{nCuba}_{x|n}_a, the
// mixed variant (which gives the n and m ones' results) with the input loaded (n when there is no state).
// A loop that loads one column less keeps one address register less, so V8 spills less in it: the
// populations without a per-neuron input, the usual case, run faster.
// Each call does, for the population, what AlignPostSystem, OutputSystem and NeuronSystem do (the fused
// order): per 4 neurons, advance each Expon state (merged: add-then-decay, the state is the conductance;
// otherwise the stored value is the conductance and the state decays after), sum COBA/CUBA outputs, then
// integrate V (non-LTC: V_inf from the previous V with e^(−dt/τ); LTC: exponential Euler with
// e^(−dt(1+RΣg)/τ) computed by a float32 exp), hold refractory neurons, detect V ≥ V_th, reset, and append
// the indices of spiking neurons (ascending) to `spikes`. Arithmetic is float32 throughout, so results agree
// with the TypeScript kernels (double arithmetic, float32 storage) to float32 rounding, not bit for bit; the
// synapse states (g·a, an exact product rounded once, then the shared flush to zero) are bit-identical.
//
// Parameter block at `prm` (4-byte slots): 0 vRest, 1 vReset, 2 vTh, 3 R, 4 −dt/τ, 5 e^(−dt/τ), 6 nRef (i32),
// 7 scalar input, 8 pointer to the per-neuron input (f32 per neuron); state k at slot 12 + 8k (COBA states
// first, then CUBA ones): 0 S pointer, 1 conductance pointer (= S for merged states), 2 decay a, 3 merged
// mask (i32 0 or −1; read by the mixed variants only), 4 reversal potential E (COBA).

import { commFunctions } from './comm-kernels.mjs'

export const MAX_STATES = 4

/** WebAssembly text of a float32 constant. */
export const f32Text = (x) => {
  const s = Math.fround(x).toString()
  return /[.e]/.test(s) ? s : `${s}.0`
}
const f = f32Text
/** Splatted float constants, hoisted into locals before the neuron loop (see `kernel`). */
let pool = null
const splatPooled = (v) => {
  const key = f(v)
  if (!pool.has(key)) pool.set(key, `K${pool.size}`)
  return `(local.get $${pool.get(key)})`
}
const get = (n) => `(local.get $${n})`
const set = (n, e) => `(local.set $${n} ${e})`
const splat = (v) => splatPooled(v)

/**
 * e^x on 4 lanes, about 1 ulp, given r = x − c (the caller folds c into its constants). Usual case — every
 * lane within 0.175 of c = −0.175 (x = −dt(1+RΣg)/τ is typically −0.1…−0.3 in conductance networks):
 * e^x = e^c · Taylor_5(r), error below 4·10^−8 relative, the polynomial evaluated in Estrin's order
 * (1 + r) + r²(1/2 + r/6) + r⁴(1/24 + r/120), which halves its dependency chain against Horner's.
 * Otherwise Cephes-style expf: e^x = 2^n · p(r), x = n·ln2 + r, |r| ≤ ln2/2, n = round(x·log2 e) by adding
 * 1.5·2^23 (the addition rounds to nearest; the low mantissa bits of the sum are then n), which avoids the
 * multi-instruction `nearest` and `trunc_sat` lowerings; x is clamped below at −87 with `pmax`.
 */
const EXP_C = -0.175
/**
 * `names` are the six v128 locals it uses (r, nn, p, e, ex, fx; the result is in `e`) and `splat` gives a
 * splatted constant: the record generator (model-kernels.ts) passes its own, so both emit this same text.
 */
export function exp4(r, { splat = splatPooled, names = { r: 'r', nn: 'nn', p: 'p', e: 'e', ex: 'ex', fx: 'fx' } } = {}) {
  const get = (n) => `(local.get $${names[n] ?? n})`
  const set = (n, e) => `(local.set $${names[n] ?? n} ${e})`
  return [
    set('r', r),
    set('nn', `(f32x4.mul ${get('r')} ${get('r')})`),
    set(
      'p',
      `(f32x4.add (f32x4.add ${splat(1)} ${get('r')}) (f32x4.mul ${get('nn')} (f32x4.add ${splat(0.5)} ` +
        `(f32x4.mul ${get('r')} ${splat(1 / 6)}))))`,
    ),
    set(
      'p',
      `(f32x4.add ${get('p')} (f32x4.mul (f32x4.mul ${get('nn')} ${get('nn')}) (f32x4.add ` +
        `${splat(1 / 24)} (f32x4.mul ${get('r')} ${splat(1 / 120)}))))`,
    ),
    set('e', `(f32x4.mul ${get('p')} ${splat(Math.exp(EXP_C))})`),
    `(if (v128.any_true (f32x4.gt (f32x4.abs ${get('r')}) ${splat(-EXP_C)})) (then
      ${[
        set('ex', `(f32x4.pmax (f32x4.add ${get('r')} ${splat(EXP_C)}) ${splat(-87.0)})`),
        set('fx', `(f32x4.add (f32x4.mul ${get('ex')} ${splat(Math.LOG2E)}) ${splat(12582912.0)})`),
        set('nn', `(i32x4.shl (i32x4.sub ${get('fx')} (i32x4.splat (i32.const ${0x4b400000 - 127}))) (i32.const 23))`),
        set('fx', `(f32x4.sub ${get('fx')} ${splat(12582912.0)})`),
        set(
          'r',
          `(f32x4.sub (f32x4.sub ${get('ex')} (f32x4.mul ${get('fx')} ${splat(0.693359375)})) (f32x4.mul ` +
            `${get('fx')} ${splat(-2.1219444e-4)}))`,
        ),
        set('p', `(f32x4.add (f32x4.mul ${get('r')} ${splat(1.98756915e-4)}) ${splat(1.3981999507e-3)})`),
        ...[8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1].map((c) =>
          set('p', `(f32x4.add (f32x4.mul ${get('p')} ${get('r')}) ${splat(c)})`),
        ),
        set('p', `(f32x4.add (f32x4.add (f32x4.mul ${get('p')} (f32x4.mul ${get('r')} ${get('r')})) ${get('r')}) ${splat(1.0)})`),
        set('e', `(f32x4.mul ${get('p')} ${get('nn')})`),
      ].join('\n      ')}))`,
  ]
}

function kernel(ltc, nCoba, nCuba, mg, arr, flush) {
  pool = new Map()
  const K = nCoba + nCuba
  const name = `lif_${ltc ? 'ltc' : 'plain'}_${nCoba}_${nCuba}_${mg}${arr ? '_a' : ''}`
  const v128 = [
    'vRest',
    'vReset',
    'vTh',
    'R',
    'kNeg',
    'kV',
    'nRef',
    'iS',
    'tickv',
    'nv',
    'lanes',
    'G',
    'GE',
    'Ic',
    'lastv',
    'active',
    'v',
    'ii',
    'g1',
    'vInf',
    'e',
    'vn',
    'spike',
    'ex',
    'fx',
    'r',
    'p',
    'nn',
    'absm',
    'tiny',
    'rA',
    'rB',
  ]
  const i32 = ['off', 'end', 'bits', 'ia']
  for (let k = 0; k < K; k++) {
    v128.push(`a${k}`, `m${k}`, `E${k}`, `x${k}`, `y${k}`, `c${k}`)
    i32.push(`S${k}`, `C${k}`)
  }
  const ld = (slot, t = 'f32') => `(${t}.load offset=${slot * 4} (local.get $prm))`
  const body = []
  // Parameters, splatted once per call.
  body.push(
    // The range [from, n) in bytes: the first chunk's offset (from is a multiple of 4) and the end; a neuron's
    // index is its offset / 4.
    set('off', `(i32.shl ${get('from')} (i32.const 2))`),
    set('end', `(i32.shl ${get('n')} (i32.const 2))`),
    set('vRest', `(f32x4.splat ${ld(0)})`),
    set('vReset', `(f32x4.splat ${ld(1)})`),
    set('vTh', `(f32x4.splat ${ld(2)})`),
    set('R', `(f32x4.splat ${ld(3)})`),
    set('kNeg', `(f32x4.splat ${ld(4)})`),
    set('kV', `(f32x4.splat ${ld(5)})`),
    set('nRef', `(i32x4.splat ${ld(6, 'i32')})`),
    // The scalar input; without a per-neuron input it is iS + 0 (see the header).
    set('iS', arr ? `(f32x4.splat ${ld(7)})` : `(f32x4.add (f32x4.splat ${ld(7)}) (f32x4.splat (f32.const 0)))`),
    set('ia', ld(8, 'i32')),
    set('tickv', `(i32x4.splat (local.get $tick))`),
    set('nv', `(i32x4.splat (local.get $n))`),
    set('lanes', '(v128.const i32x4 0 1 2 3)'),
    set('absm', '(v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)'),
    // 2^−100 as float32 bits, minus one: |y| ≥ 2^−100 ⇔ bits(|y|) > this (a NaN stays NaN, for the checker).
    set('tiny', `(i32x4.splat (i32.const ${0x0d800000 - 1}))`),
    // The exponential's argument minus its centre: −dt(1+RG)/τ − c = (−dt/τ − c) + (−dt/τ·R)·G.
    set('rA', `(f32x4.sub ${get('kNeg')} (f32x4.splat (f32.const ${f(EXP_C)})))`),
    set('rB', `(f32x4.mul ${get('kNeg')} ${get('R')})`),
  )
  for (let k = 0; k < K; k++) {
    const b = 12 + 8 * k
    body.push(
      set(`S${k}`, ld(b, 'i32')),
      set(`C${k}`, ld(b + 1, 'i32')),
      set(`a${k}`, `(f32x4.splat ${ld(b + 2)})`),
      set(`m${k}`, `(i32x4.splat ${ld(b + 3, 'i32')})`),
      set(`E${k}`, `(f32x4.splat ${ld(b + 4)})`),
    )
  }
  const at = (p) => `(i32.add ${get(p)} ${get('off')})`

  /** One chunk of 4 neurons; `tail` masks the lanes past n (only the last, partial chunk needs it). */
  function chunk(tail) {
    const out = []
    // Synapse states (COBA ones first, then CUBA) and their outputs.
    for (let k = 0; k < K; k++) {
      out.push(
        set(`x${k}`, `(v128.load ${at(`S${k}`)})`),
        // The flush to zero of every synapse kernel (models/synapses.ts, `flushLimit`): |y| < 2^−100 → 0.
        set(`y${k}`, `(f32x4.mul ${get(`x${k}`)} ${get(`a${k}`)})`),
        ...(flush
          ? [set(`y${k}`, `(v128.and ${get(`y${k}`)} (i32x4.gt_s (v128.and ${get(`y${k}`)} ${get('absm')}) ${get('tiny')}))`)]
          : []),
      )
      // Merged: the state is the conductance (one column). Otherwise the conductance is the value before decay.
      if (mg === 'm') out.push(set(`c${k}`, get(`y${k}`)))
      else if (mg === 'n') out.push(set(`c${k}`, get(`x${k}`)), `(v128.store ${at(`C${k}`)} ${get(`c${k}`)})`)
      else
        out.push(
          set(`c${k}`, `(v128.bitselect ${get(`y${k}`)} ${get(`x${k}`)} ${get(`m${k}`)})`),
          `(v128.store ${at(`C${k}`)} ${get(`c${k}`)})`,
        )
      out.push(`(v128.store ${at(`S${k}`)} ${get(`y${k}`)})`)
      if (k < nCoba) {
        out.push(
          set('G', k === 0 ? get(`c${k}`) : `(f32x4.add ${get('G')} ${get(`c${k}`)})`),
          set(
            'GE',
            k === 0
              ? `(f32x4.mul ${get(`c${k}`)} ${get(`E${k}`)})`
              : `(f32x4.add ${get('GE')} (f32x4.mul ${get(`c${k}`)} ${get(`E${k}`)}))`,
          ),
        )
      } else {
        out.push(set('Ic', k === nCoba ? get(`c${k}`) : `(f32x4.add ${get('Ic')} ${get(`c${k}`)})`))
      }
    }
    if (nCoba === 0) out.push(set('G', splat(0)), set('GE', splat(0)))
    if (nCuba === 0) out.push(set('Ic', splat(0)))
    // Neurons.
    const input = arr ? `(f32x4.add ${get('iS')} (v128.load ${at('ia')}))` : get('iS')
    out.push(
      set('lastv', `(v128.load ${at('last')})`),
      set('active', `(i32x4.gt_s (i32x4.sub ${get('tickv')} ${get('lastv')}) ${get('nRef')})`),
      set('v', `(v128.load ${at('V')})`),
      set('ii', nCuba > 0 ? `(f32x4.add ${input} ${get('Ic')})` : input),
    )
    if (ltc) {
      out.push(
        set('g1', `(f32x4.add ${splat(1)} (f32x4.mul ${get('R')} ${get('G')}))`),
        set('vInf', `(f32x4.div (f32x4.add ${get('vRest')} (f32x4.mul ${get('R')} (f32x4.add ${get('ii')} ${get('GE')}))) ${get('g1')})`),
        ...exp4(`(f32x4.add ${get('rA')} (f32x4.mul ${get('rB')} ${get('G')}))`),
      )
    } else {
      out.push(
        set(
          'vInf',
          `(f32x4.add ${get('vRest')} (f32x4.mul ${get('R')} ` +
            `(f32x4.sub (f32x4.add ${get('ii')} ${get('GE')}) (f32x4.mul ${get('G')} ${get('v')}))))`,
        ),
        set('e', get('kV')),
      )
    }
    const valid = `(i32x4.lt_s (i32x4.add (i32x4.splat (i32.shr_u ${get('off')} (i32.const 2))) ${get('lanes')}) ${get('nv')})`
    out.push(
      set('vn', `(f32x4.add ${get('vInf')} (f32x4.mul (f32x4.sub ${get('v')} ${get('vInf')}) ${get('e')}))`),
      set(
        'spike',
        tail
          ? `(v128.and (v128.and ${get('active')} (f32x4.ge ${get('vn')} ${get('vTh')})) ${valid})`
          : `(v128.and ${get('active')} (f32x4.ge ${get('vn')} ${get('vTh')}))`,
      ),
      `(v128.store ${at('V')} (v128.bitselect ${get('vReset')} (v128.bitselect ${get('vn')} ` +
        `${get('v')} ${get('active')}) ${get('spike')}))`,
      set('bits', `(i32x4.bitmask ${get('spike')})`),
      // Only chunks with a spike write `last` and the spike list (indices ascending).
      `(if ${get('bits')} (then
        (v128.store ${at('last')} (v128.bitselect ${get('tickv')} ${get('lastv')} ${get('spike')}))
        (loop $B
        (i32.store (i32.add ${get('spikes')} (i32.shl ${get('ns')} (i32.const 2)))
          (i32.add (i32.shr_u ${get('off')} (i32.const 2)) (i32.ctz ${get('bits')})))
        ${set('ns', `(i32.add ${get('ns')} (i32.const 1))`)}
        ${set('bits', `(i32.and ${get('bits')} (i32.sub ${get('bits')} (i32.const 1)))`)}
        (br_if $B ${get('bits')}))))`,
      set('off', `(i32.add ${get('off')} (i32.const 16))`),
    )
    return out
  }
  const full = chunk(false)
  const tail = chunk(true)
  for (const [value, local] of pool) {
    v128.push(local)
    body.push(`(local.set $${local} (f32x4.splat (f32.const ${value})))`)
  }
  return `(func $${name} (export "${name}")
  (param $from i32) (param $n i32) (param $V i32) (param $last i32) (param $spikes i32) (param $prm i32) (param $tick i32)
  (param $ns i32) (result i32)
  ${v128.map((n) => `(local $${n} v128)`).join(' ')}
  ${i32.map((n) => `(local $${n} i32)`).join(' ')}
  ${body.join('\n  ')}
  (block $done (loop $L
    (br_if $done (i32.gt_s (i32.add ${get('off')} (i32.const 16)) ${get('end')}))
    ${full.join('\n    ')}
    (br $L)))
  (if (i32.lt_s ${get('off')} ${get('end')}) (then
    ${tail.join('\n    ')}))
  ${get('ns')})`
}

/**
 * The whole module: imports the world's memory, exports one neuron kernel per variant, the comm kernels and
 * `extra` (the kernels generated from the model records, wasm/model-kernels.ts).
 * `flush: false` leaves the flush to zero out, for `pnpm bench:subnormal` only (it measures what the flush saves).
 */
export function lifModuleText(shared, { flush = true, extra = '' } = {}) {
  const fns = []
  for (const ltc of [false, true]) {
    for (let nCoba = 0; nCoba <= MAX_STATES; nCoba++) {
      for (let nCuba = 0; nCoba + nCuba <= MAX_STATES; nCuba++) {
        for (const mg of nCoba + nCuba === 0 ? ['n'] : ['n', 'm', 'x']) fns.push(kernel(ltc, nCoba, nCuba, mg, false, flush))
        fns.push(kernel(ltc, nCoba, nCuba, nCoba + nCuba === 0 ? 'n' : 'x', true, flush))
      }
    }
  }
  fns.push(commFunctions())
  if (extra) fns.push(extra)
  return `(module
  (import "env" "memory" (memory 1 65536${shared ? ' shared' : ''}))
${fns.join('\n')}
)`
}
