/*
 * Internal to dispatch/: CPU detection, the choice of variant, and the
 * kernel tables. Detection and choice are pure functions of their inputs so
 * that tests can feed them faked CPUID/XCR0 values and environments.
 */
#ifndef SNORM_DISPATCH_H
#define SNORM_DISPATCH_H

#include <stdint.h>

#include "kernels.h"

#define SNORM_ISA_BIT(isa) (1u << (unsigned)(isa))

/* Raw x86 feature words: CPUID leaf 1 ECX, leaf 7/0 EBX, and XCR0 (read only
 * when the OS has set OSXSAVE; pass 0 otherwise). max_leaf is CPUID leaf 0 EAX. */
typedef struct snorm_x86_features {
    uint32_t max_leaf;
    uint32_t leaf1_ecx;
    uint32_t leaf7_ebx;
    uint64_t xcr0;
} snorm_x86_features;

/* ISAs (as SNORM_ISA_BIT mask, scalar always set) that those words allow. */
unsigned snorm_x86_isa_mask(const snorm_x86_features *f);

/* ISAs this CPU and OS run natively, read from the CPU on every call (CPUID
 * is slow in a VM: dispatch.c caches the result). */
unsigned snorm_detect_isa_mask(void);

/* The ISA to use given the natively supported mask and the SNORM_ISA
 * environment value (NULL when unset): the best supported ISA not above the
 * requested one; an unknown value caps nothing. */
snorm_isa snorm_choose_isa(unsigned supported_mask, const char *env);

/* 1 when the variant's code is compiled for another architecture's ISA and
 * runs here through SIMDe emulation (NEON on x86, x86 on aarch64). */
int snorm_isa_emulated(snorm_isa isa);

/* Kernel table of a compiled-in variant, NULL if the registry lacks it. */
const snorm_kernel_table *snorm_table_for(snorm_isa isa);

/* The process-wide table: resolved once, then one atomic load per call. */
const snorm_kernel_table *snorm_active_table(void);

#endif /* SNORM_DISPATCH_H */
