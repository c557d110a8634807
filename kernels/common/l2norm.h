/*
 * Shared by every l2norm kernel: how eps turns the sum of squares q into the
 * reciprocal norm 1/d (see the eps-mode table in simdnorm.h).
 *
 * NaN must propagate: max(q, eps) is written `q < eps ? eps : q`, which keeps
 * a NaN q (fmax would replace it by eps). SIMD variants get the same effect
 * from max_ps(eps, q), which returns its second operand when either is NaN.
 */
#ifndef SNORM_COMMON_L2NORM_H
#define SNORM_COMMON_L2NORM_H

#include <math.h>

#include "simdnorm.h"

static inline double snorm_l2_inv_norm(double q, double eps, snorm_eps_mode mode) {
    double d;
    switch (mode) {
    case SNORM_EPS_ADD: d = sqrt(q + eps); break;
    case SNORM_EPS_MAX_SUM: d = sqrt(q < eps ? eps : q); break;
    default: /* SNORM_EPS_MAX_NORM */
        d = sqrt(q);
        d = d < eps ? eps : d;
        break;
    }
    return 1.0 / d;
}

/*
 * d² for the same modes, so that a kernel can take one (vector) square root
 * per pixel: for SNORM_EPS_MAX_NORM, max(√q, eps) = √max(q, eps²) exactly,
 * since eps² of a float is exact in double and a correctly rounded sqrt is
 * monotonic with √(eps²) = eps. NaN q stays NaN in every mode.
 */
static inline double snorm_l2_norm_sq(double q, double eps, snorm_eps_mode mode) {
    switch (mode) {
    case SNORM_EPS_ADD: return q + eps;
    case SNORM_EPS_MAX_SUM: return q < eps ? eps : q;
    default: /* SNORM_EPS_MAX_NORM */ return q < eps * eps ? eps * eps : q;
    }
}

#endif /* SNORM_COMMON_L2NORM_H */
