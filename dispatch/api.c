/*
 * The public entry points: every argument is checked here, once, before
 * anything is written; then the chosen variant's kernel runs unchecked.
 * Check order: ISA, NULL pointers, argument values, sizes, empty reduction,
 * overlap.
 */
#include <math.h>
#include <stdint.h>

#include "dispatch.h"

const char *snorm_status_string(snorm_status status) {
    switch (status) {
    case SNORM_OK: return "success";
    case SNORM_ERR_NULL_POINTER: return "a required pointer is NULL";
    case SNORM_ERR_INVALID_ARGUMENT: return "invalid argument value";
    case SNORM_ERR_SIZE_OVERFLOW: return "tensor size overflows size_t";
    case SNORM_ERR_EMPTY_REDUCTION: return "reduction over zero elements";
    case SNORM_ERR_OVERLAP: return "output partially overlaps another buffer";
    case SNORM_ERR_UNSUPPORTED_ISA: return "ISA not available on this machine";
    }
    return "unknown status";
}

/* ---- argument checks --------------------------------------------------- */

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        snorm_status st_ = (expr);                                                                 \
        if (st_ != SNORM_OK) {                                                                     \
            return st_;                                                                            \
        }                                                                                          \
    } while (0)

static snorm_status check_isa(snorm_isa isa) {
    return snorm_isa_runnable(isa) ? SNORM_OK : SNORM_ERR_UNSUPPORTED_ISA;
}

static snorm_status check_layout(snorm_layout layout) {
    return layout == SNORM_LAYOUT_NCHW || layout == SNORM_LAYOUT_NHWC ? SNORM_OK
                                                                      : SNORM_ERR_INVALID_ARGUMENT;
}

static snorm_status check_eps(float eps) {
    return eps >= 0.0f ? SNORM_OK : SNORM_ERR_INVALID_ARGUMENT; /* false for NaN too */
}

static snorm_status check_bounds(float lo, float hi) {
    return lo <= hi ? SNORM_OK : SNORM_ERR_INVALID_ARGUMENT; /* false if either is NaN */
}

/* Element count n·c·s, refusing any product (or its byte size) past size_t.
 * A zero dimension makes an empty tensor whatever the others are (the
 * partial product n·s alone may exceed size_t then). */
static snorm_status check_count(snorm_shape sh, size_t *count) {
    size_t max = SIZE_MAX / sizeof(float);
    if (sh.c > max) {
        return SNORM_ERR_SIZE_OVERFLOW; /* per-channel arrays must be addressable too */
    }
    if (sh.n == 0 || sh.c == 0 || sh.s == 0) {
        *count = 0;
        return SNORM_OK;
    }
    if (sh.s > max / sh.n || sh.c > max / (sh.n * sh.s)) {
        return SNORM_ERR_SIZE_OVERFLOW;
    }
    *count = sh.n * sh.s * sh.c;
    return SNORM_OK;
}

/* m = n·s = 0: no element to reduce (tested on the factors: with c = 0 the
 * product n·s may not fit in size_t). */
static int empty_reduction(snorm_shape sh) {
    return sh.n == 0 || sh.s == 0;
}

/* A buffer taking part in a call. Outputs must not overlap anything, except
 * that an output may be exactly an input of the same nonzero alias group
 * (in place). Empty buffers overlap nothing. */
typedef struct region {
    const void *p;
    size_t floats;
    int output;
    int group;
} region;

static int overlap(const region *a, const region *b) {
    if (!a->p || !b->p || a->floats == 0 || b->floats == 0) {
        return 0;
    }
    uintptr_t a0 = (uintptr_t)a->p, b0 = (uintptr_t)b->p;
    uintptr_t a1 = a0 + a->floats * sizeof(float), b1 = b0 + b->floats * sizeof(float);
    return a0 < b1 && b0 < a1;
}

static snorm_status check_overlap(const region *r, size_t count) {
    for (size_t i = 0; i < count; i++) {
        for (size_t j = i + 1; j < count; j++) {
            if (!(r[i].output || r[j].output) || !overlap(&r[i], &r[j])) {
                continue;
            }
            int in_place = r[i].output != r[j].output && r[i].group != 0 &&
                           r[i].group == r[j].group && r[i].p == r[j].p &&
                           r[i].floats == r[j].floats;
            if (!in_place) {
                return SNORM_ERR_OVERLAP;
            }
        }
    }
    return SNORM_OK;
}

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static snorm_dims dims_of(snorm_shape sh) {
    snorm_dims d = {sh.n, sh.c, sh.s, sh.c};
    return d;
}

/* ---- channel moments --------------------------------------------------- */

static snorm_status moments(const snorm_kernel_table *t, const float *x, snorm_shape sh,
                            float *mean, float *var) {
    size_t count;
    if (!x || !mean || !var) {
        return SNORM_ERR_NULL_POINTER;
    }
    CHECK(check_layout(sh.layout));
    CHECK(check_count(sh, &count));
    if (empty_reduction(sh)) {
        return SNORM_ERR_EMPTY_REDUCTION;
    }
    region r[] = {{x, count, 0, 0}, {mean, sh.c, 1, 0}, {var, sh.c, 1, 0}};
    CHECK(check_overlap(r, COUNT_OF(r)));
    if (sh.c != 0) {
        t->moments[sh.layout](x, dims_of(sh), mean, var);
    }
    return SNORM_OK;
}

snorm_status snorm_channel_moments(const float *x, snorm_shape sh, float *mean, float *var) {
    return moments(snorm_active_table(), x, sh, mean, var);
}

snorm_status snorm_channel_moments_isa(snorm_isa isa, const float *x, snorm_shape sh, float *mean,
                                       float *var) {
    CHECK(check_isa(isa));
    return moments(snorm_table_for(isa), x, sh, mean, var);
}

/* ---- folding ----------------------------------------------------------- */

/* The active variant's fold (kernels.h): element-wise, reading every input
 * of a channel before writing it, so the outputs may be the input arrays
 * themselves. */
snorm_status snorm_fold_batchnorm(size_t c, const float *mean, const float *var,
                                  const float *gamma, const float *beta, float eps, float *scale,
                                  float *shift) {
    if (!mean || !var || !scale || !shift) {
        return SNORM_ERR_NULL_POINTER;
    }
    CHECK(check_eps(eps));
    if (c > SIZE_MAX / sizeof(float)) {
        return SNORM_ERR_SIZE_OVERFLOW;
    }
    region r[] = {{mean, c, 0, 1}, {var, c, 0, 1},  {gamma, c, 0, 1},
                  {beta, c, 0, 1}, {scale, c, 1, 1}, {shift, c, 1, 1}};
    CHECK(check_overlap(r, COUNT_OF(r)));
    snorm_active_table()->fold(c, mean, var, gamma, beta, eps, scale, shift);
    return SNORM_OK;
}

/* ---- scale/shift ------------------------------------------------------- */

static snorm_status scale_shift(const snorm_kernel_table *t, const float *x, float *y,
                                snorm_shape sh, const float *scale, const float *shift, float lo,
                                float hi) {
    size_t count;
    if (!x || !y || !scale) {
        return SNORM_ERR_NULL_POINTER;
    }
    CHECK(check_layout(sh.layout));
    CHECK(check_bounds(lo, hi));
    CHECK(check_count(sh, &count));
    region r[] = {{x, count, 0, 1}, {y, count, 1, 1}, {scale, sh.c, 0, 0}, {shift, sh.c, 0, 0}};
    CHECK(check_overlap(r, COUNT_OF(r)));
    if (count != 0) {
        t->scale_shift[sh.layout](x, y, dims_of(sh), scale, shift, lo, hi);
    }
    return SNORM_OK;
}

snorm_status snorm_scale_shift(const float *x, float *y, snorm_shape sh, const float *scale,
                               const float *shift, float lo, float hi) {
    return scale_shift(snorm_active_table(), x, y, sh, scale, shift, lo, hi);
}

snorm_status snorm_scale_shift_isa(snorm_isa isa, const float *x, float *y, snorm_shape sh,
                                   const float *scale, const float *shift, float lo, float hi) {
    CHECK(check_isa(isa));
    return scale_shift(snorm_table_for(isa), x, y, sh, scale, shift, lo, hi);
}

/* ---- l2norm ------------------------------------------------------------ */

static snorm_status l2norm(const snorm_kernel_table *t, const float *x, float *y, snorm_shape sh,
                           const float *scale, float eps, snorm_eps_mode mode) {
    size_t count;
    if (!x || !y) {
        return SNORM_ERR_NULL_POINTER;
    }
    CHECK(check_layout(sh.layout));
    if (mode != SNORM_EPS_ADD && mode != SNORM_EPS_MAX_SUM && mode != SNORM_EPS_MAX_NORM) {
        return SNORM_ERR_INVALID_ARGUMENT;
    }
    CHECK(check_eps(eps));
    CHECK(check_count(sh, &count));
    region r[] = {{x, count, 0, 1}, {y, count, 1, 1}, {scale, sh.c, 0, 0}};
    CHECK(check_overlap(r, COUNT_OF(r)));
    if (count != 0) {
        t->l2norm[sh.layout](x, y, dims_of(sh), scale, eps, mode);
    }
    return SNORM_OK;
}

snorm_status snorm_l2norm(const float *x, float *y, snorm_shape sh, const float *scale, float eps,
                          snorm_eps_mode mode) {
    return l2norm(snorm_active_table(), x, y, sh, scale, eps, mode);
}

snorm_status snorm_l2norm_isa(snorm_isa isa, const float *x, float *y, snorm_shape sh,
                              const float *scale, float eps, snorm_eps_mode mode) {
    CHECK(check_isa(isa));
    return l2norm(snorm_table_for(isa), x, y, sh, scale, eps, mode);
}

/* ---- batch normalization ----------------------------------------------- */

/* Batch-norm folds its parameters for a block of up to 1024 channels at a
 * time into two stack arrays (8 KiB; the library never allocates), 64-byte
 * aligned so the kernels read them in place; the kernels see the block as a
 * channel slice of the full tensor (snorm_dims.ldc). An NHWC tensor of up
 * to 1024 channels is then one block, which the scale_shift kernel walks as
 * one periodic stream instead of row by row (inference against 256-channel
 * blocks: AVX-512 1x512x38x38 62.4 -> 55.2 us, 1x1024x14x14 16.2 -> 14.2 us;
 * AVX2 1x512x38x38 79.2 -> 57.3 us). */
enum { BN_BLOCK = 1024 };

static snorm_dims block_dims(snorm_shape sh, size_t cb) {
    snorm_dims d = {sh.n, cb, sh.s, sh.c};
    return d;
}

static size_t block_offset(snorm_shape sh, size_t j0) {
    return sh.layout == SNORM_LAYOUT_NCHW ? j0 * sh.s : j0;
}

static snorm_status batchnorm_inference(const snorm_kernel_table *t, const float *x, float *y,
                                        snorm_shape sh, const float *mean, const float *var,
                                        const float *gamma, const float *beta, float eps,
                                        float lo, float hi) {
    size_t count;
    if (!x || !y || !mean || !var) {
        return SNORM_ERR_NULL_POINTER;
    }
    CHECK(check_layout(sh.layout));
    CHECK(check_eps(eps));
    CHECK(check_bounds(lo, hi));
    CHECK(check_count(sh, &count));
    region r[] = {{x, count, 0, 1},  {y, count, 1, 1},     {mean, sh.c, 0, 0},
                  {var, sh.c, 0, 0}, {gamma, sh.c, 0, 0}, {beta, sh.c, 0, 0}};
    CHECK(check_overlap(r, COUNT_OF(r)));
    if (count == 0) {
        return SNORM_OK;
    }
    for (size_t j0 = 0; j0 < sh.c; j0 += BN_BLOCK) {
        size_t cb = sh.c - j0 < BN_BLOCK ? sh.c - j0 : BN_BLOCK;
        _Alignas(64) float a[BN_BLOCK], b[BN_BLOCK];
        t->fold(cb, mean + j0, var + j0, gamma ? gamma + j0 : NULL, beta ? beta + j0 : NULL, eps, a,
                b);
        size_t off = block_offset(sh, j0);
        t->scale_shift[sh.layout](x + off, y + off, block_dims(sh, cb), a, b, lo, hi);
    }
    return SNORM_OK;
}

snorm_status snorm_batchnorm_inference(const float *x, float *y, snorm_shape sh, const float *mean,
                                       const float *var, const float *gamma, const float *beta,
                                       float eps, float lo, float hi) {
    return batchnorm_inference(snorm_active_table(), x, y, sh, mean, var, gamma, beta, eps, lo,
                               hi);
}

snorm_status snorm_batchnorm_inference_isa(snorm_isa isa, const float *x, float *y,
                                           snorm_shape sh, const float *mean, const float *var,
                                           const float *gamma, const float *beta, float eps,
                                           float lo, float hi) {
    CHECK(check_isa(isa));
    return batchnorm_inference(snorm_table_for(isa), x, y, sh, mean, var, gamma, beta, eps, lo,
                               hi);
}

/* running ← (1 − momentum)·running + momentum·batch, in double. The running
 * variance tracks the unbiased m/(m − 1) estimate and is kept for m = 1.
 * The factor is divided out once (a divide per channel made training of
 * 1x2048x7x7 about 1.4-1.8 us slower on AVX-512, the difference of two A/B
 * runs); its double rounding is far below the float result's. */
static void update_running(size_t cb, size_t m, float momentum, const float *bm, const float *bv,
                           float *running_mean, float *running_var) {
    double mom = momentum, unbias = m > 1 ? (double)m / (double)(m - 1) : 0.0;
    for (size_t j = 0; j < cb; j++) {
        running_mean[j] = (float)((1.0 - mom) * running_mean[j] + mom * bm[j]);
        if (m > 1) {
            running_var[j] = (float)((1.0 - mom) * running_var[j] + mom * (bv[j] * unbias));
        }
    }
}

static snorm_status batchnorm_training(const snorm_kernel_table *t, const float *x, float *y,
                                       snorm_shape sh, const float *gamma, const float *beta,
                                       float eps, float momentum, float *running_mean,
                                       float *running_var, float *batch_mean, float *batch_var) {
    size_t count;
    if (!x || !y || (!running_mean != !running_var)) {
        return SNORM_ERR_NULL_POINTER;
    }
    CHECK(check_layout(sh.layout));
    CHECK(check_eps(eps));
    if (!(momentum >= 0.0f && momentum <= 1.0f)) {
        return SNORM_ERR_INVALID_ARGUMENT;
    }
    CHECK(check_count(sh, &count));
    if (empty_reduction(sh)) {
        return SNORM_ERR_EMPTY_REDUCTION;
    }
    region r[] = {{x, count, 0, 1},           {y, count, 1, 1},           {gamma, sh.c, 0, 0},
                  {beta, sh.c, 0, 0},         {running_mean, sh.c, 1, 0}, {running_var, sh.c, 1, 0},
                  {batch_mean, sh.c, 1, 0},   {batch_var, sh.c, 1, 0}};
    CHECK(check_overlap(r, COUNT_OF(r)));
    for (size_t j0 = 0; j0 < sh.c; j0 += BN_BLOCK) {
        size_t cb = sh.c - j0 < BN_BLOCK ? sh.c - j0 : BN_BLOCK;
        _Alignas(64) float a[BN_BLOCK], b[BN_BLOCK];
        /* without caller arrays the statistics land in a, b and are folded
         * there in place, after the running update has read them */
        float *bm = batch_mean ? batch_mean + j0 : a;
        float *bv = batch_var ? batch_var + j0 : b;
        size_t off = block_offset(sh, j0);
        snorm_dims d = block_dims(sh, cb);
        t->moments[sh.layout](x + off, d, bm, bv);
        if (running_mean) {
            update_running(cb, sh.n * sh.s, momentum, bm, bv, running_mean + j0, running_var + j0);
        }
        t->fold(cb, bm, bv, gamma ? gamma + j0 : NULL, beta ? beta + j0 : NULL, eps, a, b);
        t->scale_shift[sh.layout](x + off, y + off, d, a, b, -INFINITY, INFINITY);
    }
    return SNORM_OK;
}

snorm_status snorm_batchnorm_training(const float *x, float *y, snorm_shape sh, const float *gamma,
                                      const float *beta, float eps, float momentum,
                                      float *running_mean, float *running_var, float *batch_mean,
                                      float *batch_var) {
    return batchnorm_training(snorm_active_table(), x, y, sh, gamma, beta, eps, momentum,
                              running_mean, running_var, batch_mean, batch_var);
}

snorm_status snorm_batchnorm_training_isa(snorm_isa isa, const float *x, float *y, snorm_shape sh,
                                          const float *gamma, const float *beta, float eps,
                                          float momentum, float *running_mean, float *running_var,
                                          float *batch_mean, float *batch_var) {
    CHECK(check_isa(isa));
    return batchnorm_training(snorm_table_for(isa), x, y, sh, gamma, beta, eps, momentum,
                              running_mean, running_var, batch_mean, batch_var);
}
