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

/* Sum of x[0..n) read once with the widest native vectors and many
 * independent accumulators: an upper bound on the speed of any kernel that
 * must read the n floats. */
float snorm_bench_readsum(const float *x, size_t n);

/* y[0..n) = x[0..n) with the same widest vectors and ordinary stores: the
 * copy roofline is the faster of this and the C library's memcpy (which
 * switches to non-temporal stores for large sizes, slower while the data
 * would still fit in the last-level cache, faster beyond it). */
void snorm_bench_copy(float *y, const float *x, size_t n);

/* Name of the code path snorm_bench_readsum uses on this CPU. */
const char *snorm_bench_readsum_path(void);

#ifdef __cplusplus
}
#endif

#endif
