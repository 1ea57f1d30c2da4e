// The dispatch rule of the fused ops: a fused kernel runs only when the active backend registers both its forward and
// backward kernels and fused kernels are enabled. Checked on 'cpu' with a bias + GELU pair registered by this file
// (the same switch on 'robusta', whose kernels are real, is tested in @robusta/model: this package cannot depend on
// @robusta/native, which depends on it).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import '../../dist/index.js'; // tfjs gradients (bundled at build time)
import {
  biasGelu,
  biasGeluComposite,
  fusedKernelsEnabled,
  hasFusedKernel,
  RobustaBiasGelu,
  RobustaBiasGeluGrad,
  setFusedKernelsEnabled,
} from './index.js';
import { biasGeluReference, erf64, relativeError, seededUniform } from './reference.js';

/** What this file's kernels need of the cpu backend. */
interface CpuLike {
  readSync(dataId: object): ArrayLike<number>;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

const calls = { forward: 0, backward: 0 };
const F = 6;

/** gelu(x + bias) in float64, as a kernel that counts its launches. */
const forwardKernel: tf.KernelConfig = {
  kernelName: RobustaBiasGelu,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend }) => {
    calls.forward++;
    const b = backend as unknown as CpuLike;
    const { x, bias } = inputs as { x: tf.TensorInfo; bias: tf.TensorInfo };
    const y = biasGeluReference(b.readSync(x.dataId), F, b.readSync(bias.dataId));
    return b.makeTensorInfo(x.shape, 'float32', Float32Array.from(y));
  },
};

/** dx = dy gelu'(x + bias), dbias = dx summed over rows; gelu'(z) = Phi(z) + z phi(z). */
const backwardKernel: tf.KernelConfig = {
  kernelName: RobustaBiasGeluGrad,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend }) => {
    calls.backward++;
    const b = backend as unknown as CpuLike;
    const { dy, x, bias } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; bias: tf.TensorInfo };
    const [dys, xs, bs] = [dy, x, bias].map((t) => b.readSync(t.dataId));
    const dx = new Float32Array(xs!.length);
    const dbias = new Float32Array(F);
    for (let i = 0; i < dx.length; i++) {
      const z = xs![i]! + bs![i % F]!;
      const d = 0.5 * (1 + erf64(z * Math.SQRT1_2)) + (z * Math.exp(-0.5 * z * z)) / Math.sqrt(2 * Math.PI);
      dx[i] = dys![i]! * d;
      dbias[i % F]! += dx[i]!;
    }
    return [b.makeTensorInfo(x.shape, 'float32', dx), b.makeTensorInfo([F], 'float32', dbias)];
  },
};

const PAIR = [RobustaBiasGelu, RobustaBiasGeluGrad] as const;
const x = seededUniform(4 * F, 1, -3, 3);
const bias = seededUniform(F, 2);
const dy = seededUniform(4 * F, 3);
const want = biasGeluReference(x, F, bias);

/** biasGelu's value and gradients in x and bias, and how many times each test kernel ran meanwhile. */
async function run() {
  const before = { ...calls };
  const xt = tf.tensor(x, [4, F]);
  const bt = tf.tensor(bias);
  const y = await biasGelu(xt, bt).data();
  const [dx, db] = tf.grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(biasGelu(a, c), tf.tensor(dy, [4, F]))))([
    xt,
    bt,
  ]);
  const composite = tf.grads((a: tf.Tensor, c: tf.Tensor) =>
    tf.sum(tf.mul(biasGeluComposite(a, c), tf.tensor(dy, [4, F]))),
  )([xt, bt]);
  return {
    y,
    dxErr: relativeError(await dx!.data(), await composite[0]!.data()),
    dbErr: relativeError(await db!.data(), await composite[1]!.data()),
    forward: calls.forward - before.forward,
    backward: calls.backward - before.backward,
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  setFusedKernelsEnabled(true);
});
afterAll(() => {
  for (const name of PAIR) if (tf.getKernel(name, 'cpu')) tf.unregisterKernel(name, 'cpu');
});

describe('hasFusedKernel / setFusedKernelsEnabled', () => {
  it('without the kernels: false, and biasGelu runs the composite', async () => {
    expect(hasFusedKernel(...PAIR)).toBe(false);
    const r = await run();
    expect([r.forward, r.backward]).toEqual([0, 0]);
    expect(relativeError(r.y, want)).toBeLessThan(1e-6);
  });

  it('with the forward kernel alone: still false (its gradient would need the backward kernel)', async () => {
    tf.registerKernel(forwardKernel);
    expect(hasFusedKernel(RobustaBiasGelu)).toBe(true);
    expect(hasFusedKernel(...PAIR)).toBe(false);
    const r = await run();
    expect([r.forward, r.backward]).toEqual([0, 0]);
  });

  it('with both: true, and biasGelu and its gradient run the kernels, agreeing with the composite', async () => {
    tf.registerKernel(backwardKernel);
    expect(hasFusedKernel(...PAIR)).toBe(true);
    const r = await run();
    // the forward once for the value and once inside tf.grads; the backward once
    expect([r.forward, r.backward]).toEqual([2, 1]);
    expect(relativeError(r.y, want)).toBeLessThan(1e-6);
    expect(r.dxErr).toBeLessThan(1e-5);
    expect(r.dbErr).toBeLessThan(1e-5);
  });

  it('switched off: false for every name, the composite runs with the same numbers; back on, the kernels run again', async () => {
    setFusedKernelsEnabled(false);
    expect(fusedKernelsEnabled()).toBe(false);
    expect(hasFusedKernel(...PAIR)).toBe(false);
    expect(hasFusedKernel('Add')).toBe(false);
    const off = await run();
    expect([off.forward, off.backward]).toEqual([0, 0]);
    expect(relativeError(off.y, want)).toBeLessThan(1e-6);
    expect(off.dxErr).toBe(0);
    expect(off.dbErr).toBe(0);
    setFusedKernelsEnabled(true);
    expect(fusedKernelsEnabled()).toBe(true);
    const on = await run();
    expect([on.forward, on.backward]).toEqual([2, 1]);
  });
});
