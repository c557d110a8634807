/*
 * The kernel interface: what every variant implements and how the registry
 * names it. Kernels know nothing of dispatch: they receive checked,
 * non-overlapping (or identical, in place) buffers and compute.
 *
 * Naming: snorm_<family>_<layout>__<isa>, e.g. snorm_l2norm_nhwc__avx512.
 */
#ifndef SNORM_KERNELS_H
#define SNORM_KERNELS_H

#include <stddef.h>

#include "simdnorm.h"

/*
 * The extent a kernel works on: a block of c channels of a tensor with ldc
 * channels in all (ldc ≥ c). The layout's channel count in the addressing
 * formula is ldc, so a kernel can be handed a channel slice [c0, c0 + c) as
 * x + c0·s (NCHW) or x + c0 (NHWC):
 *
 *     NCHW: element (i, j, k) at x[(i*ldc + j)*s + k]
 *     NHWC: element (i, j, k) at x[(i*s + k)*ldc + j]
 *
 * The public API passes ldc = c except for batch-norm, which works in
 * channel blocks so that its folded parameters fit on the stack.
 */
typedef struct snorm_dims {
    size_t n, c, s, ldc;
} snorm_dims;

/*
 * scale_shift and l2norm write outputs of at least this many bytes with
 * non-temporal (streaming) stores where the ISA has them and the vectors
 * are aligned (kernels/simd/stream.inc): such an output cannot stay in
 * cache, and a streaming store saves each line's read-for-ownership.
 * Measured on Zen 5 (32 MiB L3), AVX-512 NCHW, fraction of the copy roofline
 * streaming vs ordinary stores: 8 MiB 0.67 vs 0.97, 16 MiB 0.92 vs 0.89,
 * 32 MiB 1.03 vs 0.76 — the crossover where input and output together
 * reach the L3 size.
 */
#define SNORM_STREAM_BYTES ((size_t)16 << 20)

/* mean[j], var[j] (biased) for j < c. n·s ≥ 1. Algorithm: see simdnorm.h. */
typedef void (*snorm_moments_fn)(const float *x, snorm_dims d, float *mean, float *var);

/* y = min(max(scale[j]·x + shift[j], lo), hi); shift may be NULL (0);
 * lo ≤ hi, neither NaN. y == x (in place) allowed. */
typedef void (*snorm_scale_shift_fn)(const float *x, float *y, snorm_dims d, const float *scale,
                                     const float *shift, float lo, float hi);

/* The batch-norm fold for j < c: scale[j] = gamma[j]/√(var[j] + eps) and
 * shift[j] = beta[j] − mean[j]·scale[j], in double, each rounded once to
 * float (the double scale, not the float one, enters the shift). gamma,
 * beta may be NULL (1, 0). Outputs may be exactly any of the inputs. */
typedef void (*snorm_fold_fn)(size_t c, const float *mean, const float *var, const float *gamma,
                              const float *beta, float eps, float *scale, float *shift);

/* y = scale[j]·x / d(q); scale may be NULL (1); ldc == c. y == x allowed. */
typedef void (*snorm_l2norm_fn)(const float *x, float *y, snorm_dims d, const float *scale,
                                float eps, snorm_eps_mode mode);

/* One variant: every family in both layouts, for one ISA. */
typedef struct snorm_kernel_table {
    snorm_isa isa;
    snorm_moments_fn moments[2]; /* indexed by snorm_layout */
    snorm_scale_shift_fn scale_shift[2];
    snorm_fold_fn fold;
    snorm_l2norm_fn l2norm[2];
} snorm_kernel_table;

/*
 * The registry is the `variants` list in the top-level meson.build: one line
 * per ISA folder with its compile flags. Meson writes it out as
 * SNORM_FOREACH_VARIANT(X), X(token, SNORM_ISA_ suffix), in snorm_variants.h;
 * the prototypes below, the dispatcher's tables and (through
 * snorm_isa_runnable) the test and benchmark loops all follow from it.
 */
#include "snorm_variants.h"

#define SNORM_DECLARE_VARIANT(isa, ISA)                                                            \
    void snorm_moments_nchw__##isa(const float *x, snorm_dims d, float *mean, float *var);         \
    void snorm_moments_nhwc__##isa(const float *x, snorm_dims d, float *mean, float *var);         \
    void snorm_scale_shift_nchw__##isa(const float *x, float *y, snorm_dims d, const float *scale, \
                                       const float *shift, float lo, float hi);                    \
    void snorm_scale_shift_nhwc__##isa(const float *x, float *y, snorm_dims d, const float *scale, \
                                       const float *shift, float lo, float hi);                    \
    void snorm_fold__##isa(size_t c, const float *mean, const float *var, const float *gamma,      \
                           const float *beta, float eps, float *scale, float *shift);              \
    void snorm_l2norm_nchw__##isa(const float *x, float *y, snorm_dims d, const float *scale,      \
                                  float eps, snorm_eps_mode mode);                                 \
    void snorm_l2norm_nhwc__##isa(const float *x, float *y, snorm_dims d, const float *scale,      \
                                  float eps, snorm_eps_mode mode);
SNORM_FOREACH_VARIANT(SNORM_DECLARE_VARIANT)
#undef SNORM_DECLARE_VARIANT

#endif /* SNORM_KERNELS_H */
