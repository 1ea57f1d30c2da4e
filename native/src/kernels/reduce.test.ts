// Reductions, softmax and their gradients on 'robusta' against tfjs's own cpu backend, on random inputs.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@robusta/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { rand, randTensor, same } from '../../test/support/versus-cpu.js';

beforeAll(async () => {
  await tf.setBackend('robusta');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

type Dtype = 'float32' | 'int32' | 'bool';
const cases: [number[], number | number[] | undefined][] = [
  [[], undefined],
  [[7], undefined],
  [[7], 0],
  [[7], -1],
  [[4, 5], 0],
  [[4, 5], 1],
  [[4, 5], -1],
  [
    [4, 5],
    [0, 1],
  ],
  [[2, 3, 4], 0],
  [[2, 3, 4], 1],
  [
    [2, 3, 4],
    [0, 2],
  ],
  [
    [2, 3, 4],
    [1, 2],
  ],
  [
    [2, 3, 4],
    [-1, -3],
  ],
  [[3, 0], 1],
  [[3, 0], 0],
  [[0, 4], 1],
  [[1, 5, 1], 1],
  [
    [2, 3, 4, 5],
    [1, 3],
  ],
  [[3, 7, 300], 1],
  [[2, 600], 0],
];

describe('reductions equal the cpu backend', () => {
  const ops: [string, (x: tf.Tensor, axis: number | number[] | undefined, keep: boolean) => tf.Tensor, Dtype[]][] = [
    ['sum', (x, a, k) => tf.sum(x, a, k), ['float32', 'int32', 'bool']],
    ['mean', (x, a, k) => tf.mean(x, a, k), ['float32', 'int32']],
    ['prod', (x, a, k) => tf.prod(x, a, k), ['float32', 'int32', 'bool']],
    ['max', (x, a, k) => tf.max(x, a, k), ['float32', 'int32', 'bool']],
    ['min', (x, a, k) => tf.min(x, a, k), ['float32', 'int32']],
  ];
  for (const [name, op, dtypes] of ops) {
    for (const dtype of dtypes) {
      it(`${name} (${dtype}) over axes, keepDims, empty and size-1 dims`, async () => {
        let seed = 1;
        for (const [shape, axis] of cases) {
          for (const keep of [false, true]) {
            const f = () => {
              let x = randTensor(shape, dtype, seed);
              if (name === 'prod' && dtype === 'float32') x = tf.add(tf.mul(x, 0.1), 1); // keep products finite
              return op(x, axis, keep);
            };
            await same(f, 0, `${name} ${dtype} [${shape}] axis ${axis} keepDims ${keep}`);
          }
          seed++;
        }
      });
    }
  }

  it('argMax and argMin (first index on ties, every axis incl. negative)', async () => {
    const shapes: [number[], number][] = [
      [[7], 0],
      [[4, 5], 0],
      [[4, 5], 1],
      [[4, 5], -1],
      [[2, 3, 4], 1],
      [[2, 3, 4], -3],
      [[2, 1, 3], 1],
      [[3, 300], 0],
    ];
    for (const dtype of ['float32', 'int32'] as const) {
      for (const [shape, axis] of shapes) {
        await same(() => tf.argMax(randTensor(shape, dtype, 7), axis), 0, `argMax ${dtype} [${shape}] ${axis}`);
        await same(() => tf.argMin(randTensor(shape, dtype, 8), axis), 0, `argMin ${dtype} [${shape}] ${axis}`);
      }
    }
    await same(() => tf.argMax(tf.tensor([1, 3, 3, 2, 3]), 0));
    await same(() =>
      tf.argMin(
        tf.tensor([
          [2, 1, 1],
          [0, 0, 5],
        ]),
        1,
      ),
    );
  });

  it('NaN propagates through max/min and is never chosen by argMax (as on cpu)', async () => {
    const x = () =>
      tf.tensor([
        [1, Number.NaN, 5],
        [Number.NaN, 2, 3],
        [4, 5, 6],
      ]);
    await same(() => tf.max(x(), 1));
    await same(() => tf.min(x(), 0));
    await same(() => tf.argMax(x(), 1));
    await same(() => tf.sum(x(), 1));
    await same(() => tf.max(tf.tensor([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0])));
  });

  it('all and any over axes, keepDims and empty inputs', async () => {
    let seed = 11;
    for (const [shape, axis] of cases) {
      for (const keep of [false, true]) {
        await same(() => tf.all(randTensor(shape, 'bool', seed), axis, keep), 0, `all [${shape}] ${axis}`);
        await same(() => tf.any(randTensor(shape, 'bool', seed + 1), axis, keep), 0, `any [${shape}] ${axis}`);
      }
      seed += 2;
    }
  });

  it('a full sum/mean of a large tensor (split into ordered partial sums) and int32 wrap-around', async () => {
    const big = rand([300_000], 5);
    await same(() => tf.sum(tf.tensor(big)), 1e-6);
    await same(() => tf.mean(tf.tensor(big)), 1e-6);
    await same(() => tf.sum(tf.tensor([2_000_000_000, 2_000_000_000, 5], [3], 'int32')));
    await same(() => tf.prod(tf.tensor([100_000, 100_000, 7], [3], 'int32')));
  });
});

describe('scans equal the cpu backend', () => {
  it('cumsum and cumprod over every axis with exclusive and reverse, all dtypes (cpu mishandles negative axes)', async () => {
    const shapes: [number[], number][] = [
      [[7], 0],
      [[4, 5], 0],
      [[4, 5], 1],
      [[2, 3, 4], 1],
      [[2, 3, 4], 2],
      [[3, 0], 1],
      [[1, 300], 1],
    ];
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      for (const [shape, axis] of shapes) {
        for (const exclusive of [false, true]) {
          for (const reverse of [false, true]) {
            const what = `${dtype} [${shape}] ${axis} ${exclusive} ${reverse}`;
            await same(() => tf.cumsum(randTensor(shape, dtype, 3), axis, exclusive, reverse), 0, `cumsum ${what}`);
            const x = () =>
              dtype === 'float32' ? tf.add(tf.mul(randTensor(shape, dtype, 4), 0.1), 1) : randTensor(shape, dtype, 4);
            await same(() => tf.cumprod(x(), axis, exclusive, reverse), 0, `cumprod ${what}`);
          }
        }
      }
    }
  });
});

describe('softmax equals the cpu backend', () => {
  const shapes = [[5], [3, 7], [2, 3, 129], [4, 1], [0, 3], [1, 1000]];
  it('softmax over the last axis (dim -1 and rank-1), with large logits', async () => {
    for (const shape of shapes) {
      await same(() => tf.softmax(tf.tensor(rand(shape, 3, -30, 30), shape)), 1e-6, `[${shape}]`);
      const last = shape.length - 1;
      await same(() => tf.softmax(tf.tensor(rand(shape, 4), shape), last), 1e-6, `[${shape}] dim ${last}`);
    }
    await same(
      () =>
        tf.softmax(
          tf.tensor([
            [0, Number.NEGATIVE_INFINITY, 1],
            [Number.NaN, 1, 2],
          ]),
        ),
      1e-6,
    );
  });

  it('logSoftmax (composite in tfjs) and the LogSoftmax kernel called directly', async () => {
    for (const shape of shapes) {
      await same(() => tf.logSoftmax(tf.tensor(rand(shape, 5, -20, 20), shape)), 1e-5, `[${shape}]`);
    }
    await tf.setBackend('cpu');
    const want = await tf.logSoftmax(tf.tensor(rand([6, 33], 6), [6, 33])).data();
    await tf.setBackend('robusta');
    const logits = tf.tensor(rand([6, 33], 6), [6, 33]);
    const got = await (tf.engine().runKernel('LogSoftmax', { logits }, { axis: -1 }) as tf.Tensor).data();
    for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(1e-5);
  });

  it('softmax along another axis is the same error as on cpu', async () => {
    await tf.setBackend('robusta');
    expect(() => tf.softmax(tf.ones([2, 3]), 0)).toThrow(/non-last dimension/);
  });
});

describe('gradients through reductions and softmax (via @robusta/tfjs)', () => {
  it('tf.grad of sum, mean, max, cumsum, softmax and logSoftmax agrees with cpu', async () => {
    const x = rand([4, 6], 9);
    const fs: [string, (t: tf.Tensor) => tf.Tensor][] = [
      ['sum', (t) => tf.sum(tf.mul(t, t), 1)],
      ['mean', (t) => tf.mean(tf.mul(t, t), [0, 1])],
      ['max', (t) => tf.max(t, 0)],
      ['cumsum', (t) => tf.mul(tf.cumsum(t, 1), tf.tensor(rand([4, 6], 12), [4, 6]))],
      ['softmax', (t) => tf.sum(tf.mul(tf.softmax(t), tf.tensor(rand([4, 6], 10), [4, 6])))],
      ['logSoftmax', (t) => tf.sum(tf.mul(tf.logSoftmax(t), tf.tensor(rand([4, 6], 11), [4, 6])))],
    ];
    for (const [name, f] of fs) {
      await same(() => tf.grad((t: tf.Tensor) => tf.sum(f(t)))(tf.tensor(x, [4, 6])), 1e-5, name);
    }
  });
});

describe('memory', () => {
  it('reductions and softmax leak no tensors and allocate nothing new after warm-up', async () => {
    await tf.setBackend('robusta');
    const step = () =>
      tf.tidy(() => {
        const x = tf.tensor(rand([64, 48], 12), [64, 48]);
        return tf.add(tf.sum(tf.softmax(x), 1), tf.mean(tf.max(tf.transpose(x), 1))).dataSync();
      });
    step();
    step();
    const before = tf.memory().numTensors;
    const { native } = await import('../addon.js');
    const fresh = native.poolStats().freshBytes;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    expect(native.poolStats().freshBytes).toBe(fresh);
  });
});
