// Elementwise binary ops on float32 with broadcasting; op ids are robusta::cpu::BinaryOp's, both expanded from
// core/op_codes.h. The host collapses the shapes first, so most calls run with rank 1 (same shape or a scalar)
// or 2 (a bias row).
#pragma once
#include "../../op_codes.h"
#include "../kernel_params.h"
#include "common.cuh"

namespace robusta_kernels {

#define ROBUSTA_OP_ID(op) k##op,
enum BinaryOpId { ROBUSTA_BINARY_OP_CODES(ROBUSTA_OP_ID) };
#undef ROBUSTA_OP_ID

/** General strided walk; Index is 32-bit when the output fits, since 64-bit division costs several times more. */
template <typename Index, typename Out, typename F>
__device__ __forceinline__ void stridedLoop(const float* __restrict__ a, const float* __restrict__ b,
                                            Out* __restrict__ out, long long n, const Broadcast& bc, F f) {
  for (long long i = gridStart(); i < n; i += gridStride()) {
    Index rem = Index(i), oa = 0, ob = 0;
    // fixed trip count with a guard: the param arrays are indexed by constants only, so they stay in registers
#pragma unroll
    for (int k = 0; k < kMaxRank; ++k) {
      const int d = kMaxRank - 1 - k;
      if (d < bc.rank) {
        const Index dim = Index(bc.dims[d]);
        const Index idx = rem % dim;
        rem /= dim;
        oa += idx * Index(bc.strideA[d]);
        ob += idx * Index(bc.strideB[d]);
      }
    }
    out[i] = f(a[oa], b[ob]);
  }
}

template <typename Out, typename F>
__device__ __forceinline__ void binaryLoop(const float* __restrict__ a, const float* __restrict__ b,
                                           Out* __restrict__ out, long long n, const Broadcast& bc, F f) {
  if (bc.rank == 1) {
    const long long sa = bc.strideA[0], sb = bc.strideB[0];
    for (long long i = gridStart(); i < n; i += gridStride()) out[i] = f(a[i * sa], b[i * sb]);
  } else if (n <= 0x7fffffffLL) {
    stridedLoop<unsigned>(a, b, out, n, bc, f);
  } else {
    stridedLoop<long long>(a, b, out, n, bc, f);
  }
}

__device__ __forceinline__ float modf32(float x, float y) {
  const float r = fmodf(x, y);
  return (r != 0.0f && ((r < 0.0f) != (y < 0.0f))) ? r + y : r;
}

}  // namespace robusta_kernels

/** out = op(a, b) for the float-valued ops. */
extern "C" __global__ void robusta_binary_f32(int op, const float* __restrict__ a, const float* __restrict__ b,
                                              float* __restrict__ out, long long n, robusta_kernels::Broadcast bc) {
  using namespace robusta_kernels;
  switch (op) {
    case kAdd: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return x + y; });
    case kSub: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return x - y; });
    case kMul: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return x * y; });
    case kRealDiv: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return x / y; });
    case kFloorDiv: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return floorf(x / y); });
    case kMod: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return modf32(x, y); });
    case kMaximum:
      return binaryLoop(a, b, out, n, bc, [](float x, float y) { return (isnan(x) || isnan(y)) ? NAN : fmaxf(x, y); });
    case kMinimum:
      return binaryLoop(a, b, out, n, bc, [](float x, float y) { return (isnan(x) || isnan(y)) ? NAN : fminf(x, y); });
    case kPow: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return powf(x, y); });
    case kSquaredDifference: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return (x - y) * (x - y); });
    case kAtan2: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return atan2f(x, y); });
    default: return;  // the host launcher rejects other ids before launching
  }
}

/** out = op(a, b) as bool bytes for comparisons and logical ops. */
extern "C" __global__ void robusta_compare_f32(int op, const float* __restrict__ a, const float* __restrict__ b,
                                               unsigned char* __restrict__ out, long long n,
                                               robusta_kernels::Broadcast bc) {
  using namespace robusta_kernels;
  using u8 = unsigned char;
  switch (op) {
    case kEqual: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return u8(x == y); });
    case kNotEqual: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return u8(x != y); });
    case kGreater: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return u8(x > y); });
    case kGreaterEqual: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return u8(x >= y); });
    case kLess: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return u8(x < y); });
    case kLessEqual: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return u8(x <= y); });
    case kLogicalAnd: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return u8(x != 0.0f && y != 0.0f); });
    case kLogicalOr: return binaryLoop(a, b, out, n, bc, [](float x, float y) { return u8(x != 0.0f || y != 0.0f); });
    case kLogicalXor:
      return binaryLoop(a, b, out, n, bc, [](float x, float y) { return u8((x != 0.0f) != (y != 0.0f)); });
    default: return;
  }
}
