import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rand } from '../test/support/versus-cpu.js';
import { native } from './addon.js';
import './index.js';

/** Runs f on the cpu backend and on robusta with the same inputs and returns both results' values. */
async function both(
  f: () => tf.Tensor,
): Promise<[Float32Array | Int32Array | Uint8Array, Float32Array | Int32Array | Uint8Array]> {
  await tf.setBackend('cpu');
  const want = (await f().data()) as Float32Array;
  await tf.setBackend('robusta');
  const got = (await f().data()) as Float32Array;
  return [got, want];
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as number;
    const g = got[i] as number;
    if (Number.isNaN(w)) expect(Number.isNaN(g), `index ${i}`).toBe(true);
    else if (!Number.isFinite(w)) expect(g, `index ${i}`).toBe(w);
    else expect(Math.abs(g - w), `index ${i}: ${g} vs ${w}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
  }
}

beforeAll(async () => {
  await tf.setBackend('robusta');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe("the 'robusta' backend", () => {
  it('is registered above cpu and round-trips float32, int32 and bool data', async () => {
    expect(tf.getBackend()).toBe('robusta');
    expect(Array.from(await tf.tensor([1.5, -2, 3]).data())).toEqual([1.5, -2, 3]);
    expect(Array.from(await tf.tensor([1, -2, 3], [3], 'int32').data())).toEqual([1, -2, 3]);
    expect(Array.from(await tf.tensor([true, false, true], [3], 'bool').data())).toEqual([1, 0, 1]);
    expect(await tf.tensor(['a', 'b']).data()).toEqual(['a', 'b']);
  });

  const unaryOps: [string, (x: tf.Tensor) => tf.Tensor, number?, number?][] = [
    ['neg', tf.neg],
    ['abs', tf.abs],
    ['exp', tf.exp],
    ['expm1', tf.expm1],
    ['log', tf.log, 0.01, 5],
    ['log1p', tf.log1p, 0, 5],
    ['sqrt', tf.sqrt, 0, 9],
    ['rsqrt', tf.rsqrt, 0.1, 9],
    ['square', tf.square],
    ['reciprocal', tf.reciprocal, 0.1, 3],
    ['tanh', tf.tanh],
    ['sigmoid', tf.sigmoid],
    ['relu', tf.relu],
    ['relu6', tf.relu6],
    ['elu', tf.elu],
    ['selu', tf.selu],
    ['floor', tf.floor],
    ['ceil', tf.ceil],
    ['sign', tf.sign],
    ['sin', tf.sin],
    ['cos', tf.cos],
    ['atan', tf.atan],
    ['softplus', tf.softplus],
    ['erf', tf.erf],
  ];
  for (const [name, op, lo, hi] of unaryOps) {
    it(`${name} equals the cpu backend`, async () => {
      const x = rand([7, 13], 1, lo, hi);
      const [got, want] = await both(() => op(tf.tensor(x, [7, 13])));
      // tfjs cpu's erf is a 1e-7-accurate polynomial; ours is libm's
      close(got, want, name === 'erf' ? 2e-6 : 1e-5);
    });
  }

  const binaryOps: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ['add', tf.add],
    ['sub', tf.sub],
    ['mul', tf.mul],
    ['div', tf.div],
    ['maximum', tf.maximum],
    ['minimum', tf.minimum],
    ['squaredDifference', tf.squaredDifference],
    ['floorDiv', tf.floorDiv],
    ['mod', tf.mod],
    ['atan2', tf.atan2],
    ['equal', tf.equal],
    ['less', tf.less],
    ['greaterEqual', tf.greaterEqual],
  ];
  const shapes: [number[], number[]][] = [
    [
      [4, 5],
      [4, 5],
    ],
    [[4, 5], [5]],
    [
      [4, 1],
      [1, 5],
    ],
    [
      [2, 3, 4],
      [3, 1],
    ],
    [[], [3, 2]],
    [[6], []],
  ];
  for (const [name, op] of binaryOps) {
    it(`${name} with broadcasting equals the cpu backend`, async () => {
      for (const [sa, sb] of shapes) {
        const a = rand(sa, 2);
        const b = rand(sb, 3, 0.5, 3);
        const [got, want] = await both(() => op(tf.tensor(a, sa), tf.tensor(b, sb)));
        close(got, want);
      }
    });
  }

  it('int32 arithmetic and mixed dtypes are upcast as tfjs does', async () => {
    const [got, want] = await both(() => tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.tensor([0.5, 1.5, 2.5])));
    close(got, want);
    const [g2, w2] = await both(() =>
      tf.floorDiv(tf.tensor([7, -7, 9], [3], 'int32'), tf.tensor([2, 2, -4], [3], 'int32')),
    );
    expect(Array.from(g2)).toEqual(Array.from(w2));
    const [g3, w3] = await both(() => tf.cast(tf.tensor([1.7, -1.7, 0, Number.NaN]), 'int32'));
    expect(Array.from(g3)).toEqual(Array.from(w3));
  });

  it('reshape shares storage; dispose frees it to the pool and use after dispose is an error', async () => {
    const before = native.poolStats();
    const x = tf.tensor(rand([64, 64], 4));
    const y = tf.reshape(x, [4096]);
    x.dispose();
    expect((await y.data()).length).toBe(4096);
    y.dispose();
    const after = native.poolStats();
    expect(after.liveBytes).toBe(before.liveBytes);
    // the same size again is served from the pool, not from fresh memory
    const z = tf.tensor(rand([64, 64], 5));
    expect(native.poolStats().freshBlocks).toBe(after.freshBlocks);
    z.dispose();
    const s = native.alloc(16);
    s.free();
    expect(() => native.read(s, new Float32Array(4))).toThrow(/used after it was disposed/);
    expect(() => native.read(native.alloc(8), new Float32Array(4))).toThrow(
      /needs 16 bytes but the tensor's storage holds 8/,
    );
  });

  it('running out of memory is a JS error naming the bytes asked, and the backend goes on working', async () => {
    // 2^48 floats = 1 PiB: beyond x86-64's 128 TiB of user address space, so the allocation fails even where the
    // kernel overcommits memory freely (it must fail there, with our error, not in the process)
    const before = native.poolStats().liveBytes;
    expect(() => tf.fill([1 << 24, 1 << 24], 1)).toThrow(
      /out of host memory: could not allocate 1125899906842624 bytes/,
    );
    expect(() => native.alloc(2 ** 50)).toThrow(/could not allocate 1125899906842624 bytes/);
    expect(native.poolStats().liveBytes).toBe(before);
    expect(Array.from(await tf.add(tf.tensor([1, 2]), 1).data())).toEqual([2, 3]);
  });

  it('a step of repeated shapes allocates nothing new after warm-up', () => {
    const step = () =>
      tf.tidy(() => {
        const a = tf.tensor(rand([128, 64], 6));
        return tf.mul(tf.add(a, 1), tf.exp(tf.neg(a))).dataSync();
      });
    step();
    step();
    const fresh = native.poolStats().freshBytes;
    for (let i = 0; i < 5; i++) step();
    expect(native.poolStats().freshBytes).toBe(fresh);
  });
});
