import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adamwUpdate } from './index.js';
import { adamwReference, relativeError, seededUniform } from './reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('adamwUpdate (composite, cpu)', () => {
  it('matches three float64 reference steps, updating the Variables', async () => {
    const n = 50;
    let want = { param: Float64Array.from(seededUniform(n, 1)), m: new Float64Array(n), v: new Float64Array(n) };
    const param = tf.variable(tf.tensor(Float32Array.from(want.param)));
    const m = tf.variable(tf.zeros([n]));
    const v = tf.variable(tf.zeros([n]));
    const o = { lr: 1e-2, beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.01 };
    const before = tf.memory().numTensors;
    for (let step = 1; step <= 3; step++) {
      const grad = seededUniform(n, 10 + step, -2, 2);
      tf.tidy(() => adamwUpdate(param, tf.tensor(grad), m, v, { ...o, step }));
      want = adamwReference(want.param, grad, want.m, want.v, { ...o, step });
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(relativeError(await param.data(), want.param)).toBeLessThan(1e-6);
    expect(relativeError(await m.data(), want.m)).toBeLessThan(1e-6);
    expect(relativeError(await v.data(), want.v)).toBeLessThan(1e-5);
  });

  it('rejects a gradient of another shape and a step below 1', () => {
    const p = tf.variable(tf.zeros([3]));
    const m = tf.variable(tf.zeros([3]));
    const v = tf.variable(tf.zeros([3]));
    expect(() => adamwUpdate(p, tf.zeros([4]), m, v, { lr: 1, step: 1 })).toThrow(/grad must be float32 \[3\]/);
    expect(() => adamwUpdate(p, tf.zeros([3]), m, v, { lr: 1, step: 0 })).toThrow(/step/);
  });
});
