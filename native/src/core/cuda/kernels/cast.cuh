// float32 <-> bfloat16 conversion: GEMM inputs go to bf16 at the precision boundary, everything else stays fp32.
#pragma once
#include <cuda_bf16.h>

#include "common.cuh"

extern "C" __global__ void robusta_f32_to_bf16(const float* __restrict__ in, __nv_bfloat16* __restrict__ out,
                                               long long n) {
  using namespace robusta_kernels;
  for (long long i = gridStart(); i < n; i += gridStride()) out[i] = __float2bfloat16_rn(in[i]);  // nearest even
}

extern "C" __global__ void robusta_bf16_to_f32(const __nv_bfloat16* __restrict__ in, float* __restrict__ out,
                                               long long n) {
  using namespace robusta_kernels;
  for (long long i = gridStart(); i < n; i += gridStride()) out[i] = __bfloat162float(in[i]);
}
