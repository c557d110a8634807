/* l2norm kernels for neon: the generic algorithm in kernels/simd/l2norm.inc. */
#include "neon/vec.h"
#include "simd/l2norm.inc"
