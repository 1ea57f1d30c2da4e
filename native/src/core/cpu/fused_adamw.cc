// AdamW step (see fused_adamw.h): one pass over the four arrays, in chunks on the pool.
#include "core/cpu/fused_adamw.h"

#include <cmath>

#include "core/cpu/fused_common.h"
#include "core/thread_pool.h"

namespace robusta::cpu::fused {

namespace {

ROBUSTA_FUSED_CLONES void adamwChunk(const float* param, const float* grad, const float* m, const float* v,
                                     float* pOut, float* mOut, float* vOut, int64_t n, const AdamWParams& o) {
  const float b1 = o.beta1, c1 = 1.0f - o.beta1, b2 = o.beta2, c2 = 1.0f - o.beta2;
  const float invBc1 = static_cast<float>(1.0 / o.biasCorrection1);
  const float invBc2 = static_cast<float>(1.0 / o.biasCorrection2);
  for (int64_t i = 0; i < n; ++i) {
    const float g = grad[i];
    const float p = param[i];
    const float mi = b1 * m[i] + c1 * g;
    const float vi = b2 * v[i] + c2 * g * g;
    const float update = mi * invBc1 / (std::sqrt(vi * invBc2) + o.eps);
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = p - o.lr * (update + o.weightDecay * p);
  }
}

}  // namespace

void adamwUpdate(const float* param, const float* grad, const float* m, const float* v, float* pOut, float* mOut,
                 float* vOut, int64_t n, const AdamWParams& o) {
  ThreadPool::instance().parallelFor(n, 1 << 15, [&](int64_t i0, int64_t i1) {
    adamwChunk(param + i0, grad + i0, m + i0, v + i0, pOut + i0, mOut + i0, vOut + i0, i1 - i0, o);
  });
}

}  // namespace robusta::cpu::fused
