// Element types the backend stores: tfjs's float32, int32 and bool (one byte per element).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/op_codes.h"

namespace robusta {

enum class DType : int { ROBUSTA_DTYPE_CODES(ROBUSTA_ENUMERATOR) };

inline size_t dtypeSize(DType t) { return t == DType::Bool ? 1 : 4; }

inline const char* dtypeName(DType t) {
  switch (t) {
    case DType::F32: return "float32";
    case DType::I32: return "int32";
    case DType::Bool: return "bool";
  }
  return "?";
}

}  // namespace robusta
