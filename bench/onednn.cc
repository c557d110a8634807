/*
 * oneDNN peers, single-threaded: batch_normalization forward inference
 * (use_global_stats | use_scale | use_shift, with and without
 * fuse_norm_relu), forward training (use_scale | use_shift; it computes the
 * batch statistics). Channel moments have no exact peer: the reduction
 * primitive (reduction_mean over N, H, W) computes only the mean (less work
 * than snorm's mean and variance), the training primitive computes the
 * statistics and also writes the normalized tensor (more work); both rows
 * are kept and the summary compares with the faster.
 * Primitives and memory objects are created outside the timed region; the
 * memory objects wrap the same buffers the snorm benchmarks use. Names and
 * byte counts match the snorm rows: family/layout/onednn/shape.
 *
 * Built only when meson finds oneDNN (SNORM_BENCH_ONEDNN); otherwise these
 * entry points do nothing.
 */
#include "bench_common.h"

#ifdef SNORM_BENCH_ONEDNN

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdio>
#include <string>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace snb {

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using nflags = dnnl::normalization_flags;

dnnl::engine &engine() {
    static dnnl::engine e(dnnl::engine::kind::cpu, 0);
    return e;
}

memory::desc data_desc(const Shape &s, snorm_layout layout) {
    return memory::desc({(memory::dim)s.n, (memory::dim)s.c, (memory::dim)s.h, (memory::dim)s.w},
                        memory::data_type::f32,
                        layout == SNORM_LAYOUT_NCHW ? tag::nchw : tag::nhwc);
}

memory::desc channel_desc(const Shape &s) {
    return memory::desc({(memory::dim)s.c}, memory::data_type::f32, tag::a);
}

void time_primitive(benchmark::State &st, const dnnl::primitive &p,
                    const std::unordered_map<int, memory> &args, const Shape &s, size_t bytes,
                    double roof_s) {
    dnnl::stream stream(engine());
    p.execute(stream, args);
    stream.wait();
    double t0 = cpu_seconds();
    for (auto _ : st) {
        p.execute(stream, args);
        stream.wait();
        benchmark::ClobberMemory();
    }
    set_rates(st, s.elems(), bytes, roof_s, cpu_seconds() - t0);
}

void bn_inference(benchmark::State &st, Shape s, snorm_layout layout, bool relu) {
    const Buffers &b = buffers(s.elems(), s.c);
    double roof_s = roof_seconds(Roof::copy, s.elems() * sizeof(float));
    auto flags = nflags::use_global_stats | nflags::use_scale | nflags::use_shift;
    if (relu) {
        flags = flags | nflags::fuse_norm_relu;
    }
    memory::desc md = data_desc(s, layout), cd = channel_desc(s);
    dnnl::batch_normalization_forward::desc d(dnnl::prop_kind::forward_inference, md, 1e-5f, flags);
    dnnl::batch_normalization_forward::primitive_desc pd(d, engine());
    dnnl::batch_normalization_forward prim(pd);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, memory(md, engine(), b.x)},
        {DNNL_ARG_DST, memory(md, engine(), b.y)},
        {DNNL_ARG_MEAN, memory(cd, engine(), b.mean)},
        {DNNL_ARG_VARIANCE, memory(cd, engine(), b.var)},
        {DNNL_ARG_SCALE, memory(cd, engine(), b.gamma)},
        {DNNL_ARG_SHIFT, memory(cd, engine(), b.beta)},
    };
    st.SetLabel(pd.impl_info_str());
    time_primitive(st, prim, args, s, 8 * s.elems(), roof_s);
}

/* bytes: what the row is compared on (12·elems for training; 4·elems when
 * it stands in as the moments peer, timed for the statistics it returns). */
void bn_training(benchmark::State &st, Shape s, snorm_layout layout, size_t bytes) {
    const Buffers &b = buffers(s.elems(), s.c);
    size_t bx = s.elems() * sizeof(float);
    double roof_s = bytes == 4 * s.elems()
                        ? roof_seconds(Roof::read, bx)
                        : roof_seconds(Roof::read, bx) + roof_seconds(Roof::copy, bx);
    memory::desc md = data_desc(s, layout), cd = channel_desc(s);
    dnnl::batch_normalization_forward::desc d(dnnl::prop_kind::forward_training, md, 1e-5f,
                                              nflags::use_scale | nflags::use_shift);
    dnnl::batch_normalization_forward::primitive_desc pd(d, engine());
    dnnl::batch_normalization_forward prim(pd);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, memory(md, engine(), b.x)},
        {DNNL_ARG_DST, memory(md, engine(), b.y)},
        {DNNL_ARG_MEAN, memory(cd, engine(), b.batch_mean)},
        {DNNL_ARG_VARIANCE, memory(cd, engine(), b.batch_var)},
        {DNNL_ARG_SCALE, memory(cd, engine(), b.gamma)},
        {DNNL_ARG_SHIFT, memory(cd, engine(), b.beta)},
    };
    st.SetLabel(pd.impl_info_str());
    time_primitive(st, prim, args, s, bytes, roof_s);
}

void reduction_mean(benchmark::State &st, Shape s, snorm_layout layout) {
    const Buffers &b = buffers(s.elems(), s.c);
    double roof_s = roof_seconds(Roof::read, s.elems() * sizeof(float));
    memory::desc md = data_desc(s, layout);
    memory::desc od({1, (memory::dim)s.c, 1, 1}, memory::data_type::f32,
                    layout == SNORM_LAYOUT_NCHW ? tag::nchw : tag::nhwc);
    dnnl::reduction::desc d(dnnl::algorithm::reduction_mean, md, od, 0.0f, 0.0f);
    dnnl::reduction::primitive_desc pd(d, engine());
    dnnl::reduction prim(pd);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, memory(md, engine(), b.x)},
        {DNNL_ARG_DST, memory(od, engine(), b.batch_mean)},
    };
    st.SetLabel(pd.impl_info_str());
    time_primitive(st, prim, args, s, 4 * s.elems(), roof_s);
}

/* Runs the benchmark body, turning a oneDNN refusal into a skipped row. */
template <typename F> void guarded(benchmark::State &st, F body) {
    try {
        body();
    } catch (const dnnl::error &e) {
        st.SkipWithError(e.what());
    }
}

} // namespace

void register_onednn(const std::vector<Shape> &set) {
    const snorm_layout layouts[] = {SNORM_LAYOUT_NCHW, SNORM_LAYOUT_NHWC};
    for (const Shape &s : set) {
        for (snorm_layout layout : layouts) {
            std::string lay = std::string("/") + layout_name(layout);
            std::string tail = lay + "/onednn/" + s.name();
            /* Two peers for moments, both counted on the 4 bytes/element
             * the statistics need: the reduction primitive (mean only) and
             * the training primitive (statistics plus the normalized output). */
            benchmark::RegisterBenchmark(("moments" + lay + "/onednn_reduce/" + s.name()).c_str(),
                                         [s, layout](benchmark::State &st) {
                                             guarded(st, [&] { reduction_mean(st, s, layout); });
                                         });
            benchmark::RegisterBenchmark(
                ("moments" + lay + "/onednn_bntrain/" + s.name()).c_str(),
                [s, layout](benchmark::State &st) {
                    guarded(st, [&] { bn_training(st, s, layout, 4 * s.elems()); });
                });
            benchmark::RegisterBenchmark(
                ("batchnorm_inference" + tail).c_str(), [s, layout](benchmark::State &st) {
                    guarded(st, [&] { bn_inference(st, s, layout, false); });
                });
            benchmark::RegisterBenchmark(
                ("batchnorm_inference_relu" + tail).c_str(), [s, layout](benchmark::State &st) {
                    guarded(st, [&] { bn_inference(st, s, layout, true); });
                });
            benchmark::RegisterBenchmark(
                ("batchnorm_training" + tail).c_str(), [s, layout](benchmark::State &st) {
                    guarded(st, [&] { bn_training(st, s, layout, 12 * s.elems()); });
                });
        }
    }
}

/* oneDNN uses OpenMP here (Debian's build): one thread, like the snorm rows. */
void onednn_context() {
#ifdef _OPENMP
    omp_set_num_threads(1);
    std::string threads = std::to_string(omp_get_max_threads()) + " (OpenMP)";
#else
    std::string threads = "runtime default (set OMP_NUM_THREADS=1)";
#endif
    const dnnl_version_t *v = dnnl_version();
    char version[64];
    snprintf(version, sizeof version, "%d.%d.%d", v->major, v->minor, v->patch);
    benchmark::AddCustomContext("onednn_version", version);
    benchmark::AddCustomContext("onednn_threads", threads);
    benchmark::AddCustomContext("onednn_cpu_isa",
                                std::to_string((int)dnnl::get_effective_cpu_isa()));
    fprintf(stderr, "snorm-bench: oneDNN %s, threads %s\n", version, threads.c_str());
}

} // namespace snb

#else

namespace snb {
void register_onednn(const std::vector<Shape> &) {}
void onednn_context() { benchmark::AddCustomContext("onednn_version", "not built"); }
} // namespace snb

#endif
