// LayerNorm over the last axis (H hidden): the fused kernel when the backend has one, else composite tfjs ops.
import { add, engine, moments, mul, type NamedAttrMap, rsqrt, sub, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { ensureGradient, hasFusedKernel } from './dispatch.js';
import { type LayerNormAttrs, RobustaLayerNorm, RobustaLayerNormGrad } from './kernel_names.js';

function check(x: Tensor, gamma: Tensor, beta: Tensor): void {
  const h = x.shape[x.rank - 1];
  if (x.rank < 1 || gamma.rank !== 1 || beta.rank !== 1 || gamma.shape[0] !== h || beta.shape[0] !== h) {
    throw new Error(
      `layerNorm: x [.., H] needs gamma [H] and beta [H]; got x [${x.shape}], gamma [${gamma.shape}], beta [${beta.shape}]`,
    );
  }
  for (const [name, t] of [
    ['x', x],
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (t.dtype !== 'float32') throw new Error(`layerNorm: ${name} must be float32, got ${t.dtype}`);
  }
}

/** LayerNorm with tfjs ops: two-pass statistics (tf.moments), differentiable by tfjs autodiff on any backend. */
export function layerNormComposite(x: Tensor, gamma: Tensor, beta: Tensor, epsilon = 1e-5): Tensor {
  check(x, gamma, beta);
  return tidy(() => {
    const { mean, variance } = moments(x, -1, true);
    const xhat = mul(sub(x, mean), rsqrt(add(variance, epsilon)));
    return add(mul(xhat, gamma), beta);
  });
}

const gradConfig = {
  kernelName: RobustaLayerNorm,
  inputsToSave: ['x', 'gamma'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, gamma] = saved as [Tensor, Tensor];
    const [dx, dgamma, dbeta] = engine().runKernel(
      RobustaLayerNormGrad,
      { dy: dy as Tensor, x, gamma },
      attrs,
    ) as Tensor[];
    return { x: () => dx as Tensor, gamma: () => dgamma as Tensor, beta: () => dbeta as Tensor };
  },
};

/**
 * LayerNorm over the last axis: (x - mean) / sqrt(var + epsilon) * gamma + beta, statistics in fp32 (two-pass).
 * x [.., H], gamma [H], beta [H]; differentiable in all three.
 */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, epsilon = 1e-5): Tensor {
  if (!hasFusedKernel(RobustaLayerNorm, RobustaLayerNormGrad)) return layerNormComposite(x, gamma, beta, epsilon);
  check(x, gamma, beta);
  ensureGradient(gradConfig);
  const attrs: LayerNormAttrs = { epsilon };
  return engine().runKernel(RobustaLayerNorm, { x, gamma, beta }, attrs as unknown as NamedAttrMap) as Tensor;
}
