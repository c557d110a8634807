/* scale_shift kernels for avx2: the generic algorithm in kernels/simd/scale_shift.inc. */
#include "avx2/vec.h"
#include "simd/scale_shift.inc"
