// Range (see range.h): serial on purpose: each element is the previous stored one plus step, so rounding in float32
// accumulates exactly as in the cpu backend (a closed form start + i*step would differ in the last bits).
#include "core/cpu/range.h"

#include "core/cpu/js_number.h"
#include "core/error.h"

namespace robusta::cpu {

void range(DType dtype, void* out, int64_t n, double start, double step) {
  if (n <= 0) return;
  if (dtype == DType::F32) {
    auto* o = static_cast<float*>(out);
    o[0] = static_cast<float>(start);
    for (int64_t i = 1; i < n; ++i) o[i] = static_cast<float>(static_cast<double>(o[i - 1]) + step);
  } else if (dtype == DType::I32) {
    auto* o = static_cast<int32_t*>(out);
    o[0] = jsToInt32(start);
    for (int64_t i = 1; i < n; ++i) o[i] = jsToInt32(static_cast<double>(o[i - 1]) + step);
  } else {
    throw Error("Range: dtype must be float32 or int32, not bool");
  }
}

}  // namespace robusta::cpu
