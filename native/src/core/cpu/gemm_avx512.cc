// AVX-512 micro-kernels of our GEMM: a 12 x 32 fp32 tile (24 zmm accumulators) and its bf16 twin on vdpbf16ps.
// Compiled for the x86-64-v2 baseline; each function carries its own target, and gemm.cc calls them only after
// checking the CPU, so one binary runs everywhere.
#include "core/cpu/isa.h"
#if ROBUSTA_X86_64  // other architectures build the generic kernel only
#include <immintrin.h>

#include "core/cpu/gemm_kernels.h"

namespace robusta::cpu::gemm_detail {

namespace {

constexpr int kMR = 12;
constexpr int kNR = 32;

#define ROBUSTA_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))
#define ROBUSTA_AVX512BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16,fma")))

ROBUSTA_AVX512 inline void storeTile(__m512 (&c)[kMR][2], float* C, int64_t ldc, bool accumulate) {
  if (accumulate) {
#pragma GCC unroll 12
    for (int i = 0; i < kMR; ++i) {
      float* row = C + i * ldc;
      _mm512_storeu_ps(row, _mm512_add_ps(_mm512_loadu_ps(row), c[i][0]));
      _mm512_storeu_ps(row + 16, _mm512_add_ps(_mm512_loadu_ps(row + 16), c[i][1]));
    }
  } else {
#pragma GCC unroll 12
    for (int i = 0; i < kMR; ++i) {
      _mm512_storeu_ps(C + i * ldc, c[i][0]);
      _mm512_storeu_ps(C + i * ldc + 16, c[i][1]);
    }
  }
}

ROBUSTA_AVX512 void kernelF32(int64_t kc, const float* A, const float* B, float* C, int64_t ldc, bool accumulate) {
  __m512 c[kMR][2];
#pragma GCC unroll 12
  for (int i = 0; i < kMR; ++i) c[i][0] = c[i][1] = _mm512_setzero_ps();
  // the C tile is written once at the end: fetch it now so the stores do not wait on memory
#pragma GCC unroll 12
  for (int i = 0; i < kMR; ++i) _mm_prefetch(reinterpret_cast<const char*>(C + i * ldc), _MM_HINT_T0);
  for (int64_t k = 0; k < kc; ++k) {
    __m512 b0 = _mm512_load_ps(B);
    __m512 b1 = _mm512_load_ps(B + 16);
    _mm_prefetch(reinterpret_cast<const char*>(B + 8 * kNR), _MM_HINT_T0);
#pragma GCC unroll 12
    for (int i = 0; i < kMR; ++i) {
      __m512 a = _mm512_set1_ps(A[i]);
      c[i][0] = _mm512_fmadd_ps(a, b0, c[i][0]);
      c[i][1] = _mm512_fmadd_ps(a, b1, c[i][1]);
    }
    A += kMR;
    B += kNR;
  }
  storeTile(c, C, ldc, accumulate);
}

ROBUSTA_AVX512BF16 void kernelBf16(int64_t kc2, const uint32_t* A, const uint32_t* B, float* C, int64_t ldc,
                                   bool accumulate) {
  __m512 c[kMR][2];
#pragma GCC unroll 12
  for (int i = 0; i < kMR; ++i) c[i][0] = c[i][1] = _mm512_setzero_ps();
#pragma GCC unroll 12
  for (int i = 0; i < kMR; ++i) _mm_prefetch(reinterpret_cast<const char*>(C + i * ldc), _MM_HINT_T0);
  for (int64_t k = 0; k < kc2; ++k) {
    __m512bh b0 = (__m512bh)_mm512_load_si512(B);
    __m512bh b1 = (__m512bh)_mm512_load_si512(B + 16);
    _mm_prefetch(reinterpret_cast<const char*>(B + 8 * kNR), _MM_HINT_T0);
#pragma GCC unroll 12
    for (int i = 0; i < kMR; ++i) {
      __m512bh a = (__m512bh)_mm512_set1_epi32(static_cast<int>(A[i]));
      c[i][0] = _mm512_dpbf16_ps(c[i][0], a, b0);
      c[i][1] = _mm512_dpbf16_ps(c[i][1], a, b1);
    }
    A += kMR;
    B += kNR;
  }
  storeTile(c, C, ldc, accumulate);
}

}  // namespace

KernelSet avx512Kernels(bool withBf16) { return {"avx512", kMR, kNR, kernelF32, withBf16 ? kernelBf16 : nullptr}; }

}  // namespace robusta::cpu::gemm_detail

#endif  // ROBUSTA_X86_64
