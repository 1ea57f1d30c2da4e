// The 'robusta-cuda' backend against the host 'robusta' backend on random inputs (skipped, with the reason, without a
// usable CUDA device): registration, host<->device round trips, shared buffers, the pool, each kernel family.

import { requirement } from '@robusta/test-kit';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { rand } from '../test/support/versus-cpu.js';
import { native } from './addon.js';
import { CUDA_BACKEND_NAME, cudaBackendStatus } from './index.js';

const status = cudaBackendStatus();
requirement('a CUDA GPU (robusta-cuda)', status.registered ? null : (status.reason ?? 'no reason given'), {
  ciInstalls: false,
});

/** Runs `f` on the host backend and on the device backend with the same inputs; both results come back as arrays. */
async function both(
  inputs: { shape: number[]; dtype?: 'float32' | 'int32' | 'bool'; lo?: number; hi?: number }[],
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  seed: number,
): Promise<{ host: tf.TypedArray; device: tf.TypedArray; shape: number[]; dtype: string }> {
  const values = inputs.map((x, i) => {
    const r = rand(x.shape, seed + i, x.lo ?? -3, x.hi ?? 3);
    return x.dtype === 'int32'
      ? Int32Array.from(r, Math.round)
      : x.dtype === 'bool'
        ? r.map((v) => (v > 0 ? 1 : 0))
        : r;
  });
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const xs = inputs.map((x, i) => tf.tensor(values[i] as tf.TypedArray, x.shape, x.dtype ?? 'float32'));
    const y = f(...xs);
    const out = { data: await y.data(), shape: y.shape, dtype: y.dtype };
    tf.dispose([...xs, y]);
    return out;
  };
  const h = await run('robusta');
  const d = await run(CUDA_BACKEND_NAME);
  expect(d.shape).toEqual(h.shape);
  expect(d.dtype).toBe(h.dtype);
  return { host: h.data, device: d.data, shape: d.shape, dtype: d.dtype };
}

function close(got: tf.TypedArray, want: tf.TypedArray, what: string, tol = 1e-5): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as number;
    const g = got[i] as number;
    const ok = Number.isNaN(w) ? Number.isNaN(g) : g === w || Math.abs(g - w) <= tol * Math.max(1, Math.abs(w));
    if (!ok) expect.fail(`${what}: index ${i}: got ${g}, expected ${w}`);
  }
}

afterAll(async () => {
  if (status.registered) await tf.setBackend('robusta');
});

describe('robusta-cuda backend', () => {
  it('is registered only with a usable device, and says why not otherwise', () => {
    expect(tf.findBackendFactory(CUDA_BACKEND_NAME) != null).toBe(status.registered);
    if (!status.registered) expect(status.reason).toMatch(/libcuda\.so\.1|no device|ROBUSTA_CUDA=0|nvcc|capability/);
    else expect(status.kernels).toContain('Softmax');
  });

  it.skipIf(!status.registered)('round-trips float32, int32 and bool data and returns blocks to the pool', async () => {
    await tf.setBackend(CUDA_BACKEND_NAME);
    const before = tf.memory().numTensors;
    const f = tf.tensor([1.5, -2, Number.NaN, 4e30], [2, 2]);
    const i = tf.tensor([1, -7, 2147483647], [3], 'int32');
    const b = tf.tensor([true, false, true], [3], 'bool');
    expect(Array.from(f.dataSync())).toEqual([1.5, -2, Number.NaN, 4e30].map(Math.fround));
    expect(Array.from(await i.data())).toEqual([1, -7, 2147483647]);
    expect(Array.from(b.dataSync())).toEqual([1, 0, 1]);
    expect(tf.zeros([0, 3]).dataSync().length).toBe(0);
    const r = tf.reshape(f, [4]); // shares f's device buffer
    f.dispose();
    expect(Array.from(r.dataSync())).toEqual([1.5, -2, Number.NaN, 4e30].map(Math.fround));
    tf.dispose([r, i, b]);
    expect(tf.memory().numTensors).toBe(before + 1); // the zeros tensor above was not disposed: kept on purpose
    const stats = native.cudaPoolStats();
    for (let k = 0; k < 3; k++) tf.tidy(() => tf.add(tf.ones([256, 256]), tf.ones([256, 256])).dataSync());
    expect(native.cudaPoolStats().freshBlocks - stats.freshBlocks).toBeLessThanOrEqual(3); // reused after round 1
  });

  it.skipIf(!status.registered)('unary ops match the host backend', async () => {
    const ops: [string, (x: tf.Tensor) => tf.Tensor, number, number][] = [
      ['exp', tf.exp, -10, 10],
      ['log', tf.log, 0.01, 50],
      ['tanh', tf.tanh, -5, 5],
      ['sigmoid', tf.sigmoid, -8, 8],
      ['erf', tf.erf, -3, 3],
      ['relu', tf.relu, -3, 3],
      ['rsqrt', tf.rsqrt, 0.01, 50],
      ['isNaN', tf.isNaN, -3, 3],
      ['step', (x) => tf.step(x, 0.5), -3, 3],
    ];
    for (const [name, f, lo, hi] of ops) {
      const r = await both([{ shape: [3, 1031], lo, hi }], f, 11);
      close(r.device, r.host, name, 2e-6);
    }
  });

  it.skipIf(!status.registered)('binary ops broadcast as the host backend does', async () => {
    const shapes: [number[], number[]][] = [
      [[4, 33, 65], [65]],
      [
        [4, 1, 65],
        [33, 1],
      ],
      [[], [7, 5]],
      [
        [2, 3, 4, 5],
        [2, 1, 4, 1],
      ],
    ];
    const ops: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
      ['add', tf.add],
      ['sub', tf.sub],
      ['mul', tf.mul],
      ['div', tf.div],
      ['maximum', tf.maximum],
      ['pow', (a, b) => tf.pow(tf.abs(a), b)],
      ['greater', tf.greater],
      ['equal', (a, b) => tf.equal(tf.round(a), tf.round(b))],
    ];
    for (const [as, bs] of shapes) {
      for (const [name, f] of ops) {
        const r = await both([{ shape: as }, { shape: bs }], f, 5);
        close(r.device, r.host, `${name} [${as}] [${bs}]`, 2e-6);
      }
    }
    const logical = await both(
      [
        { shape: [5, 7], dtype: 'bool' },
        { shape: [7], dtype: 'bool' },
      ],
      tf.logicalXor,
      3,
    );
    close(logical.device, logical.host, 'logicalXor');
  });

  it.skipIf(!status.registered)('casts between float32, int32 and bool like tfjs', async () => {
    const r1 = await both([{ shape: [1000], lo: -1e3, hi: 1e3 }], (x) => tf.cast(x, 'int32'), 1);
    close(r1.device, r1.host, 'float32 -> int32', 0);
    const r2 = await both([{ shape: [1000], dtype: 'int32', lo: -1e6, hi: 1e6 }], (x) => tf.cast(x, 'float32'), 2);
    close(r2.device, r2.host, 'int32 -> float32', 0);
    const r3 = await both([{ shape: [100], dtype: 'bool' }], (x) => tf.cast(x, 'float32'), 3);
    close(r3.device, r3.host, 'bool -> float32', 0);
    const r4 = await both([{ shape: [100], lo: -1, hi: 1 }], (x) => tf.cast(tf.round(x), 'bool'), 4);
    close(r4.device, r4.host, 'float32 -> bool', 0);
  });

  it.skipIf(!status.registered)('matMul with transposes and broadcast batches matches the host backend', async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[64, 48], [48, 80], false, false],
      [[48, 64], [48, 80], true, false],
      [[64, 48], [80, 48], false, true],
      [[48, 64], [80, 48], true, true],
      [[3, 2, 17, 9], [2, 9, 5], false, false],
      [[1, 17, 9], [4, 9, 5], false, false],
      [[7, 0], [0, 3], false, false],
    ];
    for (const [as, bs, ta, tb] of cases) {
      const r = await both([{ shape: as }, { shape: bs }], (a, b) => tf.matMul(a, b, ta, tb), 9);
      close(r.device, r.host, `matMul [${as}]${ta ? 'T' : ''} x [${bs}]${tb ? 'T' : ''}`, 1e-5);
    }
  });

  it.skipIf(!status.registered)('softmax and sum over the last axes match the host backend', async () => {
    for (const shape of [[4, 128], [3, 5, 1000], [1, 1], [6]]) {
      const s = await both([{ shape, lo: -20, hi: 20 }], (x) => tf.softmax(x), 21);
      close(s.device, s.host, `softmax [${shape}]`, 1e-5);
      const r = await both([{ shape }], (x) => tf.sum(x, -1), 22);
      close(r.device, r.host, `sum [${shape}]`, 1e-5);
    }
    const all = await both([{ shape: [3, 5, 7] }], (x) => tf.sum(x, [1, 2], true), 23);
    close(all.device, all.host, 'sum over two trailing axes', 1e-5);
    const inner = await both([{ shape: [3, 5, 7] }], (x) => tf.sum(x, [0, 2]), 24);
    close(inner.device, inner.host, 'sum over axes 0 and 2 (moved last first)', 1e-5);
    const mean = await both([{ shape: [4, 6, 5] }], (x) => tf.mean(x, 1, true), 25);
    close(mean.device, mean.host, 'mean over axis 1', 1e-5);
  });

  it.skipIf(!status.registered)('data movement matches the host backend for float32, int32 and bool', async () => {
    const moves: [string, (x: tf.Tensor) => tf.Tensor][] = [
      ['transpose', (x) => tf.transpose(x, [2, 0, 1])],
      ['slice', (x) => tf.slice(x, [1, 0, 2], [2, -1, 3])],
      ['stridedSlice', (x) => tf.stridedSlice(x, [3, 0, 1], [0, 5, 6], [-1, 2, 2])],
      ['stridedSlice shrink', (x) => tf.stridedSlice(x, [1, 0, 0], [2, 5, 6], [1, 1, 1], 0, 0, 0, 0, 1)],
      ['reverse', (x) => tf.reverse(x, [0, 2])],
      ['zerosLike', (x) => tf.zerosLike(x)],
      ['onesLike', (x) => tf.onesLike(x)],
    ];
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      for (const [name, f] of moves) {
        const r = await both([{ shape: [4, 5, 6], dtype }], f, 31);
        close(r.device, r.host, `${name} ${dtype}`, 0);
      }
    }
    const fill = await both([], () => tf.fill([3, 4], -2.5), 1);
    close(fill.device, fill.host, 'fill', 0);
  });

  it.skipIf(!status.registered)('tan near its poles is correctly rounded, as the host backend', async () => {
    const r = await both([{ shape: [4096], lo: 1.5707, hi: 1.5709 }], tf.tan, 41);
    close(r.device, r.host, 'tan near pi/2', 1e-6);
  });
});
