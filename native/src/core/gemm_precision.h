// The precision of a matrix product's inputs, one list for the CPU and CUDA GEMMs (codes from op_codes.json).
#pragma once
#include "core/op_codes.h"

namespace robusta {

/** Each GEMM takes the precisions it implements and rejects the others by name. */
enum class GemmPrecision : int { ROBUSTA_GEMM_PRECISION_CODES(ROBUSTA_ENUMERATOR) };

}  // namespace robusta
