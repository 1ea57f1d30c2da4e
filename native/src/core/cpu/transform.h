// Strided copies: one primitive that Transpose, Slice, StridedSlice, Tile, Concat, Pad, Reverse and BroadcastTo reduce to.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/dtype.h"
#include "core/shape.h"

namespace robusta::cpu {

/**
 * For every index i of `shape`: out[outOffset + Σ i_d·outStrides_d] = in[inOffset + Σ i_d·inStrides_d] (in elements).
 * Input strides may be 0 (repeat: Tile, broadcast) or negative (reversed strided slices).
 */
struct CopyPlan {
  Shape shape;
  std::vector<int64_t> inStrides, outStrides;
  int64_t inOffset = 0, outOffset = 0;
};

/**
 * Runs the plan on elements of `elemBytes` bytes (1 or 4). Every address the plan touches is checked against
 * `inElems` / `outElems` first, so a bad plan is an Error naming the extent, never a stray read or write.
 */
void stridedCopy(size_t elemBytes, const void* in, int64_t inElems, void* out, int64_t outElems, const CopyPlan& plan);

/** out[0..n) = value converted to dtype (int32 truncates toward zero, bool is value != 0). */
void fillConstant(DType dtype, void* out, int64_t n, double value);

}  // namespace robusta::cpu
