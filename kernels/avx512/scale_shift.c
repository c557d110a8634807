/* scale_shift kernels for avx512: the generic algorithm in kernels/simd/scale_shift.inc. */
#include "avx512/vec.h"
#include "simd/scale_shift.inc"
