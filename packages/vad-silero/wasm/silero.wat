;; Hot loops of the Silero VAD forward pass (src/silero-kernel.ts), in WebAssembly SIMD (f32x4).
;;
;; Floats in memory imported from JavaScript, laid out by the caller; every offset, length and
;; stride below counts floats, not bytes. src/silero-kernel-js.ts does the same in JavaScript.
(module
  (import "env" "memory" (memory 1))

  ;; out[j * outStride + r] = act(bias[r] + dot(w[r * k ..], x[j * colStride ..], k)) for every
  ;; row r < rows and column j < cols, where act is ReLU when `relu` is not 0. Each column is k
  ;; contiguous floats, so the STFT's overlapping frames and the convolutions' time-major windows
  ;; need no copy. k must be a multiple of 4.
  (func (export "matmul")
    (param $w i32) (param $k i32) (param $rows i32)
    (param $x i32) (param $colStride i32) (param $cols i32)
    (param $bias i32) (param $out i32) (param $outStride i32) (param $relu i32)
    (local $r i32) (local $j i32) (local $i i32) (local $wp i32) (local $xp i32) (local $end8 i32)
    (local $row i32) (local $b f32) (local $o i32) (local $wv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $x1 i32) (local $x2 i32) (local $x3 i32)
    (local.set $row (i32.shl (local.get $k) (i32.const 2)))
    (local.set $end8 (i32.and (local.get $row) (i32.const -32)))
    (local.set $w (i32.shl (local.get $w) (i32.const 2)))
    (local.set $x (i32.shl (local.get $x) (i32.const 2)))
    (local.set $bias (i32.shl (local.get $bias) (i32.const 2)))
    (local.set $out (i32.shl (local.get $out) (i32.const 2)))
    (local.set $colStride (i32.shl (local.get $colStride) (i32.const 2)))
    (local.set $outStride (i32.shl (local.get $outStride) (i32.const 2)))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $r) (local.get $row))))
        (local.set $b (f32.load (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $j (i32.const 0))
        ;; Four columns at a time: each weight vector is loaded once for the four dot products.
        (block $quadsDone
          (loop $quadsLoop
            (br_if $quadsDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $cols)))
            (local.set $xp (i32.add (local.get $x) (i32.mul (local.get $j) (local.get $colStride))))
            (local.set $x1 (i32.add (local.get $xp) (local.get $colStride)))
            (local.set $x2 (i32.add (local.get $x1) (local.get $colStride)))
            (local.set $x3 (i32.add (local.get $x2) (local.get $colStride)))
            (local.set $a0 (v128.const f32x4 0 0 0 0))
            (local.set $a1 (v128.const f32x4 0 0 0 0))
            (local.set $a2 (v128.const f32x4 0 0 0 0))
            (local.set $a3 (v128.const f32x4 0 0 0 0))
            (local.set $i (i32.const 0))
            (block $stepsDone
              (loop $steps
                (br_if $stepsDone (i32.ge_u (local.get $i) (local.get $row)))
                (local.set $wv (v128.load (i32.add (local.get $wp) (local.get $i))))
                (local.set $a0 (f32x4.add (local.get $a0)
                  (f32x4.mul (local.get $wv) (v128.load (i32.add (local.get $xp) (local.get $i))))))
                (local.set $a1 (f32x4.add (local.get $a1)
                  (f32x4.mul (local.get $wv) (v128.load (i32.add (local.get $x1) (local.get $i))))))
                (local.set $a2 (f32x4.add (local.get $a2)
                  (f32x4.mul (local.get $wv) (v128.load (i32.add (local.get $x2) (local.get $i))))))
                (local.set $a3 (f32x4.add (local.get $a3)
                  (f32x4.mul (local.get $wv) (v128.load (i32.add (local.get $x3) (local.get $i))))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $steps)))
            (call $store (local.get $o) (local.get $a0) (local.get $b) (local.get $relu))
            (local.set $o (i32.add (local.get $o) (local.get $outStride)))
            (call $store (local.get $o) (local.get $a1) (local.get $b) (local.get $relu))
            (local.set $o (i32.add (local.get $o) (local.get $outStride)))
            (call $store (local.get $o) (local.get $a2) (local.get $b) (local.get $relu))
            (local.set $o (i32.add (local.get $o) (local.get $outStride)))
            (call $store (local.get $o) (local.get $a3) (local.get $b) (local.get $relu))
            (local.set $o (i32.add (local.get $o) (local.get $outStride)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $quadsLoop)))
        ;; The remaining columns one at a time, with two accumulators so that adds do not wait on each other.
        (block $colsDone
          (loop $colsLoop
            (br_if $colsDone (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $xp (i32.add (local.get $x) (i32.mul (local.get $j) (local.get $colStride))))
            (local.set $a0 (v128.const f32x4 0 0 0 0))
            (local.set $a1 (v128.const f32x4 0 0 0 0))
            (local.set $i (i32.const 0))
            (block $blocks8
              (loop $steps8
                (br_if $blocks8 (i32.ge_u (local.get $i) (local.get $end8)))
                (local.set $a0 (f32x4.add (local.get $a0)
                  (f32x4.mul (v128.load (i32.add (local.get $wp) (local.get $i))) (v128.load (i32.add (local.get $xp) (local.get $i))))))
                (local.set $a1 (f32x4.add (local.get $a1)
                  (f32x4.mul (v128.load offset=16 (i32.add (local.get $wp) (local.get $i))) (v128.load offset=16 (i32.add (local.get $xp) (local.get $i))))))
                (local.set $i (i32.add (local.get $i) (i32.const 32)))
                (br $steps8)))
            (if (i32.lt_u (local.get $i) (local.get $row))
              (then
                (local.set $a0 (f32x4.add (local.get $a0)
                  (f32x4.mul (v128.load (i32.add (local.get $wp) (local.get $i))) (v128.load (i32.add (local.get $xp) (local.get $i))))))))
            (call $store (local.get $o) (f32x4.add (local.get $a0) (local.get $a1)) (local.get $b) (local.get $relu))
            (local.set $o (i32.add (local.get $o) (local.get $outStride)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $colsLoop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop))))

  ;; Stores act(the sum of the lanes of `acc` + `bias`) at byte `at`.
  (func $store (param $at i32) (param $acc v128) (param $bias f32) (param $relu i32)
    (local $s f32)
    (local.set $s
      (f32.add
        (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))
        (local.get $bias)))
    (if (local.get $relu)
      (then (local.set $s (f32.max (local.get $s) (f32.const 0)))))
    (f32.store (local.get $at) (local.get $s)))

  ;; dst[t * dstStride + b] = sqrt(src[t * srcStride + b]^2 + src[t * srcStride + bins + b]^2) for
  ;; every frame t < frames and bin b < bins: the STFT's magnitude from its real and imaginary rows.
  (func (export "magnitude")
    (param $src i32) (param $dst i32) (param $bins i32) (param $frames i32)
    (param $srcStride i32) (param $dstStride i32)
    (local $t i32) (local $b i32) (local $s i32) (local $d i32) (local $re f32) (local $im f32)
    (block $framesDone
      (loop $framesLoop
        (br_if $framesDone (i32.ge_u (local.get $t) (local.get $frames)))
        (local.set $s (i32.shl (i32.add (local.get $src) (i32.mul (local.get $t) (local.get $srcStride))) (i32.const 2)))
        (local.set $d (i32.shl (i32.add (local.get $dst) (i32.mul (local.get $t) (local.get $dstStride))) (i32.const 2)))
        (local.set $b (i32.const 0))
        (block $binsDone
          (loop $binsLoop
            (br_if $binsDone (i32.ge_u (local.get $b) (local.get $bins)))
            (local.set $re (f32.load (local.get $s)))
            (local.set $im (f32.load (i32.add (local.get $s) (i32.shl (local.get $bins) (i32.const 2)))))
            (f32.store (local.get $d)
              (f32.sqrt (f32.add (f32.mul (local.get $re) (local.get $re)) (f32.mul (local.get $im) (local.get $im)))))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (local.set $d (i32.add (local.get $d) (i32.const 4)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $binsLoop)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $framesLoop)))))
