// bias + GELU forward and backward (see fused_bias_gelu.h): rows in parallel, then column sums per column block.
#include "core/cpu/fused_bias_gelu.h"

#include <algorithm>
#include <cmath>

#include "core/cpu/fused_common.h"
#include "core/thread_pool.h"

namespace robusta::cpu::fused {

namespace {

constexpr float kInvSqrt2Pi = 0.39894228040143267794f;

ROBUSTA_FUSED_CLONES void forwardRow(const float* x, const float* bias, float* y, int64_t F) {
  for (int64_t i = 0; i < F; ++i) {
    const float z = x[i] + bias[i];
    y[i] = z * normalCdfFast(z);
  }
}

ROBUSTA_FUSED_CLONES void backwardRow(const float* dy, const float* x, const float* bias, float* dx, int64_t F) {
  for (int64_t i = 0; i < F; ++i) {
    const float z = x[i] + bias[i];
    // d/dz [z Phi(z)] = Phi(z) + z phi(z)
    const float cdf = normalCdfFast(z);
    const float pdf = kInvSqrt2Pi * expFast(-0.5f * z * z);
    dx[i] = dy[i] * (cdf + z * pdf);
  }
}

ROBUSTA_FUSED_CLONES void columnSums(const float* dx, float* dbias, int64_t rows, int64_t F, int64_t c0, int64_t c1) {
  double s[kColumnBlock] = {0};
  const int64_t w = c1 - c0;
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = dx + r * F + c0;
    for (int64_t i = 0; i < w; ++i) s[i] += row[i];
  }
  for (int64_t i = 0; i < w; ++i) dbias[c0 + i] = static_cast<float>(s[i]);
}

}  // namespace

void biasGeluForward(const float* x, const float* bias, float* y, int64_t rows, int64_t F) {
  if (rows <= 0 || F <= 0) return;
  ThreadPool::instance().parallelFor(rows, std::max<int64_t>(1, (1 << 13) / F), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) forwardRow(x + r * F, bias, y + r * F, F);
  });
}

void biasGeluBackward(const float* dy, const float* x, const float* bias, float* dx, float* dbias, int64_t rows,
                      int64_t F) {
  if (F <= 0) return;
  ThreadPool::instance().parallelFor(rows, std::max<int64_t>(1, (1 << 13) / F), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) backwardRow(dy + r * F, x + r * F, bias, dx + r * F, F);
  });
  const int64_t blocks = (F + kColumnBlock - 1) / kColumnBlock;
  ThreadPool::instance().parallelFor(blocks, 1, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) columnSums(dx, dbias, rows, F, b * kColumnBlock, std::min(F, (b + 1) * kColumnBlock));
  });
}

}  // namespace robusta::cpu::fused
