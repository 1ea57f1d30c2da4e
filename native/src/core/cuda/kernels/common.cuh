// Shared device helpers: grid-stride indexing and warp/block reductions (blocks are multiples of 32 threads, <= 1024).
#pragma once

namespace robusta_kernels {

/** First index and stride of a grid-stride loop, 64-bit so tensors past 2^31 elements stay correct. */
__device__ __forceinline__ long long gridStart() { return blockIdx.x * (long long)blockDim.x + threadIdx.x; }
__device__ __forceinline__ long long gridStride() { return (long long)gridDim.x * blockDim.x; }

struct SumOp {
  __device__ __forceinline__ float operator()(float a, float b) const { return a + b; }
  static constexpr float identity = 0.0f;
};

struct MaxOp {
  __device__ __forceinline__ float operator()(float a, float b) const { return fmaxf(a, b); }
  static constexpr float identity = -__builtin_huge_valf();
};

template <typename Op>
__device__ __forceinline__ float warpReduce(float v, Op op) {
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, offset));
  return v;
}

/** Reduces v over the block; every thread gets the result. `scratch` is 32 floats of shared memory. */
template <typename Op>
__device__ __forceinline__ float blockReduce(float v, Op op, float* scratch) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
  v = warpReduce(v, op);
  __syncthreads();  // scratch may still be read by a previous reduction
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  v = lane < warps ? scratch[lane] : Op::identity;
  return warpReduce(v, op);  // every warp reduces the same partials, so no second broadcast is needed
}

}  // namespace robusta_kernels
