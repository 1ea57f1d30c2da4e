// Single-precision GEMM (row-major, transposes, broadcast batches, fused bias + activation epilogue), our own
// blocked kernel or OpenBLAS, with an optional bf16-input / fp32-accumulate precision.
//
// Dimension legend: M rows of op(A) and C, N columns of op(B) and C, K the shared (inner) dimension;
// op(X) is X or X^T. A batch index walks the broadcast batch shape of A and B.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/gemm_precision.h"
#include "core/op_codes.h"
#include "core/shape.h"

namespace robusta::cpu {

/** Input precision of a GEMM: F32 exact, or BF16 inputs rounded to bf16 (nearest-even) with fp32 accumulation; the
 *  CPU has no TF32. */
using robusta::GemmPrecision;

/** Which implementation runs fp32 GEMMs: Auto is OpenBLAS when it loaded at run time, else ours. bf16 runs ours. */
enum class GemmImpl : int { Auto = 0, Own = 1, OpenBLAS = 2 };

/** Which micro-kernel our GEMM uses; Auto is the best the CPU supports. */
enum class GemmIsa : int { Auto = 0, Generic = 1, Avx2 = 2, Avx512 = 3 };

/** Activation applied after the bias (the same set and formulas as tfjs's fused ops). */
enum class Activation : int { ROBUSTA_ACTIVATION_CODES(ROBUSTA_ENUMERATOR) Count };

/**
 * Elementwise work done on each C tile while it is still in cache: C = act(C + bias).
 * `bias` and `prelu` are read through offsets: element (batch b, row m, column n) is at
 * base[batchOffset[b] + m * rowStride + n * colStride] (strides 0 along broadcast axes).
 */
struct Epilogue {
  const float* bias = nullptr;
  const int64_t* biasBatchOffset = nullptr;
  int64_t biasRowStride = 0, biasColStride = 0;
  Activation act = Activation::None;
  double alpha = 0;  // leakyrelu slope (a JS number: the product is taken in double, as tfjs does)
  const float* prelu = nullptr;
  const int64_t* preluBatchOffset = nullptr;
  int64_t preluRowStride = 0, preluColStride = 0;
  bool empty() const { return bias == nullptr && (act == Activation::None || act == Activation::Linear); }
};

/** One (possibly batched) matrix product C[b] = op(A[ia(b)]) op(B[ib(b)]); every matrix dense row-major. */
struct GemmBatch {
  int64_t batch = 1, M = 0, N = 0, K = 0;
  bool transA = false, transB = false;
  const float* A = nullptr;
  const float* B = nullptr;
  float* C = nullptr;
  /** Element offsets of A's and B's matrix for each output batch (broadcasting); null means b * M*K (or K*N). */
  const int64_t* aOffset = nullptr;
  const int64_t* bOffset = nullptr;
  GemmPrecision precision = GemmPrecision::F32;
  Epilogue epilogue;
};

/** Runs the product (multi-threaded on the core's pool). Shapes must be validated by the caller. */
void gemm(const GemmBatch& g);

/**
 * Sizes and broadcast offsets of tfjs BatchMatMul: a is [...batchA, M, K] ([..., K, M] when transA), b likewise;
 * throws Error naming both shapes when the inner dimensions differ or the batch shapes do not broadcast.
 */
struct MatMulPlan {
  int64_t batch = 1, M = 0, N = 0, K = 0;
  Shape outShape;         // [...broadcast batch, M, N]
  Shape batchShape;       // the broadcast batch shape
  std::vector<int64_t> aOffset, bOffset;  // empty when no broadcasting is needed
};
MatMulPlan planMatMul(const Shape& a, const Shape& b, bool transA, bool transB);

/** Offsets of a tensor broadcast against [...batchShape, M, N], per batch, and its row/column strides. */
struct BroadcastOperand {
  std::vector<int64_t> batchOffset;
  int64_t rowStride = 0, colStride = 0;
};
/** Throws Error naming `what` and the shapes when `shape` does not broadcast to [...batchShape, M, N] unchanged. */
BroadcastOperand broadcastOperand(const Shape& shape, const Shape& batchShape, int64_t M, int64_t N, const char* what);

/** Global switches (tests, benchmarks): which implementation and micro-kernel run. Throw Error when unavailable. */
void setGemmImpl(GemmImpl impl);
GemmImpl gemmImpl();
void setGemmIsa(GemmIsa isa);
/**
 * bf16 method: true rounds inputs to bf16 while packing and runs the fp32 kernel; false uses the AVX512_BF16
 * vdpbf16ps kernel where the CPU has it. The default, restored by setGemmBf16ByCpu, is vdpbf16ps on AMD CPUs and
 * rounded fp32 elsewhere (vdpbf16ps is slower on Sapphire Rapids; see gemm.cc).
 */
void setGemmBf16Emulation(bool emulate);
void setGemmBf16ByCpu();

/**
 * What runs now, in words: implementation, micro-kernel, bf16 method, whether OpenBLAS was loaded at run time and
 * its library (path, version, threads) or why it was not.
 */
struct GemmInfo {
  std::string impl, isa, bf16;
  bool openblas = false;
  std::string openblasDetail;
};
GemmInfo gemmInfo();

/** Rounds a float to the nearest bf16 (ties to even), returned as a float; NaN stays NaN. */
float roundToBf16(float x);

}  // namespace robusta::cpu
