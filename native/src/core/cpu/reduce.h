// Reductions over one block of axes (Sum, Mean, Prod, Max, Min, ArgMax, ArgMin, All, Any) with tfjs cpu's semantics.
#pragma once
#include <cstdint>

#include "core/dtype.h"
#include "core/op_codes.h"

namespace robusta::cpu {

enum class ReduceOp : int { ROBUSTA_REDUCE_OP_CODES(ROBUSTA_ENUMERATOR) Count };

/** The output dtype tfjs gives: Sum/Prod of bool or int32 -> int32, Mean -> float32, ArgMax/ArgMin -> int32, All/Any -> bool. */
DType reduceOutputType(ReduceOp op, DType in);

/**
 * Reduces x, viewed as [outer, size, inner] (row-major), over its middle axis into out [outer, inner].
 * Sums and products accumulate in double and Mean divides each element by `size` in float first, as the cpu backend
 * does, so results agree with it to the last bit in the common cases. An empty middle axis gives the cpu backend's
 * values: 0 for Sum/Mean/ArgMax/ArgMin/All/Any, 1 for Prod, NaN (float) or 0 (int) for Max/Min.
 */
void reduce(ReduceOp op, DType inType, const void* x, void* out, int64_t outer, int64_t size, int64_t inner);

}  // namespace robusta::cpu
