/* AVX2 + FMA vocabulary for the kernels/simd algorithms (see kernels/simd/README.md). */
#ifndef SNORM_VEC_H
#define SNORM_VEC_H

#define SNORM_COMPAT_AVX2
#include "common/simde_compat.h"

#define VW 8
#define SNORM_SUFFIX(name) name##__avx2

typedef simde__m256 vf;

static inline vf vf_zero(void) { return simde_mm256_setzero_ps(); }
static inline vf vf_set1(float f) { return simde_mm256_set1_ps(f); }
static inline vf vf_load(const float *p) { return simde_mm256_loadu_ps(p); }
static inline void vf_store(float *p, vf v) { simde_mm256_storeu_ps(p, v); }
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

#endif /* SNORM_VEC_H */
