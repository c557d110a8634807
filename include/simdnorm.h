/*
 * simdnorm — SIMD normalization kernels (fp32): channel moments, batch-norm
 * scale/shift with fused clamp, and L2 normalization across channels.
 *
 * Conventions shared by every function
 * ------------------------------------
 * A tensor is n × c × s, where s is the product of the spatial dimensions
 * (H·W, D·H·W, …). Element (i, j, k) — batch i, channel j, spatial k — is at
 *
 *     SNORM_LAYOUT_NCHW:  x[(i*c + j)*s + k]     (PyTorch, Caffe default)
 *     SNORM_LAYOUT_NHWC:  x[(i*s + k)*c + j]     (TensorFlow, TFLite default)
 *
 * Every function returns a status. Arguments are checked once, before any
 * output is written: when a call fails, no output byte has been touched.
 * The library never prints, never aborts, never allocates, never changes
 * floating-point state (MXCSR, rounding mode) and is safe to call from many
 * threads at once. Pointers need only float alignment (4 bytes).
 *
 * Input and output tensors may be the same buffer (in place), but must not
 * partially overlap. No output may overlap any other buffer of the call
 * (inputs may overlap each other: they are only read).
 *
 * Computations follow IEEE-754 semantics without reassociation: a NaN in
 * the input yields NaN in every output that depends on it.
 */
#ifndef SIMDNORM_H
#define SIMDNORM_H

#include <stddef.h>

#if defined(_WIN32) && defined(SNORM_SHARED_BUILD)
#define SNORM_API __declspec(dllexport)
#elif defined(__GNUC__)
#define SNORM_API __attribute__((visibility("default")))
#else
#define SNORM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Status codes                                                             */
/* ------------------------------------------------------------------------ */

typedef enum snorm_status {
    SNORM_OK = 0,
    SNORM_ERR_NULL_POINTER = 1,    /* a required pointer is NULL */
    SNORM_ERR_INVALID_ARGUMENT = 2,/* bad enum, eps < 0 or NaN, momentum outside
                                      [0,1] or NaN, lo > hi or NaN bound */
    SNORM_ERR_SIZE_OVERFLOW = 3,   /* n·c·s elements (or their bytes) overflow size_t */
    SNORM_ERR_EMPTY_REDUCTION = 4, /* moments over n·s = 0 elements */
    SNORM_ERR_OVERLAP = 5,         /* output partially overlaps an input */
    SNORM_ERR_UNSUPPORTED_ISA = 6  /* ISA not compiled in or not runnable here */
} snorm_status;

/* Short English description of a status; never NULL ("unknown status" for
 * values outside the enum). */
SNORM_API const char *snorm_status_string(snorm_status status);

/* ------------------------------------------------------------------------ */
/* Tensor shape                                                             */
/* ------------------------------------------------------------------------ */

typedef enum snorm_layout {
    SNORM_LAYOUT_NCHW = 0,
    SNORM_LAYOUT_NHWC = 1
} snorm_layout;

typedef struct snorm_shape {
    snorm_layout layout;
    size_t n; /* batch */
    size_t c; /* channels */
    size_t s; /* product of the spatial dimensions */
} snorm_shape;

/* ------------------------------------------------------------------------ */
/* Channel moments (batch-norm statistics)                                  */
/* ------------------------------------------------------------------------ */

/*
 * For each channel j, over its m = n·s elements:
 *
 *     mean[j] = (1/m) Σ x(i,j,k)
 *     var[j]  = (1/m) Σ (x(i,j,k) − mean[j])²      (population / biased)
 *
 * Algorithm: one pass over memory with two-pass accuracy. The m elements are
 * visited in cache-sized chunks. Each chunk is summed around a shift μ̃ close
 * to its mean — Σ(x − μ̃) and Σ(x − μ̃)², from which its mean and centred
 * M2 follow exactly (the scalar reference takes the chunk's own mean; the
 * SIMD variants the previous chunk's mean, or a few elements' mean for the
 * first, and re-sum the chunk from L1 around its own mean when μ̃ lies more
 * than √3 standard deviations away). Chunk statistics (count, mean, M2) are
 * merged into the channel's running statistics with Chan et al.'s parallel
 * formula in double precision:
 *
 *     δ = mean_b − mean_a,  n = n_a + n_b
 *     mean = mean_a + δ·n_b/n,   M2 = M2_a + M2_b + δ²·n_a·n_b/n
 *
 * The textbook E[x²] − E[x]² is never used: it cancels catastrophically
 * when |mean| ≫ std. Guarantee for every ISA variant (tested): for data of
 * mean 1e4 and std 1, or mean 1 and std 1e-4, the relative error of var is
 * ≤ 1e-5 and |mean error| ≤ 1e-6·(|mean| + std) against a float64 two-pass
 * computation over the same float data.
 *
 * Range: the SIMD variants sum a chunk's centred squares in float, so the
 * result is finite while |x − mean| stays below about 1e17 (the scalar
 * variant, in double, for any finite input). Larger deviations give an
 * infinite var. The vector kernels keep their per-channel sums on the stack
 * (GCC -fstack-usage, every ISA: up to 36.6 KiB in NHWC, 24 KiB of it
 * double sums for rows of up to 1024 channels; 16.8 KiB in NCHW batches,
 * 12 KiB of it lane sums for planes of 9…64 floats).
 *
 * Errors: NULL x/mean/var; bad layout; size overflow; n·s = 0 (EMPTY_REDUCTION);
 * mean/var overlapping x or each other. c = 0 is a successful no-op.
 */
SNORM_API snorm_status snorm_channel_moments(const float *x, snorm_shape shape, float *mean,
                                             float *var);

/* ------------------------------------------------------------------------ */
/* Normalize-scale-shift                                                    */
/* ------------------------------------------------------------------------ */

/*
 * Folds batch-norm parameters into one multiply-add per element, for c
 * channels:
 *
 *     scale[j] = gamma[j] / √(var[j] + eps)
 *     shift[j] = beta[j] − mean[j]·scale[j]
 *
 * gamma NULL means 1, beta NULL means 0. Computed in double, rounded once,
 * by the active variant (vector square roots and divides; every variant
 * gives the same bits, but for the payload of a NaN). var + eps = 0 gives
 * an infinite scale (as the formula does). scale/shift may be the same
 * arrays as mean/var/gamma/beta (element-wise in place).
 * Errors: NULL mean/var/scale/shift; eps < 0 or NaN; c·4 bytes overflow.
 */
SNORM_API snorm_status snorm_fold_batchnorm(size_t c, const float *mean, const float *var,
                                            const float *gamma, const float *beta, float eps,
                                            float *scale, float *shift);

/*
 * y(i,j,k) = min(max(scale[j]·x(i,j,k) + shift[j], lo), hi)
 *
 * shift NULL means 0. The clamp fuses the activation:
 *     lo = -INFINITY, hi = INFINITY   no activation
 *     lo = 0,         hi = INFINITY   ReLU
 *     lo = 0,         hi = 6          ReLU6
 * The multiply-add may be fused (FMA) on ISAs that have it, so results may
 * differ from the scalar variant by one rounding: ≤ 2 ulp of
 * |scale·x| + |shift|. NaN inputs stay NaN (the clamp never hides them).
 * The vector kernels build a/b patterns on the stack (GCC -fstack-usage,
 * AVX-512: up to 8.2 KiB in NHWC, 4.2 KiB in NCHW).
 * Errors: NULL x/y/scale; bad layout; lo > hi or a NaN bound; overflow;
 * partial overlap of x and y. Zero n, c or s is a successful no-op.
 */
SNORM_API snorm_status snorm_scale_shift(const float *x, float *y, snorm_shape shape,
                                         const float *scale, const float *shift, float lo,
                                         float hi);

/* ------------------------------------------------------------------------ */
/* L2 normalization across channels (SSD "Normalize")                       */
/* ------------------------------------------------------------------------ */

/*
 * How eps enters the norm. With q = Σ_j x(i,j,k)² at each (i, k):
 *
 *   mode                   d                  matches
 *   SNORM_EPS_ADD          √(q + eps)         Caffe-SSD Normalize, MXNet L2Normalization
 *   SNORM_EPS_MAX_SUM      √max(q, eps)       TensorFlow tf.math.l2_normalize (epsilon)
 *   SNORM_EPS_MAX_NORM     max(√q, eps)       PyTorch F.normalize (eps)
 */
typedef enum snorm_eps_mode {
    SNORM_EPS_ADD = 0,
    SNORM_EPS_MAX_SUM = 1,
    SNORM_EPS_MAX_NORM = 2
} snorm_eps_mode;

/*
 * y(i,j,k) = scale[j] · x(i,j,k) / d(i,k),   d from the table above.
 *
 * scale NULL means 1. q is accumulated without overflow or underflow for any
 * finite float input (inputs of magnitude 1e18 or 1e-18 normalize exactly as
 * inputs of magnitude 1 do), error ≤ 4 ulp relative to exact. A pixel whose
 * d is 0 (all-zero input, eps = 0) yields NaN as 0/0 does; an infinite input
 * yields NaN in its own channel and 0 in the others (x/∞).
 * The SIMD variants sum squares in float pairs widened to double and form
 * 1/d in double (measured ≤ 2.6 ulp); pixels with extreme norms, and calls
 * whose scale has an |scale[j]| outside [2^-60, 2^60] (other than 0) or a
 * non-finite one, take the scalar reference path: same bound, slower.
 * Their lane sums and 1/d patterns are on the stack (GCC -fstack-usage,
 * AVX-512: up to 18 KiB in NCHW, 11.5 KiB in NHWC).
 * Errors: NULL x/y; bad layout or mode; eps < 0 or NaN; overflow; partial
 * overlap of x and y. Zero n, c or s is a successful no-op.
 */
SNORM_API snorm_status snorm_l2norm(const float *x, float *y, snorm_shape shape,
                                    const float *scale, float eps, snorm_eps_mode mode);

/* ------------------------------------------------------------------------ */
/* Batch normalization                                                      */
/* ------------------------------------------------------------------------ */

/*
 * Inference: y = clamp(gamma·(x − mean)/√(var + eps) + beta, lo, hi), computed
 * as snorm_fold_batchnorm followed by snorm_scale_shift (in blocks of up to
 * 1024 channels, folded on the stack: up to 8 KiB, 16 KiB with the
 * scale_shift kernel's own patterns). gamma/beta NULL mean 1/0.
 */
SNORM_API snorm_status snorm_batchnorm_inference(const float *x, float *y, snorm_shape shape,
                                                 const float *mean, const float *var,
                                                 const float *gamma, const float *beta,
                                                 float eps, float lo, float hi);

/*
 * Training: batch statistics (snorm_channel_moments) over m = n·s, then
 * y = gamma·(x − batch_mean)/√(batch_var + eps) + beta.
 *
 * When running_mean and running_var are non-NULL (both or neither):
 *     running_mean = (1 − momentum)·running_mean + momentum·batch_mean
 *     running_var  = (1 − momentum)·running_var  + momentum·batch_var·m/(m − 1)
 * i.e. the running variance tracks the unbiased estimate (PyTorch's
 * convention; momentum = 0.1 there). For m = 1 the unbiased estimate is
 * undefined and running_var is left unchanged (running_mean still updates).
 * batch_mean/batch_var (NULL = not returned) receive the biased statistics.
 * Works in blocks of up to 1024 channels like inference (8 KiB of stack,
 * beside the moments kernel's own).
 * Errors: as snorm_channel_moments and snorm_scale_shift, plus momentum
 * outside [0, 1] or NaN (INVALID_ARGUMENT), and only one of
 * running_mean/running_var given (NULL_POINTER).
 */
SNORM_API snorm_status snorm_batchnorm_training(const float *x, float *y, snorm_shape shape,
                                                const float *gamma, const float *beta,
                                                float eps, float momentum, float *running_mean,
                                                float *running_var, float *batch_mean,
                                                float *batch_var);

/* ------------------------------------------------------------------------ */
/* Instruction-set control                                                  */
/* ------------------------------------------------------------------------ */

typedef enum snorm_isa {
    SNORM_ISA_SCALAR = 0,
    SNORM_ISA_SSE41 = 1,
    SNORM_ISA_AVX2 = 2,   /* AVX2 + FMA */
    SNORM_ISA_AVX512 = 3, /* AVX-512 F (+DQ/BW/VL) */
    SNORM_ISA_NEON = 4,
    SNORM_ISA_COUNT = 5
} snorm_isa;

/*
 * The variant the plain functions above use. Chosen once, on first use: the
 * best ISA this CPU runs natively (x86: CPUID and the OS-enabled state in
 * XCR0; aarch64: NEON), capped by the environment variable
 * SNORM_ISA=scalar|sse41|avx2|avx512|neon. An unknown or unsupported value
 * falls back to the best supported ISA below it, silently.
 */
SNORM_API snorm_isa snorm_active_isa(void);

/* Process-wide override of that choice. Refuses (SNORM_ERR_UNSUPPORTED_ISA,
 * nothing changed) an ISA this CPU cannot run natively. Thread-safe; calls
 * already running finish with the variant they started with. */
SNORM_API snorm_status snorm_set_isa(snorm_isa isa);

/* 1 if this CPU runs the ISA natively (the dispatcher may select it). */
SNORM_API int snorm_isa_supported(snorm_isa isa);

/* 1 if the variant can be called here through the *_isa functions below:
 * natively, or emulated through SIMDe (e.g. NEON on x86, x86 on aarch64).
 * Emulated variants compute the same results, slowly; they exist so that
 * every variant is tested on every host. */
SNORM_API int snorm_isa_runnable(snorm_isa isa);

/* "scalar", "sse41", "avx2", "avx512", "neon"; "unknown" otherwise. */
SNORM_API const char *snorm_isa_name(snorm_isa isa);

/*
 * The same functions with an explicit variant, for tests, benchmarks and
 * accuracy reports. They ignore (and never change) the process-wide choice.
 * An isa outside the enum, or a variant that is not runnable here, returns
 * SNORM_ERR_UNSUPPORTED_ISA before any other check.
 */
SNORM_API snorm_status snorm_channel_moments_isa(snorm_isa isa, const float *x, snorm_shape shape,
                                                 float *mean, float *var);
SNORM_API snorm_status snorm_scale_shift_isa(snorm_isa isa, const float *x, float *y,
                                             snorm_shape shape, const float *scale,
                                             const float *shift, float lo, float hi);
SNORM_API snorm_status snorm_l2norm_isa(snorm_isa isa, const float *x, float *y,
                                        snorm_shape shape, const float *scale, float eps,
                                        snorm_eps_mode mode);
SNORM_API snorm_status snorm_batchnorm_inference_isa(snorm_isa isa, const float *x, float *y,
                                                     snorm_shape shape, const float *mean,
                                                     const float *var, const float *gamma,
                                                     const float *beta, float eps, float lo,
                                                     float hi);
SNORM_API snorm_status snorm_batchnorm_training_isa(snorm_isa isa, const float *x, float *y,
                                                    snorm_shape shape, const float *gamma,
                                                    const float *beta, float eps, float momentum,
                                                    float *running_mean, float *running_var,
                                                    float *batch_mean, float *batch_var);

#ifdef __cplusplus
}
#endif

#endif /* SIMDNORM_H */
