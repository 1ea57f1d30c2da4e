// The fused RoBERTa kernels on 'robusta' (LayerNorm, bias+GELU, attention, cross-entropy, AdamW) against their
// composite tfjs forms on cpu and float64 references: forward, gradients, in-place updates, no leaked tensors.
import '@tensorflow/tfjs-backend-cpu';
import {
  adamwUpdate,
  attention,
  biasGelu,
  FUSED_KERNEL_NAMES,
  layerNorm,
  reference,
  softmaxCrossEntropy,
  type Tensor,
  tf,
} from '@robusta/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../index.js';

const { relativeError, seededUniform } = reference;

type Values = Float32Array | Int32Array | Uint8Array;

/** Runs f (forward, then gradients of its inputs for a given dy) on robusta (fused kernels) and on cpu (composite). */
async function both(f: () => Tensor[]): Promise<[Values[], Values[]]> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const outs = f();
    const values = await Promise.all(outs.map((t) => t.data()));
    tf.dispose(outs);
    return values as Values[];
  };
  try {
    const got = await run('robusta');
    const want = await run('cpu');
    return [got, want];
  } finally {
    await tf.setBackend('robusta'); // also after a throw: the tests after this one run on robusta
  }
}

/** [forward, ...gradients] of op over inputs with seed dy, inputs made fresh on the active backend. */
function withGrads(op: (...xs: Tensor[]) => Tensor, inputs: [Float32Array, number[]][], dy: Float32Array): Tensor[] {
  const xs = inputs.map(([v, s]) => tf.tensor(v, s));
  const y = op(...xs);
  const dyT = tf.tensor(dy, y.shape);
  const gs = tf.grads(op)(xs, dyT);
  return [y, ...gs];
}

function expectClose(got: Values[], want: Values[], tol: number, names: string[]): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => {
    expect(relativeError(got[i] as Values, w), `${names[i] ?? i}`).toBeLessThan(tol);
  });
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Blocks the addon's pool has handed out so far, fresh from the system or reused (both are allocations). */
function blocksHandedOut(): number {
  const s = tf.memory() as unknown as { freshBlocks: number; reusedBlocks: number };
  return s.freshBlocks + s.reusedBlocks;
}

beforeAll(async () => {
  await tf.setBackend('robusta');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('fused kernels on robusta', () => {
  it('registers every fused kernel name of @robusta/tfjs', () => {
    expect(tf.getBackend()).toBe('robusta');
    const names = tf.getKernelsForBackend('robusta').map((k) => k.kernelName);
    for (const name of FUSED_KERNEL_NAMES) expect(names).toContain(name);
  });

  it.each([
    [[4, 8], 1e-5],
    [[2, 3, 16], 1e-12],
    [[6, 768], 1e-5],
    [[3, 5], 1e-5],
  ])('layerNorm and its gradients match the composite on cpu: x [%s]', async (shape, eps) => {
    const H = shape[shape.length - 1] as number;
    const n = size(shape);
    const x = seededUniform(n, 1, 40, 44); // offset mean: E[x²] - E[x]² would fail here
    const [got, want] = await both(() =>
      withGrads(
        (a, g, b) => layerNorm(a as Tensor, g as Tensor, b as Tensor, eps),
        [
          [x, shape],
          [seededUniform(H, 2, 0.5, 1.5), [H]],
          [seededUniform(H, 3), [H]],
        ],
        seededUniform(n, 4),
      ),
    );
    expectClose(got, want, 2e-4, ['y', 'dx', 'dgamma', 'dbeta']);
  });

  it.each([[[4, 8]], [[3, 2, 1024]], [[5]]])(
    'biasGelu and its gradients match the composite: x [%s]',
    async (shape) => {
      const F = shape[shape.length - 1] as number;
      const n = size(shape);
      const [got, want] = await both(() =>
        withGrads(
          (x, b) => biasGelu(x as Tensor, b as Tensor),
          [
            [seededUniform(n, 5, -5, 5), shape],
            [seededUniform(F, 6), [F]],
          ],
          seededUniform(n, 7),
        ),
      );
      expectClose(got, want, 2e-5, ['y', 'dx', 'dbias']);
    },
  );

  /** name, [B, A, Tq, Tk, D], mask shape or null, masked-entry value, dropout rate */
  const attentionCases: [string, number[], number[] | null, number, number][] = [
    ['no mask', [2, 2, 5, 5, 4], null, 0, 0],
    ['[B,1,1,T] mask of -1e9', [2, 3, 8, 8, 16], [2, 1, 1, 8], -1e9, 0],
    ['[B,1,1,T] mask of -inf', [2, 2, 6, 6, 8], [2, 1, 1, 6], Number.NEGATIVE_INFINITY, 0],
    ['full [B,A,Tq,Tk] mask', [1, 2, 4, 4, 3], [1, 2, 4, 4], -1e9, 0],
    ['Tq != Tk with a [1,1,1,Tk] mask', [2, 2, 3, 7, 5], [1, 1, 1, 7], -1e9, 0],
    ['dropout 0.1', [2, 4, 16, 16, 8], [2, 1, 1, 16], -1e9, 0.1],
    ['dropout 0.5 and -inf', [1, 2, 9, 9, 4], [1, 1, 1, 9], Number.NEGATIVE_INFINITY, 0.5],
    ['BERT-like head', [2, 4, 64, 64, 32], [2, 1, 1, 64], -1e9, 0.1],
  ];
  it.each(attentionCases)(
    'attention and its gradients match the composite: %s',
    async (_, dims, maskShape, fill, rate) => {
      const [B, A, Tq, Tk, D] = dims as [number, number, number, number, number];
      // masked entries: every third key (never a whole row, which would be NaN on both paths)
      const mask = maskShape ? seededUniform(size(maskShape), 8).map((u, i) => (i % 3 === 2 ? fill : u)) : null;
      const [got, want] = await both(() => {
        const m = mask && maskShape ? tf.tensor(mask, maskShape) : null;
        return withGrads(
          (q, k, v) => attention(q as Tensor, k as Tensor, v as Tensor, m, { dropoutRate: rate, seed: 1234 }),
          [
            [seededUniform(B * A * Tq * D, 9, -2, 2), [B, A, Tq, D]],
            [seededUniform(B * A * Tk * D, 10, -2, 2), [B, A, Tk, D]],
            [seededUniform(B * A * Tk * D, 11), [B, A, Tk, D]],
          ],
          seededUniform(B * A * Tq * D, 12),
        );
      });
      expectClose(got, want, 2e-5, ['out', 'dq', 'dk', 'dv']);
    },
  );

  it('attention dropout is deterministic in the seed, forward and backward', async () => {
    const shape = [2, 2, 8, 4];
    const run = async (seed: number) => {
      const outs = withGrads(
        (q, k, v) => attention(q as Tensor, k as Tensor, v as Tensor, null, { dropoutRate: 0.2, seed }),
        [
          [seededUniform(128, 13), shape],
          [seededUniform(128, 14), shape],
          [seededUniform(128, 15), shape],
        ],
        seededUniform(128, 16),
      );
      return Promise.all(outs.map((t) => t.data()));
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    const c = await run(8);
    for (let i = 0; i < a.length; i++) expect(c[i]).not.toEqual(a[i]);
  });

  it.each([
    ['no ignored rows', 4, 11, [3, 0, 10, 1]],
    ['ignored rows', 4, 11, [3, -100, 10, -100]],
    ['every row ignored', 3, 5, [-100, -100, -100]],
    ['a 50265-word vocabulary', 6, 50265, [0, 50264, -100, 7, 31337, 2]],
  ])('softmaxCrossEntropy and its gradient match the composite: %s', async (_, N, V, labels) => {
    const logits = seededUniform(N * V, 17, -30, 30);
    const [got, want] = await both(() => {
      const x = tf.tensor(logits, [N, V]);
      const l = tf.tensor(labels, [N], 'int32');
      const f = (t: Tensor) => softmaxCrossEntropy(t, l);
      return [f(x), tf.grad(f)(x, tf.scalar(1.5))];
    });
    expectClose(got, want, 2e-5, ['loss', 'dlogits']);
    if (labels.every((l) => l === -100)) expect(Array.from(got[0] as Values)).toEqual([0]);
  });

  it('softmaxCrossEntropy names a label outside the vocabulary', () => {
    expect(() => softmaxCrossEntropy(tf.zeros([2, 4]), tf.tensor([1, 4], [2], 'int32'))).toThrow(
      /labels\[1\] = 4 is outside \[0, 4\)/,
    );
  });

  it('adamwUpdate matches a float64 reference over 3 steps, in place when the Variables are unshared', async () => {
    const n = 70_000; // more than one parallel chunk
    const o = { lr: 1e-3, beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.01 };
    let want: ReturnType<typeof reference.adamwReference> = {
      param: Float64Array.from(seededUniform(n, 18)),
      m: new Float64Array(n),
      v: new Float64Array(n),
    };
    // Variables made from a tensor share its memory; disposing the tensor leaves each the only reference
    const unshared = (t: Tensor) => {
      const variable = tf.variable(t);
      t.dispose();
      return variable;
    };
    const param = unshared(tf.tensor(seededUniform(n, 18)));
    const m = unshared(tf.zeros([n]));
    const v = unshared(tf.zeros([n]));
    expect(tf.getBackend()).toBe('robusta');
    // taken after the Variables exist, so it counts only what the steps allocate
    const before = tf.memory().numTensors;
    const allocs0 = blocksHandedOut();
    const ids = [param, m, v].map((t) => t.dataId);
    for (let step = 1; step <= 3; step++) {
      const g = seededUniform(n, 20 + step, -3, 3);
      tf.tidy(() => adamwUpdate(param, tf.tensor(g), m, v, { ...o, step }));
      want = reference.adamwReference(want.param, g, want.m, want.v, { ...o, step });
    }
    // in place: the Variables keep their memory, and each step's only block is its gradient's upload (a copy of
    // param, m and v would be three more per step)
    expect([param, m, v].every((t, i) => t.dataId === ids[i])).toBe(true);
    expect(blocksHandedOut() - allocs0).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
    expect(relativeError(await param.data(), want.param)).toBeLessThan(1e-6);
    expect(relativeError(await m.data(), want.m)).toBeLessThan(1e-6);
    expect(relativeError(await v.data(), want.v)).toBeLessThan(1e-5);
    tf.dispose([param, m, v]);
  });

  it('adamwUpdate leaves a tensor that shares memory with the Variable untouched', async () => {
    const init = tf.tensor([1, 2, 3]);
    const param = tf.variable(init); // shares init's memory
    const m = tf.variable(tf.zeros([3]));
    const v = tf.variable(tf.zeros([3]));
    adamwUpdate(param, tf.tensor([1, 1, 1]), m, v, { lr: 0.1, step: 1 });
    expect(Array.from(await init.data())).toEqual([1, 2, 3]);
    expect(Array.from(await param.data()).map((x) => Math.round(x * 1e4) / 1e4)).toEqual([0.9, 1.9, 2.9]);
    tf.dispose([init, param, m, v]);
  });

  it('a fused forward and backward leaks no tensors', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor(seededUniform(32, 30), [4, 8]);
      const g = tf.ones([8]);
      const b = tf.zeros([8]);
      tf.grads((a: Tensor, c: Tensor, d: Tensor) => layerNorm(a, c, d))([x, g, b], tf.ones([4, 8]));
      const q = tf.tensor(seededUniform(64, 31), [1, 2, 8, 4]);
      tf.grads((a: Tensor) => attention(a, q, q, null, { dropoutRate: 0.1, seed: 3 }))([q], tf.ones([1, 2, 8, 4]));
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
