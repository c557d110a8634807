/*
 * Cross-validation of every runnable variant (native and SIMDe-emulated)
 * against the float64 oracle (oracle.c) and against the scalar variant, for
 * every kernel family in both layouts, through the public snorm_*_isa
 * entries.
 *
 * Tolerances (each the bound the math allows, see simdnorm.h):
 *
 *   scale_shift  ≤ 1.5 ulp of V = |scale·x| + |shift| vs the oracle. Unfused,
 *                the product rounds (≤ ½ ulp(V)) and the sum rounds (≤ ½ ulp
 *                of |fl(scale·x) + shift|, which may have crossed into the
 *                next binade: ≤ 1 ulp(V)); fused, one rounding (≤ ½ ulp).
 *                Vs scalar: 2 ulp, the header's FMA-vs-unfused contract.
 *   l2norm       ≤ 4 ulp of the exact result (the header's bound: float
 *                sum of squares, its square root and reciprocal, the scale
 *                and the final product). Vs scalar: 8 ulp (both within 4 of
 *                the exact value).
 *   moments      the header's bar: |var − var₆₄| ≤ 1e-5·var₆₄ and
 *                |mean − mean₆₄| ≤ 1e-6·(|mean₆₄| + std₆₄) against a float64
 *                two-pass over the same float data. Vs scalar: twice the bar.
 *   fold         computed in double, rounded once to float: ≤ ½ ulp plus
 *                double error, tested as ≤ 1 ulp.
 *   batch-norm   inference folds into float a, b: |δa·x| ≤ ½ ulp(a)·|x| <
 *   inference    1 ulp(a·x), |δb| ≤ ½ ulp(b); scale_shift adds ≤ 1.5 ulp: so
 *                < 3 ulp of |a·x| + |b| (a, b exact) vs the oracle; vs scalar
 *                2 ulp (same float a, b; FMA only).
 *   batch-norm   batch statistics: the moments bar; y: the inference bound
 *   training     given those statistics; running stats: computed in double
 *                from the float batch statistics, rounded once: ≤ 1 ulp.
 *
 * A variant that is not runnable here is skipped with a printed message.
 */
#include <check.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "oracle.h"
#include "run_suite.h"
#include "simdnorm.h"

#define TOL_SCALE_SHIFT 1.5   /* vs the oracle */
#define TOL_FMA_VS_SCALAR 2.0 /* vs the scalar variant */
#define TOL_L2NORM 4.0
#define TOL_FOLD 1.0
#define TOL_BN 3.0
#define TOL_RUNNING 1.0
#define BAR_VAR 1e-5
#define BAR_MEAN 1e-6

/* ---- reporting ------------------------------------------------------------- */

/* Counts failed element checks and keeps the first one's description. */
typedef struct tally {
    size_t bad;
    char first[400];
} tally;

static void note(tally *t, int ok, const char *fmt, ...) {
    if (ok) {
        return;
    }
    if (t->bad++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(t->first, sizeof t->first, fmt, ap);
        va_end(ap);
    }
}

/* Largest error seen by the running test, printed once at its end so that
 * the log records how close each variant comes to its bound. */
static double worst_err;

static double track(double err) {
    if (err > worst_err && isfinite(err)) {
        worst_err = err;
    }
    return err;
}

static int skip_isa(snorm_isa isa) {
    worst_err = 0.0;
    if (!snorm_isa_runnable(isa)) {
        printf("SKIP: variant '%s' (%d) is not runnable on this host\n", snorm_isa_name(isa),
               (int)isa);
        fflush(stdout);
        return 1;
    }
    return 0;
}

static void report(const char *family, snorm_isa isa, const char *unit) {
    printf("%s/%s: worst error %.3g %s\n", family, snorm_isa_name(isa), worst_err, unit);
    fflush(stdout);
}

/* ---- one call of one variant, set up as the case asks ----------------------- */

typedef struct kcase {
    snorm_isa isa;
    snorm_shape sh;
    size_t mis;   /* every pointer displaced by this many floats */
    int in_place; /* y == x */
} kcase;

static size_t count_of(snorm_shape sh) { return sh.n * sh.c * sh.s; }

static void describe(char *out, size_t len, const kcase *k) {
    snprintf(out, len, "isa=%s %s n=%zu c=%zu s=%zu mis=%zu inplace=%d", snorm_isa_name(k->isa),
             k->sh.layout == SNORM_LAYOUT_NCHW ? "NCHW" : "NHWC", k->sh.n, k->sh.c, k->sh.s, k->mis,
             k->in_place);
}

/* A guarded copy of src (n floats), or a guarded buffer of sentinel values. */
static t_buf guarded_copy(const float *src, size_t n, size_t mis) {
    t_buf b = t_buf_alloc(n, mis);
    for (size_t i = 0; i < n; i++) {
        b.p[i] = src ? src[i] : -12345.0f;
    }
    return b;
}

static void *xmalloc(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    ck_assert_ptr_nonnull(p);
    return p;
}

/* Guarded, possibly NULL, per-channel parameter array. */
typedef struct param {
    t_buf b;
    const float *p;
} param;

static param param_copy(const float *src, size_t c, size_t mis) {
    param q;
    memset(&q, 0, sizeof q);
    if (src) {
        q.b = guarded_copy(src, c, mis);
        q.p = q.b.p;
    }
    return q;
}

/* The parameter is untouched (contents and guards); frees it. */
static void param_done(param *q, const float *src, size_t c, tally *t, const char *what) {
    if (!q->p) {
        return;
    }
    note(t, t_buf_intact(&q->b) && memcmp(q->b.p, src, c * sizeof(float)) == 0,
         "input %s modified or guard overwritten", what);
    t_buf_free(&q->b);
}

static void buf_guard(const t_buf *b, tally *t, const char *what) {
    note(t, t_buf_intact(b), "guard canary of %s overwritten", what);
}

/* ---- scale_shift ----------------------------------------------------------- */

static void check_scale_shift(const kcase *k, const float *x, const float *scale,
                              const float *shift, float lo, float hi) {
    char desc[160];
    tally t = {0};
    size_t n = count_of(k->sh), c = k->sh.c;
    describe(desc, sizeof desc, k);

    double *ref = xmalloc(n * sizeof(double)), *mag = xmalloc(n * sizeof(double));
    oracle_scale_shift(x, k->sh, scale, shift, lo, hi, ref, mag);
    float *ysc = xmalloc(n * sizeof(float));
    ck_assert_int_eq(snorm_scale_shift_isa(SNORM_ISA_SCALAR, x, ysc, k->sh, scale, shift, lo, hi),
                     SNORM_OK);

    t_buf xb = guarded_copy(x, n, k->mis);
    t_buf yb = k->in_place ? xb : guarded_copy(NULL, n, k->mis);
    param sb = param_copy(scale, c, k->mis), hb = param_copy(shift, c, k->mis);
    snorm_status st = snorm_scale_shift_isa(k->isa, xb.p, yb.p, k->sh, sb.p, hb.p, lo, hi);
    ck_assert_msg(st == SNORM_OK, "%s: status %d", desc, (int)st);

    for (size_t e = 0; e < n; e++) {
        float y = yb.p[e];
        double err = track(t_ulp_err(y, ref[e], mag[e]));
        note(&t, err <= TOL_SCALE_SHIFT, "e=%zu x=%a y=%a oracle=%a err=%.3g ulp", e, x[e], y,
             ref[e], err);
        err = t_ulp_err(y, ysc[e], mag[e]);
        note(&t, err <= TOL_FMA_VS_SCALAR, "e=%zu y=%a scalar=%a err=%.3g ulp", e, y, ysc[e], err);
    }
    buf_guard(&xb, &t, "x");
    buf_guard(&yb, &t, "y");
    if (!k->in_place) {
        note(&t, memcmp(xb.p, x, n * sizeof(float)) == 0, "input x modified");
        t_buf_free(&yb);
    }
    param_done(&sb, scale, c, &t, "scale");
    param_done(&hb, shift, c, &t, "shift");
    t_buf_free(&xb);
    free(ref);
    free(mag);
    free(ysc);
    ck_assert_msg(t.bad == 0, "scale_shift %s: %zu failures, first: %s", desc, t.bad, t.first);
}

/* ---- l2norm ----------------------------------------------------------------- */

static void check_l2norm(const kcase *k, const float *x, const float *scale, float eps,
                         snorm_eps_mode mode) {
    char desc[200];
    tally t = {0};
    size_t n = count_of(k->sh), c = k->sh.c;
    describe(desc, sizeof desc, k);
    snprintf(desc + strlen(desc), sizeof desc - strlen(desc), " eps=%g mode=%d scale=%s",
             (double)eps, (int)mode, scale ? "yes" : "NULL");

    double *ref = xmalloc(n * sizeof(double));
    oracle_l2norm(x, k->sh, scale, eps, mode, ref);
    float *ysc = xmalloc(n * sizeof(float));
    ck_assert_int_eq(snorm_l2norm_isa(SNORM_ISA_SCALAR, x, ysc, k->sh, scale, eps, mode), SNORM_OK);

    t_buf xb = guarded_copy(x, n, k->mis);
    t_buf yb = k->in_place ? xb : guarded_copy(NULL, n, k->mis);
    param sb = param_copy(scale, c, k->mis);
    snorm_status st = snorm_l2norm_isa(k->isa, xb.p, yb.p, k->sh, sb.p, eps, mode);
    ck_assert_msg(st == SNORM_OK, "%s: status %d", desc, (int)st);

    for (size_t e = 0; e < n; e++) {
        float y = yb.p[e];
        double err = track(t_ulp_err(y, ref[e], ref[e]));
        note(&t, err <= TOL_L2NORM, "e=%zu x=%a y=%a oracle=%a err=%.3g ulp", e, x[e], y, ref[e],
             err);
        err = t_ulp_err(y, ysc[e], ref[e]);
        note(&t, err <= 2 * TOL_L2NORM, "e=%zu y=%a scalar=%a err=%.3g ulp", e, y, ysc[e], err);
    }
    buf_guard(&xb, &t, "x");
    buf_guard(&yb, &t, "y");
    if (!k->in_place) {
        note(&t, memcmp(xb.p, x, n * sizeof(float)) == 0, "input x modified");
        t_buf_free(&yb);
    }
    param_done(&sb, scale, c, &t, "scale");
    t_buf_free(&xb);
    free(ref);
    free(ysc);
    ck_assert_msg(t.bad == 0, "l2norm %s: %zu failures, first: %s", desc, t.bad, t.first);
}

/* ---- moments ------------------------------------------------------------------ */

/* The header's bar for one channel; err_scale 1 vs the oracle, 2 vs scalar. */
static void moments_bar(tally *t, size_t j, float mean, float var, double ref_mean, double ref_var,
                        double vs_mean, double vs_var, double err_scale, const char *vs) {
    if (isnan(ref_mean) || isnan(ref_var)) {
        note(t, isnan(mean) && isnan(var), "j=%zu: NaN channel gave mean=%a var=%a", j, mean, var);
        return;
    }
    double std = sqrt(ref_var);
    double emean = fabs(mean - vs_mean) / (fabs(ref_mean) + std);
    double evar = ref_var > 0 ? fabs(var - vs_var) / ref_var : fabs(var - vs_var);
    if (err_scale == 1.0) {
        track(evar);
        track(emean * (BAR_VAR / BAR_MEAN));
    }
    note(t, emean <= err_scale * BAR_MEAN || (ref_var == 0 && mean == vs_mean),
         "j=%zu mean=%.9g %s=%.17g rel.err %.3g (mean + std)", j, mean, vs, vs_mean, emean);
    note(t, evar <= err_scale * BAR_VAR && !(ref_var == 0 && var != vs_var),
         "j=%zu var=%.9g %s=%.17g rel.err %.3g", j, var, vs, vs_var, evar);
}

static void check_moments(const kcase *k, const float *x) {
    char desc[160];
    tally t = {0};
    size_t n = count_of(k->sh), c = k->sh.c;
    describe(desc, sizeof desc, k);

    double *rm = xmalloc(c * sizeof(double)), *rv = xmalloc(c * sizeof(double));
    oracle_moments(x, k->sh, rm, rv);
    float *sm = xmalloc(c * sizeof(float)), *sv = xmalloc(c * sizeof(float));
    ck_assert_int_eq(snorm_channel_moments_isa(SNORM_ISA_SCALAR, x, k->sh, sm, sv), SNORM_OK);

    t_buf xb = guarded_copy(x, n, k->mis);
    t_buf mb = guarded_copy(NULL, c, k->mis), vb = guarded_copy(NULL, c, k->mis);
    snorm_status st = snorm_channel_moments_isa(k->isa, xb.p, k->sh, mb.p, vb.p);
    ck_assert_msg(st == SNORM_OK, "%s: status %d", desc, (int)st);

    for (size_t j = 0; j < c; j++) {
        moments_bar(&t, j, mb.p[j], vb.p[j], rm[j], rv[j], rm[j], rv[j], 1.0, "oracle");
        moments_bar(&t, j, mb.p[j], vb.p[j], rm[j], rv[j], sm[j], sv[j], 2.0, "scalar");
    }
    buf_guard(&xb, &t, "x");
    buf_guard(&mb, &t, "mean");
    buf_guard(&vb, &t, "var");
    note(&t, memcmp(xb.p, x, n * sizeof(float)) == 0, "input x modified");
    t_buf_free(&xb);
    t_buf_free(&mb);
    t_buf_free(&vb);
    free(rm);
    free(rv);
    free(sm);
    free(sv);
    ck_assert_msg(t.bad == 0, "moments %s: %zu failures, first: %s", desc, t.bad, t.first);
}

/* ---- batch-norm inference ------------------------------------------------------ */

typedef struct bn_params {
    const float *mean, *var, *gamma, *beta;
    float eps, lo, hi;
} bn_params;

static void check_bn_inference(const kcase *k, const float *x, const bn_params *p) {
    char desc[200];
    tally t = {0};
    size_t n = count_of(k->sh), c = k->sh.c;
    describe(desc, sizeof desc, k);
    snprintf(desc + strlen(desc), sizeof desc - strlen(desc), " gamma=%s beta=%s lo=%g hi=%g",
             p->gamma ? "yes" : "NULL", p->beta ? "yes" : "NULL", (double)p->lo, (double)p->hi);

    double *ref = xmalloc(n * sizeof(double)), *mag = xmalloc(n * sizeof(double));
    oracle_bn_inference(x, k->sh, p->mean, p->var, p->gamma, p->beta, p->eps, p->lo, p->hi, ref,
                        mag);
    float *ysc = xmalloc(n * sizeof(float));
    ck_assert_int_eq(snorm_batchnorm_inference_isa(SNORM_ISA_SCALAR, x, ysc, k->sh, p->mean, p->var,
                                                   p->gamma, p->beta, p->eps, p->lo, p->hi),
                     SNORM_OK);

    t_buf xb = guarded_copy(x, n, k->mis);
    t_buf yb = k->in_place ? xb : guarded_copy(NULL, n, k->mis);
    param mb = param_copy(p->mean, c, k->mis), vb = param_copy(p->var, c, k->mis);
    param gb = param_copy(p->gamma, c, k->mis), bb = param_copy(p->beta, c, k->mis);
    snorm_status st = snorm_batchnorm_inference_isa(k->isa, xb.p, yb.p, k->sh, mb.p, vb.p, gb.p,
                                                    bb.p, p->eps, p->lo, p->hi);
    ck_assert_msg(st == SNORM_OK, "%s: status %d", desc, (int)st);

    for (size_t e = 0; e < n; e++) {
        float y = yb.p[e];
        double err = track(t_ulp_err(y, ref[e], mag[e]));
        note(&t, err <= TOL_BN, "e=%zu x=%a y=%a oracle=%a err=%.3g ulp", e, x[e], y, ref[e], err);
        err = t_ulp_err(y, ysc[e], mag[e]);
        note(&t, err <= TOL_FMA_VS_SCALAR, "e=%zu y=%a scalar=%a err=%.3g ulp", e, y, ysc[e], err);
    }
    buf_guard(&xb, &t, "x");
    buf_guard(&yb, &t, "y");
    if (!k->in_place) {
        note(&t, memcmp(xb.p, x, n * sizeof(float)) == 0, "input x modified");
        t_buf_free(&yb);
    }
    param_done(&mb, p->mean, c, &t, "mean");
    param_done(&vb, p->var, c, &t, "var");
    param_done(&gb, p->gamma, c, &t, "gamma");
    param_done(&bb, p->beta, c, &t, "beta");
    t_buf_free(&xb);
    free(ref);
    free(mag);
    free(ysc);
    ck_assert_msg(t.bad == 0, "bn_inference %s: %zu failures, first: %s", desc, t.bad, t.first);
}

/* ---- batch-norm training --------------------------------------------------------- */

typedef struct bn_train {
    const float *gamma, *beta;
    float eps, momentum;
    const float *running_mean, *running_var; /* initial values; NULL = not tracked */
} bn_train;

/* The outputs of one training call on guarded copies of its inputs. */
typedef struct train_run {
    t_buf x, y, rm, rv, bm, bv;
    param g, b;
} train_run;

static void train_call(const kcase *k, const float *x, const bn_train *p, int batch_out,
                       train_run *r, tally *t) {
    size_t n = count_of(k->sh), c = k->sh.c;
    memset(r, 0, sizeof *r);
    r->x = guarded_copy(x, n, k->mis);
    r->y = k->in_place ? r->x : guarded_copy(NULL, n, k->mis);
    r->g = param_copy(p->gamma, c, k->mis);
    r->b = param_copy(p->beta, c, k->mis);
    if (p->running_mean) {
        r->rm = guarded_copy(p->running_mean, c, k->mis);
        r->rv = guarded_copy(p->running_var, c, k->mis);
    }
    if (batch_out) {
        r->bm = guarded_copy(NULL, c, k->mis);
        r->bv = guarded_copy(NULL, c, k->mis);
    }
    snorm_status st =
        snorm_batchnorm_training_isa(k->isa, r->x.p, r->y.p, k->sh, r->g.p, r->b.p, p->eps,
                                     p->momentum, r->rm.p, r->rv.p, r->bm.p, r->bv.p);
    note(t, st == SNORM_OK, "status %d (batch_out=%d)", (int)st, batch_out);
    buf_guard(&r->x, t, "x");
    buf_guard(&r->y, t, "y");
    if (!k->in_place) {
        note(t, memcmp(r->x.p, x, n * sizeof(float)) == 0, "input x modified");
    }
    param_done(&r->g, p->gamma, c, t, "gamma");
    param_done(&r->b, p->beta, c, t, "beta");
    if (r->rm.p) {
        buf_guard(&r->rm, t, "running_mean");
        buf_guard(&r->rv, t, "running_var");
    }
    if (r->bm.p) {
        buf_guard(&r->bm, t, "batch_mean");
        buf_guard(&r->bv, t, "batch_var");
    }
}

static void train_free(const kcase *k, train_run *r) {
    if (!k->in_place) {
        t_buf_free(&r->y);
    }
    t_buf_free(&r->x);
    if (r->rm.p) {
        t_buf_free(&r->rm);
        t_buf_free(&r->rv);
    }
    if (r->bm.p) {
        t_buf_free(&r->bm);
        t_buf_free(&r->bv);
    }
}

/* Run A returns the batch statistics and is checked against the oracle;
 * run B passes NULL for them and must give bit-identical y and running
 * statistics (returning the statistics must not change the computation). */
static void check_bn_training(const kcase *k, const float *x, const bn_train *p) {
    char desc[220];
    tally t = {0};
    size_t n = count_of(k->sh), c = k->sh.c, m = k->sh.n * k->sh.s;
    describe(desc, sizeof desc, k);
    snprintf(desc + strlen(desc), sizeof desc - strlen(desc),
             " gamma=%s beta=%s running=%s momentum=%g", p->gamma ? "yes" : "NULL",
             p->beta ? "yes" : "NULL", p->running_mean ? "yes" : "NULL", (double)p->momentum);

    double *om = xmalloc(c * sizeof(double)), *ov = xmalloc(c * sizeof(double));
    oracle_moments(x, k->sh, om, ov);
    float *sm = xmalloc(c * sizeof(float)), *sv = xmalloc(c * sizeof(float));
    float *ysc = xmalloc(n * sizeof(float));
    ck_assert_int_eq(snorm_batchnorm_training_isa(SNORM_ISA_SCALAR, x, ysc, k->sh, p->gamma,
                                                  p->beta, p->eps, p->momentum, NULL, NULL, sm, sv),
                     SNORM_OK);

    train_run a, b;
    train_call(k, x, p, 1, &a, &t);
    train_call(k, x, p, 0, &b, &t);
    ck_assert_msg(t.bad == 0, "bn_training %s: %s", desc, t.first);
    const float *bm = a.bm.p, *bv = a.bv.p;
    for (size_t j = 0; j < c; j++) {
        moments_bar(&t, j, bm[j], bv[j], om[j], ov[j], om[j], ov[j], 1.0, "oracle");
        moments_bar(&t, j, bm[j], bv[j], om[j], ov[j], sm[j], sv[j], 2.0, "scalar");
    }

    /* y against the oracle given the statistics the variant computed. */
    double *ref = xmalloc(n * sizeof(double)), *mag = xmalloc(n * sizeof(double));
    oracle_bn_inference(x, k->sh, bm, bv, p->gamma, p->beta, p->eps, -INFINITY, INFINITY, ref, mag);
    for (size_t e = 0; e < n; e++) {
        double err = track(t_ulp_err(a.y.p[e], ref[e], mag[e]));
        note(&t, err <= TOL_BN, "e=%zu x=%a y=%a oracle=%a err=%.3g ulp", e, x[e], a.y.p[e], ref[e],
             err);
        note(&t, t_same_float(a.y.p[e], b.y.p[e]), "e=%zu y=%a but %a without batch outputs", e,
             a.y.p[e], b.y.p[e]);
    }
    if (p->running_mean) {
        double *nm = xmalloc(c * sizeof(double)), *nv = xmalloc(c * sizeof(double));
        oracle_running(c, m, p->momentum, bm, bv, p->running_mean, p->running_var, nm, nv);
        for (size_t j = 0; j < c; j++) {
            double em = t_ulp_err(a.rm.p[j], nm[j], nm[j]), ev = t_ulp_err(a.rv.p[j], nv[j], nv[j]);
            note(&t, em <= TOL_RUNNING, "j=%zu running_mean=%a oracle=%a err=%.3g ulp", j,
                 a.rm.p[j], nm[j], em);
            note(&t, ev <= TOL_RUNNING, "j=%zu running_var=%a oracle=%a err=%.3g ulp", j, a.rv.p[j],
                 nv[j], ev);
            note(&t, m > 1 || t_same_float(a.rv.p[j], p->running_var[j]),
                 "j=%zu m=1 must leave running_var unchanged: %a -> %a", j, p->running_var[j],
                 a.rv.p[j]);
            note(&t, t_same_float(a.rm.p[j], b.rm.p[j]) && t_same_float(a.rv.p[j], b.rv.p[j]),
                 "j=%zu running stats differ without batch outputs", j);
        }
        free(nm);
        free(nv);
    }
    train_free(k, &a);
    train_free(k, &b);
    free(ref);
    free(mag);
    free(om);
    free(ov);
    free(sm);
    free(sv);
    free(ysc);
    ck_assert_msg(t.bad == 0, "bn_training %s: %zu failures, first: %s", desc, t.bad, t.first);
}

/* ---- shapes and data ---------------------------------------------------------------- */

/* Around 1…5× every vector width (4, 8, 16) and 32, ±1, plus primes. */
static const size_t sweep_sizes[] = {1,  2,  3,  4,  5,  7,  8,   9,   11,  12,  13,  15, 16, 17,
                                     19, 20, 23, 24, 25, 31, 32,  33,  40,  47,  48,  49, 63, 64,
                                     65, 79, 80, 81, 96, 97, 127, 128, 129, 159, 160, 161};
#define N_SWEEP (sizeof sweep_sizes / sizeof sweep_sizes[0])

/* Odd and typical shapes (n, c, s): 1×1×1, 1×17×13×11, small spatial
 * 7×7 and 14×14, and s < vector width (NCHW planes shorter than a vector).
 * 2×50×13: 26 NHWC rows of 3 vectors and 2 lanes on AVX-512, a batch of 16
 * rows and 10 left over (the sweep's 10 rows never fill a batch). 2×131×37:
 * NCHW images walked flat by l2norm on AVX-512 (planes of 3 vectors) and
 * AVX2 (5 vectors, 1/d in two chunks), 3 channels past the last block.
 * 1×21×1536: NCHW images in l2norm's bands (a band of 1024 positions and
 * one of 512; an odd channel count leaves a row out of the pairs). */
static const size_t fixed_shapes[][3] = {{1, 1, 1},    {1, 17, 143}, {2, 7, 13},   {3, 5, 49},
                                         {1, 32, 196}, {2, 64, 49},  {5, 3, 1},    {1, 2, 1031},
                                         {3, 37, 1},   {2, 100, 2},  {4, 33, 3},   {2, 9, 4},
                                         {2, 50, 13},  {2, 131, 37}, {1, 21, 1536}};
#define N_FIXED (sizeof fixed_shapes / sizeof fixed_shapes[0])
#define N_SHAPES (N_FIXED + 2 * N_SWEEP)

/* Shape number i of the sweep: the fixed ones, then each size v as the
 * spatial axis (n=1, c=3, s=v) and as the channel axis (n=2, c=v, s=5), so
 * that the contiguous axis of both layouts runs over every size. */
static snorm_shape sweep_shape(size_t i, snorm_layout layout) {
    snorm_shape sh = {layout, 0, 0, 0};
    if (i < N_FIXED) {
        sh.n = fixed_shapes[i][0];
        sh.c = fixed_shapes[i][1];
        sh.s = fixed_shapes[i][2];
    } else if (i < N_FIXED + N_SWEEP) {
        sh.n = 1;
        sh.c = 3;
        sh.s = sweep_sizes[i - N_FIXED];
    } else {
        sh.n = 2;
        sh.c = sweep_sizes[i - N_FIXED - N_SWEEP];
        sh.s = 5;
    }
    return sh;
}

/* Every shape is run aligned (cfg 0), misaligned by one float (1), and
 * misaligned in place (2); the streaming-store tests add aligned in place (3). */
static kcase make_case(snorm_isa isa, snorm_shape sh, int cfg) {
    kcase k = {isa, sh, cfg == 1 || cfg == 2 ? 1 : 0, cfg >= 2};
    return k;
}

/* The configurations of the 16 MiB streaming cases: aligned, misaligned in
 * place, aligned in place. */
static const int streamed_cfgs[3] = {0, 2, 3};

static float *random_floats(t_rng *r, size_t n, double lo, double hi) {
    float *p = xmalloc(n * sizeof(float));
    t_fill_uniform(r, p, n, lo, hi);
    return p;
}

static float *normal_floats(t_rng *r, size_t n, double mean, double std) {
    float *p = xmalloc(n * sizeof(float));
    t_fill_normal(r, p, n, mean, std);
    return p;
}

/* The bounds of the clamp: none, ReLU, ReLU6, and an upper bound alone
 * (the kernels specialize the first two; the last is only in the NaN/Inf
 * test, the others run across all shapes). */
static const float clamp_lo[4] = {-INFINITY, 0.0f, 0.0f, -INFINITY};
static const float clamp_hi[4] = {INFINITY, INFINITY, 6.0f, 1.0f};

/* ---- scale_shift tests ------------------------------------------------------------------ */

static void scale_shift_case(snorm_isa isa, snorm_shape sh, int cfg, unsigned variant, t_rng *r,
                             double x_std) {
    size_t c = sh.c;
    float *x = normal_floats(r, count_of(sh), 0.5, x_std);
    float *scale = random_floats(r, c, -2.0, 2.0);
    float *shift = random_floats(r, c, -1.0, 1.0);
    kcase k = make_case(isa, sh, cfg);
    unsigned clamp = variant % 3;
    int no_shift = (variant / 3) % 2;
    check_scale_shift(&k, x, scale, no_shift ? NULL : shift, clamp_lo[clamp], clamp_hi[clamp]);
    free(x);
    free(scale);
    free(shift);
}

START_TEST(scale_shift_shapes) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(1);
    unsigned variant = 0;
    for (int l = 0; l < 2; l++) {
        for (size_t i = 0; i < N_SHAPES; i++) {
            for (int cfg = 0; cfg < 3; cfg++) {
                scale_shift_case(isa, sweep_shape(i, (snorm_layout)l), cfg, variant++, &r, 4.0);
            }
        }
    }
    report("scale_shift", isa, "ulp of |scale*x|+|shift|");
}
END_TEST

/* NaN stays NaN through every clamp; ±Inf saturate like any large value. */
START_TEST(scale_shift_nan_inf) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(2);
    for (int l = 0; l < 2; l++) {
        snorm_shape sh = {(snorm_layout)l, 2, 19, 37};
        size_t n = count_of(sh);
        float *x = normal_floats(&r, n, 0.0, 8.0);
        float *scale = random_floats(&r, sh.c, -2.0, 2.0);
        float *shift = random_floats(&r, sh.c, -1.0, 1.0);
        for (size_t q = 0; q < 24; q++) {
            const float special[3] = {NAN, INFINITY, -INFINITY};
            x[t_rng_below(&r, n)] = special[q % 3];
        }
        for (unsigned clamp = 0; clamp < 4; clamp++) {
            for (int cfg = 0; cfg < 3; cfg++) {
                kcase k = make_case(isa, sh, cfg);
                check_scale_shift(&k, x, scale, clamp == 1 ? NULL : shift, clamp_lo[clamp],
                                  clamp_hi[clamp]);
            }
        }
        /* The clamp must not hide NaN: an explicit count besides the
         * element-wise comparison. */
        float *y = xmalloc(n * sizeof(float));
        ck_assert_int_eq(snorm_scale_shift_isa(isa, x, y, sh, scale, shift, 0.0f, 6.0f), SNORM_OK);
        size_t nan_in = 0, nan_out = 0;
        for (size_t e = 0; e < n; e++) {
            nan_in += isnan(x[e]) != 0;
            nan_out += isnan(y[e]) && isnan(x[e]);
        }
        ck_assert_uint_gt(nan_in, 0);
        ck_assert_uint_eq(nan_in, nan_out);
        free(y);
        free(x);
        free(scale);
        free(shift);
    }
    report("scale_shift", isa, "ulp (NaN/Inf)");
}
END_TEST

START_TEST(scale_shift_large) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(3);
    /* One large case per variant; the layout alternates across variants. */
    int l = (int)isa % 2;
    snorm_shape sh = {(snorm_layout)l, 2, 16, 32771}; /* ~1M elements */
    scale_shift_case(isa, sh, 1, (unsigned)l * 2 + 1, &r, 4.0);
    /* NHWC rows of 80 channels past 1 MiB, an odd count of them: a long
     * period on every vector width, walked in row pairs and one last row,
     * with the caller's a, b (aligned) and with aligned copies of them
     * (misaligned by a float). */
    snorm_shape wide = {SNORM_LAYOUT_NHWC, 1, 80, 3277};
    ck_assert_uint_ge(count_of(wide) * sizeof(float), (size_t)1 << 20);
    scale_shift_case(isa, wide, 0, 3, &r, 4.0);
    scale_shift_case(isa, wide, 1, 2, &r, 4.0);
    report("scale_shift", isa, "ulp (large)");
}
END_TEST

/* Outputs past SNORM_STREAM_BYTES take the streaming-store path: aligned,
 * aligned in place, and misaligned in place (NCHW streams after a head per
 * plane, NHWC falls back to ordinary stores), both layouts; s and c odd
 * against every vector width so that heads and tails occur. The guards of
 * check_scale_shift catch any write past the buffer. (Misaligned out of
 * place takes the same head logic: left out, 16 MiB cases are slow under
 * valgrind and qemu.) */
START_TEST(scale_shift_streamed) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(4);
    for (int l = 0; l < 2; l++) {
        snorm_shape sh = l == 0 ? (snorm_shape){SNORM_LAYOUT_NCHW, 1, 64, 65539}
                                : (snorm_shape){SNORM_LAYOUT_NHWC, 1, 48, 87383};
        ck_assert_uint_ge(count_of(sh) * sizeof(float), SNORM_STREAM_BYTES);
        for (size_t q = 0; q < 3; q++) {
            int cfg = streamed_cfgs[q];
            scale_shift_case(isa, sh, cfg, (unsigned)(cfg + 3 * l), &r, 4.0);
        }
    }
    /* NCHW planes of 3 floats go in groups of planes on every vector width
     * (scale_shift.inc), streamed when y is aligned: aligned, and aligned in
     * place; an odd c ends in a partial group. */
    snorm_shape groups = {SNORM_LAYOUT_NCHW, 1, 1398103, 3};
    ck_assert_uint_ge(count_of(groups) * sizeof(float), SNORM_STREAM_BYTES);
    scale_shift_case(isa, groups, 0, 7, &r, 4.0);
    scale_shift_case(isa, groups, 3, 8, &r, 4.0);
    report("scale_shift", isa, "ulp (streamed)");
}
END_TEST

/* ---- l2norm tests ---------------------------------------------------------------------------- */

static const float l2_eps[3] = {1e-10f, 1e-12f, 1e-6f};

static void l2norm_case(snorm_isa isa, snorm_shape sh, int cfg, unsigned variant, t_rng *r) {
    float *x = normal_floats(r, count_of(sh), 0.0, 1.0);
    float *scale = random_floats(r, sh.c, 0.5, 20.0);
    kcase k = make_case(isa, sh, cfg);
    snorm_eps_mode mode = (snorm_eps_mode)(variant % 3);
    int no_scale = (variant / 3) % 2;
    check_l2norm(&k, x, no_scale ? NULL : scale, l2_eps[(variant / 6) % 3], mode);
    free(x);
    free(scale);
}

START_TEST(l2norm_shapes) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(4);
    unsigned variant = 0;
    for (int l = 0; l < 2; l++) {
        for (size_t i = 0; i < N_SHAPES; i++) {
            for (int cfg = 0; cfg < 3; cfg++) {
                l2norm_case(isa, sweep_shape(i, (snorm_layout)l), cfg, variant++, &r);
            }
        }
    }
    report("l2norm", isa, "ulp");
}
END_TEST

/* Pixel p of x gets magnitude class p % 3: all zero, tiny (q ≪ eps for the
 * larger eps values) or ordinary. */
static float *l2_mixed_pixels(t_rng *r, snorm_shape sh) {
    float *x = xmalloc(count_of(sh) * sizeof(float));
    for (size_t i = 0; i < sh.n; i++) {
        for (size_t k = 0; k < sh.s; k++) {
            unsigned kind = (unsigned)((i * sh.s + k) % 3);
            for (size_t j = 0; j < sh.c; j++) {
                double v = kind == 0 ? 0.0 : t_rng_normal(r, 0.0, kind == 1 ? 1e-3 : 1.0);
                x[t_index(sh.layout, sh.c, sh.s, i, j, k)] = (float)v;
            }
        }
    }
    return x;
}

/* Every eps mode with eps = 0 (zero pixels → NaN, as 0/0), small eps, and
 * eps larger than q (tiny pixels are then divided by √eps or eps). */
START_TEST(l2norm_eps_modes) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    static const float eps_values[] = {0.0f, 1e-12f, 1e-3f, 10.0f};
    /* 1×3×211: NHWC batches of 16 rows of 3 floats as 3 vectors (dense_tables),
     * and of 13 (AVX2) and 20 floats (AVX-512) with a whole vector each;
     * 1×130×21: NCHW images walked flat on every ISA; 1×20×512: NCHW bands;
     * 1×2×100, 1×4×70, 1×5×80 (and 1×3×211): NHWC batches transposed on
     * AVX-512; 1×100×20: NHWC batches of rows of 6 vectors and 4 floats on
     * AVX-512; 1×256×373 and 2×257×150: NCHW wide tiles (256 channels or
     * more), several in a row and then a part tile of 7 (AVX-512), 6 (AVX2)
     * or 5 (SSE4.1) vectors and a partial one; one tile, an odd c, n = 2;
     * 1×600×10 and 1×1100×5: NHWC rows of 2 KiB or more, pipelined (row r's
     * pass 2 beside r + 1's pass 1), whose zero pixels leave every third row
     * to the reference path when eps = 0 (scales copied below 1024
     * channels, multiplied per vector above) */
    static const size_t shapes[][3] = {
        {2, 13, 37},  {1, 67, 9},  {3, 1, 5},     {1, 3, 211},   {1, 13, 211},
        {1, 20, 70},  {1, 130, 21}, {1, 20, 512},  {1, 2, 100},   {1, 4, 70},
        {1, 5, 80},   {1, 100, 20}, {1, 256, 373}, {2, 257, 150}, {1, 600, 10},
        {1, 1100, 5}};
    t_rng r = t_rng_seed(5);
    for (int l = 0; l < 2; l++) {
        for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
            snorm_shape sh = {(snorm_layout)l, shapes[si][0], shapes[si][1], shapes[si][2]};
            float *x = l2_mixed_pixels(&r, sh);
            float *scale = random_floats(&r, sh.c, -3.0, 3.0);
            for (int mode = 0; mode < 3; mode++) {
                for (size_t e = 0; e < 4; e++) {
                    kcase k = make_case(isa, sh, (int)((mode + e) % 3));
                    check_l2norm(&k, x, e % 2 ? scale : NULL, eps_values[e], (snorm_eps_mode)mode);
                }
            }
            free(x);
            free(scale);
        }
    }
    report("l2norm", isa, "ulp (eps modes)");
}
END_TEST

/* "q is accumulated without overflow or underflow for any finite float
 * input": magnitudes from subnormal to near FLT_MAX, eps = 0 so that the
 * result is scale-invariant, c = 1 (y = ±1) and c > 1; 1×100×40 and 1×44×40:
 * NHWC batches of rows of 5-8 vectors (AVX-512 resp. AVX2), whose range
 * check sends extreme magnitudes to the row-by-row path. */
START_TEST(l2norm_magnitudes) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    static const double mags[] = {1e18, 1e-18, 1e30, 1e-30, 1e38, 1e-38, 1e-41};
    static const size_t shapes[][3] = {{2, 37, 19},  {1, 1, 23},  {1, 300, 3},  {2, 5, 70},
                                       {1, 20, 512}, {1, 3, 100}, {1, 100, 40}, {1, 44, 40}};
    t_rng r = t_rng_seed(6);
    for (size_t mi = 0; mi < sizeof mags / sizeof mags[0]; mi++) {
        for (int l = 0; l < 2; l++) {
            for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
                snorm_shape sh = {(snorm_layout)l, shapes[si][0], shapes[si][1], shapes[si][2]};
                float *x = random_floats(&r, count_of(sh), -mags[mi], mags[mi]);
                float *scale = random_floats(&r, sh.c, 0.5, 2.0);
                for (int mode = 0; mode < 3; mode++) {
                    kcase k = make_case(isa, sh, mode);
                    check_l2norm(&k, x, mode == 1 ? NULL : scale, 0.0f, (snorm_eps_mode)mode);
                }
                free(x);
                free(scale);
            }
        }
    }
    report("l2norm", isa, "ulp (magnitudes)");
}
END_TEST

/* NaN anywhere in a pixel makes the whole pixel NaN; an infinite input
 * gives NaN in its channel and 0 in the others (the oracle's x·(1/∞)). */
START_TEST(l2norm_nan_inf) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(7);
    /* the third and fifth: NHWC rows of 6 and 13 floats, dense batches (a
     * whole vector and a partial one on SSE4.1 resp. AVX2); the fourth: NCHW
     * images walked flat on every ISA; the sixth: NCHW bands; the third and
     * seventh: NHWC batches of 6- and 3-channel rows, transposed on AVX-512;
     * the eighth and ninth: NHWC batches of rows of 5-8 vectors (100 channels
     * on AVX-512, 48 on AVX2; the second, 21 channels, on SSE4.1 and NEON);
     * the last: 64-channel rows in software-pipelined batches (five of 16
     * rows on AVX-512, ten of 8 on AVX2), a NaN in row 20 and an Inf in row
     * 70 only, so that good and failing batches alternate */
    for (int l = 0; l < 10; l++) {
        snorm_shape sh = l < 2    ? (snorm_shape){(snorm_layout)l, 2, 21, 35}
                         : l == 2 ? (snorm_shape){SNORM_LAYOUT_NHWC, 2, 6, 100}
                         : l == 3 ? (snorm_shape){SNORM_LAYOUT_NCHW, 2, 130, 9}
                         : l == 4 ? (snorm_shape){SNORM_LAYOUT_NHWC, 2, 13, 40}
                         : l == 5 ? (snorm_shape){SNORM_LAYOUT_NCHW, 1, 20, 1024}
                         : l == 6 ? (snorm_shape){SNORM_LAYOUT_NHWC, 2, 3, 100}
                         : l == 7 ? (snorm_shape){SNORM_LAYOUT_NHWC, 1, 100, 40}
                         : l == 8 ? (snorm_shape){SNORM_LAYOUT_NHWC, 1, 48, 40}
                                  : (snorm_shape){SNORM_LAYOUT_NHWC, 1, 64, 80};
        size_t n = count_of(sh);
        float *x = normal_floats(&r, n, 0.0, 1.0);
        float *scale = random_floats(&r, sh.c, 0.5, 2.0);
        if (l == 9) {
            x[20 * 64 + 5] = NAN;       /* row 20: batch 2 of 5 (AVX-512), 3 of 10 (AVX2) */
            x[70 * 64 + 63] = INFINITY; /* row 70: the last (AVX-512), 9 of 10 (AVX2) */
        }
        for (size_t q = 0; l < 9 && q < 12; q++) {
            const float special[3] = {NAN, INFINITY, -INFINITY};
            x[t_rng_below(&r, n)] = special[q % 3];
        }
        for (int mode = 0; mode < 3; mode++) {
            for (int cfg = 0; cfg < 3; cfg++) {
                kcase k = make_case(isa, sh, cfg);
                check_l2norm(&k, x, cfg == 1 ? NULL : scale, 1e-6f, (snorm_eps_mode)mode);
            }
        }
        free(x);
        free(scale);
    }
    report("l2norm", isa, "ulp (NaN/Inf)");
}
END_TEST

START_TEST(l2norm_large) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(8);
    /* One large case per variant; the layout alternates across variants. */
    int l = ((int)isa + 1) % 2;
    snorm_shape sh = {(snorm_layout)l, 1, 64, 16411}; /* ~1M elements */
    l2norm_case(isa, sh, 1, (unsigned)l * 4, &r);
    report("l2norm", isa, "ulp (large)");
}
END_TEST

/* Outputs past SNORM_STREAM_BYTES stream when every vector row is aligned:
 * NCHW planes of a multiple of 16 floats (with a partial 16-position tile:
 * 65552 = 1024·64 + 16; wide tiles on SSE4.1 and AVX2; 65 channels, so the
 * tiles end with an unpaired row), NHWC rows of 48 channels (short rows on
 * AVX-512, long rows elsewhere), NCHW planes of 65536 (bands, tiles on
 * AVX-512);
 * aligned and aligned in place (streamed) and misaligned in place (not
 * streamed), with a scale and without. */
START_TEST(l2norm_streamed) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(9);
    for (int l = 0; l < 3; l++) {
        snorm_shape sh = l == 0   ? (snorm_shape){SNORM_LAYOUT_NCHW, 1, 65, 65552}
                         : l == 1 ? (snorm_shape){SNORM_LAYOUT_NHWC, 1, 48, 87382}
                                  : (snorm_shape){SNORM_LAYOUT_NCHW, 1, 65, 65536};
        ck_assert_uint_ge(count_of(sh) * sizeof(float), SNORM_STREAM_BYTES);
        for (size_t q = 0; q < 3; q++) {
            int cfg = streamed_cfgs[q];
            l2norm_case(isa, sh, cfg, (unsigned)(cfg + 3 * l), &r);
        }
    }
    report("l2norm", isa, "ulp (streamed)");
}
END_TEST

/* ---- moments tests ----------------------------------------------------------------------------
 */

START_TEST(moments_shapes) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(9);
    for (int l = 0; l < 2; l++) {
        for (size_t i = 0; i < N_SHAPES; i++) {
            for (int cfg = 0; cfg < 2; cfg++) {
                snorm_shape sh = sweep_shape(i, (snorm_layout)l);
                float *x = normal_floats(&r, count_of(sh), 0.5, 2.0);
                kcase k = make_case(isa, sh, cfg);
                check_moments(&k, x);
                free(x);
            }
        }
    }
    /* NHWC rows wider than a register block (the segment walk,
     * moments_nhwc.inc): 1000 channels are one segment, 1100 segments of
     * 512, 512 and 76; 140 rows are two chunks. Channel 1's first 8 rows,
     * which give its first shift, sit 100 above the rest, so the first
     * chunk fails the shift check and its whole segment is summed again
     * around the chunk's means: this checks that second pass's results
     * (that pass breaking fails here), not its need — without it the
     * error stays inside the bound, as the shift comes from the data. */
    static const size_t seg_c[2] = {1000, 1100};
    for (size_t w = 0; w < 2; w++) {
        snorm_shape sh = {SNORM_LAYOUT_NHWC, 2, seg_c[w], 70};
        float *x = normal_floats(&r, count_of(sh), 0.5, 2.0);
        for (size_t row = 0; row < 8; row++) {
            x[row * sh.c + 1] += 100.0f;
        }
        kcase k = make_case(isa, sh, 1);
        check_moments(&k, x);
        free(x);
    }
    report("moments", isa, "(var rel. error; mean error scaled to the var bar)");
}
END_TEST

/* The header's adversarial data, short and long reductions (n·s up to 1e5,
 * crossing many chunks), both layouts. */
START_TEST(moments_adversarial) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    static const double dist[][2] = {{1e4, 1.0}, {1.0, 1e-4}, {-1e4, 1.0}};
    /* Then five NHWC rows of 5…8 whole vectors (one register block,
     * moments_nhwc.inc; with 32 registers past 1 MiB only: moments_large) —
     * 7 and 8 vectors on AVX2 and SSE4.1 — over more than one chunk of rows.
     * Then six NHWC rows of a few channels read as rows of 3·VW or 4·VW
     * (the pattern, moments_nhwc.inc): c = 1, 2, 6, 8, 12, 24, each with rows
     * left over and, for c ≤ 8, more than one chunk of pattern rows (2×3×1031
     * and 2×3×50021 take it too). Then NCHW batches of planes of 2…8 floats
     * (NHWC rows of VW channels' planes, moments_nchw.inc): c with and
     * without a rest past the multiple of VW, 130 images (two chunks), 5 images
     * of 2 floats (AVX-512 only: from 64/VW images for s ≤ 4); and of
     * 9…64 floats, 16 images or more (the image walk, moments_nchw.inc).
     * Last, NCHW planes walked as their channel groups' vectors
     * (flat_walk, moments_nchw.inc) on every ISA: one image of 1001
     * floats, a group of 16 channels and a partial one; 70 images of 131
     * floats, two chunks of images on every ISA. Then channel blocks of n > 1
     * (nchw_block, moments_nchw.inc): 70 channels of 131 floats, a block of
     * 64 and one of 6 whose last plane ends the buffer; 83 channels of 49
     * floats in 16 images, blocks of image-walked groups and the 3 left. */
    static const size_t shapes[][3] = {
        {2, 3, 1031}, {1, 33, 100},  {4, 17, 49},   {2, 3, 50021}, {3, 64, 61},  {2, 112, 70},
        {2, 28, 70},  {2, 56, 70},   {2, 32, 70},   {3, 1, 4099},  {1, 2, 9001}, {1, 6, 2053},
        {1, 8, 4097}, {2, 12, 1031}, {1, 24, 1027}, {33, 37, 2},   {32, 20, 5},  {40, 17, 8},
        {130, 16, 3}, {32, 48, 4},   {35, 32, 7},   {20, 33, 9},   {16, 16, 49}, {130, 17, 25},
        {17, 24, 64}, {5, 20, 2},    {1, 20, 1001}, {70, 18, 131}, {3, 70, 131}, {16, 83, 49}};
    t_rng r = t_rng_seed(10);
    for (size_t di = 0; di < 3; di++) {
        for (int l = 0; l < 2; l++) {
            for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
                if (si == 3 && di == 2) {
                    continue; /* the long reduction: the header's two cases suffice */
                }
                snorm_shape sh = {(snorm_layout)l, shapes[si][0], shapes[si][1], shapes[si][2]};
                float *x = normal_floats(&r, count_of(sh), dist[di][0], dist[di][1]);
                kcase k = make_case(isa, sh, (int)(si % 2));
                check_moments(&k, x);
                free(x);
            }
        }
    }
    report("moments", isa, "(adversarial; var rel. error)");
}
END_TEST

/* A NaN in a channel makes its mean and var NaN and leaves the others. */
START_TEST(moments_nan) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(11);
    /* the third: NHWC c = 3 as a pattern (moments_nhwc.inc); the fourth: NCHW
     * planes walked as their group's vectors (flat_walk, moments_nchw.inc),
     * with NaN as channel 2's first and channel 4's last element: the clean
     * channels 1 and 5 share a vector with them on every ISA */
    static const snorm_shape shapes[4] = {{SNORM_LAYOUT_NCHW, 3, 23, 29},
                                          {SNORM_LAYOUT_NHWC, 3, 23, 29},
                                          {SNORM_LAYOUT_NHWC, 1, 3, 3001},
                                          {SNORM_LAYOUT_NCHW, 1, 7, 131}};
    for (int l = 0; l < 4; l++) {
        snorm_shape sh = shapes[l];
        float *x = normal_floats(&r, count_of(sh), 1.0, 1.0);
        if (l == 3) {
            x[2 * sh.s] = NAN;
            x[5 * sh.s - 1] = NAN;
        } else {
            for (size_t q = 0; q < 5; q++) {
                x[t_rng_below(&r, count_of(sh))] = NAN;
            }
        }
        kcase k = make_case(isa, sh, 1);
        check_moments(&k, x);
        free(x);
    }
    report("moments", isa, "(NaN)");
}
END_TEST

START_TEST(moments_large) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(12);
    /* One large case per variant; the layout alternates across variants. */
    int l = (int)isa % 2;
    snorm_shape sh = {(snorm_layout)l, 1, 16, 65537}; /* ~1M elements */
    float *x = normal_floats(&r, count_of(sh), 3.0, 2.0);
    kcase k = make_case(isa, sh, 1);
    check_moments(&k, x);
    free(x);
    /* NHWC rows of 112 and 28 channels past 1 MiB: the register block of 7
     * vectors (moments_nhwc.inc) of AVX-512 and of NEON, which take it only
     * there (32 registers), over many chunks of rows. */
    static const size_t wide_c[2] = {112, 28}, wide_rows[2] = {2341, 9363};
    for (size_t w = 0; w < 2; w++) {
        snorm_shape wide = {SNORM_LAYOUT_NHWC, 1, wide_c[w], wide_rows[w]};
        ck_assert_uint_ge(count_of(wide) * sizeof(float), (size_t)1 << 20);
        x = normal_floats(&r, count_of(wide), -2.0, 0.5);
        k = make_case(isa, wide, 0);
        check_moments(&k, x);
        free(x);
    }
    report("moments", isa, "(large)");
}
END_TEST

/* ---- batch-norm tests
 * ------------------------------------------------------------------------------ */

/* Channel counts around the 1024-channel blocks batch-norm works in. */
static const size_t bn_block_c[] = {1023, 1024, 1025, 2100};
static const size_t bn_block_s[] = {7, 1, 3};

typedef struct bn_data {
    float *mean, *var, *gamma, *beta;
} bn_data;

static bn_data bn_random(t_rng *r, size_t c) {
    bn_data d = {normal_floats(r, c, 0.0, 2.0), random_floats(r, c, 0.01, 4.0),
                 random_floats(r, c, 0.5, 2.0), random_floats(r, c, -1.0, 1.0)};
    return d;
}

static void bn_free(bn_data *d) {
    free(d->mean);
    free(d->var);
    free(d->gamma);
    free(d->beta);
}

static void bn_inference_case(snorm_isa isa, snorm_shape sh, int cfg, unsigned variant, t_rng *r) {
    float *x = normal_floats(r, count_of(sh), 0.0, 3.0);
    bn_data d = bn_random(r, sh.c);
    unsigned clamp = variant % 3;
    bn_params p = {d.mean,
                   d.var,
                   (variant / 3) % 3 == 1 ? NULL : d.gamma,
                   (variant / 3) % 3 == 2 ? NULL : d.beta,
                   1e-5f,
                   clamp_lo[clamp],
                   clamp_hi[clamp]};
    kcase k = make_case(isa, sh, cfg);
    check_bn_inference(&k, x, &p);
    free(x);
    bn_free(&d);
}

START_TEST(bn_inference_shapes) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(13);
    unsigned variant = 0;
    for (int l = 0; l < 2; l++) {
        /* every other sweep shape keeps the run short; the sweep itself is
         * exercised fully by scale_shift_shapes */
        for (size_t i = 0; i < N_SHAPES; i += 2) {
            bn_inference_case(isa, sweep_shape(i, (snorm_layout)l), (int)(i / 2 % 3), variant++,
                              &r);
        }
        for (size_t b = 0; b < 4; b++) {
            for (int cfg = 0; cfg < 3; cfg++) {
                /* s = 1 and 3 give planes shorter than a vector in the
                 * channel slices */
                snorm_shape sh = {(snorm_layout)l, 2, bn_block_c[b], bn_block_s[cfg]};
                bn_inference_case(isa, sh, cfg, variant++, &r);
            }
        }
    }
    report("bn_inference", isa, "ulp of |a*x|+|b|");
}
END_TEST

START_TEST(bn_inference_large) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(14);
    /* One large case per variant; the layout alternates across variants. */
    int l = ((int)isa + 1) % 2;
    snorm_shape sh = {(snorm_layout)l, 2, 2100, 293}; /* ~1.2M elements, 3 blocks */
    bn_inference_case(isa, sh, 1, 4, &r);
    report("bn_inference", isa, "ulp (large)");
}
END_TEST

static void bn_training_case(snorm_isa isa, snorm_shape sh, int cfg, unsigned variant, t_rng *r) {
    static const float momenta[3] = {0.1f, 0.0f, 1.0f};
    float *x = normal_floats(r, count_of(sh), 2.0, 3.0);
    bn_data d = bn_random(r, sh.c);
    int running = (variant / 3) % 2 == 0;
    bn_train p = {(variant % 3) == 1 ? NULL : d.gamma,
                  (variant % 3) == 2 ? NULL : d.beta,
                  1e-5f,
                  momenta[(variant / 2) % 3],
                  running ? d.mean : NULL,
                  running ? d.var : NULL};
    kcase k = make_case(isa, sh, cfg);
    check_bn_training(&k, x, &p);
    free(x);
    bn_free(&d);
}

START_TEST(bn_training_shapes) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(15);
    unsigned variant = 0;
    for (int l = 0; l < 2; l++) {
        for (size_t i = 1; i < N_SHAPES; i += 2) {
            bn_training_case(isa, sweep_shape(i, (snorm_layout)l), (int)(i / 2 % 3), variant++, &r);
        }
        for (size_t b = 0; b < 4; b++) {
            for (int cfg = 0; cfg < 3; cfg++) {
                /* s = 1 and 3 give planes shorter than a vector in the
                 * channel slices */
                snorm_shape sh = {(snorm_layout)l, 2, bn_block_c[b], bn_block_s[cfg]};
                bn_training_case(isa, sh, cfg, variant++, &r);
            }
        }
        /* m = n·s = 1: running_var must stay, running_mean still moves. */
        for (unsigned v = 0; v < 3; v++) {
            snorm_shape sh = {(snorm_layout)l, 1, v == 2 ? 300 : 5, 1};
            bn_training_case(isa, sh, (int)v, v * 2, &r); /* running tracked */
        }
    }
    report("bn_training", isa, "ulp of |a*x|+|b|");
}
END_TEST

START_TEST(bn_training_large) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(16);
    /* One large case per variant; the layout alternates across variants. */
    int l = (int)isa % 2;
    snorm_shape sh = {(snorm_layout)l, 2, 1025, 509}; /* ~1M elements, 2 blocks */
    bn_training_case(isa, sh, 1, 0, &r);
    report("bn_training", isa, "ulp (large)");
}
END_TEST

/* NaN in x: NaN at that element (inference) or in the whole channel, its
 * batch statistics and running statistics (training); NaN in a channel's
 * var: NaN in that channel. The oracle computes all of it by the formula. */
START_TEST(bn_nan) {
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    t_rng r = t_rng_seed(19);
    for (int l = 0; l < 2; l++) {
        snorm_shape sh = {(snorm_layout)l, 2, 260, 3};
        size_t n = count_of(sh);
        float *x = normal_floats(&r, n, 0.0, 2.0);
        bn_data d = bn_random(&r, sh.c);
        for (size_t q = 0; q < 4; q++) {
            x[t_rng_below(&r, n)] = NAN;
        }
        d.var[t_rng_below(&r, sh.c)] = NAN;
        kcase k = make_case(isa, sh, 1);
        bn_params p = {d.mean, d.var, d.gamma, d.beta, 1e-5f, 0.0f, 6.0f};
        check_bn_inference(&k, x, &p);
        /* the NaN var doubles as a NaN running_var: it must stay NaN */
        bn_train tp = {d.gamma, d.beta, 1e-5f, 0.1f, d.mean, d.var};
        check_bn_training(&k, x, &tp);
        free(x);
        bn_free(&d);
    }
    report("bn", isa, "ulp (NaN)");
}
END_TEST

/* ---- fold: every variant against the oracle, and bit-identical to scalar ---------------- */

static void fold_check(size_t c, const float *mean, const float *var, const float *gamma,
                       const float *beta, float eps, const float *scale, const float *shift,
                       const char *what) {
    tally t = {0};
    double *a = xmalloc(c * sizeof(double)), *b = xmalloc(c * sizeof(double));
    oracle_fold(c, mean, var, gamma, beta, eps, a, b);
    for (size_t j = 0; j < c; j++) {
        double ea = track(t_ulp_err(scale[j], a[j], a[j]));
        double eb = track(t_ulp_err(shift[j], b[j], b[j]));
        note(&t, ea <= TOL_FOLD, "j=%zu scale=%a oracle=%a err=%.3g ulp", j, scale[j], a[j], ea);
        note(&t, eb <= TOL_FOLD, "j=%zu shift=%a oracle=%a err=%.3g ulp", j, shift[j], b[j], eb);
    }
    free(a);
    free(b);
    ck_assert_msg(t.bad == 0, "fold %s eps=%g: %zu failures, first: %s", what, (double)eps, t.bad,
                  t.first);
}

/* The same bits as the scalar variant (the vector folds do its double
 * operations lane-wise in its order), NaN for NaN: every c up to three
 * vectors of the widest ISA and a long one, so each tail length occurs,
 * with zero and negative variances among the values. */
static void fold_same_as_scalar(snorm_isa isa, t_rng *r) {
    for (size_t c = 1; c <= 49; c++) {
        size_t n = c < 49 ? c : 1000;
        bn_data d = bn_random(r, n);
        d.var[n / 2] = 0.0f;
        if (n > 2) {
            d.var[n - 1] = -1.0f;
        }
        for (int combo = 0; combo < 4; combo++) {
            const float *g = combo & 1 ? NULL : d.gamma, *b = combo & 2 ? NULL : d.beta;
            float eps = combo & 1 ? 0.0f : 1e-3f;
            float *sa = xmalloc(n * sizeof(float)), *ha = xmalloc(n * sizeof(float));
            float *sb = xmalloc(n * sizeof(float)), *hb = xmalloc(n * sizeof(float));
            ck_assert_int_eq(snorm_set_isa(SNORM_ISA_SCALAR), SNORM_OK);
            ck_assert_int_eq(snorm_fold_batchnorm(n, d.mean, d.var, g, b, eps, sa, ha), SNORM_OK);
            ck_assert_int_eq(snorm_set_isa(isa), SNORM_OK);
            ck_assert_int_eq(snorm_fold_batchnorm(n, d.mean, d.var, g, b, eps, sb, hb), SNORM_OK);
            for (size_t j = 0; j < n; j++) {
                int same_a = memcmp(&sa[j], &sb[j], sizeof(float)) == 0 ||
                             (isnan(sa[j]) && isnan(sb[j]));
                int same_h = memcmp(&ha[j], &hb[j], sizeof(float)) == 0 ||
                             (isnan(ha[j]) && isnan(hb[j]));
                ck_assert_msg(same_a && same_h,
                              "fold %s c=%zu combo=%d j=%zu: scale %a vs scalar %a, shift %a vs %a",
                              snorm_isa_name(isa), n, combo, j, sb[j], sa[j], hb[j], ha[j]);
            }
            free(sa);
            free(ha);
            free(sb);
            free(hb);
        }
        bn_free(&d);
    }
}

/* snorm_fold_batchnorm runs the active variant: each native one is made
 * active in turn (emulated ones, which snorm_set_isa refuses, are covered
 * through the batch-norm _isa tests and natively under qemu). */
START_TEST(fold_accuracy) {
    enum { C = 1000 };
    snorm_isa isa = (snorm_isa)_i;
    if (skip_isa(isa)) {
        return;
    }
    if (!snorm_isa_supported(isa)) {
        printf("SKIP: fold/%s: emulated here, and snorm_set_isa takes native variants only\n",
               snorm_isa_name(isa));
        return;
    }
    snorm_isa before = snorm_active_isa();
    t_rng r = t_rng_seed(17);
    fold_same_as_scalar(isa, &r);
    ck_assert_int_eq(snorm_set_isa(isa), SNORM_OK);
    bn_data d = bn_random(&r, C);
    d.var[0] = 0.0f; /* with eps = 0: infinite scale, as the formula gives */
    d.mean[1] = 0.0f;
    d.var[1] = 0.0f;
    for (int combo = 0; combo < 4; combo++) {
        const float *g = combo & 1 ? NULL : d.gamma, *b = combo & 2 ? NULL : d.beta;
        for (int e = 0; e < 2; e++) {
            float eps = e ? 1e-5f : 0.0f;
            t_buf sb = guarded_copy(NULL, C, 1), hb = guarded_copy(NULL, C, 1);
            ck_assert_int_eq(snorm_fold_batchnorm(C, d.mean, d.var, g, b, eps, sb.p, hb.p),
                             SNORM_OK);
            fold_check(C, d.mean, d.var, g, b, eps, sb.p, hb.p, "out of place");
            ck_assert(t_buf_intact(&sb) && t_buf_intact(&hb));
            t_buf_free(&sb);
            t_buf_free(&hb);
        }
    }
    /* Element-wise in place: scale/shift written over var/mean, then over
     * gamma/beta; results as out of place. */
    float *m2 = xmalloc(C * sizeof(float)), *v2 = xmalloc(C * sizeof(float));
    memcpy(m2, d.mean, C * sizeof(float));
    memcpy(v2, d.var, C * sizeof(float));
    ck_assert_int_eq(snorm_fold_batchnorm(C, m2, v2, d.gamma, d.beta, 1e-5f, v2, m2), SNORM_OK);
    fold_check(C, d.mean, d.var, d.gamma, d.beta, 1e-5f, v2, m2, "in place (var, mean)");
    float *g2 = xmalloc(C * sizeof(float)), *b2 = xmalloc(C * sizeof(float));
    memcpy(g2, d.gamma, C * sizeof(float));
    memcpy(b2, d.beta, C * sizeof(float));
    ck_assert_int_eq(snorm_fold_batchnorm(C, d.mean, d.var, g2, b2, 1e-5f, g2, b2), SNORM_OK);
    fold_check(C, d.mean, d.var, d.gamma, d.beta, 1e-5f, g2, b2, "in place (gamma, beta)");
    free(m2);
    free(v2);
    free(g2);
    free(b2);
    bn_free(&d);
    ck_assert_int_eq(snorm_set_isa(before), SNORM_OK);
    report("fold", isa, "ulp");
}
END_TEST

/* ---- the plain entries run the active variant ------------------------------------------- */

/* Bit-identical to the _isa entry of snorm_active_isa(), for every family
 * (the kernels are deterministic; the plain entries add only dispatch). */
START_TEST(plain_entries_use_active) {
    snorm_isa isa = snorm_active_isa();
    t_rng r = t_rng_seed(18);
    for (int l = 0; l < 2; l++) {
        snorm_shape sh = {(snorm_layout)l, 2, 300, 9};
        size_t n = count_of(sh), c = sh.c;
        float *x = normal_floats(&r, n, 1.0, 2.0);
        bn_data d = bn_random(&r, c);
        float *y1 = xmalloc(n * sizeof(float)), *y2 = xmalloc(n * sizeof(float));
        float *m1 = xmalloc(c * sizeof(float)), *m2 = xmalloc(c * sizeof(float));
        float *v1 = xmalloc(c * sizeof(float)), *v2 = xmalloc(c * sizeof(float));
        ck_assert_int_eq(snorm_channel_moments(x, sh, m1, v1), SNORM_OK);
        ck_assert_int_eq(snorm_channel_moments_isa(isa, x, sh, m2, v2), SNORM_OK);
        ck_assert_mem_eq(m1, m2, c * sizeof(float));
        ck_assert_mem_eq(v1, v2, c * sizeof(float));
        ck_assert_int_eq(snorm_scale_shift(x, y1, sh, d.gamma, d.beta, 0.0f, 6.0f), SNORM_OK);
        ck_assert_int_eq(snorm_scale_shift_isa(isa, x, y2, sh, d.gamma, d.beta, 0.0f, 6.0f),
                         SNORM_OK);
        ck_assert_mem_eq(y1, y2, n * sizeof(float));
        ck_assert_int_eq(snorm_l2norm(x, y1, sh, d.gamma, 1e-6f, SNORM_EPS_MAX_NORM), SNORM_OK);
        ck_assert_int_eq(snorm_l2norm_isa(isa, x, y2, sh, d.gamma, 1e-6f, SNORM_EPS_MAX_NORM),
                         SNORM_OK);
        ck_assert_mem_eq(y1, y2, n * sizeof(float));
        ck_assert_int_eq(snorm_batchnorm_inference(x, y1, sh, d.mean, d.var, d.gamma, d.beta, 1e-5f,
                                                   -INFINITY, INFINITY),
                         SNORM_OK);
        ck_assert_int_eq(snorm_batchnorm_inference_isa(isa, x, y2, sh, d.mean, d.var, d.gamma,
                                                       d.beta, 1e-5f, -INFINITY, INFINITY),
                         SNORM_OK);
        ck_assert_mem_eq(y1, y2, n * sizeof(float));
        ck_assert_int_eq(
            snorm_batchnorm_training(x, y1, sh, d.gamma, d.beta, 1e-5f, 0.1f, NULL, NULL, m1, v1),
            SNORM_OK);
        ck_assert_int_eq(snorm_batchnorm_training_isa(isa, x, y2, sh, d.gamma, d.beta, 1e-5f, 0.1f,
                                                      NULL, NULL, m2, v2),
                         SNORM_OK);
        ck_assert_mem_eq(y1, y2, n * sizeof(float));
        ck_assert_mem_eq(m1, m2, c * sizeof(float));
        free(x);
        free(y1);
        free(y2);
        free(m1);
        free(m2);
        free(v1);
        free(v2);
        bn_free(&d);
    }
    printf("plain entries: active variant %s\n", snorm_isa_name(isa));
}
END_TEST

/* ---- the helpers themselves: a guard or ulp check that cannot fail would
 * make every test above vacuous ------------------------------------------------------------- */

START_TEST(helpers_detect) {
    ck_assert(t_ulpf(1.0) == 0x1p-23);
    ck_assert(t_ulpf(-1.5) == 0x1p-23);
    ck_assert(t_ulpf(0x1p-126) == 0x1p-149);
    ck_assert(t_ulpf(0.0) == 0x1p-149);
    ck_assert(t_ulp_err(nextafterf(1.0f, 2.0f), 1.0, 1.0) == 1.0);
    ck_assert(t_ulp_err(NAN, 1.0, 1.0) == INFINITY);
    ck_assert(t_ulp_err(1.0f, NAN, 1.0) == INFINITY);
    ck_assert(t_ulp_err(NAN, NAN, 1.0) == 0.0);
    ck_assert(t_ulp_err(INFINITY, -INFINITY, 1.0) == INFINITY);
    ck_assert(!t_same_float(0.0f, -0.0f));
    for (size_t mis = 0; mis < 2; mis++) {
        t_buf b = t_buf_alloc(5, mis);
        ck_assert(t_buf_intact(&b));
        memset(b.p, 0xA5 ^ 0xFF, 5 * sizeof(float)); /* inside: allowed */
        ck_assert(t_buf_intact(&b));
        t_buf_guard(&b, 0); /* these pokes touch the guards on purpose */
        ((unsigned char *)b.p)[-1] ^= 1;
        ck_assert(!t_buf_intact(&b));
        t_buf_guard(&b, 0); /* t_buf_intact poisoned them again */
        ((unsigned char *)b.p)[-1] ^= 1;
        ((unsigned char *)(b.p + 5))[0] ^= 1;
        ck_assert(!t_buf_intact(&b));
        t_buf_free(&b);
    }
    /* the oracle on a hand-checked case: x = (3, 4) → y = (0.6, 0.8) */
    float x[2] = {3.0f, 4.0f};
    double y[2], mean, var;
    snorm_shape sh = {SNORM_LAYOUT_NHWC, 1, 2, 1};
    oracle_l2norm(x, sh, NULL, 0.0f, SNORM_EPS_ADD, y);
    ck_assert(fabs(y[0] - 0.6) < 1e-15 && fabs(y[1] - 0.8) < 1e-15);
    snorm_shape sh1 = {SNORM_LAYOUT_NCHW, 1, 1, 2};
    oracle_moments(x, sh1, &mean, &var);
    ck_assert(mean == 3.5 && var == 0.25);
    ck_assert_uint_eq(t_index(SNORM_LAYOUT_NCHW, 3, 5, 1, 2, 4), (1 * 3 + 2) * 5 + 4);
    ck_assert_uint_eq(t_index(SNORM_LAYOUT_NHWC, 3, 5, 1, 2, 4), (1 * 5 + 4) * 3 + 2);
}
END_TEST

/* ---- suite ------------------------------------------------------------------------------------
 */

static void add_isa_loop(Suite *s, const char *name, const TTest *test) {
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 600); /* generous: valgrind and qemu run ~50× slower */
    tcase_add_loop_test(tc, test, 0, SNORM_ISA_COUNT);
    suite_add_tcase(s, tc);
}

int main(void) {
    Suite *s = suite_create("kernels");
    add_isa_loop(s, "scale_shift_shapes", scale_shift_shapes);
    add_isa_loop(s, "scale_shift_nan_inf", scale_shift_nan_inf);
    add_isa_loop(s, "scale_shift_large", scale_shift_large);
    add_isa_loop(s, "scale_shift_streamed", scale_shift_streamed);
    add_isa_loop(s, "fold_accuracy", fold_accuracy);
    add_isa_loop(s, "l2norm_shapes", l2norm_shapes);
    add_isa_loop(s, "l2norm_eps_modes", l2norm_eps_modes);
    add_isa_loop(s, "l2norm_magnitudes", l2norm_magnitudes);
    add_isa_loop(s, "l2norm_nan_inf", l2norm_nan_inf);
    add_isa_loop(s, "l2norm_large", l2norm_large);
    add_isa_loop(s, "l2norm_streamed", l2norm_streamed);
    add_isa_loop(s, "moments_shapes", moments_shapes);
    add_isa_loop(s, "moments_adversarial", moments_adversarial);
    add_isa_loop(s, "moments_nan", moments_nan);
    add_isa_loop(s, "moments_large", moments_large);
    add_isa_loop(s, "bn_inference_shapes", bn_inference_shapes);
    add_isa_loop(s, "bn_inference_large", bn_inference_large);
    add_isa_loop(s, "bn_training_shapes", bn_training_shapes);
    add_isa_loop(s, "bn_training_large", bn_training_large);
    add_isa_loop(s, "bn_nan", bn_nan);
    TCase *tc = tcase_create("fold_plain_helpers");
    tcase_add_test(tc, plain_entries_use_active);
    tcase_add_test(tc, helpers_detect);
    suite_add_tcase(s, tc);

    return run_suite(s);
}
