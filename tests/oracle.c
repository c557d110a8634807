/*
 * The float64 oracle and test helpers (see oracle.h). Straightforward loops
 * on purpose: this file is the independent statement of what each kernel
 * computes, so it shares no code and no algorithm with the library.
 */
#include "oracle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Under AddressSanitizer the guards are poisoned too, so a kernel that
 * reads past its buffer (which the canaries cannot see) fails the run. */
#if defined(__SANITIZE_ADDRESS__)
#define T_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define T_ASAN 1
#endif
#endif
#ifdef T_ASAN
#include <sanitizer/asan_interface.h>
#endif

enum { CANARY = 0xA5 };

size_t t_index(snorm_layout layout, size_t c, size_t s, size_t i, size_t j, size_t k) {
    return layout == SNORM_LAYOUT_NCHW ? (i * c + j) * s + k : (i * s + k) * c + j;
}

/* ---- random data: splitmix64 -------------------------------------------- */

t_rng t_rng_seed(uint64_t seed) {
    t_rng r = {seed * 0x9E3779B97F4A7C15ull + 1};
    return r;
}

uint64_t t_rng_next(t_rng *r) {
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

double t_rng_uniform(t_rng *r) { return (double)(t_rng_next(r) >> 11) * 0x1p-53; }

/* Box–Muller; one of the pair is discarded to keep the state simple. */
double t_rng_normal(t_rng *r, double mean, double std) {
    double u = 1.0 - t_rng_uniform(r); /* (0, 1] so log is finite */
    double v = t_rng_uniform(r);
    return mean + std * sqrt(-2.0 * log(u)) * cos(2.0 * 3.14159265358979323846 * v);
}

size_t t_rng_below(t_rng *r, size_t bound) { return (size_t)(t_rng_next(r) % bound); }

void t_fill_uniform(t_rng *r, float *p, size_t n, double lo, double hi) {
    for (size_t i = 0; i < n; i++) {
        p[i] = (float)(lo + (hi - lo) * t_rng_uniform(r));
    }
}

void t_fill_normal(t_rng *r, float *p, size_t n, double mean, double std) {
    for (size_t i = 0; i < n; i++) {
        p[i] = (float)t_rng_normal(r, mean, std);
    }
}

/* ---- guarded buffers ------------------------------------------------------ */

t_buf t_buf_alloc(size_t n, size_t misalign) {
    t_buf b;
    size_t front = T_GUARD + misalign * sizeof(float);
    b.raw_bytes = front + n * sizeof(float) + T_GUARD;
    b.raw_bytes = (b.raw_bytes + 63) / 64 * 64;
    b.raw = aligned_alloc(64, b.raw_bytes);
    if (!b.raw) {
        abort(); /* a test without memory cannot say anything */
    }
    memset(b.raw, CANARY, b.raw_bytes);
    b.p = (float *)(void *)(b.raw + front);
    b.n = n;
    t_buf_guard(&b, 1);
    return b;
}

void t_buf_guard(const t_buf *b, int on) {
#ifdef T_ASAN
    size_t front = (size_t)((const unsigned char *)b->p - b->raw);
    size_t end = front + b->n * sizeof(float);
    if (on) {
        /* ASan poisons whole 8-byte granules, or a granule's tail: the
         * front guard's last bytes stay readable when p is 4 mod 8 */
        ASAN_POISON_MEMORY_REGION(b->raw, front);
        ASAN_POISON_MEMORY_REGION(b->raw + end, b->raw_bytes - end);
    } else {
        ASAN_UNPOISON_MEMORY_REGION(b->raw, b->raw_bytes);
    }
#else
    (void)b;
    (void)on;
#endif
}

int t_buf_intact(const t_buf *b) {
    const unsigned char *start = (const unsigned char *)b->p;
    const unsigned char *end = start + b->n * sizeof(float);
    int ok = 1;
    t_buf_guard(b, 0);
    for (const unsigned char *q = b->raw; q < start; q++) {
        ok &= *q == CANARY;
    }
    for (const unsigned char *q = end; q < b->raw + b->raw_bytes; q++) {
        ok &= *q == CANARY;
    }
    t_buf_guard(b, 1);
    return ok;
}

void t_buf_free(t_buf *b) {
    t_buf_guard(b, 0);
    free(b->raw);
    b->raw = NULL;
    b->p = NULL;
}

/* ---- ulp arithmetic ------------------------------------------------------- */

double t_ulpf(double v) {
    double a = fabs(v);
    if (!(a >= 0x1p-126)) {
        return 0x1p-149; /* subnormal range (and 0): fixed spacing */
    }
    if (a >= 0x1p127) {
        return 0x1p104; /* the last binade; above FLT_MAX the spacing stays */
    }
    int e;
    frexp(a, &e); /* a = f·2^e, f in [0.5, 1): binade 2^(e−1) */
    return ldexp(1.0, e - 1 - 23);
}

double t_ulp_err(float got, double ref, double unit) {
    if (isnan(ref) || isnan(got)) {
        return isnan(ref) && isnan(got) ? 0.0 : INFINITY;
    }
    if (isinf(ref) || isinf(got)) {
        return (double)got == ref ? 0.0 : INFINITY;
    }
    return fabs((double)got - ref) / t_ulpf(unit);
}

int t_same_float(float a, float b) {
    if (isnan(a) || isnan(b)) {
        return isnan(a) && isnan(b);
    }
    return memcmp(&a, &b, sizeof a) == 0;
}

/* ---- oracle ----------------------------------------------------------------- */

static double at(const float *x, snorm_shape sh, size_t i, size_t j, size_t k) {
    return x[t_index(sh.layout, sh.c, sh.s, i, j, k)];
}

void oracle_moments(const float *x, snorm_shape sh, double *mean, double *var) {
    double m = (double)(sh.n * sh.s);
    for (size_t j = 0; j < sh.c; j++) {
        double sum = 0.0;
        for (size_t i = 0; i < sh.n; i++) {
            for (size_t k = 0; k < sh.s; k++) {
                sum += at(x, sh, i, j, k);
            }
        }
        double mu = sum / m, sq = 0.0;
        for (size_t i = 0; i < sh.n; i++) {
            for (size_t k = 0; k < sh.s; k++) {
                double d = at(x, sh, i, j, k) - mu;
                sq += d * d;
            }
        }
        mean[j] = mu;
        var[j] = sq / m;
    }
}

/* max/min written so that NaN passes through, as the header requires. */
static double clampd(double v, double lo, double hi) {
    if (v < lo) {
        v = lo;
    }
    if (v > hi) {
        v = hi;
    }
    return v;
}

void oracle_scale_shift(const float *x, snorm_shape sh, const float *scale, const float *shift,
                        float lo, float hi, double *y, double *mag) {
    for (size_t i = 0; i < sh.n; i++) {
        for (size_t j = 0; j < sh.c; j++) {
            for (size_t k = 0; k < sh.s; k++) {
                size_t e = t_index(sh.layout, sh.c, sh.s, i, j, k);
                double ax = (double)scale[j] * x[e]; /* exact: 24 × 24 bits */
                double b = shift ? shift[j] : 0.0;
                y[e] = clampd(ax + b, lo, hi);
                if (mag) {
                    mag[e] = fabs(ax) + fabs(b);
                }
            }
        }
    }
}

static double inv_norm(double q, double eps, snorm_eps_mode mode) {
    double d;
    if (mode == SNORM_EPS_ADD) {
        d = sqrt(q + eps);
    } else if (mode == SNORM_EPS_MAX_SUM) {
        d = sqrt(isnan(q) || q >= eps ? q : eps);
    } else {
        d = sqrt(q);
        d = isnan(d) || d >= eps ? d : eps;
    }
    return 1.0 / d;
}

void oracle_l2norm(const float *x, snorm_shape sh, const float *scale, float eps,
                   snorm_eps_mode mode, double *y) {
    for (size_t i = 0; i < sh.n; i++) {
        for (size_t k = 0; k < sh.s; k++) {
            /* Squares of floats are exact in double and q stays far from
             * double's overflow/underflow for any float input. */
            double q = 0.0;
            for (size_t j = 0; j < sh.c; j++) {
                double v = at(x, sh, i, j, k);
                q += v * v;
            }
            /* An infinite input makes d = ∞, inv = 0: x·0 = 0 in the other
             * channels and ∞·0 = NaN in its own, the header's semantics; d = 0
             * gives inv = ∞ and 0·∞ = NaN, as 0/0. */
            double inv = inv_norm(q, eps, mode);
            for (size_t j = 0; j < sh.c; j++) {
                double a = scale ? scale[j] : 1.0;
                y[t_index(sh.layout, sh.c, sh.s, i, j, k)] = a * (at(x, sh, i, j, k) * inv);
            }
        }
    }
}

void oracle_fold(size_t c, const float *mean, const float *var, const float *gamma,
                 const float *beta, float eps, double *a, double *b) {
    for (size_t j = 0; j < c; j++) {
        double g = gamma ? gamma[j] : 1.0;
        double be = beta ? beta[j] : 0.0;
        a[j] = g / sqrt((double)var[j] + (double)eps);
        b[j] = be - (double)mean[j] * a[j];
    }
}

void oracle_bn_inference(const float *x, snorm_shape sh, const float *mean, const float *var,
                         const float *gamma, const float *beta, float eps, float lo, float hi,
                         double *y, double *mag) {
    for (size_t j = 0; j < sh.c; j++) {
        double g = gamma ? gamma[j] : 1.0;
        double be = beta ? beta[j] : 0.0;
        double r = 1.0 / sqrt((double)var[j] + (double)eps);
        double a = g * r, b = be - (double)mean[j] * a;
        for (size_t i = 0; i < sh.n; i++) {
            for (size_t k = 0; k < sh.s; k++) {
                size_t e = t_index(sh.layout, sh.c, sh.s, i, j, k);
                y[e] = clampd(g * ((x[e] - (double)mean[j]) * r) + be, lo, hi);
                mag[e] = fabs(a * x[e]) + fabs(b);
            }
        }
    }
}

void oracle_running(size_t c, size_t m, float momentum, const float *batch_mean,
                    const float *batch_var, const float *running_mean, const float *running_var,
                    double *new_mean, double *new_var) {
    double mom = momentum;
    for (size_t j = 0; j < c; j++) {
        new_mean[j] = (1.0 - mom) * running_mean[j] + mom * batch_mean[j];
        if (m > 1) {
            double unbiased = (double)batch_var[j] * ((double)m / (double)(m - 1));
            new_var[j] = (1.0 - mom) * running_var[j] + mom * unbiased;
        } else {
            new_var[j] = running_var[j];
        }
    }
}
