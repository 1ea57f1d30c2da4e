// Row softmax over the last axis (R rows of C columns), fp32 throughout: one block per row, max then sum then write.
#pragma once
#include "common.cuh"

extern "C" __global__ void robusta_softmax_rows_f32(const float* __restrict__ x, float* __restrict__ y, int cols) {
  using namespace robusta_kernels;
  __shared__ float scratch[32];
  const float* row = x + (long long)blockIdx.x * cols;
  float* out = y + (long long)blockIdx.x * cols;
  float m = MaxOp::identity;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) m = fmaxf(m, row[c]);
  m = blockReduce(m, MaxOp(), scratch);
  float s = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) s += expf(row[c] - m);
  s = blockReduce(s, SumOp(), scratch);
  const float inv = 1.0f / s;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) out[c] = expf(row[c] - m) * inv;
}
