/* scale_shift kernels for sse41: the generic algorithm in kernels/simd/scale_shift.inc. */
#include "sse41/vec.h"
#include "simd/scale_shift.inc"
