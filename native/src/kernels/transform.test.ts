// Data-movement kernels (Transpose, Slice, StridedSlice, Tile, Concat, Pack, Unpack, SplitV, PadV2, Reverse, Select,
// Range, ExpandDims) on 'robusta' against tfjs's own cpu backend.
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

const dtypes = ['float32', 'int32', 'bool'] as const;

describe('data movement equals the cpu backend', () => {
  it('transpose: every permutation of ranks 2-4, a rank-5 case, size-1 and empty axes', async () => {
    const perms = (n: number): number[][] =>
      n === 1
        ? [[0]]
        : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
    const shapes = [
      [3, 4],
      [2, 3, 4],
      [2, 1, 3, 5],
      [0, 3, 2],
      [2, 3, 1, 2, 3],
    ];
    for (const dtype of dtypes) {
      for (const shape of shapes) {
        const ps = shape.length <= 4 ? perms(shape.length) : [[4, 2, 0, 3, 1]];
        for (const perm of ps)
          await same(() => tf.transpose(randTensor(shape, dtype, 1), perm), 0, `[${shape}] ${perm}`);
      }
    }
    // big enough for the tiled path (a transposed pair of axes), with partial tiles and a batch axis
    await same(() => tf.transpose(tf.tensor(rand([67, 45], 2), [67, 45])));
    for (const dtype of dtypes) {
      await same(() => tf.transpose(randTensor([3, 40, 50], dtype, 3), [0, 2, 1]), 0, `tiled ${dtype}`);
      await same(() => tf.transpose(randTensor([9, 2, 33], dtype, 4), [2, 1, 0]), 0, `tiled ${dtype}`);
    }
  });

  it('slice: begin/size with -1, rank 1-4, empty results', async () => {
    const cases: [number[], number[], number[]][] = [
      [[10], [3], [4]],
      [[10], [3], [-1]],
      [
        [4, 5],
        [1, 2],
        [2, 3],
      ],
      [
        [4, 5],
        [0, 0],
        [4, 5],
      ],
      [
        [4, 5],
        [2, 1],
        [-1, 2],
      ],
      [
        [3, 4, 5],
        [1, 0, 2],
        [2, 4, 2],
      ],
      [
        [3, 4, 5],
        [0, 3, 0],
        [3, 0, 5],
      ],
      [
        [2, 3, 4, 5],
        [1, 1, 1, 1],
        [1, 2, 3, 4],
      ],
    ];
    for (const dtype of dtypes) {
      for (const [shape, begin, size] of cases) {
        await same(() => tf.slice(randTensor(shape, dtype, 3), begin, size), 0, `[${shape}] ${begin} ${size}`);
      }
    }
  });

  it('stridedSlice: strides (negative too), begin/end/ellipsis/newAxis/shrink masks', async () => {
    type Case = [number[], number[], number[], number[], number?, number?, number?, number?, number?];
    const cases: Case[] = [
      [[10], [1], [8], [2]],
      [[10], [8], [1], [-2]],
      [[10], [-1], [-11], [-1]],
      [[10], [0], [0], [1], 1, 1],
      [
        [4, 6],
        [0, 1],
        [4, 6],
        [2, 2],
      ],
      [[4, 6], [3, 5], [0, 0], [-1, -2], 0, 3],
      [[4, 6], [0, 2], [4, 3], [1, 1], 0, 0, 0, 0, 2],
      [[2, 3, 4], [1], [2], [1], 0, 0, 1],
      [[2, 3, 4], [0, 1], [2, 3], [1, 2], 0, 0, 0, 1],
      [[2, 3, 4], [0, 0, 0], [2, 3, 4], [1, -1, 2], 2, 2],
      [[2, 3, 4], [0, 0, 1], [2, 3, 3], [1, 1, 1], 0, 0, 0, 0, 4],
      [[2, 3, 4], [1, 0, 0], [2, 3, 4], [1, 1, 1], 0, 0, 0, 0, 1],
      [[2, 3, 4, 5], [0, 1], [2, 3], [2, 1], 0, 0, 0, 0, 0],
      [
        [3, 4],
        [0, 0],
        [3, 4],
        [1, 1],
      ],
    ];
    for (const dtype of dtypes) {
      for (const [shape, begin, end, strides, bm, em, ell, na, sh] of cases) {
        await same(
          () => tf.stridedSlice(randTensor(shape, dtype, 4), begin, end, strides, bm, em, ell, na, sh),
          0,
          `[${shape}] ${begin}:${end}:${strides} masks ${[bm, em, ell, na, sh]}`,
        );
      }
    }
  });

  it('stridedSlice cases the cpu backend gets wrong: a shrunk axis before a strided one, begin past end', async () => {
    // tfjs-backend-cpu 4.22 indexes its sparse output shape with the dense begin/strides, reading x[0, 1:3] here
    await tf.setBackend('robusta');
    const x = tf.reshape(tf.range(0, 24), [4, 6]);
    const y = tf.stridedSlice(x, [1, 0], [2, 6], [1, 3], 0, 0, 0, 0, 1);
    expect(y.shape).toEqual([2]);
    expect(Array.from(await y.data())).toEqual([6, 9]);
    const z = tf.stridedSlice(tf.reshape(tf.range(0, 24), [2, 3, 4]), [0, 2, 0], [2, 3, 4], [1, 1, 2], 0, 0, 0, 0, 2);
    expect(z.shape).toEqual([2, 2]);
    expect(Array.from(await z.data())).toEqual([8, 10, 20, 22]);
    // begin past end on axis 0: an empty [0, 4] result (cpu turns the negative size into "to the end" and fails)
    const e = tf.stridedSlice(tf.ones([3, 4]), [2, 0], [1, 4], [1, 1]);
    expect(e.shape).toEqual([0, 4]);
  });

  it('tile and broadcastTo', async () => {
    const cases: [number[], number[]][] = [
      [[3], [4]],
      [
        [2, 3],
        [2, 1],
      ],
      [
        [2, 3],
        [1, 3],
      ],
      [
        [2, 1, 3],
        [2, 3, 2],
      ],
      [
        [1, 4],
        [5, 1],
      ],
      [
        [2, 3],
        [0, 2],
      ],
    ];
    for (const dtype of dtypes) {
      for (const [shape, reps] of cases)
        await same(() => tf.tile(randTensor(shape, dtype, 5), reps), 0, `[${shape}] ${reps}`);
      await same(() => tf.broadcastTo(randTensor([3, 1], dtype, 6), [2, 3, 4]));
      await same(() => tf.broadcastTo(randTensor([], dtype, 6), [2, 3]));
    }
  });

  it('concat: 1, 2 and 5 inputs along every axis (negative too), empty inputs, rank 0-3', async () => {
    for (const dtype of dtypes) {
      await same(() => tf.concat([randTensor([3], dtype, 1)], 0));
      await same(() => tf.concat([randTensor([3], dtype, 1), randTensor([4], dtype, 2)], 0));
      for (const axis of [0, 1, 2, -1, -2]) {
        const shapes = [
          [2, 3, 4],
          [2, 3, 4],
          [2, 3, 4],
          [2, 3, 4],
          [2, 3, 4],
        ].map((s) => {
          const r = s.slice();
          r[(axis + 3) % 3] = 1 + ((axis + 5) % 3);
          return r;
        });
        await same(
          () =>
            tf.concat(
              shapes.map((s, i) => randTensor(s, dtype, 10 + i)),
              axis,
            ),
          0,
          `axis ${axis}`,
        );
      }
      await same(() =>
        tf.concat([randTensor([2, 0], dtype, 1), randTensor([2, 3], dtype, 2), randTensor([2, 0], dtype, 3)], 1),
      );
      await same(() => tf.concat([randTensor([0, 3], dtype, 1), randTensor([0, 3], dtype, 2)], 0));
    }
  });

  it('stack and unstack along every axis (negative too), expandDims, squeeze, split', async () => {
    for (const dtype of dtypes) {
      for (const axis of [0, 1, 2, -1, -3]) {
        await same(
          () =>
            tf.stack(
              [0, 1, 2].map((i) => randTensor([3, 4], dtype, i)),
              axis,
            ),
          0,
          `stack ${axis}`,
        );
      }
      await same(() => tf.stack([randTensor([3, 4], dtype, 1)], 1));
      await same(() => tf.stack([randTensor([], dtype, 1), randTensor([], dtype, 2)]));
      for (const axis of [0, 1, 2, -1]) {
        await same(() => tf.unstack(randTensor([2, 3, 4], dtype, 2), axis), 0, `unstack ${axis}`);
      }
      await same(() => tf.unstack(randTensor([3], dtype, 3)));
      for (const axis of [0, 1, 2, -1, -3]) await same(() => tf.expandDims(randTensor([2, 3], dtype, 4), axis));
      await same(() => tf.squeeze(randTensor([1, 3, 1, 2], dtype, 5)));
      await same(() => tf.split(randTensor([4, 6], dtype, 6), 3, 1));
      await same(() => tf.split(randTensor([4, 6], dtype, 7), [1, 3], 0));
      await same(() => tf.split(randTensor([4, 6], dtype, 7), [2, -1, 3], -1));
    }
  });

  it('reverse along any set of axes (negative too), rank 0-4', async () => {
    for (const dtype of dtypes) {
      await same(() => tf.reverse(randTensor([], dtype, 1)));
      await same(() => tf.reverse(randTensor([7], dtype, 1)));
      for (const dims of [0, 1, -1, [0, 1], [0, 2], [1, 2], [0, 1, 2]]) {
        await same(() => tf.reverse(randTensor([2, 3, 4], dtype, 2), dims), 0, `dims ${dims}`);
      }
      await same(() => tf.reverse(randTensor([2, 0, 3], dtype, 3), 1));
      await same(() => tf.reverse(randTensor([2, 3, 4, 5], dtype, 4), [1, 3]));
    }
  });

  it('pad with constants', async () => {
    for (const dtype of ['float32', 'int32'] as const) {
      await same(() =>
        tf.pad(randTensor([3, 4], dtype, 1), [
          [1, 2],
          [0, 3],
        ]),
      );
      await same(() =>
        tf.pad(
          randTensor([2, 3, 2], dtype, 2),
          [
            [0, 0],
            [2, 1],
            [1, 1],
          ],
          7,
        ),
      );
      await same(() =>
        tf.pad(
          randTensor([0, 2], dtype, 3),
          [
            [1, 1],
            [1, 0],
          ],
          5,
        ),
      );
    }
  });

  it('where (Select): equal shapes, broadcasting, rank-1 condition over rows, mixed dtypes', async () => {
    const cond = (shape: number[], seed: number) => randTensor(shape, 'bool', seed);
    for (const dtype of dtypes) {
      await same(() => tf.where(cond([3, 4], 1), randTensor([3, 4], dtype, 2), randTensor([3, 4], dtype, 3)));
      await same(() => tf.where(cond([4], 1), randTensor([3, 4], dtype, 2), randTensor([1, 4], dtype, 3)));
      await same(() => tf.where(cond([3, 1], 1), randTensor([3, 4], dtype, 2), randTensor([], dtype, 3)));
      await same(() => tf.where(cond([], 4), randTensor([2, 2], dtype, 2), randTensor([2, 2], dtype, 3)));
    }
    await same(() => tf.where(cond([2, 3], 5), randTensor([2, 3], 'int32', 6), randTensor([2, 3], 'float32', 7)));
    // the kernel itself with a rank-1 condition picking rows of rank-2 branches (tf.where broadcasts first)
    await tf.setBackend('robusta');
    const t = tf.tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const e = tf.tensor([
      [-1, -2],
      [-3, -4],
      [-5, -6],
    ]);
    const rows = tf.engine().runKernel('Select', { condition: tf.tensor([1, 0, 1], [3], 'bool'), t, e }) as tf.Tensor;
    expect(Array.from(await rows.data())).toEqual([1, 2, -3, -4, 5, 6]);
  });

  it('range: steps up and down, fractional, int32, empty and the cpu backend quirks', async () => {
    const cases: [number, number, number, 'float32' | 'int32'][] = [
      [0, 10, 1, 'float32'],
      [0, 1, 0.1, 'float32'],
      [5, -3, -0.7, 'float32'],
      [5, 0, 1, 'float32'],
      [3, 3, 1, 'float32'],
      [0, 5, -1, 'float32'],
      [5, 0, 2, 'float32'],
      [-4, 9, 3, 'int32'],
      [0, 5, 0.5, 'int32'],
      [0.5, 4, 1, 'int32'],
    ];
    for (const [start, stop, step, dtype] of cases) {
      await same(() => tf.range(start, stop, step, dtype), 0, `range(${start}, ${stop}, ${step}, ${dtype})`);
    }
    await same(() => tf.range(0, 10000, 0.37));
  });
});

describe('gradients of data movement (via @robusta/tfjs)', () => {
  it('tf.grad through transpose, slice, concat, stack, tile and where agrees with cpu', async () => {
    const x = rand([4, 6], 9);
    const w = rand([4, 6], 10);
    const fs: [string, (t: tf.Tensor) => tf.Tensor][] = [
      ['transpose', (t) => tf.mul(tf.transpose(t), tf.transpose(tf.tensor(w, [4, 6])))],
      ['slice', (t) => tf.slice(t, [1, 2], [2, 3])],
      [
        'concat',
        (t) => tf.mul(tf.concat([t, tf.square(t)], 1), tf.concat([tf.tensor(w, [4, 6]), tf.tensor(x, [4, 6])], 1)),
      ],
      ['stack', (t) => tf.mul(tf.stack([t, t], 1), 3)],
      ['tile', (t) => tf.mul(tf.tile(t, [2, 1]), tf.tensor(rand([8, 6], 11), [8, 6]))],
      [
        'where',
        (t) =>
          tf.where(
            tf.tensor(
              w.map((v) => (v > 0 ? 1 : 0)),
              [4, 6],
              'bool',
            ),
            tf.square(t),
            tf.neg(t),
          ),
      ],
    ];
    for (const [name, f] of fs) {
      await same(() => tf.grad((t: tf.Tensor) => tf.sum(f(t)))(tf.tensor(x, [4, 6])), 1e-6, name);
    }
  });
});
