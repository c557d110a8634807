/*
 * The read-only roofline. Adds cannot be the bottleneck: 8 independent
 * vector accumulators hide the add latency, so the loop runs at the
 * core's load throughput (two vector loads per cycle on current x86 and
 * Arm cores) or at the memory's, whichever is lower. On x86 the path is
 * chosen at run time (AVX-512, AVX2, SSE2) because the kernels it bounds use
 * the widest vectors too; elsewhere SIMDe maps the 128-bit NEON vocabulary to
 * the host (native on aarch64).
 */
#include "roofline.h"

#include "simdnorm.h"

#include <stdint.h>

/* With pf set, each loop step asks for the lines PF_AHEAD bytes ahead of
 * what it reads (the kernels do that for L3/DRAM-sized streams, and a
 * roofline must be the fastest way to move the bytes, so every loop below
 * is measured both ways and the faster counts). */
#define PF_AHEAD 16384
static inline __attribute__((always_inline)) void pf_ahead(const float *p, size_t bytes, int pf) {
    if (pf) {
        uintptr_t a = (uintptr_t)p + PF_AHEAD;
        for (size_t b = 0; b < bytes; b += 64) {
            __builtin_prefetch((const void *)(a + b), 0, 3);
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#include <stdint.h>

/* XGETBV-1 reports XINUSE: bit 2 = YMM upper halves, bit 6 = ZMM upper
 * halves of zmm0-15, bit 7 = zmm16-31. Only the first two cause the SSE
 * transition penalty. Not inlined into callers so no vector code runs
 * between the kernel's return and the read. */
__attribute__((noinline)) int snorm_bench_upper_dirty(void) {
    unsigned eax, ebx, ecx, edx, lo, hi;
    if (!__get_cpuid_count(0xd, 1, &eax, &ebx, &ecx, &edx) || !(eax & (1u << 2))) {
        return -1;
    }
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(1));
    (void)hi;
    return (lo & ((1u << 2) | (1u << 6))) != 0;
}

__attribute__((target("avx"))) static void zeroupper_avx(void) { _mm256_zeroupper(); }

void snorm_bench_clear_upper(void) {
    static int has_avx = -1;
    if (has_avx < 0) {
        has_avx = __builtin_cpu_supports("avx") != 0;
    }
    if (has_avx) {
        zeroupper_avx();
    }
}

__attribute__((target("avx512f"))) static float readsum_avx512(const float *x, size_t n, int pf) {
    __m512 a[8];
    size_t i = 0;
    for (int k = 0; k < 8; k++) {
        a[k] = _mm512_setzero_ps();
    }
    for (; i + 128 <= n; i += 128) {
        pf_ahead(x + i, 512, pf);
        for (int k = 0; k < 8; k++) {
            a[k] = _mm512_add_ps(a[k], _mm512_loadu_ps(x + i + 16 * k));
        }
    }
    for (; i + 16 <= n; i += 16) {
        a[0] = _mm512_add_ps(a[0], _mm512_loadu_ps(x + i));
    }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        a[1] = _mm512_add_ps(a[1], _mm512_maskz_loadu_ps(m, x + i));
    }
    for (int k = 1; k < 8; k++) {
        a[0] = _mm512_add_ps(a[0], a[k]);
    }
    return _mm512_reduce_add_ps(a[0]);
}

__attribute__((target("avx512f"))) static void copy_avx512(float *y, const float *x, size_t n,
                                                           int pf) {
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        pf_ahead(x + i, 256, pf);
        __m512 a = _mm512_loadu_ps(x + i), b = _mm512_loadu_ps(x + i + 16);
        __m512 c = _mm512_loadu_ps(x + i + 32), d = _mm512_loadu_ps(x + i + 48);
        _mm512_storeu_ps(y + i, a);
        _mm512_storeu_ps(y + i + 16, b);
        _mm512_storeu_ps(y + i + 32, c);
        _mm512_storeu_ps(y + i + 48, d);
    }
    for (; i + 16 <= n; i += 16) {
        _mm512_storeu_ps(y + i, _mm512_loadu_ps(x + i));
    }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        _mm512_mask_storeu_ps(y + i, m, _mm512_maskz_loadu_ps(m, x + i));
    }
}

/* Non-temporal stores: no read-for-ownership of y, faster than any cached
 * store once x and y exceed the last-level cache. y must be 64-byte
 * aligned for the streaming part; the head and tail use ordinary stores. */
__attribute__((target("avx512f"))) static void copy_nt_avx512(float *y, const float *x, size_t n,
                                                              int pf) {
    size_t i = 0;
    while (i < n && ((uintptr_t)(y + i) & 63) != 0) {
        y[i] = x[i];
        i++;
    }
    for (; i + 16 <= n; i += 16) {
        pf_ahead(x + i, 64, pf);
        _mm512_stream_ps(y + i, _mm512_loadu_ps(x + i));
    }
    for (; i < n; i++) {
        y[i] = x[i];
    }
    _mm_sfence();
}

__attribute__((target("avx2"))) static void copy_nt_avx2(float *y, const float *x, size_t n,
                                                         int pf) {
    size_t i = 0;
    while (i < n && ((uintptr_t)(y + i) & 31) != 0) {
        y[i] = x[i];
        i++;
    }
    for (; i + 8 <= n; i += 8) {
        pf_ahead(x + i, (i & 15) == 0 ? 64 : 0, pf); /* once per line */
        _mm256_stream_ps(y + i, _mm256_loadu_ps(x + i));
    }
    for (; i < n; i++) {
        y[i] = x[i];
    }
    _mm_sfence();
}

static void copy_nt_sse2(float *y, const float *x, size_t n, int pf) {
    size_t i = 0;
    while (i < n && ((uintptr_t)(y + i) & 15) != 0) {
        y[i] = x[i];
        i++;
    }
    for (; i + 4 <= n; i += 4) {
        pf_ahead(x + i, (i & 15) == 0 ? 64 : 0, pf); /* once per line */
        _mm_stream_ps(y + i, _mm_loadu_ps(x + i));
    }
    for (; i < n; i++) {
        y[i] = x[i];
    }
    _mm_sfence();
}

__attribute__((target("avx2"))) static void copy_avx2(float *y, const float *x, size_t n, int pf) {
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        pf_ahead(x + i, 128, pf);
        __m256 a = _mm256_loadu_ps(x + i), b = _mm256_loadu_ps(x + i + 8);
        __m256 c = _mm256_loadu_ps(x + i + 16), d = _mm256_loadu_ps(x + i + 24);
        _mm256_storeu_ps(y + i, a);
        _mm256_storeu_ps(y + i + 8, b);
        _mm256_storeu_ps(y + i + 16, c);
        _mm256_storeu_ps(y + i + 24, d);
    }
    for (; i < n; i++) {
        y[i] = x[i];
    }
}

static void copy_sse2(float *y, const float *x, size_t n, int pf) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        pf_ahead(x + i, 64, pf);
        __m128 a = _mm_loadu_ps(x + i), b = _mm_loadu_ps(x + i + 4);
        __m128 c = _mm_loadu_ps(x + i + 8), d = _mm_loadu_ps(x + i + 12);
        _mm_storeu_ps(y + i, a);
        _mm_storeu_ps(y + i + 4, b);
        _mm_storeu_ps(y + i + 8, c);
        _mm_storeu_ps(y + i + 12, d);
    }
    for (; i < n; i++) {
        y[i] = x[i];
    }
}

__attribute__((target("avx2"))) static float readsum_avx2(const float *x, size_t n, int pf) {
    __m256 a[8];
    float tail = 0.0f, out[8];
    size_t i = 0;
    for (int k = 0; k < 8; k++) {
        a[k] = _mm256_setzero_ps();
    }
    for (; i + 64 <= n; i += 64) {
        pf_ahead(x + i, 256, pf);
        for (int k = 0; k < 8; k++) {
            a[k] = _mm256_add_ps(a[k], _mm256_loadu_ps(x + i + 8 * k));
        }
    }
    for (; i < n; i++) {
        tail += x[i];
    }
    for (int k = 1; k < 8; k++) {
        a[0] = _mm256_add_ps(a[0], a[k]);
    }
    _mm256_storeu_ps(out, a[0]);
    for (int k = 0; k < 8; k++) {
        tail += out[k];
    }
    return tail;
}

static float readsum_sse2(const float *x, size_t n, int pf) {
    __m128 a[8];
    float tail = 0.0f, out[4];
    size_t i = 0;
    for (int k = 0; k < 8; k++) {
        a[k] = _mm_setzero_ps();
    }
    for (; i + 32 <= n; i += 32) {
        pf_ahead(x + i, 128, pf);
        for (int k = 0; k < 8; k++) {
            a[k] = _mm_add_ps(a[k], _mm_loadu_ps(x + i + 4 * k));
        }
    }
    for (; i < n; i++) {
        tail += x[i];
    }
    for (int k = 1; k < 8; k++) {
        a[0] = _mm_add_ps(a[0], a[k]);
    }
    _mm_storeu_ps(out, a[0]);
    return tail + out[0] + out[1] + out[2] + out[3];
}

/* Chosen once: snorm_isa_supported runs CPUID, which a hypervisor may trap
 * (tens of microseconds), so it must stay out of the timed loop. */
static int readsum_width(void) {
    static int width;
    if (!width) {
        width = snorm_isa_supported(SNORM_ISA_AVX512) ? 512
                : snorm_isa_supported(SNORM_ISA_AVX2) ? 256
                                                      : 128;
    }
    return width;
}

float snorm_bench_readsum(const float *x, size_t n, int prefetch) {
    switch (readsum_width()) {
    case 512: return readsum_avx512(x, n, prefetch);
    case 256: return readsum_avx2(x, n, prefetch);
    default: return readsum_sse2(x, n, prefetch);
    }
}

void snorm_bench_copy(float *y, const float *x, size_t n, int prefetch) {
    switch (readsum_width()) {
    case 512: copy_avx512(y, x, n, prefetch); break;
    case 256: copy_avx2(y, x, n, prefetch); break;
    default: copy_sse2(y, x, n, prefetch); break;
    }
}

int snorm_bench_copy_nt(float *y, const float *x, size_t n, int prefetch) {
    switch (readsum_width()) {
    case 512: copy_nt_avx512(y, x, n, prefetch); break;
    case 256: copy_nt_avx2(y, x, n, prefetch); break;
    default: copy_nt_sse2(y, x, n, prefetch); break;
    }
    return 1;
}

const char *snorm_bench_readsum_path(void) {
    switch (readsum_width()) {
    case 512: return "avx512";
    case 256: return "avx2";
    default: return "sse2";
    }
}

#else /* not x86: 128-bit vectors through SIMDe (native NEON on aarch64) */
#include <simde/arm/neon.h>

int snorm_bench_upper_dirty(void) { return -1; }

void snorm_bench_clear_upper(void) {}

float snorm_bench_readsum(const float *x, size_t n, int prefetch) {
    simde_float32x4_t a[8];
    float tail = 0.0f;
    size_t i = 0;
    for (int k = 0; k < 8; k++) {
        a[k] = simde_vdupq_n_f32(0.0f);
    }
    for (; i + 32 <= n; i += 32) {
        pf_ahead(x + i, 128, prefetch);
        for (int k = 0; k < 8; k++) {
            a[k] = simde_vaddq_f32(a[k], simde_vld1q_f32(x + i + 4 * k));
        }
    }
    for (; i < n; i++) {
        tail += x[i];
    }
    for (int k = 1; k < 8; k++) {
        a[0] = simde_vaddq_f32(a[0], a[k]);
    }
    return tail + simde_vgetq_lane_f32(a[0], 0) + simde_vgetq_lane_f32(a[0], 1) +
           simde_vgetq_lane_f32(a[0], 2) + simde_vgetq_lane_f32(a[0], 3);
}

void snorm_bench_copy(float *y, const float *x, size_t n, int prefetch) {
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        pf_ahead(x + i, 64, prefetch);
        simde_float32x4_t a = simde_vld1q_f32(x + i), b = simde_vld1q_f32(x + i + 4);
        simde_float32x4_t c = simde_vld1q_f32(x + i + 8), d = simde_vld1q_f32(x + i + 12);
        simde_vst1q_f32(y + i, a);
        simde_vst1q_f32(y + i + 4, b);
        simde_vst1q_f32(y + i + 8, c);
        simde_vst1q_f32(y + i + 12, d);
    }
    for (; i < n; i++) {
        y[i] = x[i];
    }
}

int snorm_bench_copy_nt(float *y, const float *x, size_t n, int prefetch) {
    (void)y, (void)x, (void)n, (void)prefetch;
    return 0; /* no portable streaming store here */
}

const char *snorm_bench_readsum_path(void) {
#if defined(__aarch64__) || defined(__ARM_NEON)
    return "neon";
#else
    return "simde-portable";
#endif
}
#endif
