// Range: start, start + step, ... accumulated one element at a time in the output dtype, as the cpu backend does.
#pragma once
#include <cstdint>

#include "core/dtype.h"

namespace robusta::cpu {

/** out[0] = start; out[i] = out[i-1] + step, each sum rounded to float32 or wrapped to int32 as it is stored. */
void range(DType dtype, void* out, int64_t n, double start, double step);

}  // namespace robusta::cpu
