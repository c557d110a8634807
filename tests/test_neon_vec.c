/*
 * The NEON vector vocabulary (kernels/neon/vec.h) against the contract in
 * kernels/simd/README.md, op by op. NEON compiles at the baseline on every
 * host, so this runs natively under qemu-aarch64 (`make test-aarch64`) and
 * through SIMDe on x86: both must give exactly the bits the contract
 * promises. Exact (bitwise) expectations throughout: every op is specified
 * as one IEEE operation, a fixed summation order or a selection.
 *
 * Also the host facts the dispatcher relies on: NEON is native (and chosen
 * when SNORM_ISA is unset) on aarch64, emulated on x86, and the reverse for
 * the x86 variants.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, sysconf */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dispatch.h"
#include "neon/vec.h"
#include "run_suite.h"

/* Bitwise equality, any NaN equal to any NaN. */
static int same_f(float a, float b) {
    if (isnan(a) || isnan(b)) {
        return isnan(a) && isnan(b);
    }
    uint32_t x, y;
    memcpy(&x, &a, 4);
    memcpy(&y, &b, 4);
    return x == y;
}

static int same_d(double a, double b) {
    if (isnan(a) || isnan(b)) {
        return isnan(a) && isnan(b);
    }
    uint64_t x, y;
    memcpy(&x, &a, 8);
    memcpy(&y, &b, 8);
    return x == y;
}

/* Checks inside loops are tallied and asserted once per test: every Check
 * assertion writes a record to Check's log, and 10^5 of them take minutes
 * under qemu. */
static long bad;
static char first_bad[300];

static void expect(int ok, const char *fmt, ...) {
    if (!ok && bad++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(first_bad, sizeof first_bad, fmt, ap);
        va_end(ap);
    }
}

static void expect_reset(void) {
    bad = 0;
    first_bad[0] = 0;
}

#define ASSERT_NONE_BAD() ck_assert_msg(bad == 0, "%ld mismatches, first: %s", bad, first_bad)

static vf make(float a, float b, float c, float d) {
    float v[4] = {a, b, c, d};
    return vf_load(v);
}

static float lane(vf v, int i) {
    float out[4];
    vf_store(out, v);
    return out[i];
}

/* The vocabulary has no double store; this test is NEON-only anyway. */
static double dlane(vd v, int i) {
    double out[2];
    simde_vst1q_f64(out, v);
    return out[i];
}

/* Deterministic floats spread over the whole exponent range, both signs,
 * subnormals included (xorshift64*). */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t next_u64(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}
static float any_float(void) {
    uint32_t u = (uint32_t)(next_u64() >> 32);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* Operands whose results are special or exact boundary cases. */
static const float specials[] = {0.0f,      -0.0f,    1.0f,           -1.0f,     2.0f,
                                 3.0f,      0.1f,     INFINITY,       -INFINITY, NAN,
                                 FLT_MAX,   -FLT_MAX, FLT_MIN,        -FLT_MIN,  0x1p-149f,
                                 0x1p-140f, 1e-40f,   0x1.fffffep+0f, 4.0f,      0x1p+127f};
enum { NSPECIAL = sizeof specials / sizeof specials[0] };

/* ---- loads and stores at a page end: an overread or overwrite faults ---- */

typedef struct page_end {
    unsigned char *map;
    size_t page;
} page_end;

/* A readable, writable page followed by an inaccessible one. */
static page_end page_end_map(void) {
    page_end pe;
    pe.page = (size_t)sysconf(_SC_PAGESIZE);
    pe.map = mmap(NULL, 2 * pe.page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(pe.map != MAP_FAILED);
    ck_assert_int_eq(mprotect(pe.map + pe.page, pe.page, PROT_NONE), 0);
    return pe;
}

START_TEST(load_n_reads_exactly_n) {
    expect_reset();
    page_end pe = page_end_map();
    for (size_t n = 0; n < VW; n++) {
        float *p = (float *)(pe.map + pe.page) - n; /* p[n] is the first faulting float */
        for (size_t i = 0; i < n; i++) {
            p[i] = (float)(i + 1) * 1.5f;
        }
        vf v = vf_load_n(p, n);
        for (size_t i = 0; i < VW; i++) {
            float want = i < n ? p[i] : 0.0f;
            expect(same_f(lane(v, (int)i), want), "n=%zu lane %zu: %a, want %a", n, i,
                   lane(v, (int)i), want);
        }
    }
    munmap(pe.map, 2 * pe.page);
    ASSERT_NONE_BAD();
}
END_TEST

START_TEST(store_n_writes_exactly_n) {
    expect_reset();
    page_end pe = page_end_map();
    vf v = make(1.0f, 2.0f, 3.0f, 4.0f);
    for (size_t n = 0; n < VW; n++) {
        float *p = (float *)(pe.map + pe.page) - n;
        p[-1] = -7.0f; /* the float before must stay too */
        for (size_t i = 0; i < n; i++) {
            p[i] = -7.0f;
        }
        vf_store_n(p, v, n);
        expect(same_f(p[-1], -7.0f), "n=%zu: the float before p changed", n);
        for (size_t i = 0; i < n; i++) {
            expect(same_f(p[i], (float)(i + 1)), "n=%zu lane %zu: %a", n, i, p[i]);
        }
    }
    munmap(pe.map, 2 * pe.page);
    ASSERT_NONE_BAD();
}
END_TEST

START_TEST(keep_and_select_n) {
    expect_reset();
    vf a = make(1.0f, -2.0f, NAN, 4.0f), b = make(5.0f, 6.0f, 7.0f, -0.0f);
    for (size_t n = 0; n <= VW; n++) {
        for (int i = 0; i < VW; i++) {
            float want_keep = (size_t)i < n ? lane(a, i) : 0.0f;
            float want_sel = (size_t)i < n ? lane(a, i) : lane(b, i);
            expect(same_f(lane(vf_keep_n(a, n), i), want_keep), "keep_n n=%zu lane %d", n, i);
            expect(same_f(lane(vf_select_n(a, b, n), i), want_sel), "select_n n=%zu lane %d", n, i);
        }
    }
    ASSERT_NONE_BAD();
}
END_TEST

/* vf_permute picks whole lanes, NaN payloads and −0 included, for every
 * selector pattern built the way scale_shift builds its tables (vi_set1
 * runs stored over each other, then loaded back). */
START_TEST(permute_lanes) {
    expect_reset();
    float nan_payload;
    uint32_t u = 0x7fc01234u;
    memcpy(&nan_payload, &u, 4);
    vf t = make(-0.0f, nan_payload, 3.5f, -FLT_MIN);
    for (int pat = 0; pat < VW * VW * VW * VW; pat++) {
        int32_t sel[2 * VW];
        int want[VW];
        for (int l = 0; l < VW; l++) {
            want[l] = pat >> (2 * l) & 3;
            vi_store(sel + l, vi_set1(want[l])); /* lane l of sel: want[l] */
        }
        float in[VW], out[VW];
        vf_store(in, t);
        vf_store(out, vf_permute(t, vi_load(sel)));
        for (int l = 0; l < VW; l++) {
            expect(memcmp(out + l, in + want[l], sizeof(float)) == 0, "pattern %d lane %d", pat, l);
        }
    }
    ASSERT_NONE_BAD();
}
END_TEST

/* ---- arithmetic: one correctly rounded IEEE operation per lane ---------- */

/* The C operators are the IEEE reference (the build never contracts). */
static void check_div_sqrt(float x, float y) {
    vf q = vf_div(vf_set1(x), vf_set1(y));
    vf r = vf_sqrt(vf_set1(x));
    expect(same_f(lane(q, 0), x / y) && same_f(lane(q, 3), x / y), "%a / %a = %a, want %a", x, y,
           lane(q, 0), x / y);
    expect(same_f(lane(r, 0), sqrtf(x)) && same_f(lane(r, 3), sqrtf(x)), "sqrt(%a) = %a, want %a",
           x, lane(r, 0), sqrtf(x));
    double xd = x, yd = y;
    vd dq = vd_div(vd_set1(xd), vd_set1(yd)), dr = vd_sqrt(vd_set1(xd));
    expect(same_d(dlane(dq, 1), xd / yd), "%a / %a = %a (double)", xd, yd, dlane(dq, 1));
    expect(same_d(dlane(dr, 1), sqrt(xd)), "sqrt(%a) = %a (double)", xd, dlane(dr, 1));
}

START_TEST(div_sqrt_specials) {
    expect_reset();
    for (int i = 0; i < NSPECIAL; i++) {
        for (int j = 0; j < NSPECIAL; j++) {
            check_div_sqrt(specials[i], specials[j]);
        }
    }
    /* the cases reciprocal-estimate schemes get wrong */
    ck_assert(same_f(lane(vf_sqrt(vf_set1(0.0f)), 0), 0.0f));
    ck_assert(same_f(lane(vf_sqrt(vf_set1(-0.0f)), 0), -0.0f));
    ck_assert(same_f(lane(vf_sqrt(vf_set1(INFINITY)), 0), INFINITY));
    ck_assert(isnan(lane(vf_sqrt(vf_set1(-1.0f)), 0)));
    ck_assert(same_f(lane(vf_div(vf_set1(1.0f), vf_set1(0.0f)), 0), INFINITY));
    ck_assert(same_f(lane(vf_div(vf_set1(1.0f), vf_set1(-0.0f)), 0), -INFINITY));
    ck_assert(same_f(lane(vf_div(vf_set1(FLT_MAX), vf_set1(0x1p-3f)), 0), INFINITY));
    ck_assert(same_f(lane(vf_div(vf_set1(1.0f), vf_set1(0x1p+127f)), 0), 0x1p-127f));
    ASSERT_NONE_BAD();
}
END_TEST

START_TEST(div_sqrt_random) {
    expect_reset();
    float x[4], y[4], q[4], r[4];
    for (int it = 0; it < 50000; it++) {
        for (int i = 0; i < 4; i++) {
            x[i] = any_float();
            y[i] = any_float();
        }
        vf_store(q, vf_div(vf_load(x), vf_load(y)));
        vf_store(r, vf_sqrt(vf_load(x)));
        for (int i = 0; i < 4; i++) {
            expect(same_f(q[i], x[i] / y[i]), "%a / %a = %a, want %a", x[i], y[i], q[i],
                   x[i] / y[i]);
            expect(same_f(r[i], sqrtf(x[i])), "sqrt(%a) = %a, want %a", x[i], r[i], sqrtf(x[i]));
        }
    }
    ASSERT_NONE_BAD();
}
END_TEST

/* vf_fmadd is fused on NEON (FMLA), emulated or not. */
START_TEST(fmadd_fused) {
    expect_reset();
    float a = 1.0f + 0x1p-12f; /* a·a = 1 + 2^-11 + 2^-24: the last term is lost unfused */
    vf r = vf_fmadd(vf_set1(a), vf_set1(a), vf_set1(-(1.0f + 0x1p-11f)));
    ck_assert(same_f(lane(r, 2), 0x1p-24f));
    float x[4], y[4], z[4], o[4];
    for (int it = 0; it < 20000; it++) {
        for (int i = 0; i < 4; i++) {
            x[i] = any_float();
            y[i] = any_float();
            z[i] = any_float();
        }
        vf_store(o, vf_fmadd(vf_load(x), vf_load(y), vf_load(z)));
        for (int i = 0; i < 4; i++) {
            expect(same_f(o[i], fmaf(x[i], y[i], z[i])), "fma(%a, %a, %a) = %a", x[i], y[i], z[i],
                   o[i]);
        }
    }
    double d = 1.0 + 0x1p-30;
    vd rd = vd_fmadd(vd_set1(d), vd_set1(d), vd_set1(-(1.0 + 0x1p-29)));
    ck_assert(same_d(vd_hsum(rd), 2 * 0x1p-60));
    ASSERT_NONE_BAD();
}
END_TEST

/* ---- min/max: b unless the comparison holds, as x86 minps/maxps -------- */

START_TEST(min_max_nan_and_zero) {
    expect_reset();
    for (int i = 0; i < NSPECIAL; i++) {
        for (int j = 0; j < NSPECIAL; j++) {
            float a = specials[i], b = specials[j];
            float mx = lane(vf_max(vf_set1(a), vf_set1(b)), 1);
            float mn = lane(vf_min(vf_set1(a), vf_set1(b)), 1);
            expect(same_f(mx, a > b ? a : b), "max(%a, %a) = %a", a, b, mx);
            expect(same_f(mn, a < b ? a : b), "min(%a, %a) = %a", a, b, mn);
            double dm = dlane(vd_max(vd_set1(a), vd_set1(b)), 0);
            expect(same_d(dm, a > b ? a : b), "vd_max(%a, %a) = %a", a, b, dm);
        }
    }
    /* the clamp of scale_shift: a NaN v survives both, −0 stays −0 */
    vf lo = vf_set1(0.0f), hi = vf_set1(6.0f);
    ck_assert(isnan(lane(vf_min(hi, vf_max(lo, vf_set1(NAN))), 0)));
    ck_assert(same_f(lane(vf_min(hi, vf_max(lo, vf_set1(-0.0f))), 0), -0.0f));
    ck_assert(isnan(vd_hsum(vd_max(vd_set1(1e-10), vd_set1(NAN)))));
    ASSERT_NONE_BAD();
}
END_TEST

/* ---- horizontal sums: a fixed order ------------------------------------- */

START_TEST(hsum_order) {
    expect_reset();
    /* (v0 + v2) + (v1 + v3) = 0 + 2; left to right or pairwise would give 1 or 0 */
    ck_assert(same_f(vf_hsum(make(1e8f, 1.0f, -1e8f, 1.0f)), 2.0f));
    float v[4][4];
    vf vs[4];
    for (int it = 0; it < 5000; it++) {
        for (int l = 0; l < 4; l++) {
            for (int i = 0; i < 4; i++) {
                v[l][i] = (float)((int64_t)(next_u64() >> 40) - (1 << 23)) * 0x1p-7f;
            }
            vs[l] = vf_load(v[l]);
            float want = (v[l][0] + v[l][2]) + (v[l][1] + v[l][3]);
            expect(same_f(vf_hsum(vs[l]), want), "hsum(%a, %a, %a, %a)", v[l][0], v[l][1], v[l][2],
                   v[l][3]);
        }
        vf h = vf_hsum_lanes(vs);
        for (int l = 0; l < 4; l++) {
            float want = (v[l][0] + v[l][1]) + (v[l][2] + v[l][3]);
            expect(same_f(lane(h, l), want), "hsum_lanes lane %d: %a, want %a", l, lane(h, l),
                   want);
        }
    }
    vd dv = vd_lo(make(1.5f, -0x1p-30f, 0.0f, 0.0f));
    ck_assert(same_d(vd_hsum(dv), 1.5 - 0x1p-30)); /* exact in double, not in float */
    /* vd_hsum_lanes: lane l sums the two lanes of vector l (l2norm's short
     * NHWC rows); values chosen so that a float sum would round */
    vd two[2] = {vd_lo(make(1.0f, 0x1p-40f, 0.0f, 0.0f)), vd_lo(make(-3.0f, 0x1p-35f, 0.0f, 0.0f))};
    vf hl = vf_narrow(vd_add(vd_hsum_lanes(two), vd_set1(-1.0)), vd_zero());
    ck_assert(same_f(lane(hl, 0), 0x1p-40f)); /* (1 + 2^-40) - 1: exact only in double */
    ck_assert(same_f(lane(hl, 1), -4.0f));    /* −4 + 2^-35 narrows to −4 */
    ASSERT_NONE_BAD();
}
END_TEST

/* ---- float ↔ double ----------------------------------------------------- */

START_TEST(widen_narrow) {
    expect_reset();
    for (int it = 0; it < 20000; it++) {
        float f[4];
        for (int i = 0; i < 4; i++) {
            f[i] = any_float();
        }
        vf v = vf_load(f);
        vd lo = vd_lo(v), hi = vd_hi(v);
        for (int i = 0; i < 2; i++) {
            expect(same_d(dlane(lo, i), (double)f[i]), "vd_lo lane %d of %a", i, f[i]);
            expect(same_d(dlane(hi, i), (double)f[2 + i]), "vd_hi lane %d of %a", i, f[2 + i]);
        }
        /* narrowing rounds to nearest: a double between floats */
        double dd = (double)f[0] * (1.0 + 0x1p-30);
        vf n = vf_narrow(vd_set1(dd), vd_set1((double)f[3]));
        expect(same_f(lane(n, 0), (float)dd), "narrow(%a) = %a", dd, lane(n, 0));
        expect(same_f(lane(n, 1), (float)dd), "narrow(%a) lane 1", dd);
        expect(same_f(lane(n, 2), f[3]) && same_f(lane(n, 3), f[3]), "narrow(%a) high half",
               (double)f[3]);
    }
    ASSERT_NONE_BAD();
}
END_TEST

/* ---- the dispatcher on this host ---------------------------------------- */

START_TEST(host_facts) {
#if defined(__aarch64__)
    ck_assert(snorm_isa_supported(SNORM_ISA_NEON));
    ck_assert(!snorm_isa_emulated(SNORM_ISA_NEON));
    for (int i = SNORM_ISA_SSE41; i <= SNORM_ISA_AVX512; i++) {
        ck_assert(snorm_isa_emulated((snorm_isa)i));
        ck_assert(snorm_isa_runnable((snorm_isa)i));
        ck_assert(!snorm_isa_supported((snorm_isa)i));
    }
    const char *env = getenv("SNORM_ISA");
    if (!env) {
        ck_assert_int_eq(snorm_active_isa(), SNORM_ISA_NEON);
    } else if (strcmp(env, "scalar") == 0) {
        ck_assert_int_eq(snorm_active_isa(), SNORM_ISA_SCALAR);
    }
    printf("aarch64: active %s\n", snorm_isa_name(snorm_active_isa()));
#elif defined(__x86_64__)
    ck_assert(snorm_isa_emulated(SNORM_ISA_NEON));
    ck_assert(snorm_isa_runnable(SNORM_ISA_NEON));
    ck_assert(!snorm_isa_supported(SNORM_ISA_NEON));
    ck_assert(snorm_active_isa() != SNORM_ISA_NEON);
#endif
}
END_TEST

int main(void) {
    Suite *s = suite_create("neon_vec");
    TCase *tc = tcase_create("vocabulary");
    tcase_add_test(tc, host_facts); /* first: nothing has resolved the choice yet */
    tcase_add_test(tc, load_n_reads_exactly_n);
    tcase_add_test(tc, store_n_writes_exactly_n);
    tcase_add_test(tc, keep_and_select_n);
    tcase_add_test(tc, permute_lanes);
    tcase_add_test(tc, div_sqrt_specials);
    tcase_add_test(tc, div_sqrt_random);
    tcase_add_test(tc, fmadd_fused);
    tcase_add_test(tc, min_max_nan_and_zero);
    tcase_add_test(tc, hsum_order);
    tcase_add_test(tc, widen_narrow);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
