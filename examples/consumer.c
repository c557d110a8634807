/*
 * A small program using simdnorm the way an inference engine would: a
 * batch-norm layer with ReLU6 on an NHWC activation tensor (2 images, 4×4
 * pixels, 8 channels), then SSD-style L2 normalization across channels.
 * Prints a few outputs and checks one element against the formula, so the
 * integration test that builds it against an installed library also knows
 * that it computes.
 *
 * Build against an installed simdnorm:
 *     cc consumer.c $(pkg-config --cflags --libs simdnorm)
 *     cc consumer.c $(pkg-config --static --cflags --libs simdnorm) -static
 */
#include <math.h>
#include <stdio.h>

#include <simdnorm.h>

enum { N = 2, H = 4, W = 4, C = 8 };

static int check(snorm_status st, const char *what) {
    if (st != SNORM_OK) {
        fprintf(stderr, "%s: %s\n", what, snorm_status_string(st));
        return 1;
    }
    return 0;
}

int main(void) {
    static float x[N * H * W * C], y[N * H * W * C], z[N * H * W * C];
    float mean[C], var[C], gamma[C], beta[C], l2scale[C];
    for (int i = 0; i < N * H * W * C; i++) {
        x[i] = (float)((i * 37) % 101) / 10.0f - 5.0f;
    }
    for (int j = 0; j < C; j++) {
        mean[j] = 0.1f * (float)j;
        var[j] = 1.0f + 0.5f * (float)j;
        gamma[j] = 1.0f + 0.25f * (float)j;
        beta[j] = 0.5f - 0.1f * (float)j;
        l2scale[j] = 20.0f; /* SSD conv4_3 initial scale */
    }
    snorm_shape shape = {SNORM_LAYOUT_NHWC, N, C, H * W};
    const float eps = 1e-5f;

    /* y = ReLU6(batchnorm(x)), then z = L2-normalize y across channels. */
    if (check(snorm_batchnorm_inference(x, y, shape, mean, var, gamma, beta, eps, 0.0f, 6.0f),
              "batchnorm_inference") ||
        check(snorm_l2norm(y, z, shape, l2scale, 1e-10f, SNORM_EPS_ADD), "l2norm")) {
        return 1;
    }

    printf("simdnorm variant: %s\n", snorm_isa_name(snorm_active_isa()));
    printf("pixel (0,0,0) channels: ");
    for (int j = 0; j < C; j++) {
        printf("%s%.4f", j ? " " : "", z[j]);
    }
    printf("\n");

    /* One element against the formula (double): batch norm then clamp. */
    int j = 3, e = 5 * C + j; /* image 0, pixel 5, channel 3 */
    double ref = gamma[j] * (x[e] - mean[j]) / sqrt((double)var[j] + eps) + beta[j];
    ref = ref < 0.0 ? 0.0 : ref > 6.0 ? 6.0 : ref;
    if (fabs(y[e] - ref) > 1e-5 * (1.0 + fabs(ref))) {
        fprintf(stderr, "batchnorm mismatch: %g vs %g\n", y[e], ref);
        return 1;
    }
    /* ... and the pixel's L2 norm is the scale (unless the pixel is all 0). */
    double q = 0.0;
    for (int c = 0; c < C; c++) {
        q += (double)z[5 * C + c] * z[5 * C + c];
    }
    if (fabs(sqrt(q) - 20.0) > 1e-4 * 20.0) {
        fprintf(stderr, "l2norm: pixel norm %g, expected 20\n", sqrt(q));
        return 1;
    }
    printf("ok\n");
    return 0;
}
