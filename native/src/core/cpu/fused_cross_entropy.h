// Softmax cross-entropy over N selected rows of V logits with an ignore index, forward and backward.
#pragma once
#include <cstdint>

namespace robusta::cpu::fused {

/**
 * Throws Error naming the row and value when a label is neither ignoreIndex nor in [0, V); returns the number of
 * counted rows. Run before the kernels below (which do not check, as nothing may throw inside a parallel loop).
 */
int64_t countCrossEntropyRows(const int32_t* labels, int64_t N, int64_t V, int32_t ignoreIndex);

/** Mean over counted rows of logsumexp(logits[r]) - logits[r, label[r]]; 0 when no row counts. */
float softmaxCrossEntropyForward(const float* logits, const int32_t* labels, int64_t N, int64_t V, int32_t ignoreIndex);

/** dlogits = dy * (softmax(logits[r]) - onehot(label[r])) / count on counted rows, 0 on ignored rows. */
void softmaxCrossEntropyBackward(float dy, const float* logits, const int32_t* labels, float* dlogits, int64_t N,
                                 int64_t V, int32_t ignoreIndex);

}  // namespace robusta::cpu::fused
