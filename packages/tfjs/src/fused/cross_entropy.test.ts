import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../dist/index.js'; // tfjs gradients (bundled at build time)
import { softmaxCrossEntropy, softmaxCrossEntropyComposite } from './index.js';
import { numericGradient, relativeError, seededUniform, softmaxCrossEntropyReference } from './reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('softmaxCrossEntropy (composite, cpu)', () => {
  it.each([
    ['no ignored rows', [3, 0, 6, 1], -100],
    ['ignored rows', [3, -100, 6, -100], -100],
    ['a custom ignore index', [3, 1, 1, 2], 1],
    ['every row ignored', [-100, -100, -100, -100], -100],
  ])('matches the float64 reference with %s', async (_, labels, ignoreIndex) => {
    const V = 7;
    // large logits: a naive exp would overflow float32
    const logits = seededUniform(4 * V, 1, -80, 120);
    const got = await softmaxCrossEntropy(tf.tensor(logits, [4, V]), tf.tensor(labels, [4], 'int32'), {
      ignoreIndex,
    }).data();
    const want = softmaxCrossEntropyReference(logits, V, labels, ignoreIndex);
    expect(Math.abs((got[0] as number) - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)));
  });

  it('has a gradient matching float64 finite differences, zero on ignored rows', async () => {
    const [N, V] = [4, 5];
    const labels = [2, -100, 0, 4];
    const logits = seededUniform(N * V, 2, -3, 3);
    const g = tf.grad((x: tf.Tensor) => softmaxCrossEntropyComposite(x, tf.tensor(labels, [N], 'int32')))(
      tf.tensor(logits, [N, V]),
    );
    const got = await g.data();
    expect(
      relativeError(
        got,
        numericGradient((x) => softmaxCrossEntropyReference(x, V, labels), logits),
      ),
    ).toBeLessThan(1e-4);
    for (let j = 0; j < V; j++) expect(got[V + j]).toBe(0);
  });

  it('rejects float labels and mismatched row counts', () => {
    expect(() => softmaxCrossEntropy(tf.zeros([2, 3]), tf.zeros([2]))).toThrow(/labels must be int32/);
    expect(() => softmaxCrossEntropy(tf.zeros([2, 3]), tf.zeros([3], 'int32'))).toThrow(/labels \[3\]/);
  });
});
