/* SSE4.1 vocabulary for the kernels/simd algorithms (see kernels/simd/README.md).
 * No FMA on this ISA: vf_fmadd multiplies then adds. */
#ifndef SNORM_VEC_H
#define SNORM_VEC_H

#define SNORM_COMPAT_SSE41
#include "common/simde_compat.h"

#define VW 4
#define VF_REGS 16
#define VF_FUSED 0
#define SNORM_SUFFIX(name) name##__sse41

typedef simde__m128 vf;

static inline vf vf_zero(void) { return simde_mm_setzero_ps(); }
static inline vf vf_set1(float f) { return simde_mm_set1_ps(f); }
static inline vf vf_load(const float *p) { return simde_mm_loadu_ps(p); }
static inline void vf_store(float *p, vf v) { simde_mm_storeu_ps(p, v); }
#define VF_STREAMS 1
static inline void vf_stream(float *p, vf v) { simde_mm_stream_ps(p, v); }
static inline void vf_stream_fence(void) { simde_mm_sfence(); }
static inline vf vf_load_n(const float *p, size_t n) { return snorm_mm_load_n(p, n); }
static inline void vf_store_n(float *p, vf v, size_t n) { snorm_mm_store_n(p, v, n); }
static inline vf vf_add(vf a, vf b) { return simde_mm_add_ps(a, b); }
static inline vf vf_sub(vf a, vf b) { return simde_mm_sub_ps(a, b); }
static inline vf vf_mul(vf a, vf b) { return simde_mm_mul_ps(a, b); }
static inline vf vf_div(vf a, vf b) { return simde_mm_div_ps(a, b); }
static inline vf vf_sqrt(vf a) { return simde_mm_sqrt_ps(a); }
static inline vf vf_fmadd(vf a, vf b, vf c) { return simde_mm_add_ps(simde_mm_mul_ps(a, b), c); }
/* Lanes < n kept, the rest zeroed. */
static inline vf vf_keep_n(vf v, size_t n) {
    simde__m128i lane = simde_mm_setr_epi32(0, 1, 2, 3);
    return simde_mm_and_ps(v, simde_mm_castsi128_ps(simde_mm_cmpgt_epi32(simde_mm_set1_epi32((int)n), lane)));
}
static inline vf vf_min(vf a, vf b) { return simde_mm_min_ps(a, b); }
static inline vf vf_max(vf a, vf b) { return simde_mm_max_ps(a, b); }

static inline float vf_hsum(vf v) {
    v = simde_mm_add_ps(v, simde_mm_movehl_ps(v, v));
    v = simde_mm_add_ss(v, simde_mm_shuffle_ps(v, v, 1));
    return simde_mm_cvtss_f32(v);
}
/* Lane l = horizontal sum of v[l], for VW vectors (SSE3 haddps). */
static inline vf vf_hsum_lanes(const vf *v) {
    return simde_mm_hadd_ps(simde_mm_hadd_ps(v[0], v[1]), simde_mm_hadd_ps(v[2], v[3]));
}
static inline vf vf_select_n(vf a, vf b, size_t n) {
    simde__m128i lane = simde_mm_setr_epi32(0, 1, 2, 3);
    simde__m128i m = simde_mm_cmpgt_epi32(simde_mm_set1_epi32((int)n), lane);
    return simde_mm_blendv_ps(b, a, simde_mm_castsi128_ps(m));
}

/* Lane selectors (vf_permute) as pshufb byte controls: lane q is bytes
 * 4q … 4q + 3, so selecting it takes 0x03020100 + q·0x04040404. */
typedef simde__m128i vi;
static inline vi vi_set1(int32_t q) {
    return simde_mm_set1_epi32((int32_t)(0x03020100u + (uint32_t)q * 0x04040404u));
}
static inline vi vi_load(const int32_t *p) { return simde_mm_loadu_si128((const simde__m128i *)p); }
static inline void vi_store(int32_t *p, vi v) { simde_mm_storeu_si128((simde__m128i *)p, v); }
static inline vf vf_permute(vf t, vi i) {
    return simde_mm_castsi128_ps(simde_mm_shuffle_epi8(simde_mm_castps_si128(t), i));
}

/* Doubles: VW/2 lanes, for sums that must not round like floats. No FMA
 * here: vd_fmadd multiplies then adds (exact anyway for widened floats). */
typedef simde__m128d vd;
static inline vd vd_zero(void) { return simde_mm_setzero_pd(); }
static inline vd vd_set1(double f) { return simde_mm_set1_pd(f); }
static inline vd vd_load(const double *p) { return simde_mm_loadu_pd(p); }
static inline void vd_store(double *p, vd v) { simde_mm_storeu_pd(p, v); }
static inline vd vd_lo(vf v) { return simde_mm_cvtps_pd(v); }
static inline vd vd_hi(vf v) { return simde_mm_cvtps_pd(simde_mm_movehl_ps(v, v)); }
static inline vf vf_narrow(vd lo, vd hi) {
    return simde_mm_movelh_ps(simde_mm_cvtpd_ps(lo), simde_mm_cvtpd_ps(hi));
}
static inline vd vd_add(vd a, vd b) { return simde_mm_add_pd(a, b); }
static inline vd vd_sub(vd a, vd b) { return simde_mm_sub_pd(a, b); }
static inline vd vd_mul(vd a, vd b) { return simde_mm_mul_pd(a, b); }
static inline vd vd_fmadd(vd a, vd b, vd c) { return simde_mm_add_pd(simde_mm_mul_pd(a, b), c); }
static inline vd vd_max(vd a, vd b) { return simde_mm_max_pd(a, b); }
static inline vd vd_sqrt(vd a) { return simde_mm_sqrt_pd(a); }
static inline vd vd_div(vd a, vd b) { return simde_mm_div_pd(a, b); }
static inline double vd_hsum(vd v) { return simde_mm_cvtsd_f64(simde_mm_add_sd(v, simde_mm_unpackhi_pd(v, v))); }
/* Lane l = horizontal sum of v[l], for VW/2 = 2 vectors. */
static inline vd vd_hsum_lanes(const vd *v) {
    return simde_mm_add_pd(simde_mm_unpacklo_pd(v[0], v[1]), simde_mm_unpackhi_pd(v[0], v[1]));
}

#endif /* SNORM_VEC_H */
