/*
 * CPU feature detection. On x86 a feature is usable only when the CPU has
 * it (CPUID) *and* the OS saves its register state (XCR0 via XGETBV): an OS
 * without YMM/ZMM context switching would corrupt AVX registers.
 */
#include "dispatch.h"

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64)
#define SNORM_HOST_X86 1
#include <cpuid.h>
#elif defined(__aarch64__)
#define SNORM_HOST_ARM64 1
#if defined(__linux__)
#include <sys/auxv.h>
#endif
#endif

/* CPUID.1:ECX */
#define ECX1_SSE41 (1u << 19)
#define ECX1_FMA (1u << 12)
#define ECX1_OSXSAVE (1u << 27)
#define ECX1_AVX (1u << 28)
/* CPUID.(7,0):EBX */
#define EBX7_AVX2 (1u << 5)
#define EBX7_AVX512F (1u << 16)
#define EBX7_AVX512DQ (1u << 17)
#define EBX7_AVX512BW (1u << 30)
#define EBX7_AVX512VL (1u << 31)
/* XCR0: SSE and AVX (YMM upper) state; opmask, ZMM upper 256, ZMM16-31 */
#define XCR0_YMM 0x6u
#define XCR0_ZMM 0xE0u

unsigned snorm_x86_isa_mask(const snorm_x86_features *f) {
    unsigned mask = SNORM_ISA_BIT(SNORM_ISA_SCALAR);
    if (f->max_leaf < 1) {
        return mask;
    }
    if (f->leaf1_ecx & ECX1_SSE41) {
        mask |= SNORM_ISA_BIT(SNORM_ISA_SSE41);
    }
    int os_ymm = (f->leaf1_ecx & ECX1_OSXSAVE) && (f->xcr0 & XCR0_YMM) == XCR0_YMM;
    int os_zmm = os_ymm && (f->xcr0 & XCR0_ZMM) == XCR0_ZMM;
    uint32_t ebx7 = f->max_leaf >= 7 ? f->leaf7_ebx : 0;
    int avx2 = os_ymm && (f->leaf1_ecx & ECX1_AVX) && (f->leaf1_ecx & ECX1_FMA) &&
               (ebx7 & EBX7_AVX2);
    if (avx2) {
        mask |= SNORM_ISA_BIT(SNORM_ISA_AVX2);
    }
    const uint32_t avx512 = EBX7_AVX512F | EBX7_AVX512DQ | EBX7_AVX512BW | EBX7_AVX512VL;
    if (avx2 && os_zmm && (ebx7 & avx512) == avx512) {
        mask |= SNORM_ISA_BIT(SNORM_ISA_AVX512);
    }
    return mask;
}

#if SNORM_HOST_X86
static uint64_t read_xcr0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}
#endif

unsigned snorm_detect_isa_mask(void) {
#if SNORM_HOST_X86
    snorm_x86_features f = {0, 0, 0, 0};
    unsigned eax, ebx, ecx, edx;
    f.max_leaf = __get_cpuid_max(0, NULL);
    if (f.max_leaf >= 1 && __get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        f.leaf1_ecx = ecx;
    }
    if (f.max_leaf >= 7 && __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        f.leaf7_ebx = ebx;
    }
    if (f.leaf1_ecx & ECX1_OSXSAVE) {
        f.xcr0 = read_xcr0();
    }
    return snorm_x86_isa_mask(&f);
#elif SNORM_HOST_ARM64
    unsigned mask = SNORM_ISA_BIT(SNORM_ISA_SCALAR);
#if defined(__linux__) && defined(HWCAP_ASIMD)
    if (getauxval(AT_HWCAP) & HWCAP_ASIMD) {
        mask |= SNORM_ISA_BIT(SNORM_ISA_NEON);
    }
#else
    mask |= SNORM_ISA_BIT(SNORM_ISA_NEON); /* Advanced SIMD is mandatory in AArch64 */
#endif
    return mask;
#else
    return SNORM_ISA_BIT(SNORM_ISA_SCALAR);
#endif
}

int snorm_isa_emulated(snorm_isa isa) {
    if (isa == SNORM_ISA_SCALAR) {
        return 0;
    }
#if SNORM_HOST_X86
    return isa == SNORM_ISA_NEON;
#elif SNORM_HOST_ARM64
    return isa != SNORM_ISA_NEON;
#else
    return 1;
#endif
}
