/* l2norm kernels for sse41: the generic algorithm in kernels/simd/l2norm.inc. */
#include "sse41/vec.h"
#include "simd/l2norm.inc"
