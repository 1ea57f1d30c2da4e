// Elementwise kernels: unary ops, binary ops with broadcasting, casts. Ids match the TS side's op tables.
#pragma once
#include <cstdint>

#include "core/dtype.h"
#include "core/shape.h"

namespace robusta::cpu {

enum class UnaryOp : int {
  Neg, Abs, Exp, Expm1, Log, Log1p, Sqrt, Rsqrt, Square, Reciprocal, Tanh, Sigmoid, Relu, Relu6, Elu, Selu, Erf,
  Floor, Ceil, Round, Sign, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh, Softplus,
  LogicalNot, IsNan, IsInf, IsFinite, Step, Count
};

enum class BinaryOp : int {
  Add, Sub, Mul, RealDiv, FloorDiv, Mod, Maximum, Minimum, Pow, SquaredDifference, Atan2,
  Equal, NotEqual, Greater, GreaterEqual, Less, LessEqual, LogicalAnd, LogicalOr, LogicalXor, Count
};

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
