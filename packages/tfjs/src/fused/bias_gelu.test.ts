import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../dist/index.js'; // tfjs gradients (bundled at build time)
import { biasGelu, biasGeluComposite } from './index.js';
import { biasGeluReference, erf64, numericGradient, relativeError, seededUniform } from './reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('biasGelu (composite, cpu)', () => {
  it('erf64 matches known values to double precision', () => {
    expect(erf64(0)).toBe(0);
    expect(Math.abs(erf64(0.5) - 0.5204998778130465)).toBeLessThan(1e-15);
    expect(Math.abs(erf64(-1.5) + 0.9661051464753108)).toBeLessThan(1e-15);
    expect(Math.abs(erf64(3) - 0.9999779095030014)).toBeLessThan(1e-15);
  });

  it.each([[[4, 8]], [[2, 3, 5]], [[7]]])('matches the float64 reference on x [%s]', async (shape) => {
    const f = shape[shape.length - 1] as number;
    const n = shape.reduce((a, b) => a * b, 1);
    const x = seededUniform(n, 1, -6, 6);
    const b = seededUniform(f, 2);
    const got = await biasGelu(tf.tensor(x, shape), tf.tensor(b)).data();
    expect(relativeError(got, biasGeluReference(x, f, b))).toBeLessThan(1e-6);
  });

  it('has gradients in x and bias matching float64 finite differences', async () => {
    const [rows, f] = [3, 5];
    const x = seededUniform(rows * f, 3, -4, 4);
    const b = seededUniform(f, 4);
    const w = seededUniform(rows * f, 5);
    const loss = (xs: ArrayLike<number>, bs: ArrayLike<number>) =>
      biasGeluReference(xs, f, bs).reduce((s, y, i) => s + y * (w[i] as number), 0);
    const [dx, db] = tf.grads((a: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(biasGeluComposite(a, c), tf.tensor(w, [rows, f]))),
    )([tf.tensor(x, [rows, f]), tf.tensor(b)]) as [tf.Tensor, tf.Tensor];
    expect(
      relativeError(
        await dx.data(),
        numericGradient((v) => loss(v, b), x),
      ),
    ).toBeLessThan(1e-3);
    expect(
      relativeError(
        await db.data(),
        numericGradient((v) => loss(x, v), b),
      ),
    ).toBeLessThan(1e-3);
  });

  it('rejects a bias of the wrong length', () => {
    expect(() => biasGelu(tf.zeros([2, 4]), tf.zeros([3]))).toThrow(/bias \[3\]/);
  });
});
