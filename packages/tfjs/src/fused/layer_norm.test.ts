import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import '../../dist/index.js'; // tfjs gradients (bundled at build time)
import { layerNorm, layerNormComposite, RobustaLayerNorm } from './index.js';
import { layerNormReference, numericGradient, relativeError, seededUniform } from './reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const weights = (n: number) => Float64Array.from(seededUniform(n, 99));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

describe('layerNorm (composite, cpu)', () => {
  it.each([
    [[3, 8], 1e-5],
    [[2, 3, 16], 1e-12],
    [[1, 768], 1e-5],
  ])('matches the float64 reference on x [%s]', async (shape, eps) => {
    const h = shape[shape.length - 1] as number;
    const n = shape.reduce((a, b) => a * b, 1);
    // an offset mean stresses the statistics: E[x²] - E[x]² would lose digits here
    const x = seededUniform(n, 1, 99, 101);
    const g = seededUniform(h, 2, 0.5, 1.5);
    const b = seededUniform(h, 3);
    const got = await layerNorm(tf.tensor(x, shape), tf.tensor(g), tf.tensor(b), eps).data();
    expect(relativeError(got, layerNormReference(x, h, g, b, eps))).toBeLessThan(2e-5);
  });

  it('has gradients in x, gamma and beta matching float64 finite differences', async () => {
    const [rows, h, eps] = [3, 6, 1e-5];
    const x = seededUniform(rows * h, 4);
    const g = seededUniform(h, 5, 0.5, 1.5);
    const b = seededUniform(h, 6);
    const w = weights(rows * h);
    const loss = (xs: ArrayLike<number>, gs: ArrayLike<number>, bs: ArrayLike<number>) =>
      dot(layerNormReference(xs, h, gs, bs, eps), w);
    const [dx, dg, db] = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
      tf.sum(tf.mul(layerNormComposite(a, c, d, eps), tf.tensor(Float32Array.from(w), [rows, h]))),
    )([tf.tensor(x, [rows, h]), tf.tensor(g), tf.tensor(b)]) as [tf.Tensor, tf.Tensor, tf.Tensor];
    expect(
      relativeError(
        await dx.data(),
        numericGradient((v) => loss(v, g, b), x),
      ),
    ).toBeLessThan(1e-3);
    expect(
      relativeError(
        await dg.data(),
        numericGradient((v) => loss(x, v, b), g),
      ),
    ).toBeLessThan(1e-3);
    expect(
      relativeError(
        await db.data(),
        numericGradient((v) => loss(x, g, v), b),
      ),
    ).toBeLessThan(1e-3);
  });

  it('rejects mismatched shapes and dtypes with the shapes in the message', () => {
    expect(() => layerNorm(tf.zeros([2, 4]), tf.ones([3]), tf.zeros([4]))).toThrow(/gamma \[3\]/);
    expect(() => layerNorm(tf.zeros([2, 4], 'int32'), tf.ones([4]), tf.zeros([4]))).toThrow(/x must be float32/);
  });
});

describe('fused dispatch', () => {
  afterEach(() => {
    tf.unregisterKernel(RobustaLayerNorm, 'cpu');
  });

  it('keeps the composite path on a backend that registers the forward kernel but not the backward one', async () => {
    let calls = 0;
    tf.registerKernel({
      kernelName: RobustaLayerNorm,
      backendName: 'cpu',
      kernelFunc: () => {
        calls++;
        throw new Error('not reached');
      },
    });
    const x = tf.tensor(seededUniform(12, 7), [3, 4]);
    const y = await layerNorm(x, tf.ones([4]), tf.zeros([4])).data();
    expect(calls).toBe(0);
    expect(relativeError(y, layerNormReference(await x.data(), 4, [1, 1, 1, 1], [0, 0, 0, 0], 1e-5))).toBeLessThan(
      1e-5,
    );
  });
});
