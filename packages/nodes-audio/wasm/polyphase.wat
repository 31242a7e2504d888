;; Polyphase FIR kernel for the resampler, in WebAssembly SIMD (f32x4).
;;
;; Mono floats in the instance's own memory, laid out by the caller (src/polyphase-kernel.ts).
;; Output n is the dot product of one phase of the filter (`taps` coefficients, oldest input
;; first) with the `taps` inputs ending at `newest`; then the phase advances by
;; `stepFrac / up` and `newest` by `stepWhole` (plus one when the phase wraps), exactly as the
;; JavaScript kernel does. `taps` must be a multiple of 4.
;;
;; `from_pcm16` and `to_pcm16` convert between pcm16 and floats in [-1, 1) exactly as
;; @beluga-voice/core's pcm16ToF32 and f32ToPcm16 do (scale by 2^15; Math.round, i.e. floor of
;; x + 0.5, which is exact in f32 below 2^23; saturation).
(module
  (memory (export "memory") 1)
  (func (export "from_pcm16") (param $src i32) (param $dst i32) (param $n i32)
    (local $end i32) (local $end8 i32) (local $v v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 1))))
    (local.set $end8 (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 1))))
    (block $blocks8
      (loop $samples8
        (br_if $blocks8 (i32.ge_u (local.get $src) (local.get $end8)))
        (local.set $v (v128.load (local.get $src)))
        (v128.store (local.get $dst)
          (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $v))) (v128.const f32x4 0x1p-15 0x1p-15 0x1p-15 0x1p-15)))
        (v128.store offset=16 (local.get $dst)
          (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $v))) (v128.const f32x4 0x1p-15 0x1p-15 0x1p-15 0x1p-15)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br $samples8)))
    (block $done
      (loop $samples
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (f32.store (local.get $dst) (f32.mul (f32.convert_i32_s (i32.load16_s (local.get $src))) (f32.const 0x1p-15)))
        (local.set $src (i32.add (local.get $src) (i32.const 2)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $samples))))
  (func (export "to_pcm16") (param $src i32) (param $dst i32) (param $n i32)
    (local $end i32) (local $end8 i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end8 (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2))))
    (block $blocks8
      (loop $samples8
        (br_if $blocks8 (i32.ge_u (local.get $src) (local.get $end8)))
        (v128.store (local.get $dst)
          (i16x8.narrow_i32x4_s
            (i32x4.trunc_sat_f32x4_s (f32x4.floor (f32x4.add
              (f32x4.mul (v128.load (local.get $src)) (v128.const f32x4 0x1p15 0x1p15 0x1p15 0x1p15))
              (v128.const f32x4 0.5 0.5 0.5 0.5))))
            (i32x4.trunc_sat_f32x4_s (f32x4.floor (f32x4.add
              (f32x4.mul (v128.load offset=16 (local.get $src)) (v128.const f32x4 0x1p15 0x1p15 0x1p15 0x1p15))
              (v128.const f32x4 0.5 0.5 0.5 0.5))))))
        (local.set $src (i32.add (local.get $src) (i32.const 32)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $samples8)))
    (block $done
      (loop $samples
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (i32.store16 (local.get $dst)
          (call $saturate16 (i32.trunc_sat_f32_s (f32.floor (f32.add (f32.mul (f32.load (local.get $src)) (f32.const 0x1p15)) (f32.const 0.5))))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 2)))
        (br $samples))))
  (func $saturate16 (param $v i32) (result i32)
    (select (i32.const -32768)
      (select (i32.const 32767) (local.get $v) (i32.gt_s (local.get $v) (i32.const 32767)))
      (i32.lt_s (local.get $v) (i32.const -32768))))
  (func (export "polyphase")
    (param $buf i32) (param $coef i32) (param $out i32)
    (param $taps i32) (param $up i32) (param $stepWhole i32) (param $stepFrac i32)
    (param $newest i32) (param $phase i32) (param $count i32)
    (local $x i32) (local $c i32) (local $end i32) (local $end16 i32) (local $row i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $row (i32.shl (local.get $taps) (i32.const 2)))
    (block $done
      (loop $outputs
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $x
          (i32.add (local.get $buf)
            (i32.shl (i32.sub (i32.add (local.get $newest) (i32.const 1)) (local.get $taps)) (i32.const 2))))
        (local.set $c (i32.add (local.get $coef) (i32.mul (local.get $phase) (local.get $row))))
        (local.set $end (i32.add (local.get $c) (local.get $row)))
        ;; Four independent accumulators over blocks of 16 taps, then one over the last 4s.
        (local.set $end16 (i32.sub (local.get $end) (i32.and (local.get $row) (i32.const 63))))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (block $blocks16
          (loop $taps16
            (br_if $blocks16 (i32.ge_u (local.get $c) (local.get $end16)))
            (local.set $a0 (f32x4.add (local.get $a0)
              (f32x4.mul (v128.load (local.get $c)) (v128.load (local.get $x)))))
            (local.set $a1 (f32x4.add (local.get $a1)
              (f32x4.mul (v128.load offset=16 (local.get $c)) (v128.load offset=16 (local.get $x)))))
            (local.set $a2 (f32x4.add (local.get $a2)
              (f32x4.mul (v128.load offset=32 (local.get $c)) (v128.load offset=32 (local.get $x)))))
            (local.set $a3 (f32x4.add (local.get $a3)
              (f32x4.mul (v128.load offset=48 (local.get $c)) (v128.load offset=48 (local.get $x)))))
            (local.set $c (i32.add (local.get $c) (i32.const 64)))
            (local.set $x (i32.add (local.get $x) (i32.const 64)))
            (br $taps16)))
        (block $blocks4
          (loop $taps4
            (br_if $blocks4 (i32.ge_u (local.get $c) (local.get $end)))
            (local.set $a0 (f32x4.add (local.get $a0)
              (f32x4.mul (v128.load (local.get $c)) (v128.load (local.get $x)))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $taps4)))
        (local.set $a0
          (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
            (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $phase (i32.add (local.get $phase) (local.get $stepFrac)))
        (local.set $newest (i32.add (local.get $newest) (local.get $stepWhole)))
        (if (i32.ge_u (local.get $phase) (local.get $up))
          (then
            (local.set $phase (i32.sub (local.get $phase) (local.get $up)))
            (local.set $newest (i32.add (local.get $newest) (i32.const 1)))))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $outputs)))))
