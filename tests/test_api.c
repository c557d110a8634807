/*
 * The API contract of include/simdnorm.h, table-driven: every public
 * function × each invalid argument gives its exact status, and a failed
 * call (or a zero-sized no-op) leaves every byte of every buffer as it was.
 * Each case runs through the plain entry and through the _isa entry of
 * every runnable variant.
 *
 * All buffers of a call live in one guarded arena filled with a sentinel
 * pattern, so "no output byte changed" is one memcmp of the arena and its
 * guards; successful calls may change only the bytes of their outputs.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"
#include "simdnorm.h"
#include "run_suite.h"

/* ---- the arena ----------------------------------------------------------------- */

/* Shape of the valid baseline call: 2 × 3 × 5 = 30 elements. */
enum { N = 2, C = 3, S = 5, COUNT = N * C * S };

/* Float offsets of each buffer in the arena; X sits after a gap so that a
 * buffer can start just before it (partial overlap from below). */
enum {
    OFF_X = 16,
    OFF_Y = 64,
    OFF_P1 = 128,
    OFF_P2 = 136,
    OFF_P3 = 144,
    OFF_P4 = 152,
    OFF_O1 = 160,
    OFF_O2 = 168,
    OFF_O3 = 176,
    OFF_O4 = 184,
    ARENA = 200
};

static t_buf arena;

static float *at(size_t off) { return arena.p + off; }

/* Positive, distinct, finite values (var inputs must be ≥ 0 for valid calls). */
static void arena_fill(void) {
    for (size_t i = 0; i < ARENA; i++) {
        arena.p[i] = 0.5f + 0.25f * (float)(i % 37);
    }
}

/* ---- one call, described by its arguments --------------------------------------- */

typedef enum fn { F_MOMENTS, F_SCALE_SHIFT, F_L2NORM, F_FOLD, F_BN_INF, F_BN_TRAIN } fn;

static const char *const fn_names[] = {
    "channel_moments", "scale_shift",         "l2norm",
    "fold_batchnorm",  "batchnorm_inference", "batchnorm_training"};

typedef struct args {
    int use_isa;
    snorm_isa isa;
    const float *x;
    float *y;
    snorm_shape sh;
    const float *p1, *p2, *p3, *p4; /* per-channel inputs, by function: see baseline() */
    float *o1, *o2, *o3, *o4;       /* per-channel outputs */
    size_t c;                       /* fold only */
    float eps, lo, hi, momentum;
    snorm_eps_mode mode;
} args;

/*
 * The valid call of each function. Per-channel roles:
 *   moments       o1 = mean, o2 = var
 *   scale_shift   p1 = scale, p2 = shift
 *   l2norm        p1 = scale
 *   fold          p1 = mean, p2 = var, p3 = gamma, p4 = beta; o1 = scale, o2 = shift
 *   inference     p1 = mean, p2 = var, p3 = gamma, p4 = beta
 *   training      p3 = gamma, p4 = beta; o1 = running_mean, o2 = running_var,
 *                 o3 = batch_mean, o4 = batch_var
 */
static args baseline(fn f) {
    args a;
    memset(&a, 0, sizeof a);
    a.sh.layout = SNORM_LAYOUT_NCHW;
    a.sh.n = N;
    a.sh.c = C;
    a.sh.s = S;
    a.c = C;
    a.eps = 1e-5f;
    a.lo = -INFINITY;
    a.hi = INFINITY;
    a.momentum = 0.1f;
    a.mode = SNORM_EPS_ADD;
    a.x = at(OFF_X);
    if (f != F_MOMENTS && f != F_FOLD) {
        a.y = at(OFF_Y);
    }
    switch (f) {
    case F_MOMENTS: a.o1 = at(OFF_O1), a.o2 = at(OFF_O2); break;
    case F_SCALE_SHIFT: a.p1 = at(OFF_P1), a.p2 = at(OFF_P2); break;
    case F_L2NORM: a.p1 = at(OFF_P1); break;
    case F_FOLD:
        a.x = NULL;
        a.o1 = at(OFF_O1), a.o2 = at(OFF_O2);
        /* fall through */
    case F_BN_INF:
        a.p1 = at(OFF_P1), a.p2 = at(OFF_P2), a.p3 = at(OFF_P3), a.p4 = at(OFF_P4);
        break;
    case F_BN_TRAIN:
        a.p3 = at(OFF_P3), a.p4 = at(OFF_P4);
        a.o1 = at(OFF_O1), a.o2 = at(OFF_O2), a.o3 = at(OFF_O3), a.o4 = at(OFF_O4);
        break;
    }
    return a;
}

static snorm_status call(fn f, const args *a) {
    switch (f) {
    case F_MOMENTS:
        return a->use_isa ? snorm_channel_moments_isa(a->isa, a->x, a->sh, a->o1, a->o2)
                          : snorm_channel_moments(a->x, a->sh, a->o1, a->o2);
    case F_SCALE_SHIFT:
        return a->use_isa
                   ? snorm_scale_shift_isa(a->isa, a->x, a->y, a->sh, a->p1, a->p2, a->lo, a->hi)
                   : snorm_scale_shift(a->x, a->y, a->sh, a->p1, a->p2, a->lo, a->hi);
    case F_L2NORM:
        return a->use_isa ? snorm_l2norm_isa(a->isa, a->x, a->y, a->sh, a->p1, a->eps, a->mode)
                          : snorm_l2norm(a->x, a->y, a->sh, a->p1, a->eps, a->mode);
    case F_FOLD:
        return snorm_fold_batchnorm(a->c, a->p1, a->p2, a->p3, a->p4, a->eps, a->o1, a->o2);
    case F_BN_INF:
        return a->use_isa ? snorm_batchnorm_inference_isa(a->isa, a->x, a->y, a->sh, a->p1, a->p2,
                                                          a->p3, a->p4, a->eps, a->lo, a->hi)
                          : snorm_batchnorm_inference(a->x, a->y, a->sh, a->p1, a->p2, a->p3, a->p4,
                                                      a->eps, a->lo, a->hi);
    case F_BN_TRAIN:
        return a->use_isa
                   ? snorm_batchnorm_training_isa(a->isa, a->x, a->y, a->sh, a->p3, a->p4, a->eps,
                                                  a->momentum, a->o1, a->o2, a->o3, a->o4)
                   : snorm_batchnorm_training(a->x, a->y, a->sh, a->p3, a->p4, a->eps, a->momentum,
                                              a->o1, a->o2, a->o3, a->o4);
    }
    return SNORM_OK;
}

/* ---- mutations of the valid call ------------------------------------------------------- */

typedef enum mut {
    M_NONE,
    M_X_NULL,
    M_Y_NULL,
    M_P1_NULL,
    M_P2_NULL,
    M_P3_NULL,
    M_P4_NULL,
    M_O1_NULL,
    M_O2_NULL,
    M_O1_ONLY,
    M_O2_ONLY,
    M_O12_NULL,
    M_O34_NULL,
    M_LAYOUT_2,
    M_LAYOUT_NEG,
    M_MODE_3,
    M_MODE_NEG,
    M_EPS_NEG,
    M_EPS_NAN,
    M_EPS_NEG_ZERO,
    M_EPS_INF,
    M_MOM_NEG,
    M_MOM_BIG,
    M_MOM_NAN,
    M_MOM_0,
    M_MOM_1,
    M_LO_GT_HI,
    M_LO_NAN,
    M_HI_NAN,
    M_LO_EQ_HI,
    M_OVF_ELEMS,
    M_OVF_TRIPLE,
    M_OVF_BYTES,
    M_OVF_C,
    M_N0,
    M_C0,
    M_S0,
    M_FOLD_C0,
    M_C0_NS_HUGE,
    M_N0_S_HUGE,
    M_N0_C_HUGE,
    M_Y_X_PLUS1,
    M_Y_X_MINUS1,
    M_IN_PLACE,
    M_Y_X_SHORT,
    M_P1_IN_Y,
    M_P2_IN_Y,
    M_P3_IN_Y,
    M_P4_IN_Y,
    M_P1_IN_X_INPLACE,
    M_O1_IN_X,
    M_O2_IN_X,
    M_O1_IN_Y,
    M_O2_IN_O1,
    M_O2_EQ_O1,
    M_O3_IN_O1,
    M_O4_IN_X,
    M_P3_IN_O3,
    M_FOLD_INPLACE_VM,
    M_FOLD_INPLACE_GB,
    M_FOLD_O1_PARTIAL,
    M_FOLD_O2_EQ_O1,
    M_ISA_COUNT,
    M_ISA_NEG,
    M_ISA_NOT_RUNNABLE,
    M_ISA_WITH_NULL
} mut;

static const snorm_isa ISA_NONE = SNORM_ISA_COUNT; /* no non-runnable variant here */

/* A variant this host cannot run, or ISA_NONE. */
static snorm_isa unrunnable_isa(void) {
    for (int i = 0; i < SNORM_ISA_COUNT; i++) {
        if (!snorm_isa_runnable((snorm_isa)i)) {
            return (snorm_isa)i;
        }
    }
    return ISA_NONE;
}

static void apply(mut m, args *a) {
    size_t big = (size_t)1 << (sizeof(size_t) * 8 / 3 + 1); /* big³ overflows, big² does not */
    switch (m) {
    case M_NONE: break;
    case M_X_NULL: a->x = NULL; break;
    case M_Y_NULL: a->y = NULL; break;
    case M_P1_NULL: a->p1 = NULL; break;
    case M_P2_NULL: a->p2 = NULL; break;
    case M_P3_NULL: a->p3 = NULL; break;
    case M_P4_NULL: a->p4 = NULL; break;
    case M_O1_NULL: a->o1 = NULL; break;
    case M_O2_NULL: a->o2 = NULL; break;
    case M_O1_ONLY: a->o2 = NULL; break;
    case M_O2_ONLY: a->o1 = NULL; break;
    case M_O12_NULL: a->o1 = a->o2 = NULL; break;
    case M_O34_NULL: a->o3 = a->o4 = NULL; break;
    case M_LAYOUT_2: a->sh.layout = (snorm_layout)2; break;
    case M_LAYOUT_NEG: a->sh.layout = (snorm_layout)-1; break;
    case M_MODE_3: a->mode = (snorm_eps_mode)3; break;
    case M_MODE_NEG: a->mode = (snorm_eps_mode)-1; break;
    case M_EPS_NEG: a->eps = -1e-5f; break;
    case M_EPS_NAN: a->eps = NAN; break;
    case M_EPS_NEG_ZERO: a->eps = -0.0f; break;
    case M_EPS_INF: a->eps = INFINITY; break;
    case M_MOM_NEG: a->momentum = -0.1f; break;
    case M_MOM_BIG: a->momentum = 1.0001f; break;
    case M_MOM_NAN: a->momentum = NAN; break;
    case M_MOM_0: a->momentum = 0.0f; break;
    case M_MOM_1: a->momentum = 1.0f; break;
    case M_LO_GT_HI: a->lo = 1.0f, a->hi = 0.5f; break;
    case M_LO_NAN: a->lo = NAN; break;
    case M_HI_NAN: a->hi = NAN; break;
    case M_LO_EQ_HI: a->lo = a->hi = 2.0f; break;
    case M_OVF_ELEMS: a->sh.n = SIZE_MAX / 2; break;
    case M_OVF_TRIPLE: a->sh.n = a->sh.c = a->sh.s = big; break;
    case M_OVF_BYTES: a->sh.n = 1, a->sh.c = 1, a->sh.s = SIZE_MAX / sizeof(float) + 1; break;
    case M_OVF_C: a->c = SIZE_MAX / sizeof(float) + 1; break;
    case M_N0: a->sh.n = 0; break;
    case M_C0: a->sh.c = 0; break;
    case M_S0: a->sh.s = 0; break;
    case M_FOLD_C0: a->c = 0; break;
    case M_C0_NS_HUGE: a->sh.c = 0, a->sh.n = SIZE_MAX, a->sh.s = 3; break; /* n·s wraps */
    case M_N0_S_HUGE: a->sh.n = 0, a->sh.s = SIZE_MAX; break;
    case M_N0_C_HUGE: a->sh.n = 0, a->sh.c = SIZE_MAX / sizeof(float) + 1; break;
    case M_Y_X_PLUS1: a->y = at(OFF_X + 1); break;
    case M_Y_X_MINUS1: a->y = at(OFF_X - 1); break;
    case M_IN_PLACE: a->y = at(OFF_X); break;
    case M_Y_X_SHORT: a->y = at(OFF_X + COUNT - 1); break; /* last element shared */
    case M_P1_IN_Y: a->p1 = a->y + 4; break;
    case M_P2_IN_Y: a->p2 = a->y + 4; break;
    case M_P3_IN_Y: a->p3 = a->y + COUNT - 1; break; /* overlaps y by one float */
    case M_P4_IN_Y: a->p4 = a->y - 2; break;         /* ends inside y */
    case M_P1_IN_X_INPLACE: a->y = at(OFF_X), a->p1 = at(OFF_X + 3); break;
    case M_O1_IN_X: a->o1 = at(OFF_X + 3); break;
    case M_O2_IN_X: a->o2 = at(OFF_X + COUNT - 1); break;
    case M_O1_IN_Y: a->o1 = a->y + 7; break;
    case M_O2_IN_O1: a->o2 = a->o1 + 1; break;
    case M_O2_EQ_O1: a->o2 = a->o1; break;
    case M_O3_IN_O1: a->o3 = a->o1 + 2; break;
    case M_O4_IN_X: a->o4 = at(OFF_X + 10); break;
    case M_P3_IN_O3: a->p3 = a->o3 + 1; break;
    case M_FOLD_INPLACE_VM: a->o1 = (float *)a->p2, a->o2 = (float *)a->p1; break;
    case M_FOLD_INPLACE_GB: a->o1 = (float *)a->p3, a->o2 = (float *)a->p4; break;
    case M_FOLD_O1_PARTIAL: a->o1 = (float *)a->p2 + 1; break;
    case M_FOLD_O2_EQ_O1: a->o2 = a->o1; break;
    case M_ISA_COUNT: a->isa = SNORM_ISA_COUNT; break;
    case M_ISA_NEG: a->isa = (snorm_isa)-1; break;
    case M_ISA_NOT_RUNNABLE: a->isa = unrunnable_isa(); break;
    case M_ISA_WITH_NULL: a->isa = SNORM_ISA_COUNT, a->x = NULL; break;
    }
}

static int is_isa_mut(mut m) {
    return m == M_ISA_COUNT || m == M_ISA_NEG || m == M_ISA_NOT_RUNNABLE || m == M_ISA_WITH_NULL;
}

/* ---- the table --------------------------------------------------------------------------- */

typedef struct api_case {
    fn f;
    mut m;
    snorm_status want;
    int writes; /* 1: a successful call that writes its outputs */
} api_case;

#define OK_W(f, m)                                                                                 \
    { f, m, SNORM_OK, 1 }
#define OK_NOOP(f, m)                                                                              \
    { f, m, SNORM_OK, 0 }
#define ERR(f, m, st)                                                                              \
    { f, m, st, 0 }
#define NULLP SNORM_ERR_NULL_POINTER
#define INVAL SNORM_ERR_INVALID_ARGUMENT
#define OVF SNORM_ERR_SIZE_OVERFLOW
#define EMPTY SNORM_ERR_EMPTY_REDUCTION
#define OVL SNORM_ERR_OVERLAP
#define UNSUP SNORM_ERR_UNSUPPORTED_ISA

/* What every tensor function shares: layout, size overflow, unsupported ISA. */
#define TENSOR_COMMON(f)                                                                           \
    ERR(f, M_LAYOUT_2, INVAL), ERR(f, M_LAYOUT_NEG, INVAL), ERR(f, M_OVF_ELEMS, OVF),              \
        ERR(f, M_OVF_TRIPLE, OVF), ERR(f, M_OVF_BYTES, OVF), ERR(f, M_ISA_COUNT, UNSUP),           \
        ERR(f, M_ISA_NEG, UNSUP), ERR(f, M_ISA_NOT_RUNNABLE, UNSUP),                               \
        ERR(f, M_ISA_WITH_NULL, UNSUP)

/* y against x: partial overlaps fail, exact in place works. */
#define Y_OVERLAPS(f)                                                                              \
    ERR(f, M_Y_X_PLUS1, OVL), ERR(f, M_Y_X_MINUS1, OVL), ERR(f, M_Y_X_SHORT, OVL),                 \
        OK_W(f, M_IN_PLACE)

/* Zero-sized elementwise calls succeed without touching anything. */
#define ZERO_NOOPS(f)                                                                              \
    OK_NOOP(f, M_N0), OK_NOOP(f, M_C0), OK_NOOP(f, M_S0), OK_NOOP(f, M_C0_NS_HUGE),                \
        OK_NOOP(f, M_N0_S_HUGE), ERR(f, M_N0_C_HUGE, OVF)

static const api_case cases[] = {
    /* channel moments */
    OK_W(F_MOMENTS, M_NONE),
    ERR(F_MOMENTS, M_X_NULL, NULLP),
    ERR(F_MOMENTS, M_O1_NULL, NULLP),
    ERR(F_MOMENTS, M_O2_NULL, NULLP),
    TENSOR_COMMON(F_MOMENTS),
    ERR(F_MOMENTS, M_N0, EMPTY),
    ERR(F_MOMENTS, M_S0, EMPTY),
    OK_NOOP(F_MOMENTS, M_C0),
    OK_NOOP(F_MOMENTS, M_C0_NS_HUGE),
    ERR(F_MOMENTS, M_N0_S_HUGE, EMPTY),
    ERR(F_MOMENTS, M_N0_C_HUGE, OVF),
    ERR(F_MOMENTS, M_O1_IN_X, OVL),
    ERR(F_MOMENTS, M_O2_IN_X, OVL),
    ERR(F_MOMENTS, M_O2_IN_O1, OVL),
    ERR(F_MOMENTS, M_O2_EQ_O1, OVL),

    /* scale/shift */
    OK_W(F_SCALE_SHIFT, M_NONE),
    ERR(F_SCALE_SHIFT, M_X_NULL, NULLP),
    ERR(F_SCALE_SHIFT, M_Y_NULL, NULLP),
    ERR(F_SCALE_SHIFT, M_P1_NULL, NULLP),
    OK_W(F_SCALE_SHIFT, M_P2_NULL),
    TENSOR_COMMON(F_SCALE_SHIFT),
    ERR(F_SCALE_SHIFT, M_LO_GT_HI, INVAL),
    ERR(F_SCALE_SHIFT, M_LO_NAN, INVAL),
    ERR(F_SCALE_SHIFT, M_HI_NAN, INVAL),
    OK_W(F_SCALE_SHIFT, M_LO_EQ_HI),
    ZERO_NOOPS(F_SCALE_SHIFT),
    Y_OVERLAPS(F_SCALE_SHIFT),
    ERR(F_SCALE_SHIFT, M_P1_IN_Y, OVL),
    ERR(F_SCALE_SHIFT, M_P2_IN_Y, OVL),
    ERR(F_SCALE_SHIFT, M_P1_IN_X_INPLACE, OVL),

    /* l2norm */
    OK_W(F_L2NORM, M_NONE),
    ERR(F_L2NORM, M_X_NULL, NULLP),
    ERR(F_L2NORM, M_Y_NULL, NULLP),
    OK_W(F_L2NORM, M_P1_NULL),
    TENSOR_COMMON(F_L2NORM),
    ERR(F_L2NORM, M_MODE_3, INVAL),
    ERR(F_L2NORM, M_MODE_NEG, INVAL),
    ERR(F_L2NORM, M_EPS_NEG, INVAL),
    ERR(F_L2NORM, M_EPS_NAN, INVAL),
    OK_W(F_L2NORM, M_EPS_NEG_ZERO),
    ZERO_NOOPS(F_L2NORM),
    Y_OVERLAPS(F_L2NORM),
    ERR(F_L2NORM, M_P1_IN_Y, OVL),
    ERR(F_L2NORM, M_P1_IN_X_INPLACE, OVL),

    /* fold (no _isa twin) */
    OK_W(F_FOLD, M_NONE),
    ERR(F_FOLD, M_P1_NULL, NULLP),
    ERR(F_FOLD, M_P2_NULL, NULLP),
    OK_W(F_FOLD, M_P3_NULL),
    OK_W(F_FOLD, M_P4_NULL),
    ERR(F_FOLD, M_O1_NULL, NULLP),
    ERR(F_FOLD, M_O2_NULL, NULLP),
    ERR(F_FOLD, M_EPS_NEG, INVAL),
    ERR(F_FOLD, M_EPS_NAN, INVAL),
    OK_W(F_FOLD, M_EPS_NEG_ZERO),
    ERR(F_FOLD, M_OVF_C, OVF),
    OK_NOOP(F_FOLD, M_FOLD_C0),
    OK_W(F_FOLD, M_FOLD_INPLACE_VM),
    OK_W(F_FOLD, M_FOLD_INPLACE_GB),
    ERR(F_FOLD, M_FOLD_O1_PARTIAL, OVL),
    ERR(F_FOLD, M_FOLD_O2_EQ_O1, OVL),

    /* batch-norm inference */
    OK_W(F_BN_INF, M_NONE),
    ERR(F_BN_INF, M_X_NULL, NULLP),
    ERR(F_BN_INF, M_Y_NULL, NULLP),
    ERR(F_BN_INF, M_P1_NULL, NULLP),
    ERR(F_BN_INF, M_P2_NULL, NULLP),
    OK_W(F_BN_INF, M_P3_NULL),
    OK_W(F_BN_INF, M_P4_NULL),
    TENSOR_COMMON(F_BN_INF),
    ERR(F_BN_INF, M_EPS_NEG, INVAL),
    ERR(F_BN_INF, M_EPS_NAN, INVAL),
    ERR(F_BN_INF, M_LO_GT_HI, INVAL),
    ERR(F_BN_INF, M_LO_NAN, INVAL),
    ERR(F_BN_INF, M_HI_NAN, INVAL),
    OK_W(F_BN_INF, M_LO_EQ_HI),
    ZERO_NOOPS(F_BN_INF),
    Y_OVERLAPS(F_BN_INF),
    ERR(F_BN_INF, M_P1_IN_Y, OVL),
    ERR(F_BN_INF, M_P2_IN_Y, OVL),
    ERR(F_BN_INF, M_P3_IN_Y, OVL),
    ERR(F_BN_INF, M_P4_IN_Y, OVL),
    ERR(F_BN_INF, M_P1_IN_X_INPLACE, OVL),

    /* batch-norm training */
    OK_W(F_BN_TRAIN, M_NONE),
    ERR(F_BN_TRAIN, M_X_NULL, NULLP),
    ERR(F_BN_TRAIN, M_Y_NULL, NULLP),
    ERR(F_BN_TRAIN, M_O1_ONLY, NULLP),
    ERR(F_BN_TRAIN, M_O2_ONLY, NULLP),
    OK_W(F_BN_TRAIN, M_O12_NULL),
    OK_W(F_BN_TRAIN, M_O34_NULL),
    OK_W(F_BN_TRAIN, M_P3_NULL),
    OK_W(F_BN_TRAIN, M_P4_NULL),
    TENSOR_COMMON(F_BN_TRAIN),
    ERR(F_BN_TRAIN, M_EPS_NEG, INVAL),
    ERR(F_BN_TRAIN, M_EPS_NAN, INVAL),
    ERR(F_BN_TRAIN, M_MOM_NEG, INVAL),
    ERR(F_BN_TRAIN, M_MOM_BIG, INVAL),
    ERR(F_BN_TRAIN, M_MOM_NAN, INVAL),
    OK_W(F_BN_TRAIN, M_MOM_0),
    OK_W(F_BN_TRAIN, M_MOM_1),
    ERR(F_BN_TRAIN, M_N0, EMPTY),
    ERR(F_BN_TRAIN, M_S0, EMPTY),
    OK_NOOP(F_BN_TRAIN, M_C0),
    OK_NOOP(F_BN_TRAIN, M_C0_NS_HUGE),
    ERR(F_BN_TRAIN, M_N0_S_HUGE, EMPTY),
    ERR(F_BN_TRAIN, M_N0_C_HUGE, OVF),
    Y_OVERLAPS(F_BN_TRAIN),
    ERR(F_BN_TRAIN, M_P3_IN_Y, OVL),
    ERR(F_BN_TRAIN, M_P4_IN_Y, OVL),
    ERR(F_BN_TRAIN, M_O1_IN_X, OVL),
    ERR(F_BN_TRAIN, M_O2_IN_X, OVL),
    ERR(F_BN_TRAIN, M_O1_IN_Y, OVL),
    ERR(F_BN_TRAIN, M_O2_EQ_O1, OVL),
    ERR(F_BN_TRAIN, M_O3_IN_O1, OVL),
    ERR(F_BN_TRAIN, M_O4_IN_X, OVL),
    ERR(F_BN_TRAIN, M_P3_IN_O3, OVL),
};
#define N_CASES ((int)(sizeof cases / sizeof cases[0]))

/* ---- running one case ----------------------------------------------------------------------- */

/* Byte range [p, p + floats) of the arena that a successful call may write. */
static void allow(unsigned char *may, const float *p, size_t floats) {
    if (!p) {
        return;
    }
    size_t from = (size_t)((const unsigned char *)p - arena.raw);
    memset(may + from, 1, floats * sizeof(float));
}

static void allowed_writes(fn f, const args *a, unsigned char *may) {
    memset(may, 0, arena.raw_bytes);
    size_t count = a->sh.n * a->sh.c * a->sh.s, c = f == F_FOLD ? a->c : a->sh.c;
    allow(may, a->y, count);
    allow(may, a->o1, c);
    allow(may, a->o2, c);
    allow(may, a->o3, c);
    allow(may, a->o4, c);
}

static void run_case(const api_case *k, int use_isa, snorm_isa isa) {
    args a = baseline(k->f);
    a.use_isa = use_isa;
    a.isa = isa;
    apply(k->m, &a);
    arena_fill();
    unsigned char *before = malloc(arena.raw_bytes), *may = malloc(arena.raw_bytes);
    ck_assert_ptr_nonnull(before);
    ck_assert_ptr_nonnull(may);
    t_buf_guard(&arena, 0); /* the whole arena is compared, guards included */
    memcpy(before, arena.raw, arena.raw_bytes);
    t_buf_guard(&arena, 1);

    snorm_status st = call(k->f, &a);
    const char *via = use_isa ? snorm_isa_name(isa) : "plain";
    ck_assert_msg(st == k->want, "%s (%s) mutation %d: status %d (%s), want %d (%s)",
                  fn_names[k->f], via, (int)k->m, (int)st, snorm_status_string(st), (int)k->want,
                  snorm_status_string(k->want));

    if (k->writes) {
        allowed_writes(k->f, &a, may);
    } else {
        memset(may, 0, arena.raw_bytes);
    }
    size_t changed = 0, first = 0;
    t_buf_guard(&arena, 0);
    for (size_t b = 0; b < arena.raw_bytes; b++) {
        if (!may[b] && arena.raw[b] != before[b] && changed++ == 0) {
            first = b;
        }
    }
    t_buf_guard(&arena, 1);
    ck_assert_msg(changed == 0,
                  "%s (%s) mutation %d: %zu bytes changed outside its outputs, first at arena "
                  "byte %zu",
                  fn_names[k->f], via, (int)k->m, changed, first);
    free(before);
    free(may);
}

START_TEST(api_table) {
    const api_case *k = &cases[_i];
    arena = t_buf_alloc(ARENA, 0);
    if (k->m == M_ISA_NOT_RUNNABLE && unrunnable_isa() == ISA_NONE) {
        printf("SKIP: case %d (%s, non-runnable ISA): every variant is runnable here\n", _i,
               fn_names[k->f]);
        t_buf_free(&arena);
        return;
    }
    if (!is_isa_mut(k->m)) {
        run_case(k, 0, SNORM_ISA_SCALAR);
    }
    if (k->f != F_FOLD) {
        for (int isa = 0; isa < SNORM_ISA_COUNT; isa++) {
            if (is_isa_mut(k->m) || snorm_isa_runnable((snorm_isa)isa)) {
                run_case(k, 1, (snorm_isa)isa);
            }
        }
    }
    t_buf_free(&arena);
}
END_TEST

/* ---- status strings and ISA names --------------------------------------------------------------
 */

START_TEST(status_strings) {
    const char *seen[7];
    for (int s = 0; s <= 6; s++) {
        const char *str = snorm_status_string((snorm_status)s);
        ck_assert_ptr_nonnull(str);
        ck_assert_uint_gt(strlen(str), 0);
        ck_assert_str_ne(str, "unknown status");
        for (int t = 0; t < s; t++) {
            ck_assert_str_ne(str, seen[t]);
        }
        seen[s] = str;
    }
    ck_assert_str_eq(snorm_status_string((snorm_status)7), "unknown status");
    ck_assert_str_eq(snorm_status_string((snorm_status)-1), "unknown status");
    ck_assert_str_eq(snorm_status_string((snorm_status)1000), "unknown status");
}
END_TEST

START_TEST(isa_names) {
    ck_assert_str_eq(snorm_isa_name(SNORM_ISA_SCALAR), "scalar");
    ck_assert_str_eq(snorm_isa_name(SNORM_ISA_SSE41), "sse41");
    ck_assert_str_eq(snorm_isa_name(SNORM_ISA_AVX2), "avx2");
    ck_assert_str_eq(snorm_isa_name(SNORM_ISA_AVX512), "avx512");
    ck_assert_str_eq(snorm_isa_name(SNORM_ISA_NEON), "neon");
    ck_assert_str_eq(snorm_isa_name(SNORM_ISA_COUNT), "unknown");
    ck_assert_str_eq(snorm_isa_name((snorm_isa)-1), "unknown");
    ck_assert(snorm_isa_runnable(SNORM_ISA_SCALAR));
    ck_assert(!snorm_isa_runnable(SNORM_ISA_COUNT));
    ck_assert(!snorm_isa_supported((snorm_isa)-1));
}
END_TEST

/* ---- training: running statistics
 * ------------------------------------------------------------------ */

/* x = {1, 2, 3, 4} in one channel: batch mean 2.5, biased var 1.25,
 * unbiased 5/3. */
static const float train_x[4] = {1.0f, 2.0f, 3.0f, 4.0f};

static void train_once(const float *x, size_t n_s, float momentum, float *rm, float *rv, float *y,
                       float *bm, float *bv) {
    snorm_shape sh = {SNORM_LAYOUT_NCHW, 1, 1, n_s};
    ck_assert_int_eq(snorm_batchnorm_training(x, y, sh, NULL, NULL, 0.0f, momentum, rm, rv, bm, bv),
                     SNORM_OK);
}

START_TEST(training_running_formula) {
    float rm = 0.5f, rv = 1.0f, y[4], bm, bv;
    train_once(train_x, 4, 0.5f, &rm, &rv, y, &bm, &bv);
    ck_assert_float_eq(bm, 2.5f);
    ck_assert_float_eq(bv, 1.25f);
    ck_assert_float_eq(rm, 1.5f); /* 0.5·0.5 + 0.5·2.5, exact */
    /* 0.5·1 + 0.5·5/3 = 4/3, rounded once: within ½ ulp of 4/3. */
    ck_assert_double_le(fabs((double)rv - 4.0 / 3.0), 0.5 * t_ulpf(4.0 / 3.0));
    /* y = (x − 2.5)/√1.25 (gamma 1, beta 0, eps 0), ≤ 3 ulp of |a·x| + |b|
     * (the batch-norm bound of test_kernels.c). */
    double a = 1.0 / sqrt(1.25), b = -2.5 * a;
    for (int k = 0; k < 4; k++) {
        double ref = (train_x[k] - 2.5) * a;
        ck_assert_double_le(t_ulp_err(y[k], ref, fabs(a * train_x[k]) + fabs(b)), 3.0);
    }
}
END_TEST

START_TEST(training_momentum_0_and_1) {
    float rm = 0.75f, rv = 3.0f, y[4], bm, bv;
    train_once(train_x, 4, 0.0f, &rm, &rv, y, &bm, &bv);
    ck_assert(rm == 0.75f && rv == 3.0f); /* momentum 0: running stats kept exactly */
    train_once(train_x, 4, 1.0f, &rm, &rv, y, &bm, &bv);
    ck_assert_float_eq(rm, bm); /* momentum 1: replaced by the batch statistics */
    ck_assert_float_eq(rv, (float)((double)bv * 4.0 / 3.0));
}
END_TEST

START_TEST(training_single_element) {
    /* m = n·s = 1: the unbiased variance is undefined, running_var stays. */
    float x = 7.0f, y, rm = 1.0f, rv = 2.0f, bm, bv;
    train_once(&x, 1, 0.25f, &rm, &rv, &y, &bm, &bv);
    ck_assert_float_eq(bm, 7.0f);
    ck_assert_float_eq(bv, 0.0f);
    ck_assert_float_eq(rm, 2.5f); /* 0.75·1 + 0.25·7 */
    ck_assert_float_eq(rv, 2.0f);
}
END_TEST

START_TEST(training_batch_outputs_optional) {
    float rm1 = 0.5f, rv1 = 1.0f, rm2 = 0.5f, rv2 = 1.0f, y1[4], y2[4], bm, bv;
    train_once(train_x, 4, 0.1f, &rm1, &rv1, y1, &bm, &bv);
    train_once(train_x, 4, 0.1f, &rm2, &rv2, y2, NULL, NULL);
    ck_assert_mem_eq(y1, y2, sizeof y1);
    ck_assert(rm1 == rm2 && rv1 == rv2);
    /* and without running statistics at all */
    train_once(train_x, 4, 0.1f, NULL, NULL, y2, NULL, NULL);
    ck_assert_mem_eq(y1, y2, sizeof y1);
}
END_TEST

/* ---- suite
 * ---------------------------------------------------------------------------------------- */

int main(void) {
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("table");
    tcase_add_loop_test(tc, api_table, 0, N_CASES);
    suite_add_tcase(s, tc);
    tc = tcase_create("names");
    tcase_add_test(tc, status_strings);
    tcase_add_test(tc, isa_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("training");
    tcase_add_test(tc, training_running_formula);
    tcase_add_test(tc, training_momentum_0_and_1);
    tcase_add_test(tc, training_single_element);
    tcase_add_test(tc, training_batch_outputs_optional);
    suite_add_tcase(s, tc);

    return run_suite(s);
}
