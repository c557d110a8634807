/*
 * The registry's tables and the one-time, thread-safe choice among them.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"

#define SNORM_TABLE(isa, ISA)                                                                      \
    static const snorm_kernel_table table_##isa = {                                                \
        SNORM_ISA_##ISA,                                                                           \
        {snorm_moments_nchw__##isa, snorm_moments_nhwc__##isa},                                    \
        {snorm_scale_shift_nchw__##isa, snorm_scale_shift_nhwc__##isa},                            \
        snorm_fold__##isa,                                                                         \
        {snorm_l2norm_nchw__##isa, snorm_l2norm_nhwc__##isa},                                      \
    };
SNORM_FOREACH_VARIANT(SNORM_TABLE)
#undef SNORM_TABLE

#define SNORM_TABLE_ENTRY(isa, ISA) [SNORM_ISA_##ISA] = &table_##isa,
static const snorm_kernel_table *const tables[SNORM_ISA_COUNT] = {
    SNORM_FOREACH_VARIANT(SNORM_TABLE_ENTRY)};
#undef SNORM_TABLE_ENTRY

static const char *const isa_names[SNORM_ISA_COUNT] = {
    [SNORM_ISA_SCALAR] = "scalar", [SNORM_ISA_SSE41] = "sse41", [SNORM_ISA_AVX2] = "avx2",
    [SNORM_ISA_AVX512] = "avx512", [SNORM_ISA_NEON] = "neon",
};

const char *snorm_isa_name(snorm_isa isa) {
    return (unsigned)isa < SNORM_ISA_COUNT ? isa_names[isa] : "unknown";
}

const snorm_kernel_table *snorm_table_for(snorm_isa isa) {
    return (unsigned)isa < SNORM_ISA_COUNT ? tables[isa] : NULL;
}

/* Compiled in and native on this CPU. Detected once: CPUID traps to the
 * hypervisor in a VM (tens of µs), far too slow for every _isa call. Bit 31
 * marks the cached value valid; racing first calls store the same value. */
#define MASK_VALID (1u << 31)
static _Atomic unsigned cached_mask;

static unsigned supported_mask(void) {
    unsigned mask = atomic_load_explicit(&cached_mask, memory_order_relaxed);
    if (mask & MASK_VALID) {
        return mask & ~MASK_VALID;
    }
    unsigned cpu = snorm_detect_isa_mask();
    mask = 0;
    for (unsigned i = 0; i < SNORM_ISA_COUNT; i++) {
        if (tables[i] && !snorm_isa_emulated((snorm_isa)i) && (cpu & SNORM_ISA_BIT(i))) {
            mask |= SNORM_ISA_BIT(i);
        }
    }
    atomic_store_explicit(&cached_mask, mask | MASK_VALID, memory_order_relaxed);
    return mask;
}

snorm_isa snorm_choose_isa(unsigned supported, const char *env) {
    unsigned cap = SNORM_ISA_COUNT - 1;
    if (env) {
        for (unsigned i = 0; i < SNORM_ISA_COUNT; i++) {
            if (strcmp(env, isa_names[i]) == 0) {
                cap = i;
            }
        }
    }
    for (unsigned i = cap + 1; i-- > 0;) {
        if (supported & SNORM_ISA_BIT(i)) {
            return (snorm_isa)i;
        }
    }
    return SNORM_ISA_SCALAR;
}

int snorm_isa_supported(snorm_isa isa) {
    return (unsigned)isa < SNORM_ISA_COUNT && (supported_mask() & SNORM_ISA_BIT(isa)) != 0;
}

int snorm_isa_runnable(snorm_isa isa) {
    return snorm_table_for(isa) && (snorm_isa_emulated(isa) || snorm_isa_supported(isa));
}

/* NULL until first use. Racing first calls resolve the same table; the
 * compare-exchange keeps whichever landed first, including snorm_set_isa's. */
static _Atomic(const snorm_kernel_table *) active_table;

const snorm_kernel_table *snorm_active_table(void) {
    const snorm_kernel_table *t = atomic_load_explicit(&active_table, memory_order_acquire);
    if (t) {
        return t;
    }
    const snorm_kernel_table *chosen = tables[snorm_choose_isa(supported_mask(), getenv("SNORM_ISA"))];
    const snorm_kernel_table *expected = NULL;
    if (atomic_compare_exchange_strong_explicit(&active_table, &expected, chosen,
                                                memory_order_acq_rel, memory_order_acquire)) {
        return chosen;
    }
    return expected;
}

snorm_isa snorm_active_isa(void) {
    return snorm_active_table()->isa;
}

snorm_status snorm_set_isa(snorm_isa isa) {
    if (!snorm_isa_supported(isa)) {
        return SNORM_ERR_UNSUPPORTED_ISA;
    }
    atomic_store_explicit(&active_table, tables[isa], memory_order_release);
    return SNORM_OK;
}
