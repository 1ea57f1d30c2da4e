// GEMM through cuBLASLt, opened with dlopen on first use (libcublasLt.so.13, .12, then .so; ROBUSTA_CUBLASLT=path
// overrides): fp32, tf32 and bf16-input/fp32-accumulate, row-major. Legend: C[M,N] = op(A)[M,K] * op(B)[K,N].
#pragma once
#include <cstdint>
#include <string>

#include "core/cuda/driver.h"
#include "core/gemm_precision.h"

namespace robusta::cuda {

/** Device GEMMs: F32 exact fp32, TF32 fp32 in/out on tf32 tensor cores, BF16 inputs already bf16 (A and B) with fp32
 *  accumulate and fp32 C. */
using robusta::GemmPrecision;

struct GemmShape {
  int64_t m = 0, n = 0, k = 0;
  bool transA = false;  // A stored [K,M] instead of [M,K]
  bool transB = false;  // B stored [N,K] instead of [K,N]
};

/** "libcublasLt.so.13 (version 130100)" when loadable, else why not; never throws. */
struct BlasStatus {
  bool available = false;
  std::string detail;
};
BlasStatus blasStatus();

/** C = alpha * op(A) op(B) + beta * C, all row-major and dense; throws Error naming the failing cuBLASLt call. */
void gemm(GemmPrecision precision, const GemmShape& shape, CUdeviceptr a, CUdeviceptr b, CUdeviceptr c,
          float alpha = 1.0f, float beta = 0.0f);

}  // namespace robusta::cuda
