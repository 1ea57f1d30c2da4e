// Elementwise unary ops on float32; op ids are robusta::cpu::UnaryOp's, both expanded from core/op_codes.h.
#pragma once
#include "../../op_codes.h"
#include "common.cuh"

namespace robusta_kernels {

#define ROBUSTA_OP_ID(op) k##op,
enum UnaryOpId { ROBUSTA_UNARY_OP_CODES(ROBUSTA_OP_ID) };
#undef ROBUSTA_OP_ID

template <typename Out, typename F>
__device__ __forceinline__ void unaryLoop(const float* __restrict__ in, Out* __restrict__ out, long long n, F f) {
  for (long long i = gridStart(); i < n; i += gridStride()) out[i] = f(in[i]);
}

}  // namespace robusta_kernels

/** out[i] = op(in[i]) for the float-valued ops; alpha is Step's value for x <= 0. */
extern "C" __global__ void robusta_unary_f32(int op, const float* __restrict__ in, float* __restrict__ out,
                                             long long n, float alpha) {
  using namespace robusta_kernels;
  switch (op) {
    case kNeg: return unaryLoop(in, out, n, [](float x) { return -x; });
    case kAbs: return unaryLoop(in, out, n, [](float x) { return fabsf(x); });
    case kExp: return unaryLoop(in, out, n, [](float x) { return expf(x); });
    case kExpm1: return unaryLoop(in, out, n, [](float x) { return expm1f(x); });
    case kLog: return unaryLoop(in, out, n, [](float x) { return logf(x); });
    case kLog1p: return unaryLoop(in, out, n, [](float x) { return log1pf(x); });
    case kSqrt: return unaryLoop(in, out, n, [](float x) { return sqrtf(x); });
    case kRsqrt: return unaryLoop(in, out, n, [](float x) { return 1.0f / sqrtf(x); });  // rsqrtf is 2 ulp
    case kSquare: return unaryLoop(in, out, n, [](float x) { return x * x; });
    case kReciprocal: return unaryLoop(in, out, n, [](float x) { return 1.0f / x; });
    case kTanh: return unaryLoop(in, out, n, [](float x) { return tanhf(x); });
    case kSigmoid: return unaryLoop(in, out, n, [](float x) { return 1.0f / (1.0f + expf(-x)); });
    case kRelu: return unaryLoop(in, out, n, [](float x) { return x < 0.0f ? 0.0f : x; });
    case kRelu6: return unaryLoop(in, out, n, [](float x) { return x < 0.0f ? 0.0f : (x > 6.0f ? 6.0f : x); });
    case kElu: return unaryLoop(in, out, n, [](float x) { return x >= 0.0f ? x : expm1f(x); });
    case kSelu:
      return unaryLoop(in, out, n, [](float x) {
        const float scale = 1.0507009873554805f, a = 1.6732632423543772f;
        return x >= 0.0f ? scale * x : scale * a * expm1f(x);
      });
    case kErf: return unaryLoop(in, out, n, [](float x) { return erff(x); });
    case kFloor: return unaryLoop(in, out, n, [](float x) { return floorf(x); });
    case kCeil: return unaryLoop(in, out, n, [](float x) { return ceilf(x); });
    case kRound: return unaryLoop(in, out, n, [](float x) { return rintf(x); });  // half to even, as tfjs
    case kSign: return unaryLoop(in, out, n, [](float x) { return x < 0.0f ? -1.0f : (x > 0.0f ? 1.0f : 0.0f); });
    case kSin: return unaryLoop(in, out, n, [](float x) { return sinf(x); });
    case kCos: return unaryLoop(in, out, n, [](float x) { return cosf(x); });
    case kTan: return unaryLoop(in, out, n, [](float x) { return tanf(x); });
    case kAsin: return unaryLoop(in, out, n, [](float x) { return asinf(x); });
    case kAcos: return unaryLoop(in, out, n, [](float x) { return acosf(x); });
    case kAtan: return unaryLoop(in, out, n, [](float x) { return atanf(x); });
    case kSinh: return unaryLoop(in, out, n, [](float x) { return sinhf(x); });
    case kCosh: return unaryLoop(in, out, n, [](float x) { return coshf(x); });
    case kAsinh: return unaryLoop(in, out, n, [](float x) { return asinhf(x); });
    case kAcosh: return unaryLoop(in, out, n, [](float x) { return acoshf(x); });
    case kAtanh: return unaryLoop(in, out, n, [](float x) { return atanhf(x); });
    case kSoftplus:
      return unaryLoop(in, out, n, [](float x) { return x > 20.0f ? x : (x < -20.0f ? expf(x) : log1pf(expf(x))); });
    case kStep: return unaryLoop(in, out, n, [alpha](float x) { return isnan(x) ? x : (x > 0.0f ? 1.0f : alpha); });
    default: return;  // the host launcher rejects other ids before launching
  }
}

/** out[i] = predicate(in[i]) as bool bytes (LogicalNot, IsNan, IsInf, IsFinite). */
extern "C" __global__ void robusta_unary_f32_bool(int op, const float* __restrict__ in, unsigned char* __restrict__ out,
                                                  long long n) {
  using namespace robusta_kernels;
  switch (op) {
    case kLogicalNot: return unaryLoop(in, out, n, [](float x) { return (unsigned char)(x == 0.0f); });
    case kIsNan: return unaryLoop(in, out, n, [](float x) { return (unsigned char)isnan(x); });
    case kIsInf: return unaryLoop(in, out, n, [](float x) { return (unsigned char)isinf(x); });
    case kIsFinite: return unaryLoop(in, out, n, [](float x) { return (unsigned char)isfinite(x); });
    default: return;
  }
}
