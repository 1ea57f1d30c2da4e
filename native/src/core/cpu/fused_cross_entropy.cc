// Softmax cross-entropy forward and backward (see fused_cross_entropy.h): one row per task, log-sum-exp in double
// accumulators; per-row losses are summed in row order so the result does not depend on the thread count.
#include "core/cpu/fused_cross_entropy.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/cpu/fused_common.h"
#include "core/error.h"
#include "core/thread_pool.h"

namespace robusta::cpu::fused {

namespace {

/** log(sum(exp(x))) of one row, stable: the max is taken out first (NaN propagates). */
ROBUSTA_FUSED_CLONES double logSumExp(const float* x, int64_t V) {
  float m = x[0];
  for (int64_t j = 0; j < V; ++j) m = std::isnan(x[j]) || x[j] > m ? x[j] : m;
  if (std::isinf(m) && m < 0) return m;  // every logit -inf
  double sum = 0;
  for (int64_t j = 0; j < V; ++j) sum += expFast(x[j] - m);
  return static_cast<double>(m) + std::log(sum);
}

ROBUSTA_FUSED_CLONES void gradRow(const float* x, float* g, int64_t V, int32_t label, float coeff) {
  const double lse = logSumExp(x, V);
  const float l = static_cast<float>(lse);
  for (int64_t j = 0; j < V; ++j) g[j] = expFast(x[j] - l) * coeff;
  g[label] -= coeff;
}

int64_t rowGrain(int64_t V) { return std::max<int64_t>(1, (1 << 14) / std::max<int64_t>(V, 1)); }

}  // namespace

int64_t countCrossEntropyRows(const int32_t* labels, int64_t N, int64_t V, int32_t ignoreIndex) {
  int64_t count = 0;
  for (int64_t r = 0; r < N; ++r) {
    if (labels[r] == ignoreIndex) continue;
    if (labels[r] < 0 || labels[r] >= V) {
      throw Error("softmaxCrossEntropy: labels[" + std::to_string(r) + "] = " + std::to_string(labels[r]) +
                  " is outside [0, " + std::to_string(V) + ") and is not the ignore index " +
                  std::to_string(ignoreIndex));
    }
    ++count;
  }
  return count;
}

float softmaxCrossEntropyForward(const float* logits, const int32_t* labels, int64_t N, int64_t V,
                                 int32_t ignoreIndex) {
  const int64_t count = countCrossEntropyRows(labels, N, V, ignoreIndex);
  if (count == 0 || V == 0) return 0.0f;
  thread_local std::vector<double> rowLoss;
  rowLoss.assign(static_cast<size_t>(N), 0.0);
  double* losses = rowLoss.data();
  ThreadPool::instance().parallelFor(N, rowGrain(V), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      if (labels[r] == ignoreIndex) continue;
      const float* x = logits + r * V;
      losses[r] = logSumExp(x, V) - static_cast<double>(x[labels[r]]);
    }
  });
  double total = 0;
  for (int64_t r = 0; r < N; ++r) total += losses[r];
  return static_cast<float>(total / static_cast<double>(count));
}

void softmaxCrossEntropyBackward(float dy, const float* logits, const int32_t* labels, float* dlogits, int64_t N,
                                 int64_t V, int32_t ignoreIndex) {
  const int64_t count = countCrossEntropyRows(labels, N, V, ignoreIndex);
  const float coeff = count == 0 ? 0.0f : static_cast<float>(static_cast<double>(dy) / static_cast<double>(count));
  ThreadPool::instance().parallelFor(N, rowGrain(V), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      float* g = dlogits + r * V;
      if (labels[r] == ignoreIndex || count == 0) {
        std::fill(g, g + V, 0.0f);
        continue;
      }
      gradRow(logits + r * V, g, V, labels[r], coeff);
    }
  });
}

}  // namespace robusta::cpu::fused
