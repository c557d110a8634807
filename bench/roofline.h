/*
 * Memory rooflines measured in the same run as the kernels: the fastest a
 * kernel could possibly be for the bytes it must move.
 */
#ifndef SNORM_BENCH_ROOFLINE_H
#define SNORM_BENCH_ROOFLINE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every loop here runs with or without software prefetch (prefetch != 0:
 * each step asks for the lines 16 KiB ahead, as the kernels do on large
 * streams); the rooflines take the faster of the two. */

/* Sum of x[0..n) read once with the widest native vectors and many
 * independent accumulators: an upper bound on the speed of any kernel that
 * must read the n floats. */
float snorm_bench_readsum(const float *x, size_t n, int prefetch);

/* y[0..n) = x[0..n) with the same widest vectors and ordinary stores: the
 * copy roofline is the fastest of this, the streaming copy below and the C
 * library's memcpy (which switches to non-temporal stores above a size of
 * its own choosing). */
void snorm_bench_copy(float *y, const float *x, size_t n, int prefetch);

/* The same copy with non-temporal (streaming) stores, what memcpy and some
 * libraries (oneDNN) use for large outputs. Returns 0 (and copies nothing)
 * where there is no such store (non-x86). */
int snorm_bench_copy_nt(float *y, const float *x, size_t n, int prefetch);

/*
 * x86 vector state hygiene. A function that uses 256/512-bit registers must
 * return with their upper halves clean (vzeroupper); otherwise every later
 * legacy-SSE instruction of the caller pays a penalty (several times slower
 * scalar/SSE code on recent cores).
 *   snorm_bench_upper_dirty: 1 if the upper halves are in use right now
 *     (XGETBV with ECX=1, XINUSE); 0 if clean; -1 if it cannot be told
 *     (not x86, or no XGETBV-1).
 *   snorm_bench_clear_upper: vzeroupper where AVX exists, else nothing.
 */
int snorm_bench_upper_dirty(void);
void snorm_bench_clear_upper(void);

/* Name of the code path snorm_bench_readsum uses on this CPU. */
const char *snorm_bench_readsum_path(void);

#ifdef __cplusplus
}
#endif

#endif
