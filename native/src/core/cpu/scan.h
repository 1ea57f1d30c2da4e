// Cumulative sums and products along one axis (tfjs Cumsum, Cumprod), with the exclusive and reverse flags.
#pragma once
#include <cstdint>

#include "core/dtype.h"
#include "core/op_codes.h"

namespace robusta::cpu {

enum class ScanOp : int { ROBUSTA_SCAN_OP_CODES(ROBUSTA_ENUMERATOR) Count };

/**
 * x and out viewed as [outer, size, inner]: a running sum/product along the middle axis. Each step adds to the
 * previous *stored* value in the output dtype (float32 rounding, int32 wrap-around), as the cpu backend accumulates
 * in its output array. exclusive: element k holds the scan of the elements before it (0 or 1 first); reverse: the
 * scan runs from the end. out is float32 for float32 x, int32 for int32 and bool x.
 */
void scan(ScanOp op, DType inType, const void* x, void* out, int64_t outer, int64_t size, int64_t inner, bool exclusive,
          bool reverse);

}  // namespace robusta::cpu
