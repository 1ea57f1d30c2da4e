// Sum over the last axis (R rows of C columns -> R values), fp32: one block per row.
#pragma once
#include "common.cuh"

extern "C" __global__ void robusta_sum_rows_f32(const float* __restrict__ x, float* __restrict__ y, int cols) {
  using namespace robusta_kernels;
  __shared__ float scratch[32];
  const float* row = x + (long long)blockIdx.x * cols;
  float s = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) s += row[c];
  s = blockReduce(s, SumOp(), scratch);
  if (threadIdx.x == 0) y[blockIdx.x] = s;
}
