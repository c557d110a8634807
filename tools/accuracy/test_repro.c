/*
 * Reproducibility of every runnable variant: the same call gives the same
 * bits run to run, whatever the alignment of its buffers (offsets 0..15
 * floats: every lane position of the widest vector), and from several
 * threads at once. Kernels split work on element indices, never on
 * addresses, so nothing here may differ by a single bit.
 *
 * Prints one line per failure (with what reproduces it) and ends with
 * "N passed, N failed"; exits 1 on any failure.
 */
#define _POSIX_C_SOURCE 200809L /* pthread_barrier_t */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simdnorm.h"

enum { MAX_OFF = 16, THREADS = 4, THREAD_REPEATS = 3 };

typedef enum family {
    F_MOMENTS,
    F_SCALE_SHIFT,
    F_L2_ADD,
    F_L2_MAX_SUM,
    F_L2_MAX_NORM,
    F_BN,
    F_COUNT
} family;

static const char *const family_names[F_COUNT] = {
    "moments", "scale_shift", "l2norm_add", "l2norm_max_sum", "l2norm_max_norm", "bn_training"};

/* One call's inputs. Buffers are allocated with MAX_OFF spare floats so
 * that any offset fits; the inputs are copied to the offset under test. */
typedef struct call {
    snorm_isa isa;
    family fam;
    snorm_shape sh;
    size_t count;
    const float *x, *a, *b; /* canonical inputs (offset 0) */
} call;

static void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "test_repro: out of memory\n");
        exit(2);
    }
    return p;
}

/* Output floats of a call: y (count) then four per-channel arrays. */
static size_t out_len(const call *c) { return c->count + 4 * c->sh.c; }

/* Runs the call with its inputs at x, a, b and writes everything it outputs
 * to out (out_len floats). */
static snorm_status run(const call *c, const float *x, const float *a, const float *b, float *out) {
    float *y = out, *pc = out + c->count;
    size_t nc = c->sh.c;
    switch (c->fam) {
    case F_MOMENTS: return snorm_channel_moments_isa(c->isa, x, c->sh, pc, pc + nc);
    case F_SCALE_SHIFT: return snorm_scale_shift_isa(c->isa, x, y, c->sh, a, b, -1e30f, 1e30f);
    case F_L2_ADD: return snorm_l2norm_isa(c->isa, x, y, c->sh, a, 1e-10f, SNORM_EPS_ADD);
    case F_L2_MAX_SUM: return snorm_l2norm_isa(c->isa, x, y, c->sh, a, 1e-12f, SNORM_EPS_MAX_SUM);
    case F_L2_MAX_NORM: return snorm_l2norm_isa(c->isa, x, y, c->sh, a, 1e-12f, SNORM_EPS_MAX_NORM);
    case F_BN:
        for (size_t j = 0; j < nc; j++) {
            pc[2 * nc + j] = 0.5f; /* running mean, running var start values */
            pc[3 * nc + j] = 2.0f;
        }
        return snorm_batchnorm_training_isa(c->isa, x, y, c->sh, a, b, 1e-5f, 0.1f, pc + 2 * nc,
                                            pc + 3 * nc, pc, pc + nc);
    case F_COUNT: break;
    }
    return SNORM_ERR_INVALID_ARGUMENT;
}

/* Runs the call with every buffer (inputs, outputs, parameters) at the
 * given offset in floats from a 64-byte boundary. */
static float *alloc_aligned(size_t floats) {
    size_t bytes = ((floats + MAX_OFF) * sizeof(float) + 63) / 64 * 64; /* C11: a multiple */
    float *p = aligned_alloc(64, bytes);
    if (!p) {
        fprintf(stderr, "test_repro: out of memory\n");
        exit(2);
    }
    return p;
}

static snorm_status run_at(const call *c, size_t off, float *out) {
    float *x = alloc_aligned(c->count), *a = alloc_aligned(c->sh.c), *b = alloc_aligned(c->sh.c);
    float *o = alloc_aligned(out_len(c));
    memcpy(x + off, c->x, c->count * sizeof(float));
    memcpy(a + off, c->a, c->sh.c * sizeof(float));
    memcpy(b + off, c->b, c->sh.c * sizeof(float));
    memset(o + off, 0, out_len(c) * sizeof(float));
    snorm_status st = run(c, x + off, a + off, b + off, o + off);
    memcpy(out, o + off, out_len(c) * sizeof(float));
    free(x);
    free(a);
    free(b);
    free(o);
    return st;
}

static size_t passed, failed;

static void describe(const call *c, char *buf, size_t len) {
    snprintf(buf, len, "isa=%s %s %s n=%zu c=%zu s=%zu", snorm_isa_name(c->isa),
             family_names[c->fam], c->sh.layout == SNORM_LAYOUT_NCHW ? "nchw" : "nhwc", c->sh.n,
             c->sh.c, c->sh.s);
}

/* Compares got with ref bit for bit; what says how got was obtained. */
static void expect_same(const call *c, const float *ref, const float *got, const char *what) {
    size_t n = out_len(c);
    if (memcmp(ref, got, n * sizeof(float)) == 0) {
        passed++;
        return;
    }
    size_t i = 0;
    while (memcmp(&ref[i], &got[i], sizeof(float)) == 0) {
        i++;
    }
    char d[160];
    describe(c, d, sizeof d);
    printf("FAIL %s: %s differs from the offset-0 run at output %zu (%s %zu): %a vs %a\n", d, what,
           i, i < c->count ? "element" : "per-channel float", i < c->count ? i : i - c->count,
           got[i], ref[i]);
    failed++;
}

/* The thread check: THREADS workers walk the same list of calls; a barrier
 * before each call makes them run it at the same moment, sharing its input
 * buffers and writing their own outputs. Threads are created once (thread
 * creation is slow under qemu-user). */
typedef struct work_list {
    const call *calls;
    float *const *refs;
    size_t count;
    pthread_barrier_t barrier;
} work_list;

typedef struct worker {
    work_list *list;
    int id;
    size_t passed, failed;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    const work_list *wl = w->list;
    size_t max_len = 0;
    for (size_t i = 0; i < wl->count; i++) {
        max_len = out_len(&wl->calls[i]) > max_len ? out_len(&wl->calls[i]) : max_len;
    }
    float *out = xcalloc(max_len, sizeof(float));
    for (size_t i = 0; i < wl->count; i++) {
        const call *c = &wl->calls[i];
        pthread_barrier_wait(&w->list->barrier);
        for (int r = 0; r < THREAD_REPEATS; r++) {
            memset(out, 0, out_len(c) * sizeof(float)); /* as run_at leaves unwritten floats */
            snorm_status st = run(c, c->x, c->a, c->b, out);
            if (st == SNORM_OK && memcmp(out, wl->refs[i], out_len(c) * sizeof(float)) == 0) {
                w->passed++;
            } else {
                char d[160];
                describe(c, d, sizeof d);
                printf("FAIL %s: thread %d of %d, repeat %d: %s\n", d, w->id, THREADS, r,
                       st == SNORM_OK ? "output differs from the single-threaded run"
                                      : snorm_status_string(st));
                w->failed++;
            }
        }
    }
    free(out);
    return NULL;
}

static void check_threads(const call *calls, float *const *refs, size_t count) {
    work_list wl = {calls, refs, count, {{0}}};
    worker w[THREADS];
    pthread_t tid[THREADS];
    pthread_barrier_init(&wl.barrier, NULL, THREADS);
    for (int t = 0; t < THREADS; t++) {
        w[t] = (worker){&wl, t, 0, 0};
        if (pthread_create(&tid[t], NULL, work, &w[t]) != 0) {
            fprintf(stderr, "test_repro: pthread_create failed\n");
            exit(2);
        }
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(tid[t], NULL);
        passed += w[t].passed;
        failed += w[t].failed;
    }
    pthread_barrier_destroy(&wl.barrier);
}

/* Runs c at offset 0 into ref, then again at every offset. */
static void check_call(const call *c, float *ref) {
    float *got = xcalloc(out_len(c), sizeof(float));
    char what[64];
    if (run_at(c, 0, ref) != SNORM_OK) {
        char d[160];
        describe(c, d, sizeof d);
        printf("FAIL %s: call failed\n", d);
        failed++;
    } else {
        run_at(c, 0, got);
        expect_same(c, ref, got, "a second run");
        for (size_t off = 1; off < MAX_OFF; off++) {
            run_at(c, off, got);
            snprintf(what, sizeof what, "the run with buffers offset by %zu floats", off);
            expect_same(c, ref, got, what);
        }
    }
    free(got);
}

/* Data whose sums depend on their order: offset 3, spread ~1, from a
 * 64-bit LCG so that every run sees the same values. */
static void fill(float *p, size_t n, uint64_t seed, float base) {
    for (size_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        p[i] = base + (float)((double)(seed >> 40) * 0x1p-24 - 0.5) * 2.0f;
    }
}

enum { SHAPES = 2, MAX_CALLS = SHAPES * SNORM_ISA_COUNT * 2 * F_COUNT };

int main(void) {
    /* m = n·s = 1042 > one 1024-element moments chunk; c and s odd so every
     * vector width has a tail; the second shape has short rows. */
    static const size_t shapes[SHAPES][3] = {{2, 21, 521}, {3, 19, 67}};
    static call calls[MAX_CALLS];
    static float *refs[MAX_CALLS];
    float *inputs[SHAPES][3];
    size_t count = 0;
    for (size_t si = 0; si < SHAPES; si++) {
        size_t n = shapes[si][0], c = shapes[si][1], s = shapes[si][2];
        size_t elems = n * c * s;
        float *x = inputs[si][0] = xcalloc(elems, sizeof(float));
        float *a = inputs[si][1] = xcalloc(c, sizeof(float));
        float *b = inputs[si][2] = xcalloc(c, sizeof(float));
        fill(x, elems, 1 + si, 3.0f);
        fill(a, c, 100 + si, 1.0f);
        fill(b, c, 200 + si, 0.0f);
        for (int isa = 0; isa < SNORM_ISA_COUNT; isa++) {
            for (int l = 0; l < 2 && snorm_isa_runnable((snorm_isa)isa); l++) {
                for (int f = 0; f < F_COUNT; f++) {
                    call cl = {
                        (snorm_isa)isa, (family)f, {(snorm_layout)l, n, c, s}, elems, x, a, b};
                    calls[count] = cl;
                    refs[count] = xcalloc(out_len(&cl), sizeof(float));
                    check_call(&calls[count], refs[count]);
                    count++;
                }
            }
        }
    }
    check_threads(calls, refs, count);
    for (size_t i = 0; i < count; i++) {
        free(refs[i]);
    }
    for (size_t si = 0; si < SHAPES; si++) {
        for (int k = 0; k < 3; k++) {
            free(inputs[si][k]);
        }
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    return failed ? 1 : 0;
}
