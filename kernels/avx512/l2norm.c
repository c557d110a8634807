/* l2norm kernels for avx512: the generic algorithm in kernels/simd/l2norm.inc. */
#include "avx512/vec.h"
#include "simd/l2norm.inc"
