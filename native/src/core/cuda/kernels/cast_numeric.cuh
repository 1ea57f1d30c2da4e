// Casts between tfjs's numeric dtypes on the device (float32, int32, bool bytes), with tfjs's semantics: float32 to
// int32 truncates toward zero and wraps like JS ToInt32 (NaN and infinities give 0); anything to bool is `x != 0`.
// Legend: n elements.
#pragma once
#include "../kernel_params.h"
#include "common.cuh"

namespace robusta_kernels {

/** JS ToInt32 of a float: floats at or above 2^56 are multiples of 2^32, so they (and NaN, +-inf) map to 0. */
__device__ __forceinline__ int toInt32(float x) {
  if (!(fabsf(x) < 7.2057594e16f)) return 0;
  return (int)(unsigned int)(unsigned long long)(long long)truncf(x);
}

}  // namespace robusta_kernels

extern "C" __global__ void robusta_cast_numeric(int mode, const void* __restrict__ in, void* __restrict__ out,
                                                long long n) {
  using namespace robusta_kernels;
  const float* f = static_cast<const float*>(in);
  const int* i32 = static_cast<const int*>(in);
  const unsigned char* b = static_cast<const unsigned char*>(in);
  for (long long i = gridStart(); i < n; i += gridStride()) {
    switch (mode) {
      case kF32ToI32: static_cast<int*>(out)[i] = toInt32(f[i]); break;
      case kI32ToF32: static_cast<float*>(out)[i] = (float)i32[i]; break;
      case kF32ToBool: static_cast<unsigned char*>(out)[i] = f[i] != 0.0f; break;
      case kI32ToBool: static_cast<unsigned char*>(out)[i] = i32[i] != 0; break;
      case kBoolToF32: static_cast<float*>(out)[i] = b[i] != 0 ? 1.0f : 0.0f; break;
      case kBoolToI32: static_cast<int*>(out)[i] = b[i] != 0 ? 1 : 0; break;
      default: return;
    }
  }
}
