// LayerNorm forward and backward (see fused_layer_norm.h): one row per task, column sums per column block.
#include "core/cpu/fused_layer_norm.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/cpu/fused_common.h"
#include "core/thread_pool.h"

namespace robusta::cpu::fused {

namespace {

struct RowStats {
  float mean, rstd;
};

ROBUSTA_FUSED_CLONES RowStats rowStats(const float* x, int64_t H, float epsilon) {
  double sum = 0;
  for (int64_t i = 0; i < H; ++i) sum += x[i];
  const float mean = static_cast<float>(sum / static_cast<double>(H));
  double sq = 0;
  for (int64_t i = 0; i < H; ++i) {
    const float d = x[i] - mean;
    sq += static_cast<double>(d) * d;
  }
  const float variance = static_cast<float>(sq / static_cast<double>(H));
  return {mean, 1.0f / std::sqrt(variance + epsilon)};
}

ROBUSTA_FUSED_CLONES void forwardRow(const float* x, const float* gamma, const float* beta, float* y, int64_t H,
                                     float epsilon) {
  const RowStats s = rowStats(x, H, epsilon);
  for (int64_t i = 0; i < H; ++i) y[i] = (x[i] - s.mean) * s.rstd * gamma[i] + beta[i];
}

ROBUSTA_FUSED_CLONES RowStats backwardRow(const float* dy, const float* x, const float* gamma, float* dx, int64_t H,
                                          float epsilon) {
  const RowStats s = rowStats(x, H, epsilon);
  double sumG = 0, sumGX = 0;  // sums of dxhat and dxhat * xhat, dxhat = dy * gamma
  for (int64_t i = 0; i < H; ++i) {
    const float g = dy[i] * gamma[i];
    sumG += g;
    sumGX += static_cast<double>(g) * ((x[i] - s.mean) * s.rstd);
  }
  const float meanG = static_cast<float>(sumG / static_cast<double>(H));
  const float meanGX = static_cast<float>(sumGX / static_cast<double>(H));
  for (int64_t i = 0; i < H; ++i) {
    const float xhat = (x[i] - s.mean) * s.rstd;
    dx[i] = s.rstd * (dy[i] * gamma[i] - meanG - xhat * meanGX);
  }
  return s;
}

ROBUSTA_FUSED_CLONES void columnSums(const float* dy, const float* x, const RowStats* stats, float* dgamma, float* dbeta,
                                     int64_t rows, int64_t H, int64_t c0, int64_t c1) {
  double g[kColumnBlock] = {0}, b[kColumnBlock] = {0};
  const int64_t w = c1 - c0;
  for (int64_t r = 0; r < rows; ++r) {
    const float* dyr = dy + r * H + c0;
    const float* xr = x + r * H + c0;
    const RowStats s = stats[r];
    for (int64_t i = 0; i < w; ++i) {
      g[i] += static_cast<double>(dyr[i]) * ((xr[i] - s.mean) * s.rstd);
      b[i] += dyr[i];
    }
  }
  for (int64_t i = 0; i < w; ++i) {
    dgamma[c0 + i] = static_cast<float>(g[i]);
    dbeta[c0 + i] = static_cast<float>(b[i]);
  }
}

}  // namespace

void layerNormForward(const float* x, const float* gamma, const float* beta, float* y, int64_t rows, int64_t H,
                      float epsilon) {
  if (rows <= 0 || H <= 0) return;
  ThreadPool::instance().parallelFor(rows, std::max<int64_t>(1, (1 << 14) / H), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) forwardRow(x + r * H, gamma, beta, y + r * H, H, epsilon);
  });
}

void layerNormBackward(const float* dy, const float* x, const float* gamma, float* dx, float* dgamma, float* dbeta,
                       int64_t rows, int64_t H, float epsilon) {
  if (H <= 0) return;
  if (rows <= 0) {
    std::fill(dgamma, dgamma + H, 0.0f);
    std::fill(dbeta, dbeta + H, 0.0f);
    return;
  }
  thread_local std::vector<RowStats> stats;  // reused across calls: no fresh memory per training step
  stats.resize(static_cast<size_t>(rows));
  RowStats* st = stats.data();
  ThreadPool::instance().parallelFor(rows, std::max<int64_t>(1, (1 << 14) / H), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) st[r] = backwardRow(dy + r * H, x + r * H, gamma, dx + r * H, H, epsilon);
  });
  const int64_t blocks = (H + kColumnBlock - 1) / kColumnBlock;
  ThreadPool::instance().parallelFor(blocks, 1, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; ++b) {
      columnSums(dy, x, st, dgamma, dbeta, rows, H, b * kColumnBlock, std::min(H, (b + 1) * kColumnBlock));
    }
  });
}

}  // namespace robusta::cpu::fused
