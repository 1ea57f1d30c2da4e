import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../dist/index.js'; // tfjs gradients (bundled at build time)
import { attention, attentionComposite } from './index.js';
import { type AttentionDims, attentionReference, numericGradient, relativeError, seededUniform } from './reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A [B, 1, 1, Tk] padding mask: the last `pad[b]` keys of batch b get `fill`. */
function paddingMask(B: number, Tk: number, pad: number[], fill: number): Float32Array {
  const m = new Float32Array(B * Tk);
  for (let b = 0; b < B; b++) for (let j = Tk - (pad[b] as number); j < Tk; j++) m[b * Tk + j] = fill;
  return m;
}

describe('attention (composite, cpu)', () => {
  const cases: [string, AttentionDims, number[] | null, number, number][] = [
    ['no mask', { B: 2, A: 2, Tq: 5, Tk: 5, D: 4 }, null, 0, 0],
    ['padding mask -1e9', { B: 2, A: 3, Tq: 6, Tk: 6, D: 8 }, [2, 0], -1e9, 0],
    ['padding mask -inf', { B: 2, A: 1, Tq: 4, Tk: 4, D: 3 }, [1, 3], Number.NEGATIVE_INFINITY, 0],
    ['dropout 0.3', { B: 1, A: 2, Tq: 3, Tk: 7, D: 5 }, [2], -1e9, 0.3],
  ];
  it.each(cases)('matches the float64 reference: %s', async (_, dims, pad, fill, rate) => {
    const { B, A, Tq, Tk, D } = dims;
    const q = seededUniform(B * A * Tq * D, 1, -2, 2);
    const k = seededUniform(B * A * Tk * D, 2, -2, 2);
    const v = seededUniform(B * A * Tk * D, 3);
    const mask = pad ? paddingMask(B, Tk, pad, fill) : null;
    const got = await attention(
      tf.tensor(q, [B, A, Tq, D]),
      tf.tensor(k, [B, A, Tk, D]),
      tf.tensor(v, [B, A, Tk, D]),
      mask ? tf.tensor(mask, [B, 1, 1, Tk]) : null,
      { dropoutRate: rate, seed: 42 },
    ).data();
    const want = attentionReference(q, k, v, dims, mask, mask ? [B, 1, 1, Tk] : null, { rate, seed: 42 });
    expect(relativeError(got, want)).toBeLessThan(1e-5);
  });

  it('has gradients in q, k, v matching float64 finite differences, with a mask and dropout', async () => {
    const dims = { B: 2, A: 2, Tq: 3, Tk: 3, D: 2 };
    const { B, A, Tq, Tk, D } = dims;
    const q = seededUniform(B * A * Tq * D, 4, -1.5, 1.5);
    const k = seededUniform(B * A * Tk * D, 5, -1.5, 1.5);
    const v = seededUniform(B * A * Tk * D, 6);
    const w = seededUniform(B * A * Tq * D, 7);
    const mask = paddingMask(B, Tk, [0, 1], -1e9);
    const dropout = { rate: 0.25, seed: 9 };
    const loss = (qs: ArrayLike<number>, ks: ArrayLike<number>, vs: ArrayLike<number>) =>
      attentionReference(qs, ks, vs, dims, mask, [B, 1, 1, Tk], dropout).reduce(
        (s, y, i) => s + y * (w[i] as number),
        0,
      );
    const shape = [B, A, Tq, D];
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(
        tf.mul(
          attentionComposite(a, b, c, tf.tensor(mask, [B, 1, 1, Tk]), { dropoutRate: 0.25, seed: 9 }),
          tf.tensor(w, shape),
        ),
      );
    const [dq, dk, dv] = tf.grads(f)([tf.tensor(q, shape), tf.tensor(k, shape), tf.tensor(v, shape)]) as tf.Tensor[];
    expect(
      relativeError(
        await dq!.data(),
        numericGradient((x) => loss(x, k, v), q),
      ),
    ).toBeLessThan(1e-3);
    expect(
      relativeError(
        await dk!.data(),
        numericGradient((x) => loss(q, x, v), k),
      ),
    ).toBeLessThan(1e-3);
    expect(
      relativeError(
        await dv!.data(),
        numericGradient((x) => loss(q, k, x), v),
      ),
    ).toBeLessThan(1e-3);
  });

  it('validates shapes, the mask and the dropout seed', () => {
    const q = tf.zeros([1, 2, 3, 4]);
    expect(() => attention(q, tf.zeros([1, 2, 3, 5]), q, null)).toThrow(/\[B, A, Tk, D\]/);
    expect(() => attention(q, q, q, tf.zeros([1, 1, 2, 3]))).toThrow(/broadcast to \[B, A, Tq, Tk\] = \[1,2,3,3\]/);
    expect(() => attention(q, q, q, null, { dropoutRate: 0.1 })).toThrow(/seed is required/);
    expect(() => attention(q, q, q, null, { dropoutRate: 1, seed: 1 })).toThrow(/\[0, 1\)/);
  });
});
