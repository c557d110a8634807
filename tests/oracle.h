/*
 * Test support shared by the Check suites: an independent float64 oracle
 * for every kernel family (written from the formulas in simdnorm.h, never
 * calling the library), deterministic random data, guarded buffers, ulp
 * arithmetic and tensor indexing for both layouts.
 */
#ifndef SNORM_TEST_ORACLE_H
#define SNORM_TEST_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "simdnorm.h"

/* ---- tensor indexing ----------------------------------------------------- */

/* Offset of element (i, j, k) of an n × c × s tensor (simdnorm.h). */
size_t t_index(snorm_layout layout, size_t c, size_t s, size_t i, size_t j, size_t k);

/* ---- deterministic random data ------------------------------------------- */

typedef struct t_rng {
    uint64_t state;
} t_rng;

t_rng t_rng_seed(uint64_t seed);
uint64_t t_rng_next(t_rng *r);
double t_rng_uniform(t_rng *r); /* [0, 1) */
double t_rng_normal(t_rng *r, double mean, double std);
size_t t_rng_below(t_rng *r, size_t bound); /* [0, bound), bound > 0 */
void t_fill_uniform(t_rng *r, float *p, size_t n, double lo, double hi);
void t_fill_normal(t_rng *r, float *p, size_t n, double mean, double std);

/* ---- guarded buffers ------------------------------------------------------- */

/*
 * n floats at p, optionally displaced by `misalign` floats from a 64-byte
 * boundary, with canary bytes filling T_GUARD bytes before and after (and
 * the misalignment gap). Any write outside [p, p + n) shows in t_buf_intact;
 * under AddressSanitizer the guards are also poisoned, so a read there
 * fails the run (t_buf_guard(b, 0) lifts that for code that reads them).
 */
enum { T_GUARD = 256 };

typedef struct t_buf {
    unsigned char *raw;
    size_t raw_bytes;
    float *p;
    size_t n;
} t_buf;

t_buf t_buf_alloc(size_t n, size_t misalign);
int t_buf_intact(const t_buf *b);         /* 1 when every canary byte is untouched */
void t_buf_guard(const t_buf *b, int on); /* ASan: poison (1) or lift (0) the guards */
void t_buf_free(t_buf *b);

/* ---- ulp arithmetic ---------------------------------------------------------- */

/* Spacing of floats at magnitude |v| (v is a double reference value):
 * 2^(e − 23) for 2^e ≤ |v| < 2^(e+1) in the normal range, 2^−149 below it. */
double t_ulpf(double v);

/* |got − ref| in units of t_ulpf(unit); unit is the magnitude the tolerance
 * is stated against (ref itself for relative bounds). Returns 0 when both
 * are the same infinity, INFINITY when exactly one is NaN or infinite. */
double t_ulp_err(float got, double ref, double unit);

/* Bit-exact equality of two floats, NaN payloads aside (NaN == NaN). */
int t_same_float(float a, float b);

/* ---- float64 oracle -------------------------------------------------------- */

/* Two-pass mean and population variance per channel, in double over the
 * float data: mean = Σx/m, var = Σ(x − mean)²/m, m = n·s. */
void oracle_moments(const float *x, snorm_shape sh, double *mean, double *var);

/* clamp(scale[j]·x + shift[j], lo, hi) in double; shift NULL = 0. mag[e]
 * (if not NULL) receives |scale·x| + |shift|, the magnitude the ulp bound is
 * stated against. */
void oracle_scale_shift(const float *x, snorm_shape sh, const float *scale, const float *shift,
                        float lo, float hi, double *y, double *mag);

/* scale[j]·x / d(q) in double with q = Σ_j x², d per eps mode; scale NULL = 1. */
void oracle_l2norm(const float *x, snorm_shape sh, const float *scale, float eps,
                   snorm_eps_mode mode, double *y);

/* Folded batch-norm parameters in double (not rounded): a = γ/√(var + eps),
 * b = β − mean·a; gamma/beta NULL = 1/0. */
void oracle_fold(size_t c, const float *mean, const float *var, const float *gamma,
                 const float *beta, float eps, double *a, double *b);

/* clamp(γ(x − mean)/√(var + eps) + β, lo, hi) in double, and the magnitude
 * |a·x| + |b| of the folded form (the bound's unit), per element. */
void oracle_bn_inference(const float *x, snorm_shape sh, const float *mean, const float *var,
                         const float *gamma, const float *beta, float eps, float lo, float hi,
                         double *y, double *mag);

/* Running statistics after one training step, in double from the float
 * batch statistics: (1 − mom)·r + mom·b, the variance unbiased by m/(m − 1)
 * and left unchanged for m = 1. */
void oracle_running(size_t c, size_t m, float momentum, const float *batch_mean,
                    const float *batch_var, const float *running_mean, const float *running_var,
                    double *new_mean, double *new_var);

#endif /* SNORM_TEST_ORACLE_H */
