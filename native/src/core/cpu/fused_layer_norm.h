// LayerNorm over the last axis, forward and backward (rows of H hidden values), statistics in fp32 from double
// accumulators, two-pass (mean, then squared deviations).
#pragma once
#include <cstdint>

namespace robusta::cpu::fused {

/** y[r, :] = (x[r, :] - mean) / sqrt(var + epsilon) * gamma + beta for r < rows. */
void layerNormForward(const float* x, const float* gamma, const float* beta, float* y, int64_t rows, int64_t H,
                      float epsilon);

/**
 * Gradients of layerNormForward given dy: dx [rows, H], dgamma [H], dbeta [H]. The statistics are recomputed from x;
 * the column sums run per column block over all rows, so results do not depend on the thread count.
 */
void layerNormBackward(const float* dy, const float* x, const float* gamma, float* dx, float* dgamma, float* dbeta,
                       int64_t rows, int64_t H, float epsilon);

}  // namespace robusta::cpu::fused
