import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
// the gradients bundle exists only in the build, so test what users import
import * as tf from '../dist/index.js';

describe('@robusta/tfjs', () => {
  it('registers tfjs gradients: d/dx sum(x^2) = 2x, d/dx mean(tanh(x)) through the chain rule', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor1d([1, -2, 3]);
    expect(
      Array.from(
        await tf
          .grad((a) => tf.sum(tf.mul(a, a)))(x)
          .data(),
      ),
    ).toEqual([2, -4, 6]);
    const g = await tf
      .grad((a) => tf.mean(tf.tanh(a)))(x)
      .data();
    const want = [1, -2, 3].map((v) => (1 - Math.tanh(v) ** 2) / 3);
    expect(g).toHaveLength(3);
    for (const [i, v] of g.entries()) expect(v).toBeCloseTo(want[i] as number, 6);
  });

  it('differentiates matMul (BatchMatMul) and gather (its gradient is UnsortedSegmentSum)', async () => {
    await tf.setBackend('cpu');
    expect(tf.getGradient('BatchMatMul')?.kernelName).toBe('BatchMatMul');
    // d/dA sum(A B) = 1 Bᵀ: each row of the gradient holds B's row sums
    const b = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const dA = tf.grad((a) => tf.sum(tf.matMul(a, b)))(tf.zeros([2, 2]));
    expect(Array.from(await dA.data())).toEqual([6, 15, 6, 15]);
    // d/dx sum(gather(x, idx)) counts how often each row is gathered
    const dx = tf.grad((x) => tf.sum(tf.gather(x, tf.tensor1d([2, 0, 2, 2], 'int32'))))(tf.zeros([4]));
    expect(Array.from(await dx.data())).toEqual([1, 0, 3, 0]);
  });
});

describe('chained ops', () => {
  it('are registered too (some gradients call x.reshape / x.split)', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    expect(typeof (x as unknown as { reshape?: unknown }).reshape).toBe('function');
    // Prod's gradient reshapes through the chained method
    const g = await tf
      .grad((a) => tf.prod(a))(tf.tensor1d([2, 3, 4]))
      .data();
    expect(Array.from(g)).toEqual([12, 8, 6]);
  });
});
