// Micro-kernels of our GEMM (internal to gemm*.cc): one register tile of C from packed panels of A and B.
//
// Packed layouts (MR, NR: the tile's rows and columns; kc: the depth of this block):
//   fp32  A panel: kc x MR floats, k-major (A[k*MR + r]);   B panel: kc x NR floats (B[k*NR + c]).
//   bf16  A panel: kc2 x MR words, each the bf16 pair (k even in the low half, k odd in the high half);
//         B panel: kc2 x NR words paired the same way; kc2 = ceil(kc / 2), an odd kc is padded with zeros.
#pragma once
#include <cstdint>

namespace robusta::cpu::gemm_detail {

/** C[MR x NR] (row stride ldc) = (accumulate ? C : 0) + A_panel * B_panel. */
using KernelF32 = void (*)(int64_t kc, const float* A, const float* B, float* C, int64_t ldc, bool accumulate);
using KernelBf16 = void (*)(int64_t kc2, const uint32_t* A, const uint32_t* B, float* C, int64_t ldc, bool accumulate);

struct KernelSet {
  const char* name;
  int mr, nr;
  KernelF32 f32;
  KernelBf16 bf16;  // null: bf16 is emulated (inputs rounded, fp32 kernel)
};

/** Each returns a set whose functions need the named ISA; the caller checks the CPU first. */
KernelSet avx512Kernels(bool withBf16);
KernelSet avx2Kernels();
KernelSet genericKernels();

}  // namespace robusta::cpu::gemm_detail
