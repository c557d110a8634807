/* moments kernels for sse41: the generic algorithm in kernels/simd/moments.inc. */
#include "sse41/vec.h"
#include "simd/moments.inc"
