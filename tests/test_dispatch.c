/*
 * The dispatcher: x86 detection from faked CPUID/XCR0 words, the choice of
 * variant from a supported mask and SNORM_ISA, and the process-wide
 * override. Run a second time by meson with SNORM_ISA set (see
 * tests/meson.build): the env_choice test then checks that the process
 * resolved what the environment asked for.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "run_suite.h"

/* ---- CPUID / XCR0 bits (Intel SDM vol. 2A, CPUID; vol. 1 §13.3 XCR0) -------- */

#define ECX1_SSE41 (1u << 19)
#define ECX1_FMA (1u << 12)
#define ECX1_OSXSAVE (1u << 27)
#define ECX1_AVX (1u << 28)
#define EBX7_AVX2 (1u << 5)
#define EBX7_AVX512F (1u << 16)
#define EBX7_AVX512DQ (1u << 17)
#define EBX7_AVX512BW (1u << 30)
#define EBX7_AVX512VL (1u << 31)
#define XCR0_X87 0x1u
#define XCR0_SSE 0x2u
#define XCR0_AVX 0x4u
#define XCR0_OPMASK 0x20u
#define XCR0_ZMM_HI256 0x40u
#define XCR0_HI16_ZMM 0x80u

#define BIT(isa) SNORM_ISA_BIT(isa)
#define B_SCALAR BIT(SNORM_ISA_SCALAR)
#define B_SSE41 BIT(SNORM_ISA_SSE41)
#define B_AVX2 BIT(SNORM_ISA_AVX2)
#define B_AVX512 BIT(SNORM_ISA_AVX512)
#define B_NEON BIT(SNORM_ISA_NEON)

static const uint32_t ECX_FULL = ECX1_SSE41 | ECX1_FMA | ECX1_OSXSAVE | ECX1_AVX;
static const uint32_t EBX_AVX512 =
    EBX7_AVX2 | EBX7_AVX512F | EBX7_AVX512DQ | EBX7_AVX512BW | EBX7_AVX512VL;
static const uint64_t XCR0_YMM = XCR0_X87 | XCR0_SSE | XCR0_AVX;
static const uint64_t XCR0_FULL =
    XCR0_X87 | XCR0_SSE | XCR0_AVX | XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM;

typedef struct detect_case {
    const char *what;
    snorm_x86_features f;
    unsigned want;
} detect_case;

static const detect_case detect_cases[] = {
    {"a full AVX-512 machine",
     {0xd, ECX_FULL, EBX_AVX512, XCR0_FULL},
     B_SCALAR | B_SSE41 | B_AVX2 | B_AVX512},
    {"nothing at all (max_leaf 0)", {0, ECX_FULL, EBX_AVX512, XCR0_FULL}, B_SCALAR},
    {"SSE4.1 only", {0xd, ECX1_SSE41, 0, 0}, B_SCALAR | B_SSE41},
    {"no SSE4.1 bit", {0xd, ECX_FULL & ~ECX1_SSE41, 0, 0}, B_SCALAR},
    {"AVX2 CPU, XCR0 without YMM state",
     {0xd, ECX_FULL, EBX7_AVX2, XCR0_X87 | XCR0_SSE},
     B_SCALAR | B_SSE41},
    {"AVX2 CPU, XCR0 without SSE state",
     {0xd, ECX_FULL, EBX7_AVX2, XCR0_X87 | XCR0_AVX},
     B_SCALAR | B_SSE41},
    {"AVX2 CPU, no OSXSAVE (XCR0 unreadable)",
     {0xd, ECX_FULL & ~ECX1_OSXSAVE, EBX7_AVX2, 0},
     B_SCALAR | B_SSE41},
    {"AVX2 CPU, OSXSAVE clear but XCR0 word set",
     {0xd, ECX_FULL & ~ECX1_OSXSAVE, EBX_AVX512, XCR0_FULL},
     B_SCALAR | B_SSE41},
    {"AVX2 without FMA", {0xd, ECX_FULL & ~ECX1_FMA, EBX7_AVX2, XCR0_YMM}, B_SCALAR | B_SSE41},
    {"AVX2 without the AVX bit",
     {0xd, ECX_FULL & ~ECX1_AVX, EBX7_AVX2, XCR0_YMM},
     B_SCALAR | B_SSE41},
    {"AVX2 + FMA, YMM state", {0xd, ECX_FULL, EBX7_AVX2, XCR0_YMM}, B_SCALAR | B_SSE41 | B_AVX2},
    {"max_leaf < 7 hides leaf 7", {6, ECX_FULL, EBX_AVX512, XCR0_FULL}, B_SCALAR | B_SSE41},
    {"AVX-512 bits, XCR0 without ZMM/opmask",
     {0xd, ECX_FULL, EBX_AVX512, XCR0_YMM},
     B_SCALAR | B_SSE41 | B_AVX2},
    {"AVX-512 bits, XCR0 without opmask",
     {0xd, ECX_FULL, EBX_AVX512, XCR0_FULL & ~XCR0_OPMASK},
     B_SCALAR | B_SSE41 | B_AVX2},
    {"AVX-512 bits, XCR0 without Hi16_ZMM",
     {0xd, ECX_FULL, EBX_AVX512, XCR0_FULL & ~XCR0_HI16_ZMM},
     B_SCALAR | B_SSE41 | B_AVX2},
    {"AVX512F without VL",
     {0xd, ECX_FULL, EBX_AVX512 & ~EBX7_AVX512VL, XCR0_FULL},
     B_SCALAR | B_SSE41 | B_AVX2},
    {"AVX512F without BW",
     {0xd, ECX_FULL, EBX_AVX512 & ~EBX7_AVX512BW, XCR0_FULL},
     B_SCALAR | B_SSE41 | B_AVX2},
    {"AVX512F without DQ",
     {0xd, ECX_FULL, EBX_AVX512 & ~EBX7_AVX512DQ, XCR0_FULL},
     B_SCALAR | B_SSE41 | B_AVX2},
    {"AVX512F alone",
     {0xd, ECX_FULL, EBX7_AVX2 | EBX7_AVX512F, XCR0_FULL},
     B_SCALAR | B_SSE41 | B_AVX2},
    {"AVX-512 bits but no AVX2",
     {0xd, ECX_FULL, EBX_AVX512 & ~EBX7_AVX2, XCR0_FULL},
     B_SCALAR | B_SSE41},
};
#define N_DETECT ((int)(sizeof detect_cases / sizeof detect_cases[0]))

START_TEST(x86_detection) {
    const detect_case *k = &detect_cases[_i];
    unsigned got = snorm_x86_isa_mask(&k->f);
    ck_assert_msg(got == k->want, "%s: mask 0x%x, want 0x%x", k->what, got, k->want);
}
END_TEST

/* ---- snorm_choose_isa ------------------------------------------------------------------- */

START_TEST(choose_without_env) {
    ck_assert_int_eq(snorm_choose_isa(B_SCALAR, NULL), SNORM_ISA_SCALAR);
    ck_assert_int_eq(snorm_choose_isa(B_SCALAR | B_SSE41, NULL), SNORM_ISA_SSE41);
    ck_assert_int_eq(snorm_choose_isa(B_SCALAR | B_SSE41 | B_AVX2 | B_AVX512, NULL),
                     SNORM_ISA_AVX512);
    ck_assert_int_eq(snorm_choose_isa(B_SCALAR | B_NEON, NULL), SNORM_ISA_NEON);
    ck_assert_int_eq(snorm_choose_isa(0, NULL), SNORM_ISA_SCALAR); /* scalar always works */
}
END_TEST

START_TEST(choose_with_env) {
    const unsigned x86_all = B_SCALAR | B_SSE41 | B_AVX2 | B_AVX512;
    ck_assert_int_eq(snorm_choose_isa(x86_all, "scalar"), SNORM_ISA_SCALAR);
    ck_assert_int_eq(snorm_choose_isa(x86_all, "sse41"), SNORM_ISA_SSE41);
    ck_assert_int_eq(snorm_choose_isa(x86_all, "avx2"), SNORM_ISA_AVX2);
    ck_assert_int_eq(snorm_choose_isa(x86_all, "avx512"), SNORM_ISA_AVX512);
    /* neon is above avx512 in the enum: on x86 it caps nothing */
    ck_assert_int_eq(snorm_choose_isa(x86_all, "neon"), SNORM_ISA_AVX512);
    ck_assert_int_eq(snorm_choose_isa(B_SCALAR | B_NEON, "neon"), SNORM_ISA_NEON);
    ck_assert_int_eq(snorm_choose_isa(B_SCALAR | B_NEON, "scalar"), SNORM_ISA_SCALAR);
}
END_TEST

START_TEST(choose_unknown_or_unsupported) {
    const unsigned x86_all = B_SCALAR | B_SSE41 | B_AVX2 | B_AVX512;
    /* unknown values cap nothing */
    ck_assert_int_eq(snorm_choose_isa(x86_all, "bogus"), SNORM_ISA_AVX512);
    ck_assert_int_eq(snorm_choose_isa(x86_all, ""), SNORM_ISA_AVX512);
    ck_assert_int_eq(snorm_choose_isa(x86_all, "AVX2"), SNORM_ISA_AVX512); /* case matters */
    ck_assert_int_eq(snorm_choose_isa(x86_all, "avx2 "), SNORM_ISA_AVX512);
    /* an unsupported request falls back to the best supported below it */
    ck_assert_int_eq(snorm_choose_isa(B_SCALAR | B_SSE41, "avx512"), SNORM_ISA_SSE41);
    ck_assert_int_eq(snorm_choose_isa(B_SCALAR | B_SSE41, "avx2"), SNORM_ISA_SSE41);
    ck_assert_int_eq(snorm_choose_isa(B_SCALAR | B_AVX2, "sse41"), SNORM_ISA_SCALAR);
    ck_assert_int_eq(snorm_choose_isa(B_SCALAR, "avx512"), SNORM_ISA_SCALAR);
    ck_assert_int_eq(snorm_choose_isa(B_SCALAR | B_SSE41 | B_AVX512, "avx2"), SNORM_ISA_SSE41);
}
END_TEST

/* ---- the process-wide choice ------------------------------------------------------------ */

/* What the header says the process must resolve, from snorm_isa_supported
 * and the environment, computed without snorm_choose_isa. */
static snorm_isa expected_from_env(const char *env) {
    int cap = SNORM_ISA_COUNT - 1;
    for (int i = 0; env && i < SNORM_ISA_COUNT; i++) {
        if (strcmp(env, snorm_isa_name((snorm_isa)i)) == 0) {
            cap = i;
        }
    }
    for (int i = cap; i > 0; i--) {
        if (snorm_isa_supported((snorm_isa)i)) {
            return (snorm_isa)i;
        }
    }
    return SNORM_ISA_SCALAR;
}

/* Must run before anything calls snorm_set_isa in this process (it is the
 * first test, and with CK_FORK each test is a fresh child anyway). */
START_TEST(env_choice) {
    const char *env = getenv("SNORM_ISA");
    snorm_isa want = expected_from_env(env);
    snorm_isa got = snorm_active_isa();
    printf("SNORM_ISA=%s: active %s\n", env ? env : "(unset)", snorm_isa_name(got));
    ck_assert_msg(got == want, "SNORM_ISA=%s: active %s, want %s", env ? env : "(unset)",
                  snorm_isa_name(got), snorm_isa_name(want));
    ck_assert(snorm_isa_supported(got));
    /* The detected mask of this host agrees with snorm_isa_supported. */
    unsigned mask = snorm_detect_isa_mask();
    ck_assert(mask & B_SCALAR);
    for (int i = 0; i < SNORM_ISA_COUNT; i++) {
        if (snorm_isa_supported((snorm_isa)i)) {
            ck_assert_msg(mask & BIT(i), "%s supported but not detected",
                          snorm_isa_name((snorm_isa)i));
            ck_assert(!snorm_isa_emulated((snorm_isa)i));
            ck_assert(snorm_isa_runnable((snorm_isa)i));
        }
    }
}
END_TEST

START_TEST(set_isa) {
    snorm_isa original = snorm_active_isa();
    for (int i = 0; i < SNORM_ISA_COUNT; i++) {
        snorm_isa isa = (snorm_isa)i;
        snorm_isa before = snorm_active_isa();
        snorm_status st = snorm_set_isa(isa);
        if (snorm_isa_supported(isa)) {
            ck_assert_int_eq(st, SNORM_OK);
            ck_assert_int_eq(snorm_active_isa(), isa);
        } else {
            printf("set_isa: %s not supported here, refusal checked\n", snorm_isa_name(isa));
            ck_assert_int_eq(st, SNORM_ERR_UNSUPPORTED_ISA);
            ck_assert_int_eq(snorm_active_isa(), before); /* unchanged */
        }
    }
    snorm_isa before = snorm_active_isa();
    ck_assert_int_eq(snorm_set_isa(SNORM_ISA_COUNT), SNORM_ERR_UNSUPPORTED_ISA);
    ck_assert_int_eq(snorm_set_isa((snorm_isa)-1), SNORM_ERR_UNSUPPORTED_ISA);
    ck_assert_int_eq(snorm_active_isa(), before);
    /* the plain entries follow the choice: a scalar call still works */
    ck_assert_int_eq(snorm_set_isa(SNORM_ISA_SCALAR), SNORM_OK);
    float x[3] = {3.0f, 4.0f, 0.0f}, y[3];
    snorm_shape sh = {SNORM_LAYOUT_NHWC, 1, 3, 1};
    ck_assert_int_eq(snorm_l2norm(x, y, sh, NULL, 0.0f, SNORM_EPS_ADD), SNORM_OK);
    ck_assert(y[0] == 0.6f && y[1] == 0.8f && y[2] == 0.0f);
    ck_assert_int_eq(snorm_set_isa(original), SNORM_OK);
}
END_TEST

/* Scalar is supported everywhere; emulated variants are runnable but never
 * supported; the active ISA is always supported. */
START_TEST(supported_vs_runnable) {
    ck_assert(snorm_isa_supported(SNORM_ISA_SCALAR));
    ck_assert(snorm_isa_runnable(SNORM_ISA_SCALAR));
    for (int i = 0; i < SNORM_ISA_COUNT; i++) {
        snorm_isa isa = (snorm_isa)i;
        if (snorm_isa_supported(isa)) {
            ck_assert(snorm_isa_runnable(isa));
        }
        if (snorm_isa_emulated(isa)) {
            ck_assert(!snorm_isa_supported(isa));
        }
        if (snorm_isa_runnable(isa)) {
            ck_assert_ptr_nonnull(snorm_table_for(isa));
            ck_assert_int_eq(snorm_table_for(isa)->isa, isa);
        }
        printf("%-7s supported=%d runnable=%d emulated=%d\n", snorm_isa_name(isa),
               snorm_isa_supported(isa), snorm_isa_runnable(isa), snorm_isa_emulated(isa));
    }
    ck_assert(!snorm_isa_supported(SNORM_ISA_COUNT));
    ck_assert(!snorm_isa_runnable(SNORM_ISA_COUNT));
    ck_assert_ptr_null(snorm_table_for(SNORM_ISA_COUNT));
    ck_assert(snorm_isa_supported(snorm_active_isa()));
}
END_TEST

int main(void) {
    Suite *s = suite_create("dispatch");
    TCase *tc = tcase_create("process");
    tcase_add_test(tc, env_choice); /* first: nothing has called snorm_set_isa yet */
    tcase_add_test(tc, set_isa);
    tcase_add_test(tc, supported_vs_runnable);
    suite_add_tcase(s, tc);
    tc = tcase_create("detection");
    tcase_add_loop_test(tc, x86_detection, 0, N_DETECT);
    suite_add_tcase(s, tc);
    tc = tcase_create("choice");
    tcase_add_test(tc, choose_without_env);
    tcase_add_test(tc, choose_with_env);
    tcase_add_test(tc, choose_unknown_or_unsupported);
    suite_add_tcase(s, tc);

    return run_suite(s);
}
