// What the CPU running this process offers, asked once per process: the GEMM micro-kernel dispatch and
// capabilities() read it here. The x86-64 features are false on other architectures, whose builds have no x86 kernels.
#pragma once

#if defined(__x86_64__)
#define ROBUSTA_X86_64 1
#else
#define ROBUSTA_X86_64 0
#endif

namespace robusta::cpu {

/** AVX2 and FMA (x86-64-v3): the avx2 GEMM kernel and the fused ops' clones. */
bool cpuAvx2Fma();
/** AVX-512 F, BW, VL and DQ: the avx512 GEMM kernel. */
bool cpuAvx512();
/** AVX-512 with AVX512_BF16 (vdpbf16ps). */
bool cpuAvx512Bf16();
/** An AMD CPU: picks the bf16 method (see gemm.cc). */
bool cpuIsAmd();

/** The ISA level in words: "x86-64-v4 (AVX-512)", "x86-64-v3 (AVX2, FMA)", "x86-64-v2", or "aarch64 (NEON)". */
const char* isaLevel();

}  // namespace robusta::cpu
