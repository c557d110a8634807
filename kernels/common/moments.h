/*
 * Shared by every moments kernel: the per-chunk statistics and Chan's merge.
 *
 * A kernel visits each channel's m = n·s elements in chunks that fit in L1.
 * For a chunk of len elements it picks a shift μ̃ (the chunk's float mean is
 * the natural choice; any value near the data works) and computes, while the
 * chunk is in cache,
 *
 *     sd  = Σ (x − μ̃)          sdd = Σ (x − μ̃)²
 *
 * from which the chunk's exact statistics follow without cancellation:
 *
 *     mean = μ̃ + sd/len        M2 = sdd − sd²/len
 *
 * (sd is tiny when μ̃ is close to the chunk mean, so the correction is small
 * and accurate.) Chunks are merged into the channel's running (count, mean,
 * M2) in double with Chan, Golub & LeVeque's pairwise update.
 */
#ifndef SNORM_COMMON_MOMENTS_H
#define SNORM_COMMON_MOMENTS_H

#include <stddef.h>

/* Elements per chunk along a contiguous axis: 4 KiB of floats, so a chunk
 * read for the shift is still in L1 when it is read again. */
#define SNORM_MOMENTS_CHUNK 1024

typedef struct snorm_moments_acc {
    double count, mean, m2;
} snorm_moments_acc;

static inline void snorm_moments_acc_init(snorm_moments_acc *acc) {
    acc->count = 0.0;
    acc->mean = 0.0;
    acc->m2 = 0.0;
}

/* Merge one chunk: len elements, shift mu, sd = Σ(x−mu), sdd = Σ(x−mu)². */
static inline void snorm_moments_acc_add(snorm_moments_acc *acc, size_t len, double mu, double sd,
                                         double sdd) {
    double nb = (double)len;
    double mean_b = mu + sd / nb;
    double m2_b = sdd - sd * (sd / nb);
    if (m2_b < 0.0) {
        m2_b = 0.0; /* rounding of the correction; the true M2 is never negative */
    }
    double n = acc->count + nb;
    double delta = mean_b - acc->mean;
    acc->mean += delta * (nb / n);
    acc->m2 += m2_b + delta * delta * (acc->count * nb / n);
    acc->count = n;
}

/* Merge two running statistics (e.g. lane- or thread-partial results). */
static inline void snorm_moments_acc_merge(snorm_moments_acc *acc, const snorm_moments_acc *b) {
    if (b->count == 0.0) {
        return;
    }
    double n = acc->count + b->count;
    double delta = b->mean - acc->mean;
    acc->mean += delta * (b->count / n);
    acc->m2 += b->m2 + delta * delta * (acc->count * b->count / n);
    acc->count = n;
}

static inline void snorm_moments_acc_store(const snorm_moments_acc *acc, float *mean, float *var) {
    *mean = (float)acc->mean;
    *var = (float)(acc->m2 / acc->count);
}

#endif /* SNORM_COMMON_MOMENTS_H */
