/* l2norm kernels for avx2: the generic algorithm in kernels/simd/l2norm.inc. */
#include "avx2/vec.h"
#include "simd/l2norm.inc"
