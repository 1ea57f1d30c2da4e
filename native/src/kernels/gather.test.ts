// Index-driven kernels (GatherV2, UnsortedSegmentSum, OneHot) and gather's gradient on 'robusta' against tfjs's own
// cpu backend; also checks every kernel of this family is registered.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@robusta/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { native } from '../addon.js';
import '../index.js';
import { both, expectSame, rand, randTensor, read, same } from '../../test/support/versus-cpu.js';

beforeAll(async () => {
  await tf.setBackend('robusta');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

const ints = (shape: number[], hi: number, seed: number) =>
  tf.tensor(Int32Array.from(rand(shape, seed, 0, hi), Math.floor), shape, 'int32');

describe('the reduction and data-movement family', () => {
  it("registers each of its kernels for 'robusta'", () => {
    const names = tf.getKernelsForBackend('robusta').map((k) => k.kernelName);
    const family =
      'Sum Mean Prod Max Min ArgMax ArgMin All Any Softmax LogSoftmax Cumsum Cumprod Transpose Concat Slice StridedSlice ' +
      'Tile Pack Unpack SplitV PadV2 Reverse ExpandDims GatherV2 UnsortedSegmentSum OneHot Range Select';
    for (const k of family.split(' ')) {
      expect(names, k).toContain(k);
    }
  });
});

describe('index-driven kernels equal the cpu backend', () => {
  it('gather along every axis (negative too), multi-dimensional indices, batchDims, all dtypes', async () => {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      for (const axis of [0, 1, 2, -1]) {
        const shape = [3, 4, 5];
        const dim = shape[(axis + 3) % 3] as number;
        await same(() => tf.gather(randTensor(shape, dtype, 1), ints([6], dim, 2), axis), 0, `axis ${axis}`);
        await same(() => tf.gather(randTensor(shape, dtype, 1), ints([2, 3], dim, 3), axis), 0, `axis ${axis} 2-d`);
      }
      await same(() => tf.gather(randTensor([4, 5, 6], dtype, 4), ints([4, 3], 6, 5), 2, 1), 0, 'batchDims 1');
      await same(() => tf.gather(randTensor([2, 3, 4], dtype, 4), ints([2, 3, 2], 4, 6), 2, 2), 0, 'batchDims 2');
      await same(() => tf.gather(randTensor([5], dtype, 7), ints([], 5, 8)), 0, 'scalar index');
      await same(() => tf.gather(randTensor([5, 2], dtype, 7), ints([0], 5, 8)), 0, 'no indices');
    }
    // an embedding lookup of RoBERTa's shape: [V, H] rows by [B, T] token ids
    await same(() => tf.gather(tf.tensor(rand([1000, 64], 9), [1000, 64]), ints([4, 32], 1000, 10)));
  });

  it('out-of-range gather indices are the same error as on cpu and never crash the process', async () => {
    for (const bad of [
      [0, 5],
      [-1, 2],
      [2, 2147483647],
    ]) {
      for (const backend of ['cpu', 'robusta']) {
        await tf.setBackend(backend);
        const x = tf.tensor(rand([5, 3], 1), [5, 3]);
        const idx = tf.tensor(bad, [2], 'int32');
        const before = tf.memory().numTensors;
        expect(() => tf.gather(x, idx), backend).toThrow(/GatherV2: the index value -?\d+ is not in \[0, 4\]/);
        expect(tf.memory().numTensors, `${backend} leaks nothing on error`).toBe(before);
      }
    }
    await tf.setBackend('robusta');
  });

  it('unsortedSegmentSum: ids out of range dropped, int32 input (float32 out as on cpu), many rows', async () => {
    const ids1 = (t: tf.Tensor) => t as tf.Tensor1D;
    await same(
      () =>
        tf.unsortedSegmentSum(
          tf.tensor(rand([6, 4], 1), [6, 4]),
          ids1(tf.tensor([0, 2, 0, 5, -1, 2], [6], 'int32')),
          4,
        ),
      1e-6,
    );
    await same(() => tf.unsortedSegmentSum(randTensor([7], 'int32', 4), ids1(ints([7], 3, 5)), 3));
    await same(
      () => tf.unsortedSegmentSum(tf.tensor(rand([300, 17], 6), [300, 17]), ids1(ints([300], 40, 7)), 40),
      1e-5,
    );
  });

  it('unsortedSegmentSum with 2-d ids equals the flattened sum (the cpu backend cannot broadcast this case)', async () => {
    const x = rand([2, 3, 4], 2);
    const ids = [0, 4, 1, 1, -2, 4];
    await tf.setBackend('robusta');
    const got = await read(
      tf.unsortedSegmentSum(tf.tensor(x, [2, 3, 4]), tf.tensor(ids, [2, 3], 'int32') as unknown as tf.Tensor1D, 5),
    );
    const [, want] = await both(() => tf.unsortedSegmentSum(tf.tensor(x, [6, 4]), tf.tensor1d(ids, 'int32'), 5));
    expectSame(got, want, 1e-6);
  });

  it('oneHot: dtypes, on/off values, out-of-range indices, multi-dimensional indices', async () => {
    await same(() => tf.oneHot(tf.tensor([0, 3, 1, -1, 4], [5], 'int32'), 4));
    await same(() => tf.oneHot(ints([2, 3], 6, 1), 5, 2.5, -1, 'float32'));
    await same(() => tf.oneHot(ints([4], 3, 2), 3, 1, 0, 'bool'));
  });
});

describe('gather gradient (UnsortedSegmentSum) via @robusta/tfjs', () => {
  it('tf.grad through an embedding lookup and a gather along axis 1 agrees with cpu', async () => {
    const table = rand([50, 8], 1);
    const w = rand([3, 5, 8], 2);
    const ids = () => ints([3, 5], 50, 3);
    const lookup = (t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids()), tf.tensor(w, [3, 5, 8])));
    await same(() => tf.grad(lookup)(tf.tensor(table, [50, 8])), 1e-5, 'axis 0');
    const cols = (t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, tf.tensor([7, 0, 7, 3], [4], 'int32'), 1)));
    await same(() => tf.grad(cols)(tf.tensor(table, [50, 8])), 1e-5, 'axis 1');
  });

  it('a training-style step (gather, softmax, sum and their gradients) allocates nothing new after warm-up', async () => {
    await tf.setBackend('robusta');
    const table = tf.variable(tf.tensor(rand([200, 16], 4), [200, 16]));
    const step = () =>
      tf.tidy(() => {
        const g = tf.grad((t: tf.Tensor) =>
          tf.sum(tf.mul(tf.softmax(tf.gather(t, tf.tensor([1, 5, 9, 1, 199], [5], 'int32'))), 2)),
        )(table);
        return g.dataSync();
      });
    step();
    step();
    const tensors = tf.memory().numTensors;
    const fresh = native.poolStats().freshBytes;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(native.poolStats().freshBytes).toBe(fresh);
    table.dispose();
  });
});
