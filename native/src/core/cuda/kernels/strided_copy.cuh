// Strided copies for data movement (Transpose, Slice, StridedSlice, Reverse): walks the output row-major and reads
// in[base + sum_d idx_d * stride_d], strides in elements and possibly negative or zero. Legend: n output elements.
#pragma once
#include "../kernel_params.h"
#include "common.cuh"

namespace robusta_kernels {

template <typename T>
__device__ __forceinline__ void stridedCopy(const T* __restrict__ in, T* __restrict__ out, long long n,
                                            const StridedView& v) {
  for (long long i = gridStart(); i < n; i += gridStride()) {
    long long rem = i, off = v.base;
#pragma unroll
    for (int k = 0; k < kMaxCopyRank; ++k) {
      const int d = kMaxCopyRank - 1 - k;
      if (d < v.rank) {
        const long long dim = v.dims[d];
        off += (rem % dim) * v.strides[d];
        rem /= dim;
      }
    }
    out[i] = in[off];
  }
}

}  // namespace robusta_kernels

extern "C" __global__ void robusta_strided_copy_32(const unsigned* __restrict__ in, unsigned* __restrict__ out,
                                                   long long n, robusta_kernels::StridedView v) {
  robusta_kernels::stridedCopy(in, out, n, v);
}

extern "C" __global__ void robusta_strided_copy_8(const unsigned char* __restrict__ in, unsigned char* __restrict__ out,
                                                  long long n, robusta_kernels::StridedView v) {
  robusta_kernels::stridedCopy(in, out, n, v);
}
