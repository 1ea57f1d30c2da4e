// Fills n 32-bit elements with one bit pattern (a float32 or int32 value): Fill, OnesLike.
#pragma once
#include "common.cuh"

extern "C" __global__ void robusta_fill_32(unsigned* __restrict__ out, unsigned bits, long long n) {
  using namespace robusta_kernels;
  for (long long i = gridStart(); i < n; i += gridStride()) out[i] = bits;
}
