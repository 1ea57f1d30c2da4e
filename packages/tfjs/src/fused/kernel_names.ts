// Names and attributes of Robusta's fused tfjs kernels: the contract between this package and any backend that
// registers them (today '@robusta/native' for backend 'robusta').

/** y = (x - mean) / sqrt(var + epsilon) * gamma + beta over the last axis. Inputs: x [.., H], gamma [H], beta [H]. */
export const RobustaLayerNorm = 'RobustaLayerNorm';
/** Inputs: dy [.., H], x [.., H], gamma [H]. Outputs: [dx, dgamma, dbeta]. Attributes as the forward. */
export const RobustaLayerNormGrad = 'RobustaLayerNormGrad';
export interface LayerNormAttrs {
  epsilon: number;
}

/** y = gelu(x + bias) with the exact erf GELU. Inputs: x [.., F], bias [F]. */
export const RobustaBiasGelu = 'RobustaBiasGelu';
/** Inputs: dy [.., F], x [.., F], bias [F]. Outputs: [dx, dbias]. */
export const RobustaBiasGeluGrad = 'RobustaBiasGeluGrad';

/**
 * softmax(q kᵀ / sqrt(D) + mask), dropout on the probabilities, times v. Inputs: q [B, A, Tq, D], k and v
 * [B, A, Tk, D], mask [B|1, A|1, Tq|1, Tk|1] additive (the API passes a [1, 1, 1, 1] zero when there is none).
 */
export const RobustaAttention = 'RobustaAttention';
/** Inputs: dy [B, A, Tq, D], q, k, v, mask as the forward. Outputs: [dq, dk, dv]; the mask is a constant. */
export const RobustaAttentionGrad = 'RobustaAttentionGrad';
export interface AttentionAttrs {
  /** Probability of zeroing an attention probability, in [0, 1). */
  dropoutRate: number;
  /** Low and high 32 bits of the dropout seed (a non-negative safe integer split in two). */
  seedLo: number;
  seedHi: number;
}

/** Mean over rows with label != ignoreIndex of logsumexp(logits[r]) - logits[r, label]. Inputs: logits [N, V], labels int32 [N]. */
export const RobustaSoftmaxCrossEntropy = 'RobustaSoftmaxCrossEntropy';
/** Inputs: dy [] (scalar), logits [N, V], labels [N]. Output: dlogits [N, V]. */
export const RobustaSoftmaxCrossEntropyGrad = 'RobustaSoftmaxCrossEntropyGrad';
export interface SoftmaxCrossEntropyAttrs {
  ignoreIndex: number;
}

/**
 * One AdamW step. Inputs: param, grad, m, v (same shape, float32). Outputs: [param, m, v] updated; a backend may
 * update an input's memory in place and return it when nothing else references it.
 */
export const RobustaAdamW = 'RobustaAdamW';
export interface AdamWAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1 - beta1^step and 1 - beta2^step, computed in float64 by the caller. */
  biasCorrection1: number;
  biasCorrection2: number;
}

/** Every fused kernel name, forward and backward. */
export const FUSED_KERNEL_NAMES = [
  RobustaLayerNorm,
  RobustaLayerNormGrad,
  RobustaBiasGelu,
  RobustaBiasGeluGrad,
  RobustaAttention,
  RobustaAttentionGrad,
  RobustaSoftmaxCrossEntropy,
  RobustaSoftmaxCrossEntropyGrad,
  RobustaAdamW,
] as const;
