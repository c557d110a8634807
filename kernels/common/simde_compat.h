/*
 * The few operations the kernels need that Debian 12's SIMDe (0.7.4) lacks
 * or emulates with an overread (see ../shared/SIMDE-GAPS.md). Each is the
 * native intrinsic when SIMDe reports the ISA native, and a portable
 * emulation from operations SIMDe has otherwise. The #ifdefs live here only.
 *
 * Partial loads and stores touch exactly n floats of memory: a kernel's tail
 * must never read or write past the caller's buffer, emulated or not.
 */
#ifndef SNORM_SIMDE_COMPAT_H
#define SNORM_SIMDE_COMPAT_H

#include <stddef.h>
#include <string.h>

/* A zero-filled block of `lanes` floats holding p[0..n), for emulated loads. */
static inline void snorm_copy_in(float *block, size_t lanes, const float *p, size_t n) {
    memset(block, 0, lanes * sizeof(float));
    memcpy(block, p, n * sizeof(float));
}

#if defined(SNORM_COMPAT_SSE41)
#include <simde/x86/sse4.1.h>

/* SSE has no masked load or store: n < 4 floats move as a 4-, 8- or
 * 8+4-byte piece (movss/movq), so a tail costs a couple of instructions
 * rather than a memcpy call. */
static inline simde__m128 snorm_mm_load_n(const float *p, size_t n) {
    switch (n) {
    case 0:
        return simde_mm_setzero_ps();
    case 1:
        return simde_mm_load_ss(p);
    case 2:
        return simde_mm_castsi128_ps(simde_mm_loadl_epi64((const simde__m128i *)p));
    default: {
        simde__m128 v = simde_mm_castsi128_ps(simde_mm_loadl_epi64((const simde__m128i *)p));
        return simde_mm_insert_ps(v, simde_mm_load_ss(p + 2), 0x20); /* lane 2 */
    }
    }
}

static inline void snorm_mm_store_n(float *p, simde__m128 v, size_t n) {
    if (n >= 2) {
        simde_mm_storel_epi64((simde__m128i *)p, simde_mm_castps_si128(v));
        if (n == 3) {
            simde_mm_store_ss(p + 2, simde_mm_movehl_ps(v, v));
        }
    } else if (n == 1) {
        simde_mm_store_ss(p, v);
    }
}
#endif /* SNORM_COMPAT_SSE41 */

#if defined(SNORM_COMPAT_AVX2)
#include <simde/x86/avx2.h>
#include <simde/x86/fma.h>

/* Lane i enabled iff i < n. */
static inline simde__m256i snorm_mm256_mask_n(size_t n) {
    return simde_mm256_cmpgt_epi32(simde_mm256_set1_epi32((int)n),
                                   simde_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

static inline simde__m256 snorm_mm256_load_n(const float *p, size_t n) {
#if defined(SIMDE_X86_AVX_NATIVE)
    return simde_mm256_maskload_ps(p, snorm_mm256_mask_n(n)); /* masked lanes never fault */
#else
    float block[8];
    snorm_copy_in(block, 8, p, n);
    return simde_mm256_loadu_ps(block);
#endif
}

static inline void snorm_mm256_store_n(float *p, simde__m256 v, size_t n) {
#if defined(SIMDE_X86_AVX_NATIVE)
    simde_mm256_maskstore_ps(p, snorm_mm256_mask_n(n), v);
#else
    float block[8];
    simde_mm256_storeu_ps(block, v);
    memcpy(p, block, n * sizeof(float));
#endif
}
#endif /* SNORM_COMPAT_AVX2 */

#if defined(SNORM_COMPAT_AVX512)
#include <simde/x86/avx512.h>

static inline simde__mmask16 snorm_mm512_mask_n(size_t n) {
    return (simde__mmask16)((1u << n) - 1u);
}

/* Non-temporal store of 16 floats to a 64-byte aligned p (SIMDe 0.7.4 has
 * no _mm512_stream_ps; emulated, an ordinary store: the hint changes no
 * result). */
static inline void snorm_mm512_stream_ps(float *p, simde__m512 v) {
#if defined(SIMDE_X86_AVX512F_NATIVE)
    _mm512_stream_ps(p, v);
#else
    simde_mm512_storeu_ps(p, v);
#endif
}

static inline simde__m512 snorm_mm512_load_n(const float *p, size_t n) {
#if defined(SIMDE_X86_AVX512F_NATIVE)
    return _mm512_maskz_loadu_ps(snorm_mm512_mask_n(n), p);
#else
    float block[16];
    snorm_copy_in(block, 16, p, n);
    return simde_mm512_loadu_ps(block);
#endif
}

static inline void snorm_mm512_store_n(float *p, simde__m512 v, size_t n) {
#if defined(SIMDE_X86_AVX512F_NATIVE)
    _mm512_mask_storeu_ps(p, snorm_mm512_mask_n(n), v);
#else
    float block[16];
    simde_mm512_storeu_ps(block, v);
    memcpy(p, block, n * sizeof(float));
#endif
}

/* Horizontal sum in a fixed order (halves, then quarters, …) so native and
 * emulated builds give bit-identical results. */
static inline float snorm_mm512_reduce_add_ps(simde__m512 v) {
    simde__m256 lo = simde_mm512_castps512_ps256(v);
    simde__m256 hi = simde_mm256_castpd_ps(simde_mm512_extractf64x4_pd(simde_mm512_castps_pd(v), 1));
    simde__m256 s8 = simde_mm256_add_ps(lo, hi);
    simde__m128 s4 = simde_mm_add_ps(simde_mm256_castps256_ps128(s8),
                                     simde_mm256_extractf128_ps(s8, 1));
    s4 = simde_mm_add_ps(s4, simde_mm_movehl_ps(s4, s4));
    s4 = simde_mm_add_ss(s4, simde_mm_shuffle_ps(s4, s4, 1));
    return simde_mm_cvtss_f32(s4);
}

/* Float ↔ double widening of a 256-bit half (SIMDe 0.7.4 lacks the 512-bit
 * conversions): native in one instruction, else two 256-bit conversions. */
static inline simde__m512d snorm_mm512_cvtps_pd(simde__m256 h) {
#if defined(SIMDE_X86_AVX512F_NATIVE)
    return _mm512_cvtps_pd(h);
#else
    simde__m256d lo = simde_mm256_cvtps_pd(simde_mm256_castps256_ps128(h));
    simde__m256d hi = simde_mm256_cvtps_pd(simde_mm256_extractf128_ps(h, 1));
    return simde_mm512_insertf64x4(simde_mm512_castpd256_pd512(lo), hi, 1);
#endif
}

static inline simde__m256 snorm_mm512_cvtpd_ps(simde__m512d v) {
#if defined(SIMDE_X86_AVX512F_NATIVE)
    return _mm512_cvtpd_ps(v);
#else
    return simde_mm256_set_m128(simde_mm256_cvtpd_ps(simde_mm512_extractf64x4_pd(v, 1)),
                                simde_mm256_cvtpd_ps(simde_mm512_castpd512_pd256(v)));
#endif
}

/* Upper 256 bits of a float vector. */
static inline simde__m256 snorm_mm512_hi256_ps(simde__m512 v) {
    return simde_mm256_castpd_ps(simde_mm512_extractf64x4_pd(simde_mm512_castps_pd(v), 1));
}
#endif /* SNORM_COMPAT_AVX512 */

#if defined(SNORM_COMPAT_NEON)
#include <math.h>
#include <simde/arm/neon.h>

/*
 * Divide and square root. The vocabulary promises IEEE, correctly rounded
 * results, and AArch64 has exactly that in hardware (FDIV, FSQRT), so the
 * native build uses them and needs no estimate.
 *
 * Where they are not native (NEON emulated on x86, or 32-bit Arm), each lane
 * uses C's / and sqrtf, which are IEEE correctly rounded too: the emulated
 * variant then computes bit for bit what the hardware computes, NaN, ±0,
 * ±Inf and subnormals included, which is what the cross-host validation
 * needs. Reciprocal estimates with Newton–Raphson steps (vrecpe/vrecps,
 * vrsqrte/vrsqrts) are deliberately not used: measured on AArch64 (qemu),
 * two steps leave a/b and √a up to 2.3 ulp off with ~40 % of results not
 * correctly rounded, and a third step does not fix that (float rounding in
 * the steps: 1.7–2.0 ulp, ~30 %); x·rsqrte(x) also makes sqrt(0) =
 * 0·Inf = NaN. That would be a different operation from the one the kernels
 * are specified and tested with. This path exists only for validation; the
 * dispatcher never selects emulated NEON.
 */
static inline simde_float32x4_t snorm_vdivq_f32(simde_float32x4_t a, simde_float32x4_t b) {
#if defined(SIMDE_ARM_NEON_A64V8_NATIVE)
    return vdivq_f32(a, b);
#else
    float x[4], y[4];
    simde_vst1q_f32(x, a);
    simde_vst1q_f32(y, b);
    for (int i = 0; i < 4; i++) {
        x[i] = x[i] / y[i];
    }
    return simde_vld1q_f32(x);
#endif
}

static inline simde_float32x4_t snorm_vsqrtq_f32(simde_float32x4_t a) {
#if defined(SIMDE_ARM_NEON_A64V8_NATIVE)
    return vsqrtq_f32(a);
#else
    float x[4];
    simde_vst1q_f32(x, a);
    for (int i = 0; i < 4; i++) {
        x[i] = sqrtf(x[i]);
    }
    return simde_vld1q_f32(x);
#endif
}

/* c + a·b rounded once, as FMLA does. SIMDe's vfmaq_f32 multiplies then
 * adds when the host has no FMA (x86 at the baseline), which would make the
 * emulated variant differ from the native one in the last bit; fmaf is
 * exact on every host. */
static inline simde_float32x4_t snorm_vfmaq_f32(simde_float32x4_t c, simde_float32x4_t a,
                                                simde_float32x4_t b) {
#if defined(SIMDE_ARM_NEON_A64V8_NATIVE) || defined(SIMDE_X86_FMA_NATIVE) ||                       \
    (defined(SIMDE_ARM_NEON_A32V7_NATIVE) && defined(__ARM_FEATURE_FMA))
    return simde_vfmaq_f32(c, a, b);
#else
    float x[4], y[4], z[4];
    simde_vst1q_f32(x, a);
    simde_vst1q_f32(y, b);
    simde_vst1q_f32(z, c);
    for (int i = 0; i < 4; i++) {
        z[i] = fmaf(x[i], y[i], z[i]);
    }
    return simde_vld1q_f32(z);
#endif
}

/* The double counterparts, for the kernels' float64 vectors: FDIV, FSQRT
 * and FMLA on AArch64, lane-wise IEEE C elsewhere (same reasoning). */
static inline simde_float64x2_t snorm_vdivq_f64(simde_float64x2_t a, simde_float64x2_t b) {
#if defined(SIMDE_ARM_NEON_A64V8_NATIVE)
    return vdivq_f64(a, b);
#else
    double x[2], y[2];
    simde_vst1q_f64(x, a);
    simde_vst1q_f64(y, b);
    for (int i = 0; i < 2; i++) {
        x[i] = x[i] / y[i];
    }
    return simde_vld1q_f64(x);
#endif
}

static inline simde_float64x2_t snorm_vsqrtq_f64(simde_float64x2_t a) {
#if defined(SIMDE_ARM_NEON_A64V8_NATIVE)
    return vsqrtq_f64(a);
#else
    double x[2];
    simde_vst1q_f64(x, a);
    for (int i = 0; i < 2; i++) {
        x[i] = sqrt(x[i]);
    }
    return simde_vld1q_f64(x);
#endif
}

static inline simde_float64x2_t snorm_vfmaq_f64(simde_float64x2_t c, simde_float64x2_t a,
                                                simde_float64x2_t b) {
#if defined(SIMDE_ARM_NEON_A64V8_NATIVE) || defined(SIMDE_X86_FMA_NATIVE)
    return simde_vfmaq_f64(c, a, b);
#else
    double x[2], y[2], z[2];
    simde_vst1q_f64(x, a);
    simde_vst1q_f64(y, b);
    simde_vst1q_f64(z, c);
    for (int i = 0; i < 2; i++) {
        z[i] = fma(x[i], y[i], z[i]);
    }
    return simde_vld1q_f64(z);
#endif
}
#endif /* SNORM_COMPAT_NEON */

#endif /* SNORM_SIMDE_COMPAT_H */
