/*
 * "What you would write yourself": straightforward scalar C loops, the
 * baseline the SIMD kernels are compared with. Same results as the library
 * up to rounding; no vector code, no blocking, compiled with the project's
 * flags (so the compiler may auto-vectorize what it can without reassociating).
 */
#ifndef SNORM_BENCH_NAIVE_H
#define SNORM_BENCH_NAIVE_H

#include <stddef.h>

#include "simdnorm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* scratch: 2·c doubles (NHWC per-channel sums). */
void naive_moments(const float *x, snorm_shape sh, float *mean, float *var, double *scratch);
void naive_scale_shift(const float *x, float *y, snorm_shape sh, const float *scale,
                       const float *shift, float lo, float hi);
void naive_l2norm(const float *x, float *y, snorm_shape sh, const float *scale, float eps);
void naive_batchnorm_inference(const float *x, float *y, snorm_shape sh, const float *mean,
                               const float *var, const float *gamma, const float *beta, float eps,
                               float lo, float hi);
/* scratch: 2·c doubles; batch_mean/batch_var: c floats each. */
void naive_batchnorm_training(const float *x, float *y, snorm_shape sh, const float *gamma,
                              const float *beta, float eps, float momentum, float *running_mean,
                              float *running_var, float *batch_mean, float *batch_var,
                              double *scratch);

#ifdef __cplusplus
}
#endif

#endif
