/*
 * snorm-bench: every kernel family × layout × native ISA on the shapes of
 * common networks, with the memory roofline (memcpy, read-only sum) measured
 * in the same run, a naive scalar baseline, oneDNN where available, and a
 * size sweep over the cache hierarchy.
 *
 * Own flags (removed before Google Benchmark sees the rest):
 *   --snorm_quick       3 shapes, short sweep: a smoke run under a minute
 *   --snorm_sweep=0|1   include the size sweep (default 1)
 *   --snorm_cpu=N       pin to CPU N (default: the CPU we start on; -1: no pinning)
 * Defaults added unless given: --benchmark_min_time=0.02
 * --benchmark_repetitions=3 --benchmark_display_aggregates_only=true.
 */
#include <benchmark/benchmark.h>

#include <sched.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "bench_common.h"
#include "naive.h"
#include "roofline.h"
#include "simdnorm.h"

namespace snb {

/* ---- shapes ------------------------------------------------------------ */

std::string Shape::name() const {
    char buf[64];
    snprintf(buf, sizeof buf, "%zux%zux%zux%zu", n, c, h, w);
    return buf;
}

const std::vector<Shape> &shapes(bool quick) {
    static const std::vector<Shape> all = {
        {"ResNet-50", 1, 64, 112, 112, false},
        {"ResNet-50", 1, 256, 56, 56, true},
        {"ResNet-50", 1, 512, 28, 28, false},
        {"ResNet-50", 1, 1024, 14, 14, false},
        {"ResNet-50", 1, 2048, 7, 7, false},
        {"SSD300 conv4_3", 1, 512, 38, 38, true},
        {"SSD512 conv4_3", 1, 512, 64, 64, false},
        {"MobileNet", 1, 32, 112, 112, false},
        {"MobileNet", 1, 960, 7, 7, false},
        {"training batch", 32, 64, 56, 56, false},
        {"batch, 3x3 planes", 32, 256, 3, 3, false},
        {"BatchNorm1d / embeddings", 256, 1024, 1, 1, false},
        {"RGB input", 8, 3, 224, 224, false},
        {"tiny", 1, 3, 7, 7, false},
        {"odd", 1, 17, 13, 11, true},
    };
    static std::vector<Shape> subset;
    if (subset.empty()) {
        for (const Shape &s : all) {
            if (s.quick) {
                subset.push_back(s);
            }
        }
    }
    return quick ? subset : all;
}

const char *layout_name(snorm_layout layout) {
    return layout == SNORM_LAYOUT_NCHW ? "nchw" : "nhwc";
}

/* ---- buffers ----------------------------------------------------------- */

static float *grow(float *p, size_t count) {
    free(p);
    size_t bytes = (count * sizeof(float) + 4095) / 4096 * 4096;
    p = static_cast<float *>(aligned_alloc(4096, bytes ? bytes : 4096));
    if (!p) {
        fprintf(stderr, "snorm-bench: out of memory (%zu bytes)\n", bytes);
        exit(1);
    }
    return p;
}

/* Deterministic values in [lo, lo + width): an LCG, no zeros or denormals. */
static void fill(float *p, size_t count, uint32_t seed, float lo, float width) {
    uint32_t r = seed;
    for (size_t i = 0; i < count; i++) {
        r = r * 1664525u + 1013904223u;
        p[i] = lo + width * (float)((r >> 8) + 1) / 16777217.0f;
    }
}

Buffers &buffers(size_t elems, size_t channels) {
    static Buffers b{};
    static size_t have_elems = 0, have_channels = 0;
    if (elems > have_elems) {
        b.x = grow(b.x, elems);
        b.y = grow(b.y, elems);
        fill(b.x, elems, 1, -0.5f, 3.0f);
        memset(b.y, 0, elems * sizeof(float)); /* fault the pages in now */
        have_elems = elems;
    }
    if (channels > have_channels) {
        float **arrays[] = {&b.scale, &b.shift,    &b.mean,    &b.var,        &b.gamma,
                            &b.beta,  &b.run_mean, &b.run_var, &b.batch_mean, &b.batch_var};
        for (float **a : arrays) {
            *a = grow(*a, channels);
        }
        fill(b.scale, channels, 2, 0.5f, 1.0f);
        fill(b.shift, channels, 3, -0.5f, 1.0f);
        fill(b.mean, channels, 4, 0.5f, 1.0f);
        fill(b.var, channels, 5, 0.5f, 1.0f);
        fill(b.gamma, channels, 6, 0.5f, 1.0f);
        fill(b.beta, channels, 7, -0.5f, 1.0f);
        fill(b.run_mean, channels, 8, 0.5f, 1.0f);
        fill(b.run_var, channels, 9, 0.5f, 1.0f);
        free(b.scratch);
        b.scratch = static_cast<double *>(malloc(2 * channels * sizeof(double)));
        have_channels = channels;
    }
    return b;
}

/* ---- rooflines --------------------------------------------------------- */

double cpu_seconds() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void roof_once(Roof kind, const Buffers &b, size_t bytes) {
    if (kind == Roof::copy) {
        benchmark::DoNotOptimize(b.y);
        memcpy(b.y, b.x, bytes);
        benchmark::ClobberMemory();
    } else if (kind == Roof::loop) {
        benchmark::DoNotOptimize(b.y);
        snorm_bench_copy(b.y, b.x, bytes / sizeof(float), 0);
        benchmark::ClobberMemory();
    } else {
        float sum = snorm_bench_readsum(b.x, bytes / sizeof(float), 0);
        benchmark::DoNotOptimize(sum);
    }
}

/* Best CPU time per call of one roofline operation: a batch of ≥ 5 ms,
 * best of 9 batches (long enough that DRAM-sized copies get several calls
 * per batch and a quiet moment among the batches). */
static double best_seconds(const std::function<void()> &op) {
    size_t reps = 1;
    for (;;) {
        double t0 = cpu_seconds();
        for (size_t r = 0; r < reps; r++) {
            op();
        }
        if (cpu_seconds() - t0 >= 5e-3) {
            break;
        }
        reps *= 2;
    }
    double best = INFINITY;
    for (int batch = 0; batch < 9; batch++) {
        double t0 = cpu_seconds();
        for (size_t r = 0; r < reps; r++) {
            op();
        }
        best = std::min(best, (cpu_seconds() - t0) / (double)reps);
    }
    return best;
}

double roof_seconds(Roof kind, size_t bytes) {
    static std::map<std::pair<int, size_t>, double> cache;
    auto key = std::make_pair((int)kind, bytes);
    auto it = cache.find(key);
    if (it != cache.end()) {
        return it->second;
    }
    const Buffers &b = buffers(bytes / sizeof(float), 1);
    double t = best_seconds([&] { roof_once(kind, b, bytes); });
    size_t n = bytes / sizeof(float);
    if (kind == Roof::read) { /* and the same sum with software prefetch */
        t = std::min(t, best_seconds([&] {
                         float sum = snorm_bench_readsum(b.x, n, 1);
                         benchmark::DoNotOptimize(sum);
                     }));
    }
    /* copy: the fastest of memcpy and the two vector loops, each with and
     * without software prefetch */
    for (int pf = 0; kind == Roof::copy && pf < 2; pf++) {
        t = std::min(t, best_seconds([&] {
                         benchmark::DoNotOptimize(b.y);
                         snorm_bench_copy(b.y, b.x, n, pf);
                         benchmark::ClobberMemory();
                     }));
        if (snorm_bench_copy_nt(b.y, b.x, n, pf)) {
            t = std::min(t, best_seconds([&] {
                             benchmark::DoNotOptimize(b.y);
                             snorm_bench_copy_nt(b.y, b.x, n, pf);
                             benchmark::ClobberMemory();
                         }));
        }
    }
    cache[key] = t;
    return t;
}

void set_rates(benchmark::State &st, size_t elems, size_t bytes, double roof_s, double loop_s) {
    st.SetBytesProcessed((int64_t)st.iterations() * (int64_t)bytes);
    st.SetItemsProcessed((int64_t)st.iterations() * (int64_t)elems);
    if (loop_s > 0 && st.iterations() > 0) {
        st.counters["roof"] = roof_s * (double)st.iterations() / loop_s;
    }
}

} // namespace snb

using namespace snb;

/* ---- kernel families --------------------------------------------------- */

namespace {

/* One family: the bytes it must move per element, its roofline, and how to
 * call it: the public snorm_*_isa entry for one variant, or the naive loop
 * when naive is set. (The "overhead" rows check that the _isa entry costs no
 * more than the dispatched one: it once ran CPUID on every call.) */
struct Family {
    const char *name;
    size_t bytes_per_elem;
    std::function<double(size_t bytes_x)> roof; /* seconds per call */
    std::function<snorm_status(snorm_isa, bool naive, const Buffers &, snorm_shape)> run;
};

const float kEps = 1e-5f;

std::vector<Family> families() {
    auto copy = [](size_t bx) { return roof_seconds(Roof::copy, bx); };
    auto read = [](size_t bx) { return roof_seconds(Roof::read, bx); };
    /* Training reads x for the statistics, then reads x and writes y. */
    auto train = [](size_t bx) {
        return roof_seconds(Roof::read, bx) + roof_seconds(Roof::copy, bx);
    };
    auto scale_shift = [](float lo, float hi) {
        return [lo, hi](snorm_isa isa, bool naive, const Buffers &b, snorm_shape sh) {
            if (naive) {
                naive_scale_shift(b.x, b.y, sh, b.scale, b.shift, lo, hi);
                return SNORM_OK;
            }
            return snorm_scale_shift_isa(isa, b.x, b.y, sh, b.scale, b.shift, lo, hi);
        };
    };
    auto bn_inference = [](float lo, float hi) {
        return [lo, hi](snorm_isa isa, bool naive, const Buffers &b, snorm_shape sh) {
            if (naive) {
                naive_batchnorm_inference(b.x, b.y, sh, b.mean, b.var, b.gamma, b.beta, kEps, lo,
                                          hi);
                return SNORM_OK;
            }
            return snorm_batchnorm_inference_isa(isa, b.x, b.y, sh, b.mean, b.var, b.gamma, b.beta,
                                                 kEps, lo, hi);
        };
    };
    return {
        {"moments", 4, read,
         [](snorm_isa isa, bool naive, const Buffers &b, snorm_shape sh) {
             if (naive) {
                 naive_moments(b.x, sh, b.batch_mean, b.batch_var, b.scratch);
                 return SNORM_OK;
             }
             return snorm_channel_moments_isa(isa, b.x, sh, b.batch_mean, b.batch_var);
         }},
        {"scale_shift", 8, copy, scale_shift(-INFINITY, INFINITY)},
        {"scale_shift_relu", 8, copy, scale_shift(0.0f, INFINITY)},
        {"scale_shift_relu6", 8, copy, scale_shift(0.0f, 6.0f)},
        {"l2norm", 8, copy,
         [](snorm_isa isa, bool naive, const Buffers &b, snorm_shape sh) {
             if (naive) {
                 naive_l2norm(b.x, b.y, sh, b.scale, 1e-10f);
                 return SNORM_OK;
             }
             return snorm_l2norm_isa(isa, b.x, b.y, sh, b.scale, 1e-10f, SNORM_EPS_ADD);
         }},
        {"batchnorm_inference", 8, copy, bn_inference(-INFINITY, INFINITY)},
        {"batchnorm_inference_relu", 8, copy, bn_inference(0.0f, INFINITY)},
        {"batchnorm_training", 12, train,
         [](snorm_isa isa, bool naive, const Buffers &b, snorm_shape sh) {
             if (naive) {
                 naive_batchnorm_training(b.x, b.y, sh, b.gamma, b.beta, kEps, 0.1f, b.run_mean,
                                          b.run_var, b.batch_mean, b.batch_var, b.scratch);
                 return SNORM_OK;
             }
             return snorm_batchnorm_training_isa(isa, b.x, b.y, sh, b.gamma, b.beta, kEps, 0.1f,
                                                 b.run_mean, b.run_var, b.batch_mean, b.batch_var);
         }},
    };
}

void run_family(benchmark::State &st, const Family &f, snorm_isa isa, bool naive, snorm_shape sh) {
    size_t elems = sh.n * sh.c * sh.s;
    const Buffers &b = buffers(elems, sh.c);
    double roof_s = f.roof(elems * sizeof(float));
    /* Start clean: a previous row's kernel may have left the upper vector
     * halves dirty (see probe_vector_state), which would slow this row's
     * SSE code for a reason that is not its own. */
    snorm_bench_clear_upper();
    snorm_status status = f.run(isa, naive, b, sh);
    if (status != SNORM_OK) {
        st.SkipWithError(snorm_status_string(status));
        return;
    }
    double t0 = cpu_seconds();
    for (auto _ : st) {
        benchmark::DoNotOptimize(b.x);
        status = f.run(isa, naive, b, sh);
        benchmark::DoNotOptimize(status);
        benchmark::ClobberMemory();
    }
    set_rates(st, elems, f.bytes_per_elem * elems, roof_s, cpu_seconds() - t0);
}

void run_roof(benchmark::State &st, Roof kind, size_t elems) {
    size_t bytes = elems * sizeof(float);
    const Buffers &b = buffers(elems, 1);
    /* the loop row's fraction is of the copy roofline it is one candidate for */
    double roof_s = roof_seconds(kind == Roof::loop ? Roof::copy : kind, bytes);
    double t0 = cpu_seconds();
    for (auto _ : st) {
        roof_once(kind, b, bytes);
    }
    set_rates(st, elems, kind == Roof::read ? bytes : 2 * bytes, roof_s, cpu_seconds() - t0);
}

/* Per-call cost of the two public ways to run a variant on a tiny tensor
 * (1×3×7×7 scale_shift): the dispatched entry after snorm_set_isa, and the
 * snorm_scale_shift_isa twin. The difference is the price of the twin's
 * ISA check. */
void run_overhead(benchmark::State &st, snorm_isa isa, bool isa_entry) {
    snorm_shape sh = {SNORM_LAYOUT_NCHW, 1, 3, 49};
    size_t elems = 3 * 49;
    const Buffers &b = buffers(elems, sh.c);
    if (snorm_set_isa(isa) != SNORM_OK) {
        st.SkipWithError("snorm_set_isa failed");
        return;
    }
    double t0 = cpu_seconds();
    for (auto _ : st) {
        snorm_status status =
            isa_entry ? snorm_scale_shift_isa(isa, b.x, b.y, sh, b.scale, b.shift, 0.0f, 6.0f)
                      : snorm_scale_shift(b.x, b.y, sh, b.scale, b.shift, 0.0f, 6.0f);
        benchmark::DoNotOptimize(status);
        benchmark::ClobberMemory();
    }
    double loop_s = cpu_seconds() - t0;
    set_rates(st, elems, 8 * elems, roof_seconds(Roof::copy, elems * sizeof(float)), loop_s);
}

} // namespace

/* ---- registration ------------------------------------------------------ */

namespace {

/* The dispatcher's own choice, read before any snorm_set_isa. */
snorm_isa g_best_isa = SNORM_ISA_SCALAR;

std::vector<snorm_isa> native_isas() {
    std::vector<snorm_isa> out;
    for (int i = 0; i < SNORM_ISA_COUNT; i++) {
        if (snorm_isa_supported((snorm_isa)i)) {
            out.push_back((snorm_isa)i);
        }
    }
    return out;
}

/* Names are family/layout/implementation/size; the summary script parses them. */
std::string bench_name(const std::string &family, const char *layout, const char *impl,
                       const std::string &size) {
    return family + "/" + layout + "/" + impl + "/" + size;
}

void register_shapes(const std::vector<Shape> &set) {
    static const std::vector<Family> fams = families();
    const snorm_layout layouts[] = {SNORM_LAYOUT_NCHW, SNORM_LAYOUT_NHWC};
    for (const Shape &shape : set) {
        for (const Family &f : fams) {
            for (snorm_layout layout : layouts) {
                snorm_shape sh = shape.as(layout);
                for (snorm_isa isa : native_isas()) {
                    benchmark::RegisterBenchmark(
                        bench_name(f.name, layout_name(layout), snorm_isa_name(isa), shape.name())
                            .c_str(),
                        [&f, isa, sh](benchmark::State &st) { run_family(st, f, isa, false, sh); });
                }
                benchmark::RegisterBenchmark(
                    bench_name(f.name, layout_name(layout), "naive", shape.name()).c_str(),
                    [&f, sh](benchmark::State &st) {
                        run_family(st, f, SNORM_ISA_SCALAR, true, sh);
                    });
            }
        }
        size_t elems = shape.elems();
        benchmark::RegisterBenchmark(
            bench_name("memcpy", "any", "roofline", shape.name()).c_str(),
            [elems](benchmark::State &st) { run_roof(st, Roof::copy, elems); });
        benchmark::RegisterBenchmark(
            bench_name("readsum", "any", "roofline", shape.name()).c_str(),
            [elems](benchmark::State &st) { run_roof(st, Roof::read, elems); });
        benchmark::RegisterBenchmark(
            bench_name("copyloop", "any", "roofline", shape.name()).c_str(),
            [elems](benchmark::State &st) { run_roof(st, Roof::loop, elems); });
    }
}

/* Which kernels return with the upper halves of the vector registers in use
 * (no vzeroupper)? Every SSE instruction the caller runs afterwards pays for
 * it. One call per family × layout × native ISA on a small tensor. */
std::string probe_vector_state() {
    static const std::vector<Family> fams = families();
    const snorm_layout layouts[] = {SNORM_LAYOUT_NCHW, SNORM_LAYOUT_NHWC};
    snorm_bench_clear_upper();
    if (snorm_bench_upper_dirty() != 0) {
        return "unknown (cannot be read here)";
    }
    std::string dirty;
    Shape shape = {"probe", 1, 64, 16, 16, false};
    for (const Family &f : fams) {
        for (snorm_layout layout : layouts) {
            for (snorm_isa isa : native_isas()) {
                const Buffers &b = buffers(shape.elems(), shape.c);
                snorm_bench_clear_upper();
                f.run(isa, false, b, shape.as(layout));
                if (snorm_bench_upper_dirty() == 1) {
                    dirty += std::string(dirty.empty() ? "" : " ") + f.name + "/" +
                             layout_name(layout) + "/" + snorm_isa_name(isa);
                }
            }
        }
    }
    snorm_bench_clear_upper();
    return dirty.empty() ? "none" : dirty;
}

void register_overhead() {
    snorm_isa isa = g_best_isa;
    benchmark::RegisterBenchmark(
        bench_name("overhead.scale_shift", "nchw", "dispatched", "1x3x7x7").c_str(),
        [isa](benchmark::State &st) { run_overhead(st, isa, false); });
    benchmark::RegisterBenchmark(
        bench_name("overhead.scale_shift", "nchw", "isa_entry", "1x3x7x7").c_str(),
        [isa](benchmark::State &st) { run_overhead(st, isa, true); });
}

std::string size_name(size_t bytes) {
    char buf[32];
    if (bytes >= (1u << 20)) {
        snprintf(buf, sizeof buf, "%zuMiB", bytes >> 20);
    } else {
        snprintf(buf, sizeof buf, "%zuKiB", bytes >> 10);
    }
    return buf;
}

/* scale_shift and moments from 4 KiB to 256 MiB of x (32 channels), with the
 * roofline at each size: the L1/L2/L3/DRAM steps. Best native ISA only. */
void register_sweep(bool quick) {
    static const std::vector<Family> fams = families();
    const snorm_layout layouts[] = {SNORM_LAYOUT_NCHW, SNORM_LAYOUT_NHWC};
    const size_t channels = 32;
    snorm_isa isa = g_best_isa;
    int step = quick ? 3 : 1;
    for (int lg = 12; lg <= 28; lg += step) {
        size_t bytes = (size_t)1 << lg;
        size_t elems = bytes / sizeof(float);
        for (const Family &f : fams) {
            if (strcmp(f.name, "moments") != 0 && strcmp(f.name, "scale_shift") != 0) {
                continue;
            }
            for (snorm_layout layout : layouts) {
                snorm_shape sh = {layout, 1, channels, elems / channels};
                benchmark::RegisterBenchmark(
                    bench_name(std::string("sweep.") + f.name, layout_name(layout),
                               snorm_isa_name(isa), size_name(bytes))
                        .c_str(),
                    [&f, isa, sh](benchmark::State &st) { run_family(st, f, isa, false, sh); });
            }
        }
        benchmark::RegisterBenchmark(
            bench_name("sweep.memcpy", "any", "roofline", size_name(bytes)).c_str(),
            [elems](benchmark::State &st) { run_roof(st, Roof::copy, elems); });
        benchmark::RegisterBenchmark(
            bench_name("sweep.readsum", "any", "roofline", size_name(bytes)).c_str(),
            [elems](benchmark::State &st) { run_roof(st, Roof::read, elems); });
    }
}

/* Pin to one CPU so that caches stay warm and the scheduler does not move
 * the run mid-measurement. Returns the CPU, or -1 when not pinned. */
int pin(int cpu) {
    if (cpu < 0) {
        return -1;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0 ? cpu : -1;
}

/* The CPU's name for the summary and the chart titles: /proc/cpuinfo's
 * model name, plus the family when a VM shows only a generic name (AMD
 * families 0x17/0x19/0x1a are Zen 1-2 / Zen 3-4 / Zen 5). */
std::string cpu_model() {
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    std::string model = "unknown CPU", vendor;
    int family = -1;
    while (f && fgets(line, sizeof line, f)) {
        const char *colon = strchr(line, ':');
        std::string value = colon ? std::string(colon + 1) : "";
        value.erase(0, value.find_first_not_of(" \t"));
        value.erase(value.find_last_not_of(" \n") + 1);
        if (strncmp(line, "model name", 10) == 0) {
            model = value;
        } else if (strncmp(line, "vendor_id", 9) == 0) {
            vendor = value;
        } else if (strncmp(line, "cpu family", 10) == 0) {
            family = atoi(value.c_str());
        } else if (line[0] == '\n') {
            break; /* end of the first CPU's block */
        }
    }
    if (f) {
        fclose(f);
    }
    if (vendor == "AuthenticAMD") {
        const char *zen = family == 0x17   ? "Zen 1/2"
                          : family == 0x19 ? "Zen 3/4"
                          : family == 0x1a ? "Zen 5"
                                           : "";
        model += " (family " + std::to_string(family) + (*zen ? std::string(", ") + zen : "") + ")";
    } else if (family >= 0) {
        model += " (family " + std::to_string(family) + ")";
    }
    return model;
}

} // namespace

int main(int argc, char **argv) {
    bool quick = false, sweep = true;
    int cpu = sched_getcpu();
    std::vector<char *> args = {argv[0]};
    bool has_min_time = false, has_reps = false, has_display = false;
    static char def_min_time[] = "--benchmark_min_time=0.02";
    static char def_reps[] = "--benchmark_repetitions=3";
    static char def_display[] = "--benchmark_display_aggregates_only=true";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--snorm_quick") == 0) {
            quick = true;
        } else if (strncmp(a, "--snorm_sweep=", 14) == 0) {
            sweep = atoi(a + 14) != 0;
        } else if (strncmp(a, "--snorm_cpu=", 12) == 0) {
            cpu = atoi(a + 12);
        } else {
            has_min_time |= strncmp(a, "--benchmark_min_time", 20) == 0;
            has_reps |= strncmp(a, "--benchmark_repetitions", 23) == 0;
            has_display |= strncmp(a, "--benchmark_display_aggregates_only", 35) == 0 ||
                           strncmp(a, "--benchmark_report_aggregates_only", 34) == 0;
            args.push_back(argv[i]);
        }
    }
    if (!has_min_time) {
        args.push_back(def_min_time);
    }
    if (!has_reps) {
        args.push_back(def_reps);
    }
    if (!has_display) {
        args.push_back(def_display);
    }
    int nargs = (int)args.size();
    args.push_back(nullptr);

    g_best_isa = snorm_active_isa();
    int pinned = pin(cpu);
    std::string isas;
    for (snorm_isa isa : native_isas()) {
        isas += std::string(isas.empty() ? "" : ",") + snorm_isa_name(isa);
    }
    benchmark::AddCustomContext("cpu_model", cpu_model());
    benchmark::AddCustomContext("snorm_native_isas", isas);
    benchmark::AddCustomContext("snorm_best_isa", snorm_isa_name(g_best_isa));
    benchmark::AddCustomContext("snorm_pinned_cpu",
                                pinned >= 0 ? std::to_string(pinned) : "not pinned");
    benchmark::AddCustomContext("snorm_threads", "1");
    benchmark::AddCustomContext("snorm_readsum_path", snorm_bench_readsum_path());
    benchmark::AddCustomContext("snorm_mode", quick ? "quick" : "full");
    fprintf(stderr, "snorm-bench: native ISAs %s; single thread, %s\n", isas.c_str(),
            pinned >= 0 ? ("pinned to CPU " + std::to_string(pinned)).c_str() : "not pinned");
    onednn_context();
    std::string dirty = probe_vector_state();
    benchmark::AddCustomContext("snorm_dirty_upper_state", dirty);
    if (dirty != "none") {
        fprintf(stderr,
                "snorm-bench: WARNING: kernels returning with dirty upper vector state "
                "(no vzeroupper; slows the caller's SSE code): %s\n",
                dirty.c_str());
    }

    register_shapes(shapes(quick));
    register_onednn(shapes(quick));
    register_overhead();
    if (sweep) {
        register_sweep(quick);
    }
    benchmark::Initialize(&nargs, args.data());
    if (benchmark::ReportUnrecognizedArguments(nargs, args.data())) {
        return 1;
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
