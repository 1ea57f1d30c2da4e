// JavaScript number conversions that tfjs's cpu backend gets for free from typed arrays; kernels that must agree
// with it bit for bit (sums stored to int32, ranges, casts of accumulated doubles) use these.
#pragma once
#include <cmath>
#include <cstdint>

namespace robusta::cpu {

/** ECMAScript ToInt32, what storing a double into an Int32Array does: truncate, then wrap modulo 2^32; NaN/Inf -> 0. */
inline int32_t jsToInt32(double v) {
  if (!std::isfinite(v)) return 0;
  double t = std::trunc(v);
  if (t >= -2147483648.0 && t <= 2147483647.0) return static_cast<int32_t>(t);
  double m = std::fmod(t, 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(m));
}

/** tfjs's cast to bool: x !== 0, so NaN is true. */
inline uint8_t toBool(double v) { return v != 0 ? 1 : 0; }

}  // namespace robusta::cpu
