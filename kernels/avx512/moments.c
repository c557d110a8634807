/* moments kernels for avx512: the generic algorithm in kernels/simd/moments.inc. */
#include "avx512/vec.h"
#include "simd/moments.inc"
