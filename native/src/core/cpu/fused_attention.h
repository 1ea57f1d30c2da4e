// Masked softmax attention with seeded dropout, forward and backward, one (batch, head) per task.
//
// Dimension legend: B batch, A heads, Tq query tokens, Tk key tokens, D head size.
#pragma once
#include <cstdint>

#include "core/cpu/fused_common.h"

namespace robusta::cpu::fused {

struct AttentionDims {
  int64_t B = 0, A = 0, Tq = 0, Tk = 0, D = 0;
  /** Element strides of the additive mask along B, A, Tq, Tk (0 on a broadcast axis); mask may be null. */
  int64_t maskStride[4] = {0, 0, 0, 0};
};

/**
 * out = dropout(softmax(q kᵀ / sqrt(D) + mask)) v. q and out [B, A, Tq, D], k and v [B, A, Tk, D]. The dropout index
 * of probability (b, a, i, j) is ((b A + a) Tq + i) Tk + j.
 */
void attentionForward(const float* q, const float* k, const float* v, const float* mask, float* out,
                      const AttentionDims& dims, const Dropout& dropout);

/** Gradients of attentionForward given dy [B, A, Tq, D]: the probabilities and the mask are recomputed. */
void attentionBackward(const float* dy, const float* q, const float* k, const float* v, const float* mask, float* dq,
                       float* dk, float* dv, const AttentionDims& dims, const Dropout& dropout);

}  // namespace robusta::cpu::fused
