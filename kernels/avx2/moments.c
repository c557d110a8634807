/* moments kernels for avx2: the generic algorithm in kernels/simd/moments.inc. */
#include "avx2/vec.h"
#include "simd/moments.inc"
