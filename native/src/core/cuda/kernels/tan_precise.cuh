// tan in double, rounded once to float32: near the poles float tanf's few-ulp argument error grows without bound,
// and tfjs's CPU reference (JS Math.tan in double) is correctly rounded there. Legend: n elements.
#pragma once
#include "common.cuh"

extern "C" __global__ void robusta_tan_precise_f32(const float* __restrict__ in, float* __restrict__ out,
                                                   long long n) {
  using namespace robusta_kernels;
  for (long long i = gridStart(); i < n; i += gridStride()) out[i] = (float)tan((double)in[i]);
}
