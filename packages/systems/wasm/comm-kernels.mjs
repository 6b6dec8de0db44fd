// WebAssembly text of the comm kernels (scalar): event-driven delivery into a float32 state column. They do
// exactly what comm/kernels.ts does — the same events in the same order with float32 additions, and for
// on-the-fly rows the same integer hash and gap table — so their results are bit-identical to the
// TypeScript kernels (tests compare them).
//
// Spike indices arrive in a staging column already re-indexed to the comm layer's input (`spk`, `ns`).

const MIX = (x) => `
    (local.set ${x} (i32.xor (local.get ${x}) (i32.shr_u (local.get ${x}) (i32.const 16))))
    (local.set ${x} (i32.mul (local.get ${x}) (i32.const 0x7feb352d)))
    (local.set ${x} (i32.xor (local.get ${x}) (i32.shr_u (local.get ${x}) (i32.const 15))))
    (local.set ${x} (i32.mul (local.get ${x}) (i32.const 0x846ca68b)))
    (local.set ${x} (i32.xor (local.get ${x}) (i32.shr_u (local.get ${x}) (i32.const 16))))`

export function commFunctions() {
  return `
  ;; Stored rows, one weight: g[indices[k]] += w for every synapse k of every spiking row.
  (func $csr_homo (export "csr_homo") (param $ptr i32) (param $ind i32) (param $spk i32) (param $ns i32) (param $g i32) (param $w f32)
    (local $q i32) (local $i i32) (local $k i32) (local $e i32) (local $a i32)
    (block $done (loop $Q
      (br_if $done (i32.ge_s (local.get $q) (local.get $ns)))
      (local.set $i (i32.shl (i32.load (i32.add (local.get $spk) (i32.shl (local.get $q) (i32.const 2)))) (i32.const 2)))
      (local.set $k (i32.shl (i32.load (i32.add (local.get $ptr) (local.get $i))) (i32.const 2)))
      (local.set $e (i32.shl (i32.load offset=4 (i32.add (local.get $ptr) (local.get $i))) (i32.const 2)))
      (block $row (loop $K
        (br_if $row (i32.ge_s (local.get $k) (local.get $e)))
        (local.set $a (i32.add (local.get $g) (i32.shl (i32.load (i32.add (local.get $ind) (local.get $k))) (i32.const 2))))
        (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) (local.get $w)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $K)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $Q))))

  ;; Stored rows, one weight per synapse: g[indices[k]] += W[k].
  (func $csr_weights (export "csr_weights") (param $ptr i32) (param $ind i32) (param $W i32) (param $spk i32) (param $ns i32) (param $g i32)
    (local $q i32) (local $i i32) (local $k i32) (local $e i32) (local $a i32)
    (block $done (loop $Q
      (br_if $done (i32.ge_s (local.get $q) (local.get $ns)))
      (local.set $i (i32.shl (i32.load (i32.add (local.get $spk) (i32.shl (local.get $q) (i32.const 2)))) (i32.const 2)))
      (local.set $k (i32.shl (i32.load (i32.add (local.get $ptr) (local.get $i))) (i32.const 2)))
      (local.set $e (i32.shl (i32.load offset=4 (i32.add (local.get $ptr) (local.get $i))) (i32.const 2)))
      (block $row (loop $K
        (br_if $row (i32.ge_s (local.get $k) (local.get $e)))
        (local.set $a (i32.add (local.get $g) (i32.shl (i32.load (i32.add (local.get $ind) (local.get $k))) (i32.const 2))))
        (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) (f32.load (i32.add (local.get $W) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $K)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $Q))))

  ;; On-the-fly rows with one weight (see comm/rows.ts): for each spiking row i, keys from (key, i), then
  ;; draws r_n = mix(mix(k0 + n·golden) + k1), gaps from the threshold table, g[j] += w for each target j.
  ;; Returns the number of events. tab: [binLo (2^bits u32), binHi (2^bits u32), thresholds (cap u32)].
  (func $jit_homo (export "jit_homo") (param $spk i32) (param $ns i32) (param $key i32) (param $nPost i32)
      (param $bits i32) (param $lo i32) (param $hi i32) (param $thr i32) (param $g i32) (param $w f32) (param $self i32)
      (result i32)
    (local $q i32) (local $i i32) (local $k0 i32) (local $k1 i32) (local $x i32) (local $r i32) (local $n i32)
    (local $j i32) (local $b i32) (local $L i32) (local $H i32) (local $m i32) (local $skip i32) (local $events i32)
    (local $a i32)
    (block $done (loop $Q
      (br_if $done (i32.ge_s (local.get $q) (local.get $ns)))
      (local.set $i (i32.load (i32.add (local.get $spk) (i32.shl (local.get $q) (i32.const 2)))))
      (local.set $skip (select (i32.const -1) (i32.add (local.get $i) (local.get $self)) (i32.lt_s (local.get $self) (i32.const 0))))
      ;; row keys
      (local.set $x (i32.xor (local.get $i) (i32.const 0x27d4eb2f)))${MIX('$x')}
      (local.set $x (i32.add (local.get $x) (local.get $key)))${MIX('$x')}
      (local.set $k0 (local.get $x))
      (local.set $x (i32.xor (i32.xor (local.get $x) (local.get $key)) (i32.const 0x165667b1)))${MIX('$x')}
      (local.set $k1 (local.get $x))
      (local.set $j (i32.const -1))
      (local.set $n (i32.const 0))
      (block $row (loop $D
        ;; r = counter draw n
        (local.set $x (i32.add (local.get $k0) (i32.mul (local.get $n) (i32.const 0x9e3779b9))))${MIX('$x')}
        (local.set $x (i32.add (local.get $x) (local.get $k1)))${MIX('$x')}
        (local.set $r (local.get $x))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        ;; gap: the table's bin gives it, or bounds for a binary search over thresholds
        (local.set $b (i32.shl (i32.shr_u (local.get $r) (i32.sub (i32.const 32) (local.get $bits))) (i32.const 2)))
        (local.set $L (i32.load (i32.add (local.get $lo) (local.get $b))))
        (local.set $H (i32.load (i32.add (local.get $hi) (local.get $b))))
        (block $found (loop $S
          (br_if $found (i32.ge_u (local.get $L) (local.get $H)))
          (local.set $m (i32.shr_u (i32.add (i32.add (local.get $L) (local.get $H)) (i32.const 1)) (i32.const 1)))
          (if (i32.lt_u (local.get $r) (i32.load (i32.add (local.get $thr) (i32.shl (i32.sub (local.get $m) (i32.const 1)) (i32.const 2)))))
            (then (local.set $L (local.get $m)))
            (else (local.set $H (i32.sub (local.get $m) (i32.const 1)))))
          (br $S)))
        (local.set $j (i32.add (local.get $j) (i32.add (i32.const 1) (local.get $L))))
        (br_if $row (i32.ge_s (local.get $j) (local.get $nPost)))
        (if (i32.ne (local.get $j) (local.get $skip)) (then
          (local.set $a (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 2))))
          (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) (local.get $w)))
          (local.set $events (i32.add (local.get $events) (i32.const 1)))))
        (br $D)))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $Q)))
    (local.get $events))
`
}
