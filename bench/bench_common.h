/*
 * Shared by the benchmark translation units: the shape set, the buffer pool
 * and the roofline cache.
 */
#ifndef SNORM_BENCH_COMMON_H
#define SNORM_BENCH_COMMON_H

#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>
#include <vector>

#include "simdnorm.h"

namespace snb {

struct Shape {
    const char *model; /* where the shape comes from */
    size_t n, c, h, w;
    bool quick; /* part of the --snorm_quick subset */

    size_t s() const { return h * w; }
    size_t elems() const { return n * c * h * w; }
    std::string name() const;
    snorm_shape as(snorm_layout layout) const { return {layout, n, c, h * w}; }
};

const std::vector<Shape> &shapes(bool quick);
const char *layout_name(snorm_layout layout);

/*
 * Buffers reused by every benchmark, allocated and filled outside the timed
 * region: x holds non-trivial data in [-0.5, 2.5) (no zeros, no denormals),
 * y is pre-faulted, per-channel arrays hold plausible batch-norm values.
 * The pool only grows; pointers stay valid until the next call.
 */
struct Buffers {
    float *x, *y;
    float *scale, *shift, *mean, *var, *gamma, *beta;
    float *run_mean, *run_var, *batch_mean, *batch_var;
    double *scratch; /* 2·channels doubles */
};
Buffers &buffers(size_t elems, size_t channels);

/*
 * The roofline for `bytes` of x: the best (lowest) CPU time per call of
 * the copy x → y (the fastest of memcpy and vector loops with ordinary and
 * with non-temporal stores) or of the vectorized read-only sum over x, measured
 * once per size in this process and cached. Best-of makes it an upper bound
 * on speed: noise only ever slows a measurement down.
 */
enum class Roof { copy, read, loop };
double roof_seconds(Roof kind, size_t bytes); /* copy or read */
/* One call of the roofline operation (memcpy x → y, or the read-only sum of
 * x). Roof::loop is not a roofline but a reference row beside it: the vector
 * copy loop alone (ordinary stores, no prefetch), the loop a kernel that
 * computes can match. On cache-resident sizes glibc's memcpy (rep movsb) is
 * faster than any such loop, and the summary shows by how much. */
void roof_once(Roof kind, const Buffers &b, size_t bytes);

/* CPU time of this thread, the clock Google Benchmark's rates use. */
double cpu_seconds();

/*
 * Rates on the state: bytes/s and elements/s (Google Benchmark's
 * bytes_per_second / items_per_second) and "roof", the kernel's speed as a
 * fraction of the roofline: roof_s / (loop_s / iterations), where loop_s is
 * the CPU time of the timed loop.
 */
void set_rates(benchmark::State &st, size_t elems, size_t bytes, double roof_s, double loop_s);

void register_onednn(const std::vector<Shape> &set);
void onednn_context();

} // namespace snb

#endif
