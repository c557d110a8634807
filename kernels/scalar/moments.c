/*
 * Channel moments, scalar reference. The algorithm every variant follows
 * (chunk shift, centred sums from cache, Chan merge in double) written as
 * plain loops; see kernels/common/moments.h.
 */
#include "common/moments.h"
#include "kernels.h"

/* NCHW: each channel is n contiguous planes of s elements. */
void snorm_moments_nchw__scalar(const float *x, snorm_dims d, float *mean, float *var) {
    for (size_t j = 0; j < d.c; j++) {
        snorm_moments_acc acc;
        snorm_moments_acc_init(&acc);
        for (size_t i = 0; i < d.n; i++) {
            const float *plane = x + (i * d.ldc + j) * d.s;
            for (size_t k0 = 0; k0 < d.s; k0 += SNORM_MOMENTS_CHUNK) {
                size_t len = d.s - k0 < SNORM_MOMENTS_CHUNK ? d.s - k0 : SNORM_MOMENTS_CHUNK;
                const float *p = plane + k0;
                double sum = 0.0;
                for (size_t k = 0; k < len; k++) {
                    sum += p[k];
                }
                double mu = sum / (double)len;
                double sd = 0.0, sdd = 0.0;
                for (size_t k = 0; k < len; k++) {
                    double dev = p[k] - mu;
                    sd += dev;
                    sdd += dev * dev;
                }
                snorm_moments_acc_add(&acc, len, mu, sd, sdd);
            }
        }
        snorm_moments_acc_store(&acc, &mean[j], &var[j]);
    }
}

/* NHWC: n·s rows of ldc channels. Channels are taken in blocks whose
 * accumulators live on the stack; rows are walked in order, a chunk of rows
 * at a time, so that the second (centred) pass reads the chunk from cache. */
enum { NHWC_CBLOCK = 64, NHWC_ROWS = 64 };

void snorm_moments_nhwc__scalar(const float *x, snorm_dims d, float *mean, float *var) {
    size_t rows = d.n * d.s;
    for (size_t j0 = 0; j0 < d.c; j0 += NHWC_CBLOCK) {
        size_t cb = d.c - j0 < NHWC_CBLOCK ? d.c - j0 : NHWC_CBLOCK;
        snorm_moments_acc acc[NHWC_CBLOCK];
        for (size_t j = 0; j < cb; j++) {
            snorm_moments_acc_init(&acc[j]);
        }
        for (size_t r0 = 0; r0 < rows; r0 += NHWC_ROWS) {
            size_t len = rows - r0 < NHWC_ROWS ? rows - r0 : NHWC_ROWS;
            const float *chunk = x + r0 * d.ldc + j0;
            double mu[NHWC_CBLOCK], sd[NHWC_CBLOCK], sdd[NHWC_CBLOCK];
            for (size_t j = 0; j < cb; j++) {
                mu[j] = 0.0;
                sd[j] = 0.0;
                sdd[j] = 0.0;
            }
            for (size_t r = 0; r < len; r++) {
                for (size_t j = 0; j < cb; j++) {
                    mu[j] += chunk[r * d.ldc + j];
                }
            }
            for (size_t j = 0; j < cb; j++) {
                mu[j] /= (double)len;
            }
            for (size_t r = 0; r < len; r++) {
                for (size_t j = 0; j < cb; j++) {
                    double dev = chunk[r * d.ldc + j] - mu[j];
                    sd[j] += dev;
                    sdd[j] += dev * dev;
                }
            }
            for (size_t j = 0; j < cb; j++) {
                snorm_moments_acc_add(&acc[j], len, mu[j], sd[j], sdd[j]);
            }
        }
        for (size_t j = 0; j < cb; j++) {
            snorm_moments_acc_store(&acc[j], &mean[j0 + j], &var[j0 + j]);
        }
    }
}
