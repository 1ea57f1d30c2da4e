// Elementwise kernels: unary ops, binary ops with broadcasting, casts. Op codes come from core/op_codes.h.
#pragma once
#include <cstdint>

#include "core/dtype.h"
#include "core/op_codes.h"
#include "core/shape.h"

namespace robusta::cpu {

enum class UnaryOp : int { ROBUSTA_UNARY_OP_CODES(ROBUSTA_ENUMERATOR) Count };
enum class BinaryOp : int { ROBUSTA_BINARY_OP_CODES(ROBUSTA_ENUMERATOR) Count };

/** True when the op's output is bool whatever the inputs (comparisons, logical ops). */
bool binaryOutputsBool(BinaryOp op);

/** out[i] = op(in[i]); `in` and `out` have `dtype` (bool output for IsNan/IsInf/IsFinite/LogicalNot). alpha: Step/Elu. */
void unary(UnaryOp op, DType inType, const void* in, DType outType, void* out, int64_t n, float alpha);

/** out = op(a, b) with broadcasting; a and b share `inType`; out is bool for comparisons, else inType. */
void binary(BinaryOp op, DType inType, const void* a, const Shape& aShape, const void* b, const Shape& bShape,
            void* out, const Shape& outShape);

/** Converts n elements between dtypes (float -> int truncates toward zero, anything -> bool is != 0). */
void cast(DType from, const void* in, DType to, void* out, int64_t n);

}  // namespace robusta::cpu
