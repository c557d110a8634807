/* NEON (AArch64 Advanced SIMD) vocabulary for the kernels/simd algorithms (see
 * kernels/simd/README.md). Native on aarch64, SIMDe-emulated elsewhere; both
 * give the same bits (see snorm_vdivq_f32 and snorm_vfmaq_f32). */
#ifndef SNORM_VEC_H
#define SNORM_VEC_H

#define SNORM_COMPAT_NEON
#include "common/simde_compat.h"

#define VW 4
#define VF_REGS 32
#define VF_FUSED 1
#define SNORM_SUFFIX(name) name##__neon

typedef simde_float32x4_t vf;

static inline vf vf_zero(void) { return simde_vdupq_n_f32(0.0f); }
static inline vf vf_set1(float f) { return simde_vdupq_n_f32(f); }
static inline vf vf_load(const float *p) { return simde_vld1q_f32(p); }
static inline void vf_store(float *p, vf v) { simde_vst1q_f32(p, v); }
/* No non-temporal store intrinsic: streaming is an ordinary store. */
#define VF_STREAMS 0
static inline void vf_stream(float *p, vf v) { simde_vst1q_f32(p, v); }
static inline void vf_stream_fence(void) {}
static inline vf vf_add(vf a, vf b) { return simde_vaddq_f32(a, b); }
static inline vf vf_sub(vf a, vf b) { return simde_vsubq_f32(a, b); }
static inline vf vf_mul(vf a, vf b) { return simde_vmulq_f32(a, b); }
static inline vf vf_div(vf a, vf b) { return snorm_vdivq_f32(a, b); }
static inline vf vf_sqrt(vf a) { return snorm_vsqrtq_f32(a); }
static inline vf vf_fmadd(vf a, vf b, vf c) { return snorm_vfmaq_f32(c, a, b); }

/* NEON has no masked load: single-lane loads, so nothing past p + n is read. */
static inline vf vf_load_n(const float *p, size_t n) {
    vf v = vf_zero();
    if (n > 0) {
        v = simde_vld1q_lane_f32(p, v, 0);
    }
    if (n > 1) {
        v = simde_vld1q_lane_f32(p + 1, v, 1);
    }
    if (n > 2) {
        v = simde_vld1q_lane_f32(p + 2, v, 2);
    }
    return v;
}

static inline void vf_store_n(float *p, vf v, size_t n) {
    if (n > 0) {
        simde_vst1q_lane_f32(p, v, 0);
    }
    if (n > 1) {
        simde_vst1q_lane_f32(p + 1, v, 1);
    }
    if (n > 2) {
        simde_vst1q_lane_f32(p + 2, v, 2);
    }
}

/* Lane i set iff i < n. */
static inline simde_uint32x4_t snorm_neon_mask_n(size_t n) {
    static const uint32_t lane[4] = {0, 1, 2, 3};
    return simde_vcltq_u32(simde_vld1q_u32(lane), simde_vdupq_n_u32((uint32_t)n));
}
static inline vf vf_keep_n(vf v, size_t n) {
    return simde_vbslq_f32(snorm_neon_mask_n(n), v, vf_zero());
}
static inline vf vf_select_n(vf a, vf b, size_t n) {
    return simde_vbslq_f32(snorm_neon_mask_n(n), a, b);
}

/* Lane selectors (vf_permute) as TBL byte indices: lane q is bytes 4q …
 * 4q + 3 (little-endian), so selecting it takes 0x03020100 + q·0x04040404. */
typedef simde_uint8x16_t vi;
static inline vi vi_set1(int32_t q) {
    return simde_vreinterpretq_u8_u32(simde_vdupq_n_u32(0x03020100u + (uint32_t)q * 0x04040404u));
}
static inline vi vi_load(const int32_t *p) { return simde_vld1q_u8((const uint8_t *)p); }
static inline void vi_store(int32_t *p, vi v) { simde_vst1q_u8((uint8_t *)p, v); }
static inline vf vf_permute(vf t, vi i) {
    return simde_vreinterpretq_f32_u8(simde_vqtbl1q_u8(simde_vreinterpretq_u8_f32(t), i));
}

/* Compare and select rather than FMIN/FMAX: the result is b whenever the
 * comparison fails (NaN in either lane, or equal values), exactly as x86
 * minps/maxps and the scalar clamp behave. FMAX would also keep NaN, but
 * it returns +0 for max(+0, −0) where every other variant returns −0. */
static inline vf vf_min(vf a, vf b) { return simde_vbslq_f32(simde_vcltq_f32(a, b), a, b); }
static inline vf vf_max(vf a, vf b) { return simde_vbslq_f32(simde_vcgtq_f32(a, b), a, b); }

/* (v0 + v2) + (v1 + v3), the order of the SSE4.1 variant. Not vaddvq_f32:
 * FADDP sums (v0 + v1) + (v2 + v3) while SIMDe's emulation sums left to
 * right, so native and emulated results would differ. */
static inline float vf_hsum(vf v) {
    simde_float32x2_t s = simde_vadd_f32(simde_vget_low_f32(v), simde_vget_high_f32(v));
    return simde_vget_lane_f32(s, 0) + simde_vget_lane_f32(s, 1);
}

/* Lane l = horizontal sum of v[l], as (v0 + v1) + (v2 + v3) like SSE's haddps. */
static inline vf vf_hsum_lanes(const vf *v) {
    return simde_vpaddq_f32(simde_vpaddq_f32(v[0], v[1]), simde_vpaddq_f32(v[2], v[3]));
}

/* Doubles: VW/2 lanes, for sums that must not round like floats. */
typedef simde_float64x2_t vd;
static inline vd vd_zero(void) { return simde_vdupq_n_f64(0.0); }
static inline vd vd_set1(double f) { return simde_vdupq_n_f64(f); }
static inline vd vd_load(const double *p) { return simde_vld1q_f64(p); }
static inline void vd_store(double *p, vd v) { simde_vst1q_f64(p, v); }
static inline vd vd_lo(vf v) { return simde_vcvt_f64_f32(simde_vget_low_f32(v)); }
static inline vd vd_hi(vf v) { return simde_vcvt_f64_f32(simde_vget_high_f32(v)); }
static inline vf vf_narrow(vd lo, vd hi) {
    return simde_vcombine_f32(simde_vcvt_f32_f64(lo), simde_vcvt_f32_f64(hi));
}
static inline vd vd_add(vd a, vd b) { return simde_vaddq_f64(a, b); }
static inline vd vd_sub(vd a, vd b) { return simde_vsubq_f64(a, b); }
static inline vd vd_mul(vd a, vd b) { return simde_vmulq_f64(a, b); }
static inline vd vd_fmadd(vd a, vd b, vd c) { return snorm_vfmaq_f64(c, a, b); }
static inline vd vd_max(vd a, vd b) { return simde_vbslq_f64(simde_vcgtq_f64(a, b), a, b); }
static inline vd vd_sqrt(vd a) { return snorm_vsqrtq_f64(a); }
static inline vd vd_div(vd a, vd b) { return snorm_vdivq_f64(a, b); }
static inline double vd_hsum(vd v) {
    return simde_vgetq_lane_f64(v, 0) + simde_vgetq_lane_f64(v, 1);
}
/* Lane l = horizontal sum of v[l], for VW/2 = 2 vectors. */
static inline vd vd_hsum_lanes(const vd *v) {
    return simde_vaddq_f64(simde_vzip1q_f64(v[0], v[1]), simde_vzip2q_f64(v[0], v[1]));
}

#endif /* SNORM_VEC_H */
