// Masked softmax attention with seeded dropout on the probabilities (B batch, A heads, T tokens, D head size):
// the fused kernel when the backend has one, else composite tfjs ops with the same dropout mask.
import {
  add,
  engine,
  matMul,
  mul,
  type NamedAttrMap,
  scalar,
  softmax,
  type Tensor,
  tensor,
  tidy,
  zeros,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { ensureGradient, hasFusedKernel } from './dispatch.js';
import { dropoutMask, dropoutThreshold, splitSeed } from './dropout.js';
import { type AttentionAttrs, RobustaAttention, RobustaAttentionGrad } from './kernel_names.js';

export interface AttentionOptions {
  /** Probability of dropping an attention probability (training); 0 (the default) disables dropout. */
  dropoutRate?: number;
  /**
   * Seed of the dropout mask, a non-negative safe integer; required when dropoutRate > 0. The mask is a pure
   * function of (seed, element index), so the same seed gives the same mask on every backend and every run.
   */
  seed?: number;
}

function check(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null): void {
  const shapes = `q [${q.shape}], k [${k.shape}], v [${v.shape}]`;
  if (q.rank !== 4 || k.rank !== 4 || v.rank !== 4)
    throw new Error(`attention: q, k, v must be [B, A, T, D]; got ${shapes}`);
  const [b, a, tq, d] = q.shape as [number, number, number, number];
  const tk = k.shape[2] as number;
  const same = (s: readonly number[], want: readonly number[]) => s.every((x, i) => x === want[i]);
  if (!same(k.shape, [b, a, tk, d]) || !same(v.shape, [b, a, tk, d])) {
    throw new Error(`attention: k and v must be [B, A, Tk, D] with q's B, A, D; got ${shapes}`);
  }
  for (const [name, t] of [
    ['q', q],
    ['k', k],
    ['v', v],
  ] as const) {
    if (t.dtype !== 'float32') throw new Error(`attention: ${name} must be float32, got ${t.dtype}`);
  }
  if (mask != null) {
    const full = [b, a, tq, tk];
    if (mask.rank !== 4 || mask.dtype !== 'float32' || !mask.shape.every((m, i) => m === 1 || m === full[i])) {
      throw new Error(
        `attention: the additive mask must be float32 and broadcast to [B, A, Tq, Tk] = [${full}] (each dim 1 or ` +
          `full, e.g. [B, 1, 1, Tk]); got ${mask.dtype} [${mask.shape}]`,
      );
    }
  }
}

function attrsOf(options: AttentionOptions): AttentionAttrs {
  const dropoutRate = options.dropoutRate ?? 0;
  dropoutThreshold(dropoutRate); // validates the rate
  if (dropoutRate > 0 && options.seed === undefined) {
    throw new Error('attention: a seed is required when dropoutRate > 0 (dropout must be reproducible)');
  }
  const [seedLo, seedHi] = dropoutRate > 0 ? splitSeed(options.seed as number) : [0, 0];
  return { dropoutRate, seedLo, seedHi };
}

/** Attention with tfjs ops (BatchMatMul, Softmax, a dropout mask uploaded from JS); autodiff on any backend. */
export function attentionComposite(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  mask: Tensor | null,
  options: AttentionOptions = {},
): Tensor {
  check(q, k, v, mask);
  const { dropoutRate } = attrsOf(options);
  return tidy(() => {
    const d = q.shape[3] as number;
    let scores = mul(matMul(q, k, false, true), scalar(1 / Math.sqrt(d)));
    if (mask != null) scores = add(scores, mask);
    let probs = softmax(scores);
    if (dropoutRate > 0) {
      const keep = dropoutMask(dropoutRate, options.seed as number, probs.size);
      probs = mul(probs, tensor(keep, probs.shape, 'float32'));
    }
    return matMul(probs, v);
  });
}

const gradConfig = {
  kernelName: RobustaAttention,
  inputsToSave: ['q', 'k', 'v', 'mask'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [q, k, v, mask] = saved as [Tensor, Tensor, Tensor, Tensor];
    const [dq, dk, dv] = engine().runKernel(
      RobustaAttentionGrad,
      { dy: dy as Tensor, q, k, v, mask },
      attrs,
    ) as Tensor[];
    // the additive mask is a constant of the data (padding), not a parameter
    return { q: () => dq as Tensor, k: () => dk as Tensor, v: () => dv as Tensor, mask: () => zerosLike(mask) };
  },
};

/**
 * softmax(q kᵀ / sqrt(D) + mask) -> dropout on the probabilities -> · v, per batch and head.
 * q [B, A, Tq, D], k and v [B, A, Tk, D], mask additive and broadcastable to [B, A, Tq, Tk] (typically [B, 1, 1, Tk]
 * with 0 for tokens and -1e9 or -inf for padding) or null. Returns [B, A, Tq, D]. Differentiable in q, k, v; the mask
 * is treated as a constant on the fused path (zero gradient).
 */
export function attention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  mask: Tensor | null,
  options: AttentionOptions = {},
): Tensor {
  if (!hasFusedKernel(RobustaAttention, RobustaAttentionGrad)) return attentionComposite(q, k, v, mask, options);
  check(q, k, v, mask);
  const attrs = attrsOf(options);
  ensureGradient(gradConfig);
  return tidy(() => {
    // the gradient saves its inputs by name, so "no mask" is a broadcast zero rather than a missing input
    const m = mask ?? zeros([1, 1, 1, 1]);
    return engine().runKernel(RobustaAttention, { q, k, v, mask: m }, attrs as unknown as NamedAttrMap) as Tensor;
  });
}
