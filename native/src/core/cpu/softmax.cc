// Softmax rows (see softmax.h): one row per task, three passes over the row (max, exp and sum, scale).
#include "core/cpu/softmax.h"

#include <algorithm>
#include <cmath>

#include "core/thread_pool.h"

namespace robusta::cpu {

void softmax(const float* x, float* out, int64_t rows, int64_t n, bool log) {
  if (rows <= 0 || n <= 0) return;
  ThreadPool::instance().parallelFor(rows, std::max<int64_t>(1, (1 << 14) / n), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const float* xr = x + r * n;
      float* yr = out + r * n;
      float m = xr[0];
      for (int64_t i = 0; i < n; ++i) {
        if (std::isnan(xr[i]) || xr[i] > m) m = xr[i];
      }
      double sum = 0;
      if (log) {
        for (int64_t i = 0; i < n; ++i) {
          const float shifted = xr[i] - m;
          yr[i] = shifted;
          sum += static_cast<double>(std::exp(shifted));
        }
        const float logSum = std::log(static_cast<float>(sum));
        for (int64_t i = 0; i < n; ++i) yr[i] -= logSum;
      } else {
        for (int64_t i = 0; i < n; ++i) yr[i] = std::exp(xr[i] - m);
        // four double accumulators: the add latency of one chain would bound this loop
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int64_t k = 0;
        for (; k + 4 <= n; k += 4) {
          s0 += yr[k];
          s1 += yr[k + 1];
          s2 += yr[k + 2];
          s3 += yr[k + 3];
        }
        sum = (s0 + s1) + (s2 + s3);
        for (; k < n; ++k) sum += yr[k];
        const float s = static_cast<float>(sum);
        for (int64_t i = 0; i < n; ++i) yr[i] /= s;
      }
    }
  });
}

}  // namespace robusta::cpu
