/*
 * The naive baselines. Moments use the textbook two-pass algorithm with
 * double accumulators (mean first, then the centred sum of squares): the
 * accurate loop a careful user writes, not the cancelling E[x²] − E[x]².
 */
#include "naive.h"

#include <math.h>

static float clampf(float v, float lo, float hi) {
    v = v < lo ? lo : v;
    return v > hi ? hi : v;
}

static void moments_nchw(const float *x, snorm_shape sh, float *mean, float *var) {
    double m = (double)(sh.n * sh.s);
    for (size_t j = 0; j < sh.c; j++) {
        double sum = 0.0, sq = 0.0;
        for (size_t i = 0; i < sh.n; i++) {
            const float *p = x + (i * sh.c + j) * sh.s;
            for (size_t k = 0; k < sh.s; k++) {
                sum += p[k];
            }
        }
        double mu = sum / m;
        for (size_t i = 0; i < sh.n; i++) {
            const float *p = x + (i * sh.c + j) * sh.s;
            for (size_t k = 0; k < sh.s; k++) {
                double d = p[k] - mu;
                sq += d * d;
            }
        }
        mean[j] = (float)mu;
        var[j] = (float)(sq / m);
    }
}

static void moments_nhwc(const float *x, snorm_shape sh, float *mean, float *var, double *acc) {
    size_t pixels = sh.n * sh.s;
    double *sum = acc, *sq = acc + sh.c;
    for (size_t j = 0; j < sh.c; j++) {
        sum[j] = 0.0;
        sq[j] = 0.0;
    }
    for (size_t p = 0; p < pixels; p++) {
        for (size_t j = 0; j < sh.c; j++) {
            sum[j] += x[p * sh.c + j];
        }
    }
    for (size_t j = 0; j < sh.c; j++) {
        sum[j] /= (double)pixels;
    }
    for (size_t p = 0; p < pixels; p++) {
        for (size_t j = 0; j < sh.c; j++) {
            double d = x[p * sh.c + j] - sum[j];
            sq[j] += d * d;
        }
    }
    for (size_t j = 0; j < sh.c; j++) {
        mean[j] = (float)sum[j];
        var[j] = (float)(sq[j] / (double)pixels);
    }
}

void naive_moments(const float *x, snorm_shape sh, float *mean, float *var, double *scratch) {
    if (sh.layout == SNORM_LAYOUT_NCHW) {
        moments_nchw(x, sh, mean, var);
    } else {
        moments_nhwc(x, sh, mean, var, scratch);
    }
}

/* The natural loop nest of each layout: channel outer in NCHW, inner in NHWC. */
void naive_scale_shift(const float *x, float *y, snorm_shape sh, const float *scale,
                       const float *shift, float lo, float hi) {
    int nchw = sh.layout == SNORM_LAYOUT_NCHW;
    size_t outer = nchw ? sh.c : sh.s, inner = nchw ? sh.s : sh.c;
    for (size_t i = 0; i < sh.n; i++) {
        for (size_t a = 0; a < outer; a++) {
            size_t base = (i * outer + a) * inner;
            for (size_t b = 0; b < inner; b++) {
                size_t j = nchw ? a : b;
                y[base + b] = clampf(x[base + b] * scale[j] + shift[j], lo, hi);
            }
        }
    }
}

/* Per pixel: the sum of squares across channels, then the scaled output. */
void naive_l2norm(const float *x, float *y, snorm_shape sh, const float *scale, float eps) {
    size_t cs = sh.layout == SNORM_LAYOUT_NCHW ? sh.s : 1; /* channel stride */
    size_t ps = sh.layout == SNORM_LAYOUT_NCHW ? 1 : sh.c; /* pixel stride */
    for (size_t i = 0; i < sh.n; i++) {
        const float *xi = x + i * sh.c * sh.s;
        float *yi = y + i * sh.c * sh.s;
        for (size_t k = 0; k < sh.s; k++) {
            float q = 0.0f;
            for (size_t j = 0; j < sh.c; j++) {
                float v = xi[k * ps + j * cs];
                q += v * v;
            }
            float d = sqrtf(q + eps);
            for (size_t j = 0; j < sh.c; j++) {
                yi[k * ps + j * cs] = scale[j] * xi[k * ps + j * cs] / d;
            }
        }
    }
}

void naive_batchnorm_inference(const float *x, float *y, snorm_shape sh, const float *mean,
                               const float *var, const float *gamma, const float *beta, float eps,
                               float lo, float hi) {
    int nchw = sh.layout == SNORM_LAYOUT_NCHW;
    size_t outer = nchw ? sh.c : sh.s, inner = nchw ? sh.s : sh.c;
    for (size_t i = 0; i < sh.n; i++) {
        for (size_t a = 0; a < outer; a++) {
            size_t base = (i * outer + a) * inner;
            for (size_t b = 0; b < inner; b++) {
                size_t j = nchw ? a : b;
                float v = gamma[j] * (x[base + b] - mean[j]) / sqrtf(var[j] + eps) + beta[j];
                y[base + b] = clampf(v, lo, hi);
            }
        }
    }
}

void naive_batchnorm_training(const float *x, float *y, snorm_shape sh, const float *gamma,
                              const float *beta, float eps, float momentum, float *running_mean,
                              float *running_var, float *batch_mean, float *batch_var,
                              double *scratch) {
    size_t m = sh.n * sh.s;
    naive_moments(x, sh, batch_mean, batch_var, scratch);
    naive_batchnorm_inference(x, y, sh, batch_mean, batch_var, gamma, beta, eps, -INFINITY,
                              INFINITY);
    for (size_t j = 0; j < sh.c; j++) {
        running_mean[j] = (1.0f - momentum) * running_mean[j] + momentum * batch_mean[j];
        if (m > 1) {
            float unbiased = batch_var[j] * (float)m / (float)(m - 1);
            running_var[j] = (1.0f - momentum) * running_var[j] + momentum * unbiased;
        }
    }
}
