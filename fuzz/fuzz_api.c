/*
 * libFuzzer target for the whole public API (also driven by replay.c).
 *
 * Each input decodes one call: the function, the variant (explicit *_isa,
 * or the dispatched entry after a snorm_set_isa), shape (small dims, or
 * huge ones that must overflow or be no-ops), layout and enum values incl.
 * invalid ones, eps/bounds/momentum incl. NaN/inf/negative/lo > hi, tensor
 * data (raw bit patterns or generated, with NaN/inf/subnormal/huge values),
 * misalignment, NULLs and aliasing (in place, partial overlap, a
 * per-channel array inside a tensor, two outputs sharing memory).
 *
 * Every buffer is its own allocation of exactly its size, preceded by a
 * poisoned misalignment pad, so ASan flags any access outside it. After
 * the call the harness checks, from the header's contract alone:
 *   - the status is one the arguments call for (OK iff the call is valid);
 *   - on error no byte of any buffer changed; on success inputs are intact;
 *   - results against the scalar variant or a float64 oracle, with the
 *     header's tolerances (derivations at each check).
 * A violation prints what differed and aborts (a libFuzzer crash).
 */
#define _POSIX_C_SOURCE 200809L /* posix_memalign */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simdnorm.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_ASAN 1
#endif
#ifdef FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- failure reporting --------------------------------------------------- */

static const char *g_fn = "";
static int g_isa = -1;

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        fprintf(stderr, "fuzz_api: %s (isa %s): ", g_fn, snorm_isa_name((snorm_isa)g_isa));        \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        abort();                                                                                   \
    } while (0)

/* ---- input decoding ------------------------------------------------------ */

typedef struct reader {
    const uint8_t *p;
    size_t n, i;
} reader;

static unsigned u8(reader *r) { return r->i < r->n ? r->p[r->i++] : 0u; }
static unsigned u16(reader *r) { return u8(r) | u8(r) << 8; }
static uint32_t u32(reader *r) { return (uint32_t)u16(r) | (uint32_t)u16(r) << 16; }

static float bits_to_float(uint32_t b) {
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

static const float specials[] = {
    0.0f,     -0.0f,     1.0f,   -1.0f,   0.5f,    6.0f,     1e-5f,    1e-3f,     FLT_MIN,
    -FLT_MIN, 0x1p-149f, 1e-40f, -3e-39f, FLT_MAX, -FLT_MAX, INFINITY, -INFINITY, NAN,
    -NAN,     1e18f,     -1e18f, 1e-18f,  1e19f,   1e4f,     3e38f,    1e-30f,    0.1f,
};
#define NSPECIALS (sizeof specials / sizeof specials[0])

static float special(reader *r) { return specials[u8(r) % NSPECIALS]; }

/* A float parameter: mostly typical values, sometimes special or raw bits. */
static float param(reader *r, float typical) {
    unsigned b = u8(r);
    switch (b % 4) {
    case 0: return typical;
    case 1: return special(r);
    case 2: return bits_to_float(u32(r));
    default: return typical * (float)(1 + (b >> 2) % 8);
    }
}

static uint32_t xorshift(uint32_t *s) {
    uint32_t x = *s ? *s : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* Fills p[0..n) from the input: raw float bits, a generated cloud (centre,
 * spread from tiny to huge) with a few special values sprinkled in, or a
 * constant (zero pixels, zero-variance channels). */
static void fill(reader *r, float *p, size_t n) {
    unsigned mode = u8(r) % 4;
    if (mode == 0) {
        for (size_t i = 0; i < n; i++) {
            p[i] = bits_to_float(u32(r));
        }
        return;
    }
    if (mode == 3) {
        float v = special(r);
        for (size_t i = 0; i < n; i++) {
            p[i] = v;
        }
        return;
    }
    uint32_t seed = u32(r);
    unsigned eb = u8(r);
    /* moderate exponents mostly; the full float range sometimes */
    int e = (eb & 0x80) ? (int)(eb & 0x1f) - 16 : (int)(eb % 276) - 149;
    float spread = ldexpf(1.0f, e);
    float centre = (u8(r) & 1) ? 0.0f : special(r);
    if (!isfinite(centre)) {
        centre = 0.0f;
    }
    for (size_t i = 0; i < n; i++) {
        float unit = (float)(xorshift(&seed) >> 8) * 0x1p-23f - 1.0f; /* [-1, 1) */
        p[i] = centre + spread * unit;
    }
    unsigned k = u8(r) % 4;
    for (unsigned t = 0; t < k && n > 0; t++) {
        unsigned pos = u16(r);
        p[pos % n] = special(r);
    }
}

/* ---- buffers --------------------------------------------------------------
 * A call's buffers are described first (size, role), then some are placed
 * inside others (aliasing) or made NULL, then allocated: each host buffer is
 * one aligned allocation of exactly pad + its extent, the pad poisoned. */

enum { MAXB = 10 };

typedef struct buf {
    const char *name;
    size_t floats; /* the size the call will assume */
    int output;    /* written by the call */
    int required;  /* NULL is an error */
    int null;      /* passed as NULL */
    int host;      /* -1: own allocation; else placed in buffer `host` at `off` */
    long off;      /* floats from host's pointer */
    float *p;      /* what the call gets */
    void *alloc;   /* own allocation (hosts) */
    size_t alloc_bytes;
    size_t pad_bytes;
    unsigned char *snap;
} buf;

typedef struct call {
    buf b[MAXB];
    int nb;
    int huge; /* sizes may be astronomically large: allocate 1 float */
    unsigned misalign;
} call;

static int add_buf(call *c, const char *name, size_t floats, int output, int required) {
    buf *b = &c->b[c->nb];
    memset(b, 0, sizeof *b);
    b->name = name;
    b->floats = floats;
    b->output = output;
    b->required = required;
    b->host = -1;
    return c->nb++;
}

static size_t alloc_extent(const call *c, int i) {
    return c->huge ? (c->b[i].floats ? 1 : 0) : c->b[i].floats;
}

static void allocate(call *c) {
    for (int i = 0; i < c->nb; i++) {
        buf *h = &c->b[i];
        if (h->host >= 0 || h->null) {
            continue;
        }
        long lo = 0, hi = (long)alloc_extent(c, i);
        for (int g = 0; g < c->nb; g++) {
            if (c->b[g].host == i) {
                lo = c->b[g].off < lo ? c->b[g].off : lo;
                long end = c->b[g].off + (long)alloc_extent(c, g);
                hi = end > hi ? end : hi;
            }
        }
        h->pad_bytes = (c->misalign + (unsigned)i) % 16 * sizeof(float);
        h->alloc_bytes = h->pad_bytes + (size_t)(hi - lo) * sizeof(float);
        if (posix_memalign(&h->alloc, 64, h->alloc_bytes ? h->alloc_bytes : 1) != 0) {
            abort();
        }
        memset(h->alloc, 0xA5, h->alloc_bytes);
        POISON(h->alloc, h->pad_bytes);
        h->p = (float *)((char *)h->alloc + h->pad_bytes) - lo;
    }
    for (int g = 0; g < c->nb; g++) {
        buf *b = &c->b[g];
        if (b->host >= 0) {
            b->p = c->b[b->host].null ? NULL : c->b[b->host].p + b->off;
        }
    }
}

static void release(call *c) {
    for (int i = 0; i < c->nb; i++) {
        buf *b = &c->b[i];
        if (b->alloc) {
            UNPOISON(b->alloc, b->pad_bytes);
            free(b->alloc);
        }
        free(b->snap);
    }
}

static void snapshot(call *c) {
    for (int i = 0; i < c->nb; i++) {
        buf *b = &c->b[i];
        size_t bytes = b->alloc_bytes - b->pad_bytes;
        if (b->alloc) {
            b->snap = malloc(bytes ? bytes : 1);
            memcpy(b->snap, (char *)b->alloc + b->pad_bytes, bytes);
        }
    }
}

/* Allocation i changed since the snapshot? */
static int changed(const call *c, int i) {
    const buf *b = &c->b[i];
    return b->alloc &&
           memcmp(b->snap, (char *)b->alloc + b->pad_bytes, b->alloc_bytes - b->pad_bytes) != 0;
}

/* Buffers overlap (both non-NULL and non-empty)? Sizes are the call's. */
static int overlaps(const buf *a, const buf *b) {
    if (!a->p || !b->p || a->floats == 0 || b->floats == 0) {
        return 0;
    }
    uintptr_t a0 = (uintptr_t)a->p, b0 = (uintptr_t)b->p;
    return a0 < b0 + b->floats * sizeof(float) && b0 < a0 + a->floats * sizeof(float);
}

/* The header's aliasing rule: an output may not overlap any other buffer,
 * except that it may be exactly (same pointer and size) an input the
 * function allows in place: `inplace(out, in)`. */
static int bad_overlap(const call *c, int (*inplace)(const call *, int, int)) {
    for (int i = 0; i < c->nb; i++) {
        for (int j = 0; j < c->nb; j++) {
            const buf *o = &c->b[i], *q = &c->b[j];
            if (i == j || !o->output || !overlaps(o, q)) {
                continue;
            }
            int same = o->p == q->p && o->floats == q->floats;
            if (!(same && !q->output && inplace && inplace(c, i, j))) {
                return 1;
            }
        }
    }
    return 0;
}

/* Decodes NULLs and aliasing. `pairs` lists (guest, host) buffer pairs
 * that may be placed in one another; `inplace_pairs` (out, in) pairs that
 * may be made identical. */
static void decode_aliasing(reader *r, call *c, const int (*pairs)[2], int npairs,
                            const int (*inplace_pairs)[2], int ninplace) {
    unsigned mode = u8(r) % 8;
    if (mode == 5 && ninplace > 0) { /* in place */
        const int *pr = inplace_pairs[u8(r) % (unsigned)ninplace];
        c->b[pr[0]].host = pr[1];
        c->b[pr[0]].off = 0;
    } else if (mode == 6 && npairs > 0 && !c->huge) { /* partial overlap */
        const int *pr = pairs[u8(r) % (unsigned)npairs];
        buf *g = &c->b[pr[0]];
        long hn = (long)c->b[pr[1]].floats, gn = (long)g->floats;
        if (hn > 0 && gn > 0) {
            /* anywhere from gn-1 floats before the host to its last float */
            long span = hn + gn - 1;
            g->host = pr[1];
            g->off = (long)(u16(r) % (unsigned long)span) - (gn - 1);
        }
    } else if (mode == 7) { /* one buffer NULL */
        c->b[u8(r) % (unsigned)c->nb].null = 1;
    }
    unsigned extra_null = u8(r);
    if (extra_null % 5 == 0) { /* optional buffers NULL now and then */
        for (int i = 0; i < c->nb; i++) {
            if (!c->b[i].required && (extra_null >> (1 + i % 7)) & 1) {
                c->b[i].null = 1;
            }
        }
    }
    for (int i = 0; i < c->nb; i++) {
        if (c->b[i].null && c->b[i].host >= 0) {
            c->b[i].host = -1; /* a NULL guest is just NULL */
        }
    }
}

/* ---- shapes and statuses ------------------------------------------------- */

#define ERR(s) (1u << (s))

static snorm_layout decode_layout(reader *r) {
    static const unsigned layouts[8] = {0, 0, 0, 1, 1, 1, 2, 0x7fffffff};
    return (snorm_layout)layouts[u8(r) % 8];
}

static int valid_layout(snorm_layout l) { return l == SNORM_LAYOUT_NCHW || l == SNORM_LAYOUT_NHWC; }

/* n·c·s floats (and c floats) addressable? Sets *count when so. */
static int size_ok(snorm_shape sh, size_t *count) {
    size_t ns, ncs, bytes;
    if (__builtin_mul_overflow(sh.c, sizeof(float), &bytes)) {
        return 0;
    }
    if (sh.n == 0 || sh.c == 0 || sh.s == 0) {
        *count = 0; /* header: the n·c·s product, so any zero dim is empty */
        return 1;
    }
    if (__builtin_mul_overflow(sh.n, sh.s, &ns) || __builtin_mul_overflow(ns, sh.c, &ncs) ||
        __builtin_mul_overflow(ncs, sizeof(float), &bytes) ||
        __builtin_mul_overflow(sh.c, sizeof(float), &bytes)) {
        return 0;
    }
    *count = ncs;
    return 1;
}

/* Small dims normally; sometimes many channels (batch norm's channel
 * blocks) or long channels (several moments chunks); and huge dims that
 * must overflow (or leave the call a no-op). */
static snorm_shape decode_shape(reader *r, int *huge) {
    snorm_shape sh;
    sh.layout = decode_layout(r);
    unsigned kind = u8(r) % 16;
    *huge = 0;
    if (kind < 11) {
        sh.n = u8(r) % 4;
        sh.c = u8(r) % 72;
        sh.s = u8(r) % 72;
    } else if (kind < 12) { /* more channels than batch norm's 256-channel block */
        sh.n = 1 + u8(r) % 2;
        sh.c = 240 + u8(r) % 40;
        sh.s = 1 + u8(r) % 5;
    } else if (kind < 15) {
        sh.n = 1 + u8(r) % 2;
        sh.c = 1 + u8(r) % 3;
        sh.s = 1000 + u16(r) % 1200;
    } else {
        static const size_t big[] = {
            SIZE_MAX, SIZE_MAX / 4 + 1, SIZE_MAX / 12 + 1, (size_t)1 << 32, (size_t)1 << 62, 0, 1,
            3};
        *huge = 1;
        sh.n = big[u8(r) % 8];
        sh.c = big[u8(r) % 8];
        sh.s = big[u8(r) % 8];
        size_t count;
        if (size_ok(sh, &count) && count > 0) {
            if (count <= 4096 && sh.c <= 4096) {
                *huge = 0; /* small after all: real buffers */
            } else {
                sh.n = SIZE_MAX; /* too big to allocate: make it overflow */
            }
        }
    }
    return sh;
}

static snorm_isa decode_isa(reader *r) {
    static const int isas[8] = {0, 1, 2, 3, 4, SNORM_ISA_COUNT, 99, 3};
    return (snorm_isa)isas[u8(r) % 8];
}

/* Checks the status against the set of errors the arguments call for. */
static void check_status(snorm_status st, unsigned expected_errors, int isa_ok) {
    if (!isa_ok) {
        if (st != SNORM_ERR_UNSUPPORTED_ISA) {
            FAIL("status %d for a non-runnable ISA, expected UNSUPPORTED_ISA", (int)st);
        }
        return;
    }
    if (expected_errors == 0 && st != SNORM_OK) {
        FAIL("valid call failed: %s", snorm_status_string(st));
    }
    if (expected_errors != 0 && (st == SNORM_OK || !(expected_errors & ERR(st)))) {
        FAIL("status %d (%s), expected one of mask 0x%x", (int)st, snorm_status_string(st),
             expected_errors);
    }
}

static void check_untouched(const call *c, int all) {
    for (int i = 0; i < c->nb; i++) {
        int may_write = 0;
        for (int j = 0; j < c->nb && !all; j++) {
            if (c->b[j].output && !c->b[j].null &&
                (j == i || c->b[j].host == i ||
                 (c->b[i].host >= 0 && c->b[i].host == c->b[j].host) || c->b[i].host == j)) {
                may_write = 1;
            }
        }
        if (!may_write && changed(c, i)) {
            FAIL("buffer %s modified by a call that %s", c->b[i].name,
                 all ? "failed or had nothing to do" : "does not write it");
        }
    }
}

/* ---- tolerances ---------------------------------------------------------- */

/* One ulp of float at magnitude v (subnormal spacing below FLT_MIN). */
static double ulpf(double v) {
    v = fabs(v);
    if (!(v >= FLT_MIN)) {
        return 0x1p-149;
    }
    if (v >= FLT_MAX) {
        return 0x1p104;
    }
    int e;
    frexp(v, &e); /* v = m·2^e, m in [0.5, 1): ulp = 2^(e-24) */
    return ldexp(1.0, e - 24);
}

/* p[0, n) and q[0, n) hold the same floats bit for bit, except that a NaN
 * matches any NaN: the fold variants agree to the bit but for the payload
 * of a NaN (which NaN operand it comes from follows the compiler's operand
 * order). */
static int same_floats(const float *p, const float *q, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (memcmp(&p[i], &q[i], sizeof(float)) != 0 && !(isnan(p[i]) && isnan(q[i]))) {
            return 0;
        }
    }
    return 1;
}

/* |got - exact| ≤ ulps·ulp(exact), NaN iff NaN, infinities where exact
 * rounds to one. A float overflow of a result whose exact value is within
 * tolerance of FLT_MAX counts as 2^128. */
static int close_ulps(float got, double exact, double ulps) {
    if (isnan(exact) || isnan(got)) {
        return isnan(exact) && isnan(got);
    }
    if (isinf(exact)) {
        return (double)got == exact;
    }
    if (isinf((float)exact) && (double)got == (double)(float)exact) {
        return 1; /* exact value rounds to an infinity */
    }
    double g = isinf(got) ? copysign(0x1p128, got) : got;
    return fabs(g - exact) <= ulps * ulpf(exact);
}

static float *dup(const float *p, size_t n) {
    if (!p) {
        return NULL;
    }
    float *q = malloc(n ? n * sizeof(float) : 1);
    memcpy(q, p, n * sizeof(float));
    return q;
}

static size_t at(snorm_shape sh, size_t i, size_t j, size_t k) {
    return sh.layout == SNORM_LAYOUT_NCHW ? (i * sh.c + j) * sh.s + k : (i * sh.s + k) * sh.c + j;
}

/*
 * scale_shift results (got) against the scalar variant (ref) on the same
 * inputs. Header: the variants may differ by one rounding (FMA), ≤ 2 ulp of
 * |a·x| + |b|; the clamp is non-expansive so it keeps that bound. Where
 * |a·x| + |b| exceeds FLT_MAX the rounding may overflow differently (inf vs
 * finite, or inf − inf = NaN vs a fused −inf), so only the NaN rule is
 * checked there. NaN in x, a or b must give NaN; outputs lie in [lo, hi].
 */
static void compare_scale_shift(snorm_shape sh, const float *x, const float *a, const float *b,
                                float lo, float hi, const float *got, const float *ref) {
    for (size_t i = 0; i < sh.n; i++) {
        for (size_t j = 0; j < sh.c; j++) {
            for (size_t k = 0; k < sh.s; k++) {
                size_t e = at(sh, i, j, k);
                double aj = a[j], bj = b ? b[j] : 0.0;
                double mag = fabs(aj * x[e]) + fabs(bj);
                if (isnan(x[e]) || isnan(aj) || isnan(bj) || isnan(mag)) {
                    if (!isnan(got[e])) {
                        FAIL("y[%zu] = %a, expected NaN (x %a, a %a, b %a)", e, got[e], x[e], aj,
                             bj);
                    }
                    continue;
                }
                if (!isnan(got[e]) && (got[e] < lo || got[e] > hi)) {
                    FAIL("y[%zu] = %a outside [%a, %a]", e, got[e], lo, hi);
                }
                if (mag > FLT_MAX) {
                    continue;
                }
                double tol = 2.0 * ulpf(mag);
                if (isnan(got[e]) || isnan(ref[e]) || fabs((double)got[e] - ref[e]) > tol) {
                    FAIL("y[%zu] = %a, scalar %a, tol %a (x %a, a %a, b %a)", e, got[e], ref[e],
                         tol, x[e], aj, bj);
                }
            }
        }
    }
}

/*
 * Moments of channel j against a float64 two-pass oracle. The kernels sum,
 * per chunk of L ≤ m elements, e = x − μ̃ in float around a shift μ̃ with
 * |μ̃ − chunk mean| ≤ D, then correct in double: mean = μ̃ + Σe/L,
 * M2 = Σe² − (Σe)²/L. With u = 2^-24, M = max|x|:
 *   Σ|e| ≤ √(L·Σe²) and Σe² = M2_c + L·D², so
 *   mean error ≤ (L+1)·u·Σ|e|/L ≤ 4(L+1)·u·M;
 *   M2_c error ≤ (L+2)u·Σe² + 2|Σe|·δ/L ≤ 2(L+2)·u·(M2_c + 2L·D²)
 *   (δ the float error of Σe, 2ab ≤ a² + b²).
 * D is either ≤ L·u·M (the chunk's own float mean) or, for a shift kept
 * from earlier chunks, accepted only when L·D² ≤ 3·M2_c: so the var error
 * is ≤ 14(L+2)·u·var + 4(L+2)·L²u³M² overall. Checked with L = m, margin
 * 2×, plus subnormal rounding (m·2^-149) and the final rounding to float.
 * Float variants may overflow their float partial sums when m·M or
 * m·(2M)² approaches FLT_MAX; such data is only checked for NaN (any NaN
 * in a channel makes both outputs NaN).
 */
static void check_moments(snorm_shape sh, const float *x, size_t j, float mean, float var,
                          int float_sums) {
    size_t m = sh.n * sh.s;
    double sum = 0.0, maxabs = 0.0;
    int has_nan = 0, has_inf = 0;
    for (size_t i = 0; i < sh.n; i++) {
        for (size_t k = 0; k < sh.s; k++) {
            float v = x[at(sh, i, j, k)];
            has_nan |= isnan(v);
            has_inf |= isinf(v);
            sum += v;
            maxabs = fabs(v) > maxabs ? fabs(v) : maxabs;
        }
    }
    if (has_nan) {
        if (!isnan(mean) || !isnan(var)) {
            FAIL("channel %zu has NaN: mean %a var %a", j, mean, var);
        }
        return;
    }
    if (has_inf) {
        return; /* the header promises nothing for infinite data */
    }
    double mu = sum / (double)m, m2 = 0.0;
    for (size_t i = 0; i < sh.n; i++) {
        for (size_t k = 0; k < sh.s; k++) {
            double d = x[at(sh, i, j, k)] - mu;
            m2 += d * d;
        }
    }
    double var64 = m2 / (double)m, dm = (double)m, u = 0x1p-24;
    if (float_sums && (dm * maxabs > 0x1p120 || dm * 4.0 * maxabs * maxabs > 0x1p120)) {
        return;
    }
    double tol_mean = 8.0 * (dm + 1.0) * u * maxabs + dm * 0x1p-149 + ulpf(mu);
    double tol_var = 28.0 * (dm + 2.0) * u * var64 +
                     8.0 * (dm + 2.0) * dm * dm * u * u * u * maxabs * maxabs + dm * 0x1p-148 +
                     ulpf(var64);
    if (!(fabs(mean - mu) <= tol_mean)) {
        FAIL("channel %zu (m %zu): mean %a, float64 %a, tol %a", j, m, mean, mu, tol_mean);
    }
    if (var64 > FLT_MAX * (1.0 + u)) {
        if (!isinf(var) && !(var >= FLT_MAX)) {
            FAIL("channel %zu: var %a, float64 %a overflows float", j, var, var64);
        }
        return;
    }
    if (!(var >= 0.0f) || !(fabs(var - var64) <= tol_var)) {
        FAIL("channel %zu (m %zu): var %a, float64 %a, tol %a", j, m, var, var64, tol_var);
    }
}

/* ---- the functions ------------------------------------------------------- */

typedef struct ctx {
    reader *r;
    snorm_isa isa; /* the variant under test */
    int plain;     /* through the dispatched entry points */
    int isa_ok;    /* runnable (always, for plain) */
} ctx;

static int tensor_inplace(const call *c, int out, int in) {
    return strcmp(c->b[out].name, "y") == 0 && strcmp(c->b[in].name, "x") == 0;
}

static void fuzz_moments(ctx *t) {
    reader *r = t->r;
    call c = {.nb = 0, .misalign = u8(r)};
    snorm_shape sh = decode_shape(r, &c.huge);
    size_t count = 0;
    int sizes = size_ok(sh, &count);
    int X = add_buf(&c, "x", sizes ? count : 1, 0, 1);
    int MEAN = add_buf(&c, "mean", sh.c, 1, 1);
    int VAR = add_buf(&c, "var", sh.c, 1, 1);
    static const int pairs[][2] = {{1, 0}, {2, 0}, {2, 1}, {1, 2}};
    decode_aliasing(r, &c, pairs, 4, NULL, 0);
    allocate(&c);
    if (!c.b[X].null && !c.huge) {
        fill(r, c.b[X].p, count);
    }
    snapshot(&c);

    float *x = c.b[X].p, *mean = c.b[MEAN].p, *var = c.b[VAR].p;
    snorm_status st = t->plain ? snorm_channel_moments(x, sh, mean, var)
                               : snorm_channel_moments_isa(t->isa, x, sh, mean, var);
    unsigned err = 0;
    err |= (!x || !mean || !var) ? ERR(SNORM_ERR_NULL_POINTER) : 0;
    err |= valid_layout(sh.layout) ? 0 : ERR(SNORM_ERR_INVALID_ARGUMENT);
    err |= sizes ? 0 : ERR(SNORM_ERR_SIZE_OVERFLOW) | ERR(SNORM_ERR_OVERLAP);
    err |= (sh.n == 0 || sh.s == 0) ? ERR(SNORM_ERR_EMPTY_REDUCTION) : 0;
    err |= sizes && bad_overlap(&c, NULL) ? ERR(SNORM_ERR_OVERLAP) : 0;
    check_status(st, err, t->isa_ok);
    if (st != SNORM_OK || sh.c == 0) {
        check_untouched(&c, 1);
    } else {
        check_untouched(&c, 0);
        for (size_t j = 0; j < sh.c; j++) {
            check_moments(sh, x, j, mean[j], var[j], t->isa != SNORM_ISA_SCALAR);
        }
    }
    release(&c);
}

static void fuzz_scale_shift(ctx *t) {
    reader *r = t->r;
    call c = {.nb = 0, .misalign = u8(r)};
    snorm_shape sh = decode_shape(r, &c.huge);
    size_t count = 0;
    int sizes = size_ok(sh, &count);
    int X = add_buf(&c, "x", sizes ? count : 1, 0, 1);
    int Y = add_buf(&c, "y", sizes ? count : 1, 1, 1);
    int A = add_buf(&c, "scale", sh.c, 0, 1);
    int B = add_buf(&c, "shift", sh.c, 0, 0);
    static const int pairs[][2] = {{1, 0}, {0, 1}, {2, 1}, {3, 1}};
    static const int inplace[][2] = {{1, 0}};
    decode_aliasing(r, &c, pairs, 4, inplace, 1);
    float lo = -INFINITY, hi = INFINITY;
    switch (u8(r) % 6) {
    case 0: break;
    case 1: lo = 0.0f; break;
    case 2: lo = 0.0f, hi = 6.0f; break;
    case 3: lo = param(r, -1.0f), hi = param(r, 1.0f); break;
    case 4: lo = hi = param(r, 0.5f); break;
    default: lo = param(r, 2.0f), hi = param(r, -2.0f); break;
    }
    allocate(&c);
    if (!c.huge) {
        for (int i = 0; i < c.nb; i++) {
            if (!c.b[i].output && c.b[i].p && c.b[i].host < 0) {
                fill(r, c.b[i].p, c.b[i].floats);
            }
        }
    }
    snapshot(&c);
    float *x = c.b[X].p, *y = c.b[Y].p, *a = c.b[A].p, *b = c.b[B].p;
    float *x0 = c.huge ? NULL : dup(x, count), *a0 = c.huge ? NULL : dup(a, sh.c),
          *b0 = c.huge ? NULL : dup(b, sh.c);

    snorm_status st = t->plain ? snorm_scale_shift(x, y, sh, a, b, lo, hi)
                               : snorm_scale_shift_isa(t->isa, x, y, sh, a, b, lo, hi);
    unsigned err = 0;
    err |= (!x || !y || !a) ? ERR(SNORM_ERR_NULL_POINTER) : 0;
    err |= valid_layout(sh.layout) && lo <= hi ? 0 : ERR(SNORM_ERR_INVALID_ARGUMENT);
    err |= sizes ? 0 : ERR(SNORM_ERR_SIZE_OVERFLOW) | ERR(SNORM_ERR_OVERLAP);
    err |= sizes && bad_overlap(&c, tensor_inplace) ? ERR(SNORM_ERR_OVERLAP) : 0;
    check_status(st, err, t->isa_ok);
    if (st != SNORM_OK || count == 0) {
        check_untouched(&c, 1);
    } else {
        check_untouched(&c, 0);
        float *ref = malloc(count * sizeof(float));
        if (snorm_scale_shift_isa(SNORM_ISA_SCALAR, x0, ref, sh, a0, b0, lo, hi) != SNORM_OK) {
            FAIL("scalar reference failed");
        }
        compare_scale_shift(sh, x0, a0, b0, lo, hi, y, ref);
        free(ref);
    }
    free(x0);
    free(a0);
    free(b0);
    release(&c);
}

/*
 * l2norm against a float64 oracle: q = Σ x² (exact to 2^-50 relative in
 * double for any float input), d from the eps mode, y = a·(x/d). Header:
 * error ≤ 4 ulp relative to exact; NaN exactly where the oracle has NaN
 * (a NaN in the pixel, 0/0, inf/inf, 0·inf).
 */
static double oracle_d(double q, double eps, snorm_eps_mode mode) {
    switch (mode) {
    case SNORM_EPS_ADD: return sqrt(q + eps);
    case SNORM_EPS_MAX_SUM: return isnan(q) ? q : sqrt(q > eps ? q : eps);
    default: {
        double d = sqrt(q);
        return isnan(d) ? d : (d > eps ? d : eps);
    }
    }
}

static void check_l2norm(snorm_shape sh, const float *x, const float *a, float eps,
                         snorm_eps_mode mode, const float *y) {
    for (size_t i = 0; i < sh.n; i++) {
        for (size_t k = 0; k < sh.s; k++) {
            double q = 0.0;
            for (size_t j = 0; j < sh.c; j++) {
                double v = x[at(sh, i, j, k)];
                q += v * v;
            }
            double d = oracle_d(q, eps, mode);
            for (size_t j = 0; j < sh.c; j++) {
                size_t e = at(sh, i, j, k);
                double exact = (a ? (double)a[j] : 1.0) * ((double)x[e] / d);
                if (!close_ulps(y[e], exact, 4.0)) {
                    FAIL("pixel (%zu,%zu) channel %zu: y %a, exact %a (x %a, scale %a, q %a, "
                         "eps %a, mode %d)",
                         i, k, j, y[e], exact, x[e], a ? a[j] : 1.0f, q, eps, (int)mode);
                }
            }
        }
    }
}

static void fuzz_l2norm(ctx *t) {
    reader *r = t->r;
    call c = {.nb = 0, .misalign = u8(r)};
    snorm_shape sh = decode_shape(r, &c.huge);
    size_t count = 0;
    int sizes = size_ok(sh, &count);
    int X = add_buf(&c, "x", sizes ? count : 1, 0, 1);
    int Y = add_buf(&c, "y", sizes ? count : 1, 1, 1);
    int A = add_buf(&c, "scale", sh.c, 0, 0);
    static const int pairs[][2] = {{1, 0}, {0, 1}, {2, 1}};
    static const int inplace[][2] = {{1, 0}};
    decode_aliasing(r, &c, pairs, 3, inplace, 1);
    float eps = param(r, 1e-10f);
    static const unsigned modes[5] = {0, 1, 2, 3, 0x7fffffff};
    snorm_eps_mode mode = (snorm_eps_mode)modes[u8(r) % 5];
    allocate(&c);
    if (!c.huge) {
        for (int i = 0; i < c.nb; i++) {
            if (!c.b[i].output && c.b[i].p && c.b[i].host < 0) {
                fill(r, c.b[i].p, c.b[i].floats);
            }
        }
    }
    snapshot(&c);
    float *x = c.b[X].p, *y = c.b[Y].p, *a = c.b[A].p;
    float *x0 = c.huge ? NULL : dup(x, count), *a0 = c.huge ? NULL : dup(a, sh.c);

    snorm_status st = t->plain ? snorm_l2norm(x, y, sh, a, eps, mode)
                               : snorm_l2norm_isa(t->isa, x, y, sh, a, eps, mode);
    unsigned err = 0;
    err |= (!x || !y) ? ERR(SNORM_ERR_NULL_POINTER) : 0;
    err |= valid_layout(sh.layout) && eps >= 0.0f && (unsigned)mode <= 2
               ? 0
               : ERR(SNORM_ERR_INVALID_ARGUMENT);
    err |= sizes ? 0 : ERR(SNORM_ERR_SIZE_OVERFLOW) | ERR(SNORM_ERR_OVERLAP);
    err |= sizes && bad_overlap(&c, tensor_inplace) ? ERR(SNORM_ERR_OVERLAP) : 0;
    check_status(st, err, t->isa_ok);
    if (st != SNORM_OK || count == 0) {
        check_untouched(&c, 1);
    } else {
        check_untouched(&c, 0);
        check_l2norm(sh, x0, a0, eps, mode, y);
    }
    free(x0);
    free(a0);
    release(&c);
}

/* fold: float64 formula, rounded once. scale exact to 1 ulp (double
 * rounding); shift = b − m·a to 1 ulp of |b| + |m·a| (cancellation). */
static void check_fold(size_t c, const float *mean, const float *var, const float *gamma,
                       const float *beta, float eps, const float *scale, const float *shift) {
    for (size_t j = 0; j < c; j++) {
        double g = gamma ? gamma[j] : 1.0, b = beta ? beta[j] : 0.0;
        double a = g / sqrt((double)var[j] + (double)eps);
        double sh = b - (double)mean[j] * a;
        if (!close_ulps(scale[j], a, 1.0)) {
            FAIL("scale[%zu] = %a, float64 %a", j, scale[j], a);
        }
        double mag = fabs(b) + fabs((double)mean[j] * a);
        int ok = isnan(sh) || isinf(sh) || isnan(mag) || mag > FLT_MAX
                     ? close_ulps(shift[j], sh, 1.0) || (mag > FLT_MAX && !isnan(sh))
                     : fabs((double)shift[j] - sh) <= ulpf(mag);
        if (!ok) {
            FAIL("shift[%zu] = %a, float64 %a", j, shift[j], sh);
        }
    }
}

static int fold_inplace(const call *c, int out, int in) {
    (void)c, (void)out, (void)in;
    return 1; /* scale/shift may be any of mean/var/gamma/beta */
}

static void fuzz_fold(ctx *t) {
    reader *r = t->r;
    call c = {.nb = 0, .misalign = u8(r)};
    size_t n = u8(r) % 72;
    if (u8(r) % 32 == 0) {
        static const size_t big[] = {SIZE_MAX, SIZE_MAX / 4 + 1, 0};
        n = big[u8(r) % 3];
        c.huge = 1;
    }
    int M = add_buf(&c, "mean", n, 0, 1);
    int V = add_buf(&c, "var", n, 0, 1);
    int G = add_buf(&c, "gamma", n, 0, 0);
    int B = add_buf(&c, "beta", n, 0, 0);
    int S = add_buf(&c, "scale", n, 1, 1);
    int H = add_buf(&c, "shift", n, 1, 1);
    static const int pairs[][2] = {{4, 0}, {5, 1}, {5, 4}, {4, 2}, {5, 3}};
    static const int inplace[][2] = {{4, 0}, {4, 1}, {4, 2}, {4, 3},
                                     {5, 0}, {5, 1}, {5, 2}, {5, 3}};
    decode_aliasing(r, &c, pairs, 5, inplace, 8);
    if (u8(r) % 4 == 0 && !c.huge) { /* both outputs in place */
        c.b[H].host = u8(r) % 2 ? V : B;
        c.b[H].off = 0;
        c.b[H].null = 0;
    }
    float eps = param(r, 1e-5f);
    allocate(&c);
    if (!c.huge) {
        for (int i = 0; i < c.nb; i++) {
            if (!c.b[i].output && c.b[i].p && c.b[i].host < 0) {
                fill(r, c.b[i].p, c.b[i].floats);
            }
        }
    }
    snapshot(&c);
    float *m0 = c.huge ? NULL : dup(c.b[M].p, n), *v0 = c.huge ? NULL : dup(c.b[V].p, n),
          *g0 = c.huge ? NULL : dup(c.b[G].p, n), *b0 = c.huge ? NULL : dup(c.b[B].p, n);
    snorm_status st =
        snorm_fold_batchnorm(n, c.b[M].p, c.b[V].p, c.b[G].p, c.b[B].p, eps, c.b[S].p, c.b[H].p);
    unsigned err = 0;
    err |= (!c.b[M].p || !c.b[V].p || !c.b[S].p || !c.b[H].p) ? ERR(SNORM_ERR_NULL_POINTER) : 0;
    err |= eps >= 0.0f ? 0 : ERR(SNORM_ERR_INVALID_ARGUMENT);
    int sizes = n <= SIZE_MAX / sizeof(float);
    err |= sizes ? 0 : ERR(SNORM_ERR_SIZE_OVERFLOW) | ERR(SNORM_ERR_OVERLAP);
    err |= sizes && bad_overlap(&c, fold_inplace) ? ERR(SNORM_ERR_OVERLAP) : 0;
    check_status(st, err, 1);
    if (st != SNORM_OK || n == 0) {
        check_untouched(&c, 1);
    } else {
        check_untouched(&c, 0);
        check_fold(n, m0, v0, g0, b0, eps, c.b[S].p, c.b[H].p);
    }
    free(m0);
    free(v0);
    free(g0);
    free(b0);
    release(&c);
}

static void fuzz_bn_inference(ctx *t) {
    reader *r = t->r;
    call c = {.nb = 0, .misalign = u8(r)};
    snorm_shape sh = decode_shape(r, &c.huge);
    size_t count = 0;
    int sizes = size_ok(sh, &count);
    int X = add_buf(&c, "x", sizes ? count : 1, 0, 1);
    int Y = add_buf(&c, "y", sizes ? count : 1, 1, 1);
    int M = add_buf(&c, "mean", sh.c, 0, 1);
    int V = add_buf(&c, "var", sh.c, 0, 1);
    int G = add_buf(&c, "gamma", sh.c, 0, 0);
    int B = add_buf(&c, "beta", sh.c, 0, 0);
    static const int pairs[][2] = {{1, 0}, {0, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}};
    static const int inplace[][2] = {{1, 0}};
    decode_aliasing(r, &c, pairs, 6, inplace, 1);
    float eps = param(r, 1e-5f);
    float lo = -INFINITY, hi = INFINITY;
    if (u8(r) % 2) {
        lo = param(r, 0.0f);
        hi = param(r, 6.0f);
    }
    allocate(&c);
    if (!c.huge) {
        for (int i = 0; i < c.nb; i++) {
            if (!c.b[i].output && c.b[i].p && c.b[i].host < 0) {
                fill(r, c.b[i].p, c.b[i].floats);
            }
        }
    }
    snapshot(&c);
    float *x = c.b[X].p, *y = c.b[Y].p;
    float *x0 = c.huge ? NULL : dup(x, count), *m0 = c.huge ? NULL : dup(c.b[M].p, sh.c),
          *v0 = c.huge ? NULL : dup(c.b[V].p, sh.c), *g0 = c.huge ? NULL : dup(c.b[G].p, sh.c),
          *b0 = c.huge ? NULL : dup(c.b[B].p, sh.c);
    snorm_status st = t->plain ? snorm_batchnorm_inference(x, y, sh, c.b[M].p, c.b[V].p, c.b[G].p,
                                                           c.b[B].p, eps, lo, hi)
                               : snorm_batchnorm_inference_isa(t->isa, x, y, sh, c.b[M].p, c.b[V].p,
                                                               c.b[G].p, c.b[B].p, eps, lo, hi);
    unsigned err = 0;
    err |= (!x || !y || !c.b[M].p || !c.b[V].p) ? ERR(SNORM_ERR_NULL_POINTER) : 0;
    err |= valid_layout(sh.layout) && eps >= 0.0f && lo <= hi ? 0 : ERR(SNORM_ERR_INVALID_ARGUMENT);
    err |= sizes ? 0 : ERR(SNORM_ERR_SIZE_OVERFLOW) | ERR(SNORM_ERR_OVERLAP);
    err |= sizes && bad_overlap(&c, tensor_inplace) ? ERR(SNORM_ERR_OVERLAP) : 0;
    check_status(st, err, t->isa_ok);
    if (st != SNORM_OK || count == 0) {
        check_untouched(&c, 1);
    } else {
        /* Header: fold, then scale_shift. The folded parameters come from
         * snorm_fold_batchnorm itself (the active variant's fold); y is
         * compared with the scalar scale_shift under scale_shift's
         * tolerance, and the scalar batch norm must equal that composition
         * bit for bit (NaN payloads aside: same_floats). */
        check_untouched(&c, 0);
        float *a = malloc(sh.c * sizeof(float)), *b = malloc(sh.c * sizeof(float));
        float *ref = malloc(count * sizeof(float)), *ref2 = malloc(count * sizeof(float));
        if (snorm_fold_batchnorm(sh.c, m0, v0, g0, b0, eps, a, b) != SNORM_OK ||
            snorm_scale_shift_isa(SNORM_ISA_SCALAR, x0, ref, sh, a, b, lo, hi) != SNORM_OK ||
            snorm_batchnorm_inference_isa(SNORM_ISA_SCALAR, x0, ref2, sh, m0, v0, g0, b0, eps, lo,
                                          hi) != SNORM_OK) {
            FAIL("reference calls failed");
        }
        if (!same_floats(ref, ref2, count)) {
            FAIL("scalar batchnorm_inference differs from fold + scale_shift");
        }
        compare_scale_shift(sh, x0, a, b, lo, hi, y, ref);
        free(a);
        free(b);
        free(ref);
        free(ref2);
    }
    free(x0);
    free(m0);
    free(v0);
    free(g0);
    free(b0);
    release(&c);
}

/* running ← (1 − mom)·running + mom·stat: one double expression rounded
 * once; allow 1 ulp of the larger term's sum (double rounding). */
static void check_running(const char *what, float got, float old, double mom, double stat) {
    double exact = (1.0 - mom) * old + mom * stat;
    double mag = fabs((1.0 - mom) * old) + fabs(mom * stat);
    int ok = isnan(exact) || isinf(exact) || mag > FLT_MAX
                 ? close_ulps(got, exact, 1.0) || (mag > FLT_MAX && !isnan(exact))
                 : fabs(got - exact) <= ulpf(mag);
    if (!ok) {
        FAIL("%s = %a, expected %a (old %a, momentum %a, batch %a)", what, got, exact, old, mom,
             stat);
    }
}

static void fuzz_bn_training(ctx *t) {
    reader *r = t->r;
    call c = {.nb = 0, .misalign = u8(r)};
    snorm_shape sh = decode_shape(r, &c.huge);
    size_t count = 0;
    int sizes = size_ok(sh, &count);
    int X = add_buf(&c, "x", sizes ? count : 1, 0, 1);
    int Y = add_buf(&c, "y", sizes ? count : 1, 1, 1);
    int G = add_buf(&c, "gamma", sh.c, 0, 0);
    int B = add_buf(&c, "beta", sh.c, 0, 0);
    int RM = add_buf(&c, "running_mean", sh.c, 1, 0);
    int RV = add_buf(&c, "running_var", sh.c, 1, 0);
    int BM = add_buf(&c, "batch_mean", sh.c, 1, 0);
    int BV = add_buf(&c, "batch_var", sh.c, 1, 0);
    static const int pairs[][2] = {{1, 0}, {0, 1}, {4, 5}, {6, 4}, {7, 1}, {4, 0}, {2, 1}, {6, 7}};
    static const int inplace[][2] = {{1, 0}};
    decode_aliasing(r, &c, pairs, 8, inplace, 1);
    float eps = param(r, 1e-5f);
    float momentum = param(r, 0.1f);
    allocate(&c);
    if (!c.huge) {
        /* running stats are read too: fill them (outputs filled first so an
         * input placed inside an output keeps its data) */
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < c.nb; i++) {
                int fillable = pass == 0 ? (i == RM || i == RV) : (!c.b[i].output);
                if (fillable && c.b[i].p && c.b[i].host < 0) {
                    fill(r, c.b[i].p, c.b[i].floats);
                }
            }
        }
    }
    snapshot(&c);
    float *x = c.b[X].p, *y = c.b[Y].p;
    float *x0 = c.huge ? NULL : dup(x, count), *g0 = c.huge ? NULL : dup(c.b[G].p, sh.c),
          *b0 = c.huge ? NULL : dup(c.b[B].p, sh.c), *rm0 = c.huge ? NULL : dup(c.b[RM].p, sh.c),
          *rv0 = c.huge ? NULL : dup(c.b[RV].p, sh.c);
    snorm_status st =
        t->plain ? snorm_batchnorm_training(x, y, sh, c.b[G].p, c.b[B].p, eps, momentum, c.b[RM].p,
                                            c.b[RV].p, c.b[BM].p, c.b[BV].p)
                 : snorm_batchnorm_training_isa(t->isa, x, y, sh, c.b[G].p, c.b[B].p, eps, momentum,
                                                c.b[RM].p, c.b[RV].p, c.b[BM].p, c.b[BV].p);
    unsigned err = 0;
    err |= (!x || !y) ? ERR(SNORM_ERR_NULL_POINTER) : 0;
    err |= !c.b[RM].p != !c.b[RV].p ? ERR(SNORM_ERR_NULL_POINTER) | ERR(SNORM_ERR_INVALID_ARGUMENT)
                                    : 0;
    err |= valid_layout(sh.layout) && eps >= 0.0f && momentum >= 0.0f && momentum <= 1.0f
               ? 0
               : ERR(SNORM_ERR_INVALID_ARGUMENT);
    err |= sizes ? 0 : ERR(SNORM_ERR_SIZE_OVERFLOW) | ERR(SNORM_ERR_OVERLAP);
    err |= (sh.n == 0 || sh.s == 0) ? ERR(SNORM_ERR_EMPTY_REDUCTION) : 0;
    err |= sizes && bad_overlap(&c, tensor_inplace) ? ERR(SNORM_ERR_OVERLAP) : 0;
    check_status(st, err, t->isa_ok);
    if (st != SNORM_OK || count == 0) {
        check_untouched(&c, 1);
    } else {
        check_untouched(&c, 0);
        /* Batch statistics: those returned, else from a second call with
         * plain separate buffers, whose y must be bit-identical. */
        snorm_isa isa = t->plain ? snorm_active_isa() : t->isa;
        float *bm = malloc(sh.c * sizeof(float)), *bv = malloc(sh.c * sizeof(float));
        float *y2 = malloc(count * sizeof(float));
        if (snorm_batchnorm_training_isa(isa, x0, y2, sh, g0, b0, eps, momentum, NULL, NULL, bm,
                                         bv) != SNORM_OK) {
            FAIL("second training call failed");
        }
        if (memcmp(y2, y, count * sizeof(float)) != 0) {
            FAIL("y depends on which optional outputs are requested (or on aliasing)");
        }
        if (c.b[BM].p && memcmp(bm, c.b[BM].p, sh.c * sizeof(float)) != 0) {
            FAIL("batch_mean differs between identical calls");
        }
        if (c.b[BV].p && memcmp(bv, c.b[BV].p, sh.c * sizeof(float)) != 0) {
            FAIL("batch_var differs between identical calls");
        }
        for (size_t j = 0; j < sh.c; j++) {
            check_moments(sh, x0, j, bm[j], bv[j], isa != SNORM_ISA_SCALAR);
        }
        float *a = malloc(sh.c * sizeof(float)), *b = malloc(sh.c * sizeof(float));
        float *ref = malloc(count * sizeof(float));
        if (snorm_fold_batchnorm(sh.c, bm, bv, g0, b0, eps, a, b) != SNORM_OK ||
            snorm_scale_shift_isa(SNORM_ISA_SCALAR, x0, ref, sh, a, b, -INFINITY, INFINITY) !=
                SNORM_OK) {
            FAIL("reference calls failed");
        }
        compare_scale_shift(sh, x0, a, b, -INFINITY, INFINITY, y, ref);
        if (rm0) {
            size_t m = sh.n * sh.s;
            for (size_t j = 0; j < sh.c; j++) {
                check_running("running_mean", c.b[RM].p[j], rm0[j], momentum, bm[j]);
                if (m == 1) {
                    if (memcmp(&c.b[RV].p[j], &rv0[j], sizeof(float)) != 0) {
                        FAIL("running_var changed for m = 1");
                    }
                } else {
                    check_running("running_var", c.b[RV].p[j], rv0[j], momentum,
                                  (double)bv[j] * (double)m / (double)(m - 1));
                }
            }
        }
        free(a);
        free(b);
        free(ref);
        free(bm);
        free(bv);
        free(y2);
    }
    free(x0);
    free(g0);
    free(b0);
    free(rm0);
    free(rv0);
    release(&c);
}

/* Names, status strings and the ISA queries for any value; snorm_set_isa
 * refuses exactly the ISAs that are not supported and changes nothing then. */
static void fuzz_misc(reader *r) {
    g_fn = "misc";
    int v = (int)(int8_t)u8(r);
    if (!snorm_status_string((snorm_status)v) || !snorm_status_string((snorm_status)v)[0]) {
        FAIL("snorm_status_string(%d) empty", v);
    }
    if (!snorm_isa_name((snorm_isa)v) || !snorm_isa_name((snorm_isa)v)[0]) {
        FAIL("snorm_isa_name(%d) empty", v);
    }
    int in_range = v >= 0 && v < SNORM_ISA_COUNT;
    int sup = snorm_isa_supported((snorm_isa)v), run = snorm_isa_runnable((snorm_isa)v);
    if ((sup && !run) || (!in_range && (sup || run)) || (v == 0 && !sup)) {
        FAIL("isa %d: supported %d runnable %d", v, sup, run);
    }
    snorm_isa before = snorm_active_isa();
    snorm_status st = snorm_set_isa((snorm_isa)v);
    if ((st == SNORM_OK) != (sup != 0) || (st != SNORM_OK && st != SNORM_ERR_UNSUPPORTED_ISA)) {
        FAIL("snorm_set_isa(%d) = %d, supported %d", v, (int)st, sup);
    }
    snorm_isa after = snorm_active_isa();
    if (st == SNORM_OK ? after != (snorm_isa)v : after != before) {
        FAIL("active isa %d after snorm_set_isa(%d) = %d (before %d)", (int)after, v, (int)st,
             (int)before);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    reader r = {data, size, 0};
    unsigned fn = u8(&r);
    unsigned how = u8(&r);
    ctx t = {&r, decode_isa(&r), 0, 1};
    if (how % 4 == 0) { /* the dispatched entry points, after a set_isa */
        if (snorm_set_isa(t.isa) != SNORM_OK) {
            snorm_set_isa(SNORM_ISA_SCALAR); /* the input alone decides the variant */
        }
        t.plain = 1;
        t.isa = snorm_active_isa();
    } else {
        t.isa_ok = snorm_isa_runnable(t.isa);
    }
    g_isa = (int)t.isa;
    switch (fn % 7) {
    case 0:
        g_fn = "snorm_channel_moments";
        fuzz_moments(&t);
        break;
    case 1:
        g_fn = "snorm_scale_shift";
        fuzz_scale_shift(&t);
        break;
    case 2:
        g_fn = "snorm_l2norm";
        fuzz_l2norm(&t);
        break;
    case 3:
        g_fn = "snorm_fold_batchnorm";
        fuzz_fold(&t);
        break;
    case 4:
        g_fn = "snorm_batchnorm_inference";
        fuzz_bn_inference(&t);
        break;
    case 5:
        g_fn = "snorm_batchnorm_training";
        fuzz_bn_training(&t);
        break;
    default: fuzz_misc(&r); break;
    }
    return 0;
}
