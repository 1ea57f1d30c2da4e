// Index-driven kernels: GatherV2 (rows picked by index), OneHot, and UnsortedSegmentSum (gather's gradient).
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/dtype.h"

namespace robusta::cpu {

/**
 * Legend: B batch dims' size, O outer size (axes before the gathered one, after the batch dims), D the gathered
 * axis' extent, S slice size (axes after it), N indices per batch.
 * out[b, o, n, :] = x[b, o, idx[b, n], :] with x [B, O, D, S], idx [B, N], out [B, O, N, S].
 * Every index is checked first: one outside [0, D) is an Error with the cpu backend's message, and nothing is written.
 */
void gather(size_t elemBytes, const void* x, const int32_t* idx, void* out, int64_t B, int64_t O, int64_t D, int64_t S,
            int64_t N);

/**
 * out[s, :] = Σ over rows n with ids[n] == s of x[n, :]; x [N, S] (float32 or int32), out [numSegments, S] float32,
 * as the cpu backend returns. Ids outside [0, numSegments) contribute nothing. Rows add in order, so the result is
 * deterministic.
 */
void unsortedSegmentSum(DType xType, const void* x, const int32_t* ids, int64_t N, int64_t S, float* out,
                        int64_t numSegments);

/** out[n, :] = offValue except out[n, idx[n]] = onValue where 0 <= idx[n] < depth; out [N, depth] of `dtype`. */
void oneHot(const int32_t* idx, int64_t N, int64_t depth, DType dtype, double onValue, double offValue, void* out);

}  // namespace robusta::cpu
