// @robusta/tfjs's setFusedKernelsEnabled / hasFusedKernel on 'robusta', the backend that registers the fused kernels
// (they live here, not in packages/tfjs, which @robusta/native itself depends on): switched off, every fused op and a
// whole training step of the model run the composite tfjs ops instead and give the same numbers.
// B batch, A heads, T tokens, D head size, H hidden, F FFN size, V vocab.
import * as tf from '@robusta/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchIds, useTestBackend } from '../test-support/backend.js';
import { configFromPreset } from './config.js';
import { maskedLMLoss } from './losses.js';
import { RobertaForMaskedLM } from './models.js';

const { reference } = tf;
const PAIRS = [
  [tf.RobustaLayerNorm, tf.RobustaLayerNormGrad],
  [tf.RobustaBiasGelu, tf.RobustaBiasGeluGrad],
  [tf.RobustaAttention, tf.RobustaAttentionGrad],
  [tf.RobustaSoftmaxCrossEntropy, tf.RobustaSoftmaxCrossEntropyGrad],
  [tf.RobustaAdamW],
] as const;
/** float32 results of two orders of summation: the fused kernels and the composites differ in the last bits only. */
const TOLERANCE = 1e-5;

beforeAll(async () => {
  await useTestBackend('robusta');
});
afterEach(() => {
  tf.setFusedKernelsEnabled(true);
});

interface Run {
  values: Float32Array[];
  kernels: Set<string>;
}

/** Runs `f` with fused kernels on, then off: every returned tensor's values and the kernels each run launched. */
async function onAndOff(f: () => tf.Tensor[]): Promise<{ on: Run; off: Run }> {
  const run = async (enabled: boolean): Promise<Run> => {
    tf.setFusedKernelsEnabled(enabled);
    let out: tf.Tensor[] = [];
    const info = await tf.profile(() => {
      out = f();
      return out;
    });
    const values = await Promise.all(out.map(async (t) => (await t.data()) as Float32Array));
    tf.dispose(out);
    return { values, kernels: new Set(info.kernelNames) };
  };
  const on = await run(true);
  const off = await run(false);
  tf.setFusedKernelsEnabled(true);
  return { on, off };
}

/**
 * The worst difference over the tensors, each relative to its largest |value| floored at 1e-3 of the largest of all:
 * a few gradients are exactly zero in exact arithmetic (a key bias: softmax ignores a per-query shift), and there both
 * paths give rounding noise around 1e-12.
 */
function worstDiff(on: Run, off: Run): number {
  expect(on.values.length).toBe(off.values.length);
  expect(on.values.length).toBeGreaterThan(0);
  const maxAbs = (a: Float32Array) => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const floor = 1e-3 * Math.max(...off.values.map(maxAbs));
  const worst = Math.max(
    ...on.values.map((got, i) => {
      const want = off.values[i]!;
      expect(got.length).toBe(want.length);
      let diff = 0;
      for (let j = 0; j < got.length; j++) diff = Math.max(diff, Math.abs(got[j]! - want[j]!));
      return diff / Math.max(maxAbs(want), floor);
    }),
  );
  console.log(`${expect.getState().currentTestName}: worst ${worst.toExponential(1)} over ${on.values.length} tensors`);
  return worst;
}

function expectFusedOnlyWhenOn(on: Run, off: Run, kernels: readonly string[]): void {
  for (const k of kernels) {
    expect(on.kernels, `fused on: ${k} ran`).toContain(k);
    expect(off.kernels, `fused off: ${k} did not run`).not.toContain(k);
  }
  expect([...off.kernels].filter((k) => k.startsWith('Robusta'))).toEqual([]);
}

describe("setFusedKernelsEnabled / hasFusedKernel on 'robusta'", () => {
  it('hasFusedKernel is true for every forward/backward pair, false once switched off, true again when back on', async () => {
    for (const pair of PAIRS) expect(tf.hasFusedKernel(...pair), pair.join(' + ')).toBe(true);
    expect(tf.hasFusedKernel(tf.RobustaLayerNorm, 'NoSuchKernel')).toBe(false);
    tf.setFusedKernelsEnabled(false);
    expect(tf.fusedKernelsEnabled()).toBe(false);
    for (const pair of PAIRS) expect(tf.hasFusedKernel(...pair), pair.join(' + ')).toBe(false);
    tf.setFusedKernelsEnabled(true);
    expect(tf.fusedKernelsEnabled()).toBe(true);
    expect(tf.hasFusedKernel(...tf.FUSED_KERNEL_NAMES)).toBe(true);
    // a backend without them: enabled or not, the composites run
    await useTestBackend('cpu');
    try {
      for (const pair of PAIRS) expect(tf.hasFusedKernel(...pair), `cpu: ${pair.join(' + ')}`).toBe(false);
    } finally {
      await useTestBackend('robusta');
    }
  });

  it('layerNorm and biasGelu: the same values and gradients from the composites', async () => {
    const [rows, H] = [6, 32];
    const x = tf.tensor(reference.seededUniform(rows * H, 1, -2, 2), [rows, H]);
    const gamma = tf.tensor(reference.seededUniform(H, 2, 0.5, 1.5));
    const beta = tf.tensor(reference.seededUniform(H, 3));
    const bias = tf.tensor(reference.seededUniform(H, 4));
    const dy = tf.tensor(reference.seededUniform(rows * H, 5), [rows, H]);
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(tf.biasGelu(tf.layerNorm(a, g, b, 1e-5), c), dy)),
    );
    const { on, off } = await onAndOff(() => [
      tf.layerNorm(x, gamma, beta, 1e-5),
      tf.biasGelu(x, bias),
      ...grads([x, gamma, beta, bias]),
    ]);
    expectFusedOnlyWhenOn(on, off, [...PAIRS[0], ...PAIRS[1]]);
    expect(worstDiff(on, off)).toBeLessThan(TOLERANCE);
  });

  it('attention with a padding mask and dropout: the same values and gradients from the composite', async () => {
    const [B, A, T, D] = [2, 2, 5, 8];
    const n = B * A * T * D;
    const [q, k, v, dy] = [1, 2, 3, 4].map((s) => tf.tensor(reference.seededUniform(n, s, -2, 2), [B, A, T, D]));
    const mask = tf.tensor([0, 0, 0, 0, 0, 0, 0, 0, -1e9, -1e9], [B, 1, 1, T]);
    const options = { dropoutRate: 0.2, seed: 77 };
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(tf.attention(a, b, c, mask, options), dy!)),
    );
    const { on, off } = await onAndOff(() => [tf.attention(q!, k!, v!, mask, options), ...grads([q!, k!, v!])]);
    expectFusedOnlyWhenOn(on, off, PAIRS[2]);
    expect(worstDiff(on, off)).toBeLessThan(TOLERANCE);
  });

  it('softmaxCrossEntropy with ignored rows: the same loss and gradient from the composite', async () => {
    const [N, V] = [7, 50];
    const logits = tf.tensor(reference.seededUniform(N * V, 6, -4, 4), [N, V]);
    const labels = tf.tensor1d([3, -100, 49, 0, 17, -100, 8], 'int32');
    const grad = tf.grad((l: tf.Tensor) => tf.softmaxCrossEntropy(l, labels));
    const { on, off } = await onAndOff(() => [tf.softmaxCrossEntropy(logits, labels), grad(logits)]);
    expectFusedOnlyWhenOn(on, off, PAIRS[3]);
    expect(worstDiff(on, off)).toBeLessThan(TOLERANCE);
  });

  it('adamwUpdate: three steps give the same parameter and moments as the composite', async () => {
    const n = 40;
    const o = { beta1: 0.9, beta2: 0.98, eps: 1e-6, weightDecay: 0.01 };
    const { on, off } = await onAndOff(() => {
      const p = tf.variable(tf.tensor(reference.seededUniform(n, 7)));
      const m = tf.variable(tf.zeros([n]));
      const v = tf.variable(tf.zeros([n]));
      for (let step = 1; step <= 3; step++)
        tf.tidy(() =>
          tf.adamwUpdate(p, tf.tensor(reference.seededUniform(n, 10 + step, -2, 2)), m, v, {
            ...o,
            lr: 1e-2 * step,
            step,
          }),
        );
      return [p, m, v];
    });
    expectFusedOnlyWhenOn(on, off, PAIRS[4]);
    expect(worstDiff(on, off)).toBeLessThan(TOLERANCE);
  });

  it('a training step of the MLM model (dropout on): the same loss and gradients of every parameter', async () => {
    const cfg = configFromPreset('tiny', { vocabSize: 64 });
    const model = new RobertaForMaskedLM(cfg, { seed: 9 });
    const vars = [...model.variables.values()];
    const inputIds = tf.tensor2d(batchIds([12, 7], 12, cfg.vocabSize, 3), undefined, 'int32');
    const maskedPositions = tf.tensor1d([2, 5, 9, 14, 16], 'int32');
    const labels = tf.tensor1d([7, 11, 40, 3, 63], 'int32');
    const { on, off } = await onAndOff(() => {
      const { value, grads } = tf.variableGrads(() => {
        const { logits } = model.forward({ inputIds, maskedPositions }, { training: true, seed: 5 });
        return maskedLMLoss(logits, labels);
      }, vars);
      return [value, ...vars.map((v) => grads[v.name]!)];
    });
    expect(on.values).toHaveLength(1 + model.variables.size);

    // the model takes every fused path: LayerNorm, bias + GELU, attention, the MLM loss
    expectFusedOnlyWhenOn(on, off, [...PAIRS[0], ...PAIRS[1], ...PAIRS[2], ...PAIRS[3]]);
    expect(worstDiff(on, off)).toBeLessThan(TOLERANCE);
    model.dispose();
  });
});
