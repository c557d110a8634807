/*
 * L2 normalization across channels, scalar reference. At each pixel the sum
 * of squares is accumulated in double: the square of any finite float fits a
 * double with room for 2^900 more terms, so no input magnitude overflows or
 * underflows, and the result is rounded once to float.
 */
#include "common/l2norm.h"
#include "kernels.h"

/* x_at(p, j): channel j of the pixel whose channel 0 is at p, with channel
 * stride cs (s for NCHW, 1 for NHWC). */
static void normalize_pixel(const float *x, float *y, size_t c, size_t cs, const float *scale,
                            float eps, snorm_eps_mode mode) {
    double q = 0.0;
    for (size_t j = 0; j < c; j++) {
        double v = x[j * cs];
        q += v * v;
    }
    double inv = snorm_l2_inv_norm(q, eps, mode);
    for (size_t j = 0; j < c; j++) {
        double a = scale ? scale[j] : 1.0;
        y[j * cs] = (float)(a * (x[j * cs] * inv));
    }
}

void snorm_l2norm_nchw__scalar(const float *x, float *y, snorm_dims d, const float *scale,
                               float eps, snorm_eps_mode mode) {
    for (size_t i = 0; i < d.n; i++) {
        size_t base = i * d.ldc * d.s;
        for (size_t k = 0; k < d.s; k++) {
            normalize_pixel(x + base + k, y + base + k, d.c, d.s, scale, eps, mode);
        }
    }
}

void snorm_l2norm_nhwc__scalar(const float *x, float *y, snorm_dims d, const float *scale,
                               float eps, snorm_eps_mode mode) {
    size_t rows = d.n * d.s;
    for (size_t r = 0; r < rows; r++) {
        normalize_pixel(x + r * d.ldc, y + r * d.ldc, d.c, 1, scale, eps, mode);
    }
}
