// One AdamW step with decoupled weight decay over n float32 values; outputs may alias the inputs (in place).
#pragma once
#include <cstdint>

namespace robusta::cpu::fused {

struct AdamWParams {
  float lr, beta1, beta2, eps, weightDecay;
  /** 1 - beta1^step and 1 - beta2^step (from float64). */
  double biasCorrection1, biasCorrection2;
};

/**
 * m' = b1 m + (1 - b1) g; v' = b2 v + (1 - b2) g²; p' = p - lr (m'/bc1 / (sqrt(v'/bc2) + eps) + wd p).
 * pOut/mOut/vOut may equal param/m/v.
 */
void adamwUpdate(const float* param, const float* grad, const float* m, const float* v, float* pOut, float* mOut,
                 float* vOut, int64_t n, const AdamWParams& o);

}  // namespace robusta::cpu::fused
