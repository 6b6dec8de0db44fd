// WebAssembly text of the comm kernels: event-driven delivery into a float32 state column. They do
// exactly what the `deliver` kernels of comm/csr.ts and comm/jit.ts do — the same events in the same order
// with float32 additions, and for on-the-fly rows the same integer hash and gaps as comm/rows.ts (four draws
// at a time in SIMD lanes) — so their results are bit-identical to the TypeScript kernels (tests compare
// them; test/systems/wasm/comm-sampler-wasm.test.ts holds the sampler to generateRow row by row).
//
// Spike indices arrive in a staging column already re-indexed to the comm layer's input (`spk`, `ns`).

/**
 * The integer mixer of the row streams (as in comm/rows.ts): x ^= x >>> 16; x *= 0x7feb352d; x ^= x >>> 15;
 * x *= 0x846ca68b; x ^= x >>> 16 — written once for a scalar i32 (`MIX`) and for four i32x4 lanes (`MIX4`).
 */
const mixer = (xor, shr, mul, k) => (x) =>
  `
    (local.set ${x} (${xor} (local.get ${x}) (${shr} (local.get ${x}) (i32.const 16))))
    (local.set ${x} (${mul} (local.get ${x}) ${k('0x7feb352d')}))
    (local.set ${x} (${xor} (local.get ${x}) (${shr} (local.get ${x}) (i32.const 15))))
    (local.set ${x} (${mul} (local.get ${x}) ${k('0x846ca68b')}))
    (local.set ${x} (${xor} (local.get ${x}) (${shr} (local.get ${x}) (i32.const 16))))`
const MIX = mixer('i32.xor', 'i32.shr_u', 'i32.mul', (c) => `(i32.const ${c})`)
const MIX4 = mixer('v128.xor', 'i32x4.shr_u', 'i32x4.mul', (c) => `(v128.const i32x4 ${c} ${c} ${c} ${c})`)

/**
 * A stored-rows kernel: for every synapse k (a byte offset into the rows) of every spiking row,
 * g[indices[k]] += the f32 that `weight` reads. The two forms differ only in where the weight comes from.
 * `range`: each row i runs from lo[i] to hi[i] (one thread's posts of the row, see comm/csr.ts) instead of
 * ptr[i] to ptr[i+1].
 */
// Where row i ends: ptr[i+1] for whole rows, hi[i] for one thread's part (the load is closed by the caller).
const END_ROW = '(i32.load offset=4 (i32.add (local.get $ptr)'
const END_RANGE = '(i32.load (i32.add (local.get $hi)'
const csrKernel = (name, params, weight, range = false) => `(func $${name} (export "${name}") ${params}
    (local $q i32) (local $i i32) (local $k i32) (local $e i32) (local $a i32)
    (block $done (loop $Q
      (br_if $done (i32.ge_s (local.get $q) (local.get $ns)))
      (local.set $i (i32.shl (i32.load (i32.add (local.get $spk) (i32.shl (local.get $q) (i32.const 2)))) (i32.const 2)))
      (local.set $k (i32.shl (i32.load (i32.add (local.get ${range ? '$lo' : '$ptr'}) (local.get $i))) (i32.const 2)))
      (local.set $e (i32.shl ${range ? END_RANGE : END_ROW} (local.get $i))) (i32.const 2)))
      (block $row (loop $K
        (br_if $row (i32.ge_s (local.get $k) (local.get $e)))
        (local.set $a (i32.add (local.get $g) (i32.shl (i32.load (i32.add (local.get $ind) (local.get $k))) (i32.const 2))))
        (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) ${weight}))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $K)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $Q))))`

export function commFunctions() {
  return `
  ;; Stored rows, one weight: g[indices[k]] += w for every synapse k of every spiking row.
  ${csrKernel(
    'csr_homo',
    '(param $ptr i32) (param $ind i32) (param $spk i32) (param $ns i32) (param $g i32) (param $w f32)',
    '(local.get $w)',
  )}

  ;; The same over one thread's part of each row, [lo[i], hi[i]).
  ${csrKernel(
    'csr_homo_range',
    '(param $lo i32) (param $hi i32) (param $ind i32) (param $spk i32) (param $ns i32) (param $g i32) (param $w f32)',
    '(local.get $w)',
    true,
  )}
  ${csrKernel(
    'csr_weights_range',
    '(param $lo i32) (param $hi i32) (param $ind i32) (param $W i32) (param $spk i32) (param $ns i32) (param $g i32)',
    '(f32.load (i32.add (local.get $W) (local.get $k)))',
    true,
  )}

  ;; Stored rows, one weight per synapse: g[indices[k]] += W[k].
  ${csrKernel(
    'csr_weights',
    '(param $ptr i32) (param $ind i32) (param $W i32) (param $spk i32) (param $ns i32) (param $g i32)',
    '(f32.load (i32.add (local.get $W) (local.get $k)))',
  )}

  ;; On-the-fly rows with one weight (see comm/rows.ts): for each spiking row i, keys from (key, i), then
  ;; draws r_n = mix(mix(k0 + n·golden) + k1), gaps from the threshold table, g[j] += w for each target j.
  ;; Returns the number of events. Tables: binLo (2^bits u32), binHi (2^bits u32), thresholds (cap u32).
  (func $jit_homo (export "jit_homo") (param $spk i32) (param $ns i32) (param $key i32) (param $nPost i32)
      (param $bits i32) (param $lo i32) (param $hi i32) (param $thr i32) (param $g i32) (param $w f32) (param $self i32)
      (result i32)
    ${JIT_LOCALS} ${WALK4_LOCALS}
    ${rowWalk4(ADD_NOW, 'table')}
    (local.get $events))

  ;; The same rows delivered in post order, for post populations larger than the caches: each target goes
  ;; into the bucket of its block of 2^14 posts (B: cap targets per block, cnt: fill per block, zero between
  ;; calls); a full bucket, and every bucket at the end, is added to g in arrival order. Per post the order of
  ;; the increments is kept, so the sums are bit-identical to jit_homo's; only the memory traffic changes
  ;; (a bucket's adds stay within one block of g, 64 KiB).
  (func $jit_homo_sorted (export "jit_homo_sorted") (param $spk i32) (param $ns i32) (param $key i32) (param $nPost i32)
      (param $bits i32) (param $lo i32) (param $hi i32) (param $thr i32) (param $g i32) (param $w f32) (param $self i32)
      (param $B i32) (param $cnt i32) (param $cap i32) (result i32)
    ${JIT_LOCALS} (local $c i32) ${WALK4_LOCALS}
    ${rowWalk4(ADD_BUCKET, 'table')}
    (call $flush_all (local.get $B) (local.get $cnt) (local.get $cap) (local.get $nPost) (local.get $g) (local.get $w))
    (local.get $events))

  ;; Log-mode twins of the two functions above (small p: the threshold table would not stay in cache).
  (func $jit_homo_log (export "jit_homo_log") (param $spk i32) (param $ns i32) (param $key i32) (param $nPost i32)
      (param $inv f64) (param $lnt i32) (param $g i32) (param $w f32) (param $self i32) (result i32)
    ${JIT_LOCALS} ${WALK4_LOCALS}
    ${rowWalk4(ADD_NOW, 'log')}
    (local.get $events))

  (func $jit_homo_sorted_log (export "jit_homo_sorted_log") (param $spk i32) (param $ns i32) (param $key i32) (param $nPost i32)
      (param $inv f64) (param $lnt i32) (param $g i32) (param $w f32) (param $self i32)
      (param $B i32) (param $cnt i32) (param $cap i32) (result i32)
    ${JIT_LOCALS} (local $c i32) ${WALK4_LOCALS}
    ${rowWalk4(ADD_BUCKET, 'log')}
    (call $flush_all (local.get $B) (local.get $cnt) (local.get $cap) (local.get $nPost) (local.get $g) (local.get $w))
    (local.get $events))

  ;; Threads (threads/runner.ts): the same rows, each target j appended to the bucket of its owner thread u
  ;; (bnd: the T+1 bounds of the post population; B: this generator's first bucket, one of cap targets per
  ;; owner; cnt: the fills per owner). A target past a full bucket is counted, not stored: a fill above cap
  ;; tells the caller the buckets overflowed. Returns the events.
  (func $jit_homo_owner (export "jit_homo_owner") (param $spk i32) (param $ns i32) (param $key i32) (param $nPost i32)
      (param $bits i32) (param $lo i32) (param $hi i32) (param $thr i32) (param $self i32)
      (param $B i32) (param $cnt i32) (param $cap i32) (param $bnd i32) (result i32)
    ${JIT_LOCALS} ${OWNER_LOCALS} ${WALK4_LOCALS}
    ${rowWalk4(ADD_OWNER, 'table', OWNER_ROW)}
    (local.get $events))
  (func $jit_homo_owner_log (export "jit_homo_owner_log") (param $spk i32) (param $ns i32) (param $key i32) (param $nPost i32)
      (param $inv f64) (param $lnt i32) (param $self i32)
      (param $B i32) (param $cnt i32) (param $cap i32) (param $bnd i32) (result i32)
    ${JIT_LOCALS} ${OWNER_LOCALS} ${WALK4_LOCALS}
    ${rowWalk4(ADD_OWNER, 'log', OWNER_ROW)}
    (local.get $events))

  ;; g[j] += w for the first n targets j of block b's bucket, in order.
  (func $flush (param $B i32) (param $b i32) (param $cap i32) (param $n i32) (param $g i32) (param $w f32)
    (local $p i32) (local $e i32) (local $a i32)
    (local.set $p (i32.add (local.get $B) (i32.shl (i32.mul (local.get $b) (local.get $cap)) (i32.const 2))))
    (local.set $e (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $A
      (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
      (local.set $a (i32.add (local.get $g) (i32.shl (i32.load (local.get $p)) (i32.const 2))))
      (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) (local.get $w)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $A))))

  ;; Flushes every bucket in block order and leaves the fills at zero.
  (func $flush_all (param $B i32) (param $cnt i32) (param $cap i32) (param $nPost i32) (param $g i32) (param $w f32)
    (local $b i32) (local $nBlocks i32) (local $a i32)
    (local.set $nBlocks (i32.add (i32.shr_u (i32.sub (local.get $nPost) (i32.const 1)) (i32.const 14)) (i32.const 1)))
    (loop $L
      (local.set $a (i32.add (local.get $cnt) (i32.shl (local.get $b) (i32.const 2))))
      (if (i32.load (local.get $a)) (then
        (call $flush (local.get $B) (local.get $b) (local.get $cap) (i32.load (local.get $a)) (local.get $g) (local.get $w))
        (i32.store (local.get $a) (i32.const 0))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $L (i32.lt_u (local.get $b) (local.get $nBlocks)))))
`
}

/** Per target: add the weight at once (small posts) or put the target in its block's bucket. */
const ADD_NOW = `
          (local.set $a (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 2))))
          (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) (local.get $w)))`
const ADD_BUCKET = `
          (local.set $b (i32.shr_u (local.get $j) (i32.const 14)))
          (local.set $a (i32.add (local.get $cnt) (i32.shl (local.get $b) (i32.const 2))))
          (local.set $c (i32.load (local.get $a)))
          (i32.store (i32.add (local.get $B) (i32.shl (i32.add (i32.mul (local.get $b) (local.get $cap)) (local.get $c))
            (i32.const 2))) (local.get $j))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (if (i32.eq (local.get $c) (local.get $cap))
            (then
              (call $flush (local.get $B) (local.get $b) (local.get $cap) (local.get $c) (local.get $g) (local.get $w))
              (local.set $c (i32.const 0))))
          (i32.store (local.get $a) (local.get $c))`

/** Per target, threads: the owner u of j (targets ascend within a row), then j into u's bucket if it has room. */
const ADD_OWNER = `
          (block $own (loop $U
            (br_if $own (i32.lt_s (local.get $j) (local.get $end)))
            (local.set $u (i32.add (local.get $u) (i32.const 1)))
            (local.set $end (i32.load offset=4 (i32.add (local.get $bnd) (i32.shl (local.get $u) (i32.const 2)))))
            (br $U)))
          (local.set $a (i32.add (local.get $cnt) (i32.shl (local.get $u) (i32.const 2))))
          (local.set $c (i32.load (local.get $a)))
          (if (i32.lt_s (local.get $c) (local.get $cap)) (then
            (i32.store (i32.add (local.get $B) (i32.shl (i32.add (i32.mul (local.get $u) (local.get $cap)) (local.get $c))
              (i32.const 2))) (local.get $j))))
          (i32.store (local.get $a) (i32.add (local.get $c) (i32.const 1)))`
/** Per row, threads: the owner walk starts at thread 0. */
const OWNER_ROW = `
      (local.set $u (i32.const 0))
      (local.set $end (i32.load offset=4 (local.get $bnd)))`
const OWNER_LOCALS = '(local $u i32) (local $end i32) (local $c i32)'

const JIT_LOCALS = `(local $q i32) (local $i i32) (local $k0 i32) (local $k1 i32) (local $x i32) (local $r i32)
    (local $j i32) (local $b i32) (local $L i32) (local $H i32) (local $m2 i32) (local $skip i32) (local $events i32) (local $a i32)`

const f64 = (x) => x.toPrecision(17)

/** $L = gap for the draw $r: table mode (bins, then a binary search over the thresholds). */
const GAP_TABLE = `
        (local.set $b (i32.shl (i32.shr_u (local.get $r) (i32.sub (i32.const 32) (local.get $bits))) (i32.const 2)))
        (local.set $L (i32.load (i32.add (local.get $lo) (local.get $b))))
        (local.set $H (i32.load (i32.add (local.get $hi) (local.get $b))))
        (block $found (loop $S
          (br_if $found (i32.ge_u (local.get $L) (local.get $H)))
          (local.set $m2 (i32.shr_u (i32.add (i32.add (local.get $L) (local.get $H)) (i32.const 1)) (i32.const 1)))
          (if (i32.lt_u (local.get $r) (i32.load (i32.add (local.get $thr) (i32.shl (i32.sub (local.get $m2) (i32.const 1))
            (i32.const 2)))))
            (then (local.set $L (local.get $m2)))
            (else (local.set $H (i32.sub (local.get $m2) (i32.const 1)))))
          (br $S)))`

/** Per spiking row $i: the target to skip ($self ≥ 0: no self-connection) and the row keys $k0, $k1. */
const ROW_START = `(local.set $skip (select (i32.const -1) (i32.add (local.get $i) (local.get $self)) (i32.lt_s
  (local.get $self) (i32.const 0))))
      (local.set $x (i32.xor (local.get $i) (i32.const 0x27d4eb2f)))${MIX('$x')}
      (local.set $x (i32.add (local.get $x) (local.get $key)))${MIX('$x')}
      (local.set $k0 (local.get $x))
      (local.set $x (i32.xor (i32.xor (local.get $x) (local.get $key)) (i32.const 0x165667b1)))${MIX('$x')}
      (local.set $k1 (local.get $x))`

const GOLDEN = 0x9e3779b9
const u32 = (x) => `0x${(x >>> 0).toString(16)}`
const splat2 = (x) => `(v128.const f64x2 ${f64(x)} ${f64(x)})`

const WALK4_LOCALS = `(local $cv v128) (local $v v128) (local $F0 v128) (local $F1 v128) (local $hw v128) (local $kv v128)
    (local $x0 v128) (local $x1 v128) (local $p0 v128) (local $p1 v128) (local $ev v128) (local $gv v128) (local $invv v128)
      (local $npv v128)`

/** One f64x2 half of the log-mode gaps: $x{h} = f·(1/f0) − 1, the series, + ln f0, + (e − 32)·ln 2, ·inv, floor, min nPost. */
function logHalf(h, F, kl0, kl1, evExpr) {
  const x = `$x${h}`,
    pv = `$p${h}`
  const k0 = `(i32x4.extract_lane ${kl0} (local.get $kv))`,
    k1 = `(i32x4.extract_lane ${kl1} (local.get $kv))`
  return `
          (local.set ${x} (f64x2.sub (f64x2.mul
            (v128.or (v128.and (local.get ${F}) (v128.const i64x2 0x000fffffffffffff 0x000fffffffffffff))
              (v128.const i64x2 0x3ff0000000000000 0x3ff0000000000000))
            (f64x2.replace_lane 1 (f64x2.splat (f64.load offset=8 ${k0})) (f64.load offset=8 ${k1}))) ${splat2(1)}))
          (local.set ${pv} (f64x2.mul (local.get ${x}) ${splat2(0.2)}))
          (local.set ${pv} (f64x2.mul (local.get ${x}) (f64x2.add ${splat2(-0.25)} (local.get ${pv}))))
          (local.set ${pv} (f64x2.mul (local.get ${x}) (f64x2.add ${splat2(1 / 3)} (local.get ${pv}))))
          (local.set ${pv} (f64x2.mul (local.get ${x}) (f64x2.add ${splat2(-0.5)} (local.get ${pv}))))
          (local.set ${pv} (f64x2.mul (local.get ${x}) (f64x2.add ${splat2(1)} (local.get ${pv}))))
          (local.set ${pv} (f64x2.add (f64x2.replace_lane 1 (f64x2.splat (f64.load ${k0})) (f64.load ${k1})) (local.get ${pv})))
          (local.set ${pv} (f64x2.add (f64x2.mul (f64x2.convert_low_i32x4_s ${evExpr}) ${splat2(Math.LN2)}) (local.get ${pv})))
          (local.set ${pv} (i32x4.trunc_sat_f64x2_s_zero (f64x2.min (f64x2.floor (f64x2.mul (local.get ${pv})
            (local.get $invv))) (local.get $npv))))`
}

/** One target of the 4-wide walk: `gap` leaves lane `lane`'s gap in $L, then j += 1 + gap; the row ends at nPost. */
const step4 = (lane, gap, emit) => `${gap(lane)}
        (local.set $j (i32.add (local.get $j) (i32.add (i32.const 1) (local.get $L))))
        (br_if $row (i32.ge_s (local.get $j) (local.get $nPost)))
        (if (i32.ne (local.get $j) (local.get $skip)) (then${emit}
          (local.set $events (i32.add (local.get $events) (i32.const 1)))))`

/** Log mode, per batch: the four gaps into $gv, floor(ln((r+1)/2^32) / ln(1−p)) capped at nPost (see rowWalk4). */
const LOG4_BATCH = `
        ;; r + 1 as exact doubles (lanes 0,1 in F0, 2,3 in F1); hw = their high words: exponent and top mantissa bits
        (local.set $hw (i32x4.add (local.get $v) (v128.const i32x4 1 1 1 1)))
        (local.set $F0 (f64x2.convert_low_i32x4_u (local.get $hw)))
        (local.set $F1 (f64x2.convert_low_i32x4_u (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $hw) (local.get $hw))))
        (local.set $hw (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $F0) (local.get $F1)))
        (local.set $ev (i32x4.sub (i32x4.shr_u (local.get $hw) (i32.const 20)) (v128.const i32x4 1055 1055 1055 1055)))
        (local.set $kv (i32x4.add (i32x4.shl (v128.and (i32x4.shr_u (local.get $hw) (i32.const 12))
          (v128.const i32x4 255 255 255 255)) (i32.const 4)) (i32x4.splat (local.get $lnt))))
        ${logHalf(0, '$F0', 0, 1, '(local.get $ev)')}
        ${logHalf(1, '$F1', 2, 3, '(i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $ev) (local.get $ev))')}
        ;; gaps of the four draws; r = 2^32 − 1 (u = 1) has gap 0
        (local.set $gv (v128.andnot (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $p0) (local.get $p1))
          (i32x4.eq (local.get $v) (v128.const i32x4 -1 -1 -1 -1))))`

const LOG4_LANE = (lane) => `
        (local.set $L (i32x4.extract_lane ${lane} (local.get $gv)))`
const TABLE4_LANE = (lane) => `
        (local.set $r (i32x4.extract_lane ${lane} (local.get $v)))${GAP_TABLE}`

/**
 * The walk over the spiking rows and their targets (`emit` runs for each target $j that is not skipped), four
 * draws at a time: draws n…n+3 hashed in i32x4 lanes, then per lane the gap and the step. Table mode reads each
 * lane's gap from the threshold table (GAP_TABLE); log mode computes the four gaps in two f64x2 halves with, per
 * lane, the IEEE double operations of `lnUniform` in comm/rows.ts in the same order (r + 1 converted exactly,
 * its exponent and top mantissa bits read from the double's bits). The targets are those of the TypeScript
 * kernels; draws past the row's end are computed and dropped.
 */
function rowWalk4(emit, mode, rowInit = '') {
  const lanes = [0, 1, 2, 3].map((k) => u32(Math.imul(k, GOLDEN)))
  const log = mode === 'log'
  return `${
    log
      ? `(local.set $invv (f64x2.splat (local.get $inv)))
    (local.set $npv (f64x2.splat (f64.convert_i32_s (local.get $nPost))))`
      : ''
  }
    (block $done (loop $Q
      (br_if $done (i32.ge_s (local.get $q) (local.get $ns)))
      (local.set $i (i32.load (i32.add (local.get $spk) (i32.shl (local.get $q) (i32.const 2)))))
      ${ROW_START}
      (local.set $cv (i32x4.add (i32x4.splat (local.get $k0)) (v128.const i32x4 ${lanes.join(' ')})))
      (local.set $j (i32.const -1))${rowInit}
      (block $row (loop $D
        ;; r lanes = draws n…n+3
        (local.set $v (local.get $cv))${MIX4('$v')}
        (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $k1))))${MIX4('$v')}
        (local.set $cv (i32x4.add (local.get $cv) (v128.const i32x4 ${Array(4)
          .fill(u32(Math.imul(4, GOLDEN)))
          .join(' ')})))${log ? LOG4_BATCH : ''}
        ${[0, 1, 2, 3].map((l) => step4(l, log ? LOG4_LANE : TABLE4_LANE, emit)).join('')}
        (br $D)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $Q)))`
}
