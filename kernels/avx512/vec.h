/* AVX-512 vocabulary for the kernels/simd algorithms (see kernels/simd/README.md).
 * Tails use mask registers natively (kernels/common/simde_compat.h). */
#ifndef SNORM_VEC_H
#define SNORM_VEC_H

#define SNORM_COMPAT_AVX512
#include "common/simde_compat.h"

#define VW 16
#define VF_REGS 32
#define VF_FUSED 1
#define SNORM_SUFFIX(name) name##__avx512

typedef simde__m512 vf;

static inline vf vf_zero(void) { return simde_mm512_setzero_ps(); }
static inline vf vf_set1(float f) { return simde_mm512_set1_ps(f); }
static inline vf vf_load(const float *p) { return simde_mm512_loadu_ps(p); }
static inline void vf_store(float *p, vf v) { simde_mm512_storeu_ps(p, v); }
#define VF_STREAMS 1
static inline void vf_stream(float *p, vf v) { snorm_mm512_stream_ps(p, v); }
static inline void vf_stream_fence(void) { simde_mm_sfence(); }
static inline vf vf_load_n(const float *p, size_t n) { return snorm_mm512_load_n(p, n); }
static inline void vf_store_n(float *p, vf v, size_t n) { snorm_mm512_store_n(p, v, n); }
static inline vf vf_add(vf a, vf b) { return simde_mm512_add_ps(a, b); }
static inline vf vf_sub(vf a, vf b) { return simde_mm512_sub_ps(a, b); }
static inline vf vf_mul(vf a, vf b) { return simde_mm512_mul_ps(a, b); }
static inline vf vf_div(vf a, vf b) { return simde_mm512_div_ps(a, b); }
static inline vf vf_sqrt(vf a) { return simde_mm512_sqrt_ps(a); }
static inline vf vf_fmadd(vf a, vf b, vf c) { return simde_mm512_fmadd_ps(a, b, c); }
static inline vf vf_keep_n(vf v, size_t n) { return simde_mm512_maskz_mov_ps(snorm_mm512_mask_n(n), v); }
static inline vf vf_min(vf a, vf b) { return simde_mm512_min_ps(a, b); }
static inline vf vf_max(vf a, vf b) { return simde_mm512_max_ps(a, b); }
static inline float vf_hsum(vf v) { return snorm_mm512_reduce_add_ps(v); }
/* Lane l = horizontal sum of v[l], for VW vectors: a transpose-and-add tree
 * (pairs within 128-bit lanes, then across them), 15 adds in all. */
static inline vf vf_hsum_lanes(const vf *v) {
    vf a[8], b[4], c[2];
    for (int k = 0; k < 8; k++) {
        a[k] = simde_mm512_add_ps(simde_mm512_unpacklo_ps(v[2 * k], v[2 * k + 1]),
                                  simde_mm512_unpackhi_ps(v[2 * k], v[2 * k + 1]));
    }
    for (int k = 0; k < 4; k++) {
        b[k] = simde_mm512_add_ps(simde_mm512_shuffle_ps(a[2 * k], a[2 * k + 1], 0x44),
                                  simde_mm512_shuffle_ps(a[2 * k], a[2 * k + 1], 0xEE));
    }
    for (int k = 0; k < 2; k++) {
        c[k] = simde_mm512_add_ps(simde_mm512_shuffle_f32x4(b[2 * k], b[2 * k + 1], 0x88),
                                  simde_mm512_shuffle_f32x4(b[2 * k], b[2 * k + 1], 0xDD));
    }
    return simde_mm512_add_ps(simde_mm512_shuffle_f32x4(c[0], c[1], 0x88),
                              simde_mm512_shuffle_f32x4(c[0], c[1], 0xDD));
}
static inline vf vf_select_n(vf a, vf b, size_t n) {
    return simde_mm512_mask_blend_ps(snorm_mm512_mask_n(n), b, a);
}

/* Lane selectors (vf_permute): VW 32-bit lane numbers. */
typedef simde__m512i vi;
static inline vi vi_set1(int32_t q) { return simde_mm512_set1_epi32(q); }
static inline vi vi_load(const int32_t *p) { return simde_mm512_loadu_si512(p); }
static inline void vi_store(int32_t *p, vi v) { simde_mm512_storeu_si512(p, v); }
static inline vf vf_permute(vf t, vi i) { return simde_mm512_permutexvar_ps(i, t); }

/* Doubles: VW/2 lanes, for sums that must not round like floats. */
typedef simde__m512d vd;
static inline vd vd_zero(void) { return simde_mm512_setzero_pd(); }
static inline vd vd_set1(double f) { return simde_mm512_set1_pd(f); }
static inline vd vd_load(const double *p) { return simde_mm512_loadu_pd(p); }
static inline void vd_store(double *p, vd v) { simde_mm512_storeu_pd(p, v); }
static inline vd vd_lo(vf v) { return snorm_mm512_cvtps_pd(simde_mm512_castps512_ps256(v)); }
static inline vd vd_hi(vf v) { return snorm_mm512_cvtps_pd(snorm_mm512_hi256_ps(v)); }
static inline vf vf_narrow(vd lo, vd hi) {
    return simde_mm512_insertf32x8(simde_mm512_castps256_ps512(snorm_mm512_cvtpd_ps(lo)),
                                   snorm_mm512_cvtpd_ps(hi), 1);
}
static inline vd vd_add(vd a, vd b) { return simde_mm512_add_pd(a, b); }
static inline vd vd_sub(vd a, vd b) { return simde_mm512_sub_pd(a, b); }
static inline vd vd_mul(vd a, vd b) { return simde_mm512_mul_pd(a, b); }
static inline vd vd_fmadd(vd a, vd b, vd c) { return simde_mm512_fmadd_pd(a, b, c); }
static inline vd vd_max(vd a, vd b) { return simde_mm512_max_pd(a, b); }
static inline vd vd_sqrt(vd a) { return simde_mm512_sqrt_pd(a); }
static inline vd vd_div(vd a, vd b) { return simde_mm512_div_pd(a, b); }
static inline double vd_hsum(vd v) {
    simde__m256d s4 = simde_mm256_add_pd(simde_mm512_castpd512_pd256(v), simde_mm512_extractf64x4_pd(v, 1));
    simde__m128d s2 = simde_mm_add_pd(simde_mm256_castpd256_pd128(s4), simde_mm256_extractf128_pd(s4, 1));
    return simde_mm_cvtsd_f64(simde_mm_add_sd(s2, simde_mm_unpackhi_pd(s2, s2)));
}
/* Lane l = horizontal sum of v[l], for VW/2 vectors: unpack pairs within
 * 128-bit blocks, then two rounds across blocks; fixed order. */
static inline vd vd_hsum_lanes(const vd *v) {
    vd a[4], b[2];
    for (int k = 0; k < 4; k++) {
        a[k] = simde_mm512_add_pd(simde_mm512_unpacklo_pd(v[2 * k], v[2 * k + 1]),
                                  simde_mm512_unpackhi_pd(v[2 * k], v[2 * k + 1]));
    }
    for (int k = 0; k < 2; k++) {
        b[k] = simde_mm512_add_pd(simde_mm512_shuffle_f64x2(a[2 * k], a[2 * k + 1], 0x88),
                                  simde_mm512_shuffle_f64x2(a[2 * k], a[2 * k + 1], 0xDD));
    }
    return simde_mm512_add_pd(simde_mm512_shuffle_f64x2(b[0], b[1], 0x88),
                              simde_mm512_shuffle_f64x2(b[0], b[1], 0xDD));
}

#endif /* SNORM_VEC_H */
