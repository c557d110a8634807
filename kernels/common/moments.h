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

/*
 * The vector kernels' bookkeeping (kernels/simd/moments.inc). They keep one
 * float shift per channel across chunks instead of computing every chunk's
 * mean first, so a chunk is normally read once:
 *
 *   - the first chunk's shift is a cheap estimate (the mean of the first
 *     vector of the plane, or of the first 8 rows in NHWC); each later
 *     chunk is centred on the previous chunk's float mean;
 *   - a chunk is accepted only if its shift lies within √3 of its own
 *     standard deviations from its mean (snorm_moments_shift_ok). Then
 *     sdd ≤ 4·M2: the float sum of squares is at most 4× the centred one, so
 *     its rounding costs at most 4× that of an exactly centred pass;
 *   - a rejected chunk (drift, an outlier as estimate, NaN/Inf) is summed
 *     again from cache around its own float mean, which becomes the shift
 *     for the following chunks: the two-pass of the header, on demand.
 *
 * Accepted sums move to double, re-based on the channel's first shift c0:
 *
 *     S1 += sd + len·δ,   S2 += sdd + δ·(2·sd + len·δ),   δ = μ̃ − c0
 *
 * (exact algebra; δ is small when the data are stationary). mean = c0 + S1/m and
 * M2 = S2 − S1²/m at the end: S2/M2 stays small because c0 came from the
 * data and drift raises M2 itself, and the double rounding (1e-16) leaves
 * orders of magnitude of room. No division per chunk: lanes share one count.
 *
 * Float terms per accumulator lane before the sums move to double: bounds
 * the float rounding of sdd (≈ √terms·2⁻²⁴ relative for random rounding).
 */
#define SNORM_MOMENTS_LANE_TERMS 128

/* Most channels a vector kernel accumulates at once: NHWC rows of up to 4 KiB
 * are read whole (kernels/simd/moments_nhwc.inc says why). */
#define SNORM_MOMENTS_MAX_LANES 1024

/* Double sums per lane. The lanes live in the caller's array (3·cap
 * doubles, snorm_moments_lanes_on), so each walk's stack holds the lanes it
 * uses: 24 KiB for the widest NHWC rows, 384 bytes for an NCHW group. */
typedef struct snorm_moments_lanes {
    double count;  /* elements so far, the same for every lane */
    double *shift; /* c0 */
    double *s1;    /* Σ(x − c0) */
    double *s2;    /* Σ(x − c0)² */
} snorm_moments_lanes;

/* Starts a sum over up to cap lanes in store[0, 3·cap), without zeroing
 * them: every snorm_moments_lanes_add of a sum covers the same lanes, the
 * first (count 0) sets each lane it covers, and nothing reads a lane
 * before. (Zeroing 3 × 512 doubles was a third of a short call: AVX-512
 * NHWC moments of one element 59 → 38 ns, 1x17x13x11 170 → 137 ns.) */
static inline void snorm_moments_lanes_on(snorm_moments_lanes *acc, double *store, size_t cap) {
    acc->count = 0.0;
    acc->shift = store;
    acc->s1 = store + cap;
    acc->s2 = store + 2 * cap;
}

/* Whether sums around shift mu are accurate enough: (sd/len)² ≤ 3·M2/len,
 * i.e. (sd/len)·sd ≤ ¾·sdd. False for NaN and for an infinite sdd (so Inf
 * input goes through the re-centred path and gives NaN, as the scalar
 * variant does). An overflowing left side compares false, as it should. */
static inline int snorm_moments_shift_ok(float sd, float sdd, float inv_len) {
    return (sd * inv_len) * sd <= 0.75f * sdd && sdd <= 3.40282347e38f;
}

/* The same for `lanes` lanes at once (a loop compilers vectorize). */
static inline int snorm_moments_lanes_ok(const float *sd, const float *sdd, size_t len,
                                         size_t lanes) {
    float inv = 1.0f / (float)len;
    int ok = 1;
    for (size_t l = 0; l < lanes; l++) {
        ok &= snorm_moments_shift_ok(sd[l], sdd[l], inv);
    }
    return ok;
}

/* Add one chunk of len elements per lane: shift mu[l], sd[l] = Σ(x − mu),
 * sdd[l] = Σ(x − mu)². */
static inline void snorm_moments_lanes_add(snorm_moments_lanes *acc, size_t lanes, size_t len,
                                           const float *mu, const float *sd, const float *sdd) {
    double nb = (double)len;
    if (acc->count == 0.0) {
        for (size_t l = 0; l < lanes; l++) {
            acc->shift[l] = mu[l];
            acc->s1[l] = sd[l];
            acc->s2[l] = sdd[l];
        }
    } else {
        for (size_t l = 0; l < lanes; l++) {
            double delta = (double)mu[l] - acc->shift[l];
            double a = (double)sd[l];
            acc->s2[l] += (double)sdd[l] + delta * (2.0 * a + nb * delta);
            acc->s1[l] += a + nb * delta;
        }
    }
    acc->count += nb;
}

static inline void snorm_moments_lanes_store(const snorm_moments_lanes *acc, size_t lanes,
                                             float *mean, float *var) {
    double inv = 1.0 / acc->count;
    for (size_t l = 0; l < lanes; l++) {
        double m2 = acc->s2[l] - acc->s1[l] * (acc->s1[l] * inv);
        mean[l] = (float)(acc->shift[l] + acc->s1[l] * inv);
        var[l] = (float)((m2 < 0.0 ? 0.0 : m2) * inv); /* m2 < 0: rounding; NaN stays */
    }
}

#endif /* SNORM_COMMON_MOMENTS_H */
