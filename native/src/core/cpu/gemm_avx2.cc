// AVX2 + FMA micro-kernel of our GEMM: a 6 x 16 fp32 tile (12 ymm accumulators), for CPUs without AVX-512.
// Carries its own target attribute; gemm.cc calls it only after checking the CPU.
#include "core/cpu/isa.h"
#if ROBUSTA_X86_64  // other architectures build the generic kernel only
#include <immintrin.h>

#include "core/cpu/gemm_kernels.h"

namespace robusta::cpu::gemm_detail {

namespace {

constexpr int kMR = 6;
constexpr int kNR = 16;

__attribute__((target("avx2,fma"))) void kernelF32(int64_t kc, const float* A, const float* B, float* C, int64_t ldc,
                                                   bool accumulate) {
  __m256 c[kMR][2];
#pragma GCC unroll 6
  for (int i = 0; i < kMR; ++i) c[i][0] = c[i][1] = _mm256_setzero_ps();
  for (int64_t k = 0; k < kc; ++k) {
    __m256 b0 = _mm256_load_ps(B);
    __m256 b1 = _mm256_load_ps(B + 8);
#pragma GCC unroll 6
    for (int i = 0; i < kMR; ++i) {
      __m256 a = _mm256_broadcast_ss(A + i);
      c[i][0] = _mm256_fmadd_ps(a, b0, c[i][0]);
      c[i][1] = _mm256_fmadd_ps(a, b1, c[i][1]);
    }
    A += kMR;
    B += kNR;
  }
#pragma GCC unroll 6
  for (int i = 0; i < kMR; ++i) {
    float* row = C + i * ldc;
    if (accumulate) {
      c[i][0] = _mm256_add_ps(_mm256_loadu_ps(row), c[i][0]);
      c[i][1] = _mm256_add_ps(_mm256_loadu_ps(row + 8), c[i][1]);
    }
    _mm256_storeu_ps(row, c[i][0]);
    _mm256_storeu_ps(row + 8, c[i][1]);
  }
}

}  // namespace

KernelSet avx2Kernels() { return {"avx2", kMR, kNR, kernelF32, nullptr}; }

}  // namespace robusta::cpu::gemm_detail

#endif  // ROBUSTA_X86_64
