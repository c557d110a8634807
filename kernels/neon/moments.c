/* moments kernels for neon: the generic algorithm in kernels/simd/moments.inc. */
#include "neon/vec.h"
#include "simd/moments.inc"
