/* AVX-512 vocabulary for the kernels/simd algorithms (see kernels/simd/README.md).
 * Tails use mask registers natively (kernels/common/simde_compat.h). */
#ifndef SNORM_VEC_H
#define SNORM_VEC_H

#define SNORM_COMPAT_AVX512
#include "common/simde_compat.h"

#define VW 16
#define SNORM_SUFFIX(name) name##__avx512

typedef simde__m512 vf;

static inline vf vf_zero(void) { return simde_mm512_setzero_ps(); }
static inline vf vf_set1(float f) { return simde_mm512_set1_ps(f); }
static inline vf vf_load(const float *p) { return simde_mm512_loadu_ps(p); }
static inline void vf_store(float *p, vf v) { simde_mm512_storeu_ps(p, v); }
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

#endif /* SNORM_VEC_H */
