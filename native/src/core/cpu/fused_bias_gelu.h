// bias + exact erf GELU over rows of F features, forward and backward.
#pragma once
#include <cstdint>

namespace robusta::cpu::fused {

/** y = gelu(x + bias) = 0.5 z (1 + erf(z / sqrt 2)), x and y [rows, F], bias [F]. */
void biasGeluForward(const float* x, const float* bias, float* y, int64_t rows, int64_t F);

/** dx = dy * gelu'(x + bias) and dbias = column sums of dx (per column block, independent of the thread count). */
void biasGeluBackward(const float* dy, const float* x, const float* bias, float* dx, float* dbias, int64_t rows,
                      int64_t F);

}  // namespace robusta::cpu::fused
