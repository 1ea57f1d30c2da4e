// Softmax and log-softmax over the last axis of float32 rows, in the order the cpu backend computes them.
#pragma once
#include <cstdint>

namespace robusta::cpu {

/**
 * out[r, :] = softmax(x[r, :]) for r < rows, each row `n` long (or log-softmax when `log`). Steps follow tfjs:
 * m = max (NaN propagates), e = exp(x - m), s = sum(e) in double, out = e / s (log: (x - m) - log(s)).
 */
void softmax(const float* x, float* out, int64_t rows, int64_t n, bool log);

}  // namespace robusta::cpu
