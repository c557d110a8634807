/* AVX2 + FMA vocabulary for the kernels/simd algorithms (see kernels/simd/README.md). */
#ifndef SNORM_VEC_H
#define SNORM_VEC_H

#define SNORM_COMPAT_AVX2
#include "common/simde_compat.h"

#define VW 8
#define VF_REGS 16
#define VF_FUSED 1
#define SNORM_SUFFIX(name) name##__avx2

typedef simde__m256 vf;

static inline vf vf_zero(void) { return simde_mm256_setzero_ps(); }
static inline vf vf_set1(float f) { return simde_mm256_set1_ps(f); }
static inline vf vf_load(const float *p) { return simde_mm256_loadu_ps(p); }
static inline void vf_store(float *p, vf v) { simde_mm256_storeu_ps(p, v); }
#define VF_STREAMS 1
static inline void vf_stream(float *p, vf v) { simde_mm256_stream_ps(p, v); }
static inline void vf_stream_fence(void) { simde_mm_sfence(); }
static inline vf vf_load_n(const float *p, size_t n) { return snorm_mm256_load_n(p, n); }
static inline void vf_store_n(float *p, vf v, size_t n) { snorm_mm256_store_n(p, v, n); }
static inline vf vf_add(vf a, vf b) { return simde_mm256_add_ps(a, b); }
static inline vf vf_sub(vf a, vf b) { return simde_mm256_sub_ps(a, b); }
static inline vf vf_mul(vf a, vf b) { return simde_mm256_mul_ps(a, b); }
static inline vf vf_div(vf a, vf b) { return simde_mm256_div_ps(a, b); }
static inline vf vf_sqrt(vf a) { return simde_mm256_sqrt_ps(a); }
static inline vf vf_fmadd(vf a, vf b, vf c) { return simde_mm256_fmadd_ps(a, b, c); }
static inline vf vf_keep_n(vf v, size_t n) {
    return simde_mm256_and_ps(v, simde_mm256_castsi256_ps(snorm_mm256_mask_n(n)));
}
static inline vf vf_min(vf a, vf b) { return simde_mm256_min_ps(a, b); }
static inline vf vf_max(vf a, vf b) { return simde_mm256_max_ps(a, b); }

static inline float vf_hsum(vf v) {
    simde__m128 s = simde_mm_add_ps(simde_mm256_castps256_ps128(v), simde_mm256_extractf128_ps(v, 1));
    s = simde_mm_add_ps(s, simde_mm_movehl_ps(s, s));
    s = simde_mm_add_ss(s, simde_mm_shuffle_ps(s, s, 1));
    return simde_mm_cvtss_f32(s);
}
/* Lane l = horizontal sum of v[l], for VW vectors: hadd within 128-bit
 * halves, then the halves' partial sums added across. */
static inline vf vf_hsum_lanes(const vf *v) {
    vf t0 = simde_mm256_hadd_ps(simde_mm256_hadd_ps(v[0], v[1]), simde_mm256_hadd_ps(v[2], v[3]));
    vf t1 = simde_mm256_hadd_ps(simde_mm256_hadd_ps(v[4], v[5]), simde_mm256_hadd_ps(v[6], v[7]));
    return simde_mm256_add_ps(simde_mm256_permute2f128_ps(t0, t1, 0x20),
                              simde_mm256_permute2f128_ps(t0, t1, 0x31));
}
static inline vf vf_select_n(vf a, vf b, size_t n) {
    return simde_mm256_blendv_ps(b, a, simde_mm256_castsi256_ps(snorm_mm256_mask_n(n)));
}

/* Lane selectors (vf_permute): VW 32-bit lane numbers. */
typedef simde__m256i vi;
static inline vi vi_set1(int32_t q) { return simde_mm256_set1_epi32(q); }
static inline vi vi_load(const int32_t *p) {
    return simde_mm256_loadu_si256((const simde__m256i *)p);
}
static inline void vi_store(int32_t *p, vi v) { simde_mm256_storeu_si256((simde__m256i *)p, v); }
static inline vf vf_permute(vf t, vi i) { return simde_mm256_permutevar8x32_ps(t, i); }

/* Doubles: VW/2 lanes, for sums that must not round like floats. */
typedef simde__m256d vd;
static inline vd vd_zero(void) { return simde_mm256_setzero_pd(); }
static inline vd vd_set1(double f) { return simde_mm256_set1_pd(f); }
static inline vd vd_load(const double *p) { return simde_mm256_loadu_pd(p); }
static inline void vd_store(double *p, vd v) { simde_mm256_storeu_pd(p, v); }
static inline vd vd_lo(vf v) { return simde_mm256_cvtps_pd(simde_mm256_castps256_ps128(v)); }
static inline vd vd_hi(vf v) { return simde_mm256_cvtps_pd(simde_mm256_extractf128_ps(v, 1)); }
static inline vf vf_narrow(vd lo, vd hi) {
    return simde_mm256_set_m128(simde_mm256_cvtpd_ps(hi), simde_mm256_cvtpd_ps(lo));
}
static inline vd vd_add(vd a, vd b) { return simde_mm256_add_pd(a, b); }
static inline vd vd_sub(vd a, vd b) { return simde_mm256_sub_pd(a, b); }
static inline vd vd_mul(vd a, vd b) { return simde_mm256_mul_pd(a, b); }
static inline vd vd_fmadd(vd a, vd b, vd c) { return simde_mm256_fmadd_pd(a, b, c); }
static inline vd vd_max(vd a, vd b) { return simde_mm256_max_pd(a, b); }
static inline vd vd_sqrt(vd a) { return simde_mm256_sqrt_pd(a); }
static inline vd vd_div(vd a, vd b) { return simde_mm256_div_pd(a, b); }
static inline double vd_hsum(vd v) {
    simde__m128d s2 = simde_mm_add_pd(simde_mm256_castpd256_pd128(v), simde_mm256_extractf128_pd(v, 1));
    return simde_mm_cvtsd_f64(simde_mm_add_sd(s2, simde_mm_unpackhi_pd(s2, s2)));
}
/* Lane l = horizontal sum of v[l], for VW/2 vectors; fixed order. */
static inline vd vd_hsum_lanes(const vd *v) {
    vd a = simde_mm256_add_pd(simde_mm256_unpacklo_pd(v[0], v[1]),
                              simde_mm256_unpackhi_pd(v[0], v[1]));
    vd b = simde_mm256_add_pd(simde_mm256_unpacklo_pd(v[2], v[3]),
                              simde_mm256_unpackhi_pd(v[2], v[3]));
    return simde_mm256_add_pd(simde_mm256_permute2f128_pd(a, b, 0x20),
                              simde_mm256_permute2f128_pd(a, b, 0x31));
}

#endif /* SNORM_VEC_H */
