// Shapes, sizes and NumPy-style broadcasting (the rules tfjs follows), shared by every CPU kernel.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace robusta {

using Shape = std::vector<int64_t>;

inline int64_t numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

std::string shapeString(const Shape& s);

/** Broadcast result of a and b; throws Error naming both shapes when they do not broadcast. */
Shape broadcastShapes(const Shape& a, const Shape& b);

/** Strides of `in` seen through the broadcast output shape `out` (0 along broadcast axes), row-major. */
std::vector<int64_t> broadcastStrides(const Shape& in, const Shape& out);

}  // namespace robusta
