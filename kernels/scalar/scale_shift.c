/*
 * Normalize-scale-shift, scalar reference: y = min(max(a·x + b, lo), hi).
 * Multiply and add are rounded separately (the build forbids contraction);
 * FMA variants differ by at most that one rounding.
 */
#include <math.h>

#include "kernels.h"

/* Written so that a NaN v survives: both comparisons are false for NaN. */
static inline float clamp(float v, float lo, float hi) {
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
}

void snorm_scale_shift_nchw__scalar(const float *x, float *y, snorm_dims d, const float *scale,
                                    const float *shift, float lo, float hi) {
    for (size_t i = 0; i < d.n; i++) {
        for (size_t j = 0; j < d.c; j++) {
            size_t off = (i * d.ldc + j) * d.s;
            float a = scale[j];
            float b = shift ? shift[j] : 0.0f;
            for (size_t k = 0; k < d.s; k++) {
                y[off + k] = clamp(a * x[off + k] + b, lo, hi);
            }
        }
    }
}

void snorm_scale_shift_nhwc__scalar(const float *x, float *y, snorm_dims d, const float *scale,
                                    const float *shift, float lo, float hi) {
    size_t rows = d.n * d.s;
    for (size_t r = 0; r < rows; r++) {
        size_t off = r * d.ldc;
        for (size_t j = 0; j < d.c; j++) {
            float b = shift ? shift[j] : 0.0f;
            y[off + j] = clamp(scale[j] * x[off + j] + b, lo, hi);
        }
    }
}

void snorm_fold__scalar(size_t c, const float *mean, const float *var, const float *gamma,
                        const float *beta, float eps, float *scale, float *shift) {
    for (size_t j = 0; j < c; j++) {
        double g = gamma ? gamma[j] : 1.0;
        double b = beta ? beta[j] : 0.0;
        double a = g / sqrt((double)var[j] + eps);
        double m = mean[j];
        scale[j] = (float)a;
        shift[j] = (float)(b - m * a);
    }
}
