/* scale_shift kernels for neon: the generic algorithm in kernels/simd/scale_shift.inc. */
#include "neon/vec.h"
#include "simd/scale_shift.inc"
