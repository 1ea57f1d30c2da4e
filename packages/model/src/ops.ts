// The model's numeric building blocks, one function per op: @robusta/tfjs fused ops (composite on other backends).
// B batch, T tokens, H hidden, A heads, D head size (H = A*D), F FFN size, V vocab, N selected rows.
import * as tf from '@robusta/tfjs';

/** Large negative added to masked attention scores: float32's lowest value, as HF uses, so exp() gives exactly 0. */
export const MASK_VALUE = -3.4028234663852886e38;

/** x [..., in] times W^T + b, with W stored [out, in] as in PyTorch/HF checkpoints. */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  const inDim = x.shape[x.shape.length - 1]!;
  const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, inDim]);
  let y = tf.matMul(x2, weight, false, true);
  if (bias) y = tf.add(y, bias);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), weight.shape[0]!]);
}

/** LayerNorm over the last axis, statistics in float32 (fused kernel on 'robusta'). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  return tf.layerNorm(x, gamma, beta, eps);
}

/** Exact erf GELU of x W^T + b (not the tanh approximation); the bias add and GELU are one fused op. */
export function linearGelu(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  return tf.biasGelu(linear(x, weight, null), bias);
}

/**
 * Inverted dropout with the same stateless mask function as the fused attention kernel, so a seed means the same
 * mask on every backend. Identity when `seed` is null (not training) or the rate is 0.
 */
export function dropout(x: tf.Tensor, rate: number, seed: number | null): tf.Tensor {
  if (seed === null || rate === 0) return x;
  return tf.mul(x, tf.tensor(tf.dropoutMask(rate, seed, x.size), x.shape, 'float32'));
}

/**
 * softmax(q k^T / sqrt(D) + mask) v with dropout on the probabilities.
 * q, k, v [B, A, T, D]; keyMask [B, 1, 1, T] additive (0 or MASK_VALUE). Returns [B, A, T, D].
 */
export function attention(
  q: tf.Tensor4D,
  k: tf.Tensor4D,
  v: tf.Tensor4D,
  keyMask: tf.Tensor,
  probsDropout: number,
  seed: number | null,
): tf.Tensor4D {
  const options = seed === null ? {} : { dropoutRate: probsDropout, seed };
  return tf.attention(q, k, v, keyMask, options) as tf.Tensor4D;
}

/** Mean cross-entropy of logits [N, C] against int32 labels [N]; rows labelled `ignoreIndex` are left out. */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, ignoreIndex = -100): tf.Scalar {
  return tf.softmaxCrossEntropy(logits, tf.cast(labels, 'int32'), { ignoreIndex }) as tf.Scalar;
}

/** Mean binary cross-entropy with logits, in the overflow-free form max(x, 0) - x z + log(1 + exp(-|x|)). */
export function sigmoidCrossEntropy(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  const z = tf.cast(targets, 'float32');
  const perElement = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, z)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
  return tf.mean(perElement) as tf.Scalar;
}
