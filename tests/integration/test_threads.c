/*
 * Thread safety of the dispatcher, through the public API only.
 *
 * 1. First-call race: in a fresh process (a forked child per round), many
 *    threads wait at a barrier and then make their FIRST library call at the
 *    same moment, racing the one-time choice of variant. Every thread must
 *    see the same active ISA and compute bit-identical results, equal to the
 *    explicit-variant call of that ISA. Some rounds set SNORM_ISA first, so
 *    the capped choice is raced too.
 * 2. snorm_set_isa racing calls: setter threads switch the process-wide ISA
 *    among the supported ones while worker threads call the plain functions.
 *    A call finishes with the variant it started with, so every output must
 *    equal, bit for bit, the output of one supported variant.
 *
 * Run under ThreadSanitizer by `make test-tsan`; plain runs check results.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers, setenv, fork */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "simdnorm.h"

enum { THREADS = 8, ROUNDS = 8, SWITCH_ITERS = 150, N = 2, C = 19, S = 37 };
#define COUNT ((size_t)N * C * S)

/* The work every thread does: all four tensor kernels on one input. */
typedef struct result {
    float l2[COUNT], bn[COUNT], ss[COUNT];
    float mean[C], var[C];
    snorm_status st[4];
    snorm_isa isa;
} result;

static float x_in[COUNT], scale_in[C], shift_in[C], bn_mean[C], bn_var[C];

static void make_inputs(void) {
    unsigned r = 12345u;
    for (size_t i = 0; i < COUNT; i++) {
        r = r * 1103515245u + 12345u;
        x_in[i] = (float)((r >> 8) & 0xffff) / 4096.0f - 8.0f;
    }
    for (size_t j = 0; j < C; j++) {
        scale_in[j] = 0.5f + 0.1f * (float)j;
        shift_in[j] = -1.0f + 0.07f * (float)j;
        bn_mean[j] = 0.3f * (float)j;
        bn_var[j] = 1.0f + 0.25f * (float)j;
    }
}

static const snorm_shape shape = {SNORM_LAYOUT_NHWC, N, C, S};

/* isa < 0: the plain (dispatched) functions; otherwise the explicit variant. */
static void compute(int isa, result *r) {
    if (isa < 0) {
        r->st[0] = snorm_l2norm(x_in, r->l2, shape, scale_in, 1e-6f, SNORM_EPS_ADD);
        r->st[1] = snorm_batchnorm_inference(x_in, r->bn, shape, bn_mean, bn_var, scale_in,
                                             shift_in, 1e-5f, 0.0f, 6.0f);
        r->st[2] = snorm_scale_shift(x_in, r->ss, shape, scale_in, shift_in, -1.0f, 1.0f);
        r->st[3] = snorm_channel_moments(x_in, shape, r->mean, r->var);
        return;
    }
    snorm_isa v = (snorm_isa)isa;
    r->st[0] = snorm_l2norm_isa(v, x_in, r->l2, shape, scale_in, 1e-6f, SNORM_EPS_ADD);
    r->st[1] = snorm_batchnorm_inference_isa(v, x_in, r->bn, shape, bn_mean, bn_var, scale_in,
                                             shift_in, 1e-5f, 0.0f, 6.0f);
    r->st[2] = snorm_scale_shift_isa(v, x_in, r->ss, shape, scale_in, shift_in, -1.0f, 1.0f);
    r->st[3] = snorm_channel_moments_isa(v, x_in, shape, r->mean, r->var);
    r->isa = v;
}

/* Bit-for-bit equality of call k's output (0 l2norm, 1 batchnorm, 2 scale_shift,
 * 3 moments) and status. */
static int same_call(const result *a, const result *b, int k) {
    int eq = a->st[k] == b->st[k];
    switch (k) {
    case 0: return eq && memcmp(a->l2, b->l2, sizeof a->l2) == 0;
    case 1: return eq && memcmp(a->bn, b->bn, sizeof a->bn) == 0;
    case 2: return eq && memcmp(a->ss, b->ss, sizeof a->ss) == 0;
    default:
        return eq && memcmp(a->mean, b->mean, sizeof a->mean) == 0 &&
               memcmp(a->var, b->var, sizeof a->var) == 0;
    }
}

static int same_output(const result *a, const result *b) {
    return same_call(a, b, 0) && same_call(a, b, 1) && same_call(a, b, 2) && same_call(a, b, 3);
}

/* ---- 1. first-call race ------------------------------------------------ */

static pthread_barrier_t barrier;
static result race_results[THREADS];

/* Threads alternate which entry point they hit first, so the lazy choice is
 * raced from different functions (and from snorm_active_isa itself). */
static void *race_thread(void *arg) {
    result *r = arg;
    int id = (int)(r - race_results);
    pthread_barrier_wait(&barrier);
    if (id % 2 == 0) {
        r->isa = snorm_active_isa();
        compute(-1, r);
    } else {
        compute(-1, r);
        r->isa = snorm_active_isa();
    }
    return NULL;
}

/* One round in the calling (fresh) process; returns the number of failures. */
static int race_round(const char *env_isa) {
    if (env_isa) {
        setenv("SNORM_ISA", env_isa, 1);
    }
    pthread_t th[THREADS];
    pthread_barrier_init(&barrier, NULL, THREADS);
    for (int t = 0; t < THREADS; t++) {
        if (pthread_create(&th[t], NULL, race_thread, &race_results[t]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
    }
    pthread_barrier_destroy(&barrier);

    int failures = 0;
    static result expect;
    snorm_isa active = snorm_active_isa();
    compute((int)active, &expect);
    for (int k = 0; k < 4; k++) {
        if (expect.st[k] != SNORM_OK) {
            fprintf(stderr, "call %d on %s failed: %s\n", k, snorm_isa_name(active),
                    snorm_status_string(expect.st[k]));
            failures++;
        }
    }
    for (int t = 0; t < THREADS; t++) {
        if (race_results[t].isa != active) {
            fprintf(stderr, "round SNORM_ISA=%s: thread %d saw isa %s, process has %s\n",
                    env_isa ? env_isa : "(unset)", t, snorm_isa_name(race_results[t].isa),
                    snorm_isa_name(active));
            failures++;
        }
        if (!same_output(&race_results[t], &expect)) {
            fprintf(stderr, "round SNORM_ISA=%s: thread %d output differs from %s variant\n",
                    env_isa ? env_isa : "(unset)", t, snorm_isa_name(active));
            failures++;
        }
    }
    if (env_isa && strcmp(env_isa, "scalar") == 0 && active != SNORM_ISA_SCALAR) {
        fprintf(stderr, "SNORM_ISA=scalar ignored: active %s\n", snorm_isa_name(active));
        failures++;
    }
    return failures;
}

/* Each round forks so that the library's one-time state is fresh. */
static int run_race_rounds(void) {
    static const char *const envs[ROUNDS] = {NULL,   NULL, "scalar", "sse41",
                                             "avx2", NULL, "bogus",  NULL};
    int failures = 0;
    for (int round = 0; round < ROUNDS; round++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            _exit(race_round(envs[round]) == 0 ? 0 : 1);
        }
        int status = 0;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "first-call race round %d failed (status 0x%x)\n", round, status);
            failures++;
        }
    }
    return failures;
}

/* ---- 2. snorm_set_isa racing calls ------------------------------------- */

static result per_isa[SNORM_ISA_COUNT];
static int supported[SNORM_ISA_COUNT];
static int switch_failures[THREADS];

static void *setter_thread(void *arg) {
    unsigned r = (unsigned)(size_t)arg * 2654435761u + 1u;
    for (int it = 0; it < SWITCH_ITERS * 4; it++) {
        r = r * 1103515245u + 12345u;
        snorm_isa isa = (snorm_isa)((r >> 16) % (SNORM_ISA_COUNT + 1)); /* incl. out of range */
        snorm_status st = snorm_set_isa(isa);
        int ok = isa < SNORM_ISA_COUNT && supported[isa];
        if ((st == SNORM_OK) != ok) {
            __atomic_add_fetch(&switch_failures[0], 1, __ATOMIC_RELAXED);
        }
    }
    return NULL;
}

static void *worker_thread(void *arg) {
    int id = (int)(size_t)arg;
    result *r = malloc(sizeof *r);
    if (!r) {
        switch_failures[id]++;
        return NULL;
    }
    for (int it = 0; it < SWITCH_ITERS; it++) {
        compute(-1, r);
        /* The ISA may change between two calls, never within one: each
         * call's output must be some supported variant's, bit for bit. */
        for (int k = 0; k < 4; k++) {
            int matched = 0;
            for (int i = 0; i < SNORM_ISA_COUNT; i++) {
                matched |= supported[i] && same_call(r, &per_isa[i], k);
            }
            if (!matched) {
                switch_failures[id]++;
            }
        }
        if (!supported[snorm_active_isa()]) {
            switch_failures[id]++;
        }
    }
    free(r);
    return NULL;
}

static int run_set_isa_race(void) {
    int nsupported = 0;
    for (int i = 0; i < SNORM_ISA_COUNT; i++) {
        supported[i] = snorm_isa_supported((snorm_isa)i);
        if (supported[i]) {
            compute(i, &per_isa[i]);
            nsupported++;
        }
    }
    printf("set_isa race over %d supported variant(s)\n", nsupported);
    enum { SETTERS = 2, WORKERS = THREADS - SETTERS };
    pthread_t th[THREADS];
    for (size_t t = 0; t < THREADS; t++) {
        void *(*fn)(void *) = t < SETTERS ? setter_thread : worker_thread;
        if (pthread_create(&th[t], NULL, fn, (void *)t) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
    }
    int failures = 0;
    for (int t = 0; t < THREADS; t++) {
        if (switch_failures[t]) {
            fprintf(stderr, "set_isa race: thread %d: %d mismatches\n", t, switch_failures[t]);
        }
        failures += switch_failures[t];
    }
    return failures;
}

int main(void) {
    make_inputs(); /* no library call before the race rounds */
    int failures = run_race_rounds();
    printf("first-call race: %d rounds x %d threads, %d failure(s)\n", ROUNDS, THREADS, failures);
    int f2 = run_set_isa_race();
    printf("set_isa race: %d workers x %d calls, %d failure(s)\n", THREADS - 2, SWITCH_ITERS, f2);
    return failures + f2 == 0 ? 0 : 1;
}
