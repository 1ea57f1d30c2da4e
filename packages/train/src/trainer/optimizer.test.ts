// AdamW and one whole trainer update (accumulation, averaging, clipping, decay groups) against float64 references,
// and AdamW against torch.optim.AdamW over a schedule's first steps (on the test backend and on tfjs cpu).
import { configFromPreset, maskedLMLoss, RobertaForMaskedLM } from '@robusta/model';
import * as tf from '@robusta/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKEND, useTestBackend } from '../../test-support/backend.js';
import { fakeBatches } from '../../test-support/fake-data.js';
import { runTorch, torchAvailable } from '../../test-support/torch.js';
import type { MlmBatch } from '../data/batches.js';
import { AdamW, decays, ROBERTA_ADAMW } from './optimizer.js';
import { adamwStep64, globalNorm64 } from './reference.js';
import { learningRate } from './schedule.js';
import { mixSeed } from './seeds.js';
import { Trainer } from './trainer.js';

beforeAll(async () => {
  await useTestBackend();
});

function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < want.length; i++) {
    num = Math.max(num, Math.abs(got[i]! - want[i]!));
    den = Math.max(den, Math.abs(want[i]!));
  }
  return num / Math.max(den, 1e-30);
}

function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 4294967296;
  });
}

describe('decays (HF no-decay rule by parameter name)', () => {
  it('excludes biases and LayerNorm weights only', () => {
    expect(decays('roberta.encoder.layer.0.attention.self.query.weight')).toBe(true);
    expect(decays('roberta.embeddings.word_embeddings.weight')).toBe(true);
    expect(decays('lm_head.dense.weight')).toBe(true);
    expect(decays('roberta.encoder.layer.0.attention.self.query.bias')).toBe(false);
    expect(decays('roberta.encoder.layer.3.output.LayerNorm.weight')).toBe(false);
    expect(decays('roberta.embeddings.LayerNorm.weight')).toBe(false);
    expect(decays('lm_head.layer_norm.weight')).toBe(false);
    expect(decays('lm_head.bias')).toBe(false);
  });
});

describe('AdamW', () => {
  it('matches the float64 reference over three steps, decaying only the decayed group', async () => {
    const shapes: [string, number[]][] = [
      ['a.dense.weight', [7, 5]],
      ['a.dense.bias', [7]],
      ['a.LayerNorm.weight', [5]],
    ];
    const params = new Map(
      shapes.map(([n, s], i) => [
        n,
        tf.variable(
          tf.tensor(
            uniform(
              s.reduce((x, y) => x * y),
              i + 1,
            ),
            s,
          ),
        ),
      ]),
    );
    const want = new Map(
      shapes.map(([n], i) => {
        const p = Float64Array.from(params.get(n)!.dataSync());
        return [n, { param: p, m: new Float64Array(p.length), v: new Float64Array(p.length), i }] as const;
      }),
    );
    const opt = new AdamW(params, ROBERTA_ADAMW);
    const before = tf.memory().numTensors;
    for (let step = 1; step <= 3; step++) {
      const lr = 1e-2 * step;
      const grads = new Map(
        shapes.map(([n, s], i) => [
          n,
          tf.tensor(
            uniform(
              s.reduce((x, y) => x * y),
              100 * step + i,
              -3,
              3,
            ),
            s,
          ),
        ]),
      );
      opt.step(grads, lr, step);
      for (const [n, w] of want) {
        const g = grads.get(n)!.dataSync();
        const r = adamwStep64(w.param, g, w.m, w.v, step, { ...ROBERTA_ADAMW, lr, weightDecay: decays(n) ? 0.01 : 0 });
        want.set(n, { ...r, i: w.i });
      }
      tf.dispose([...grads.values()]);
    }
    expect(tf.memory().numTensors).toBe(before);
    for (const [n, w] of want) {
      expect(relErr(await params.get(n)!.data(), w.param)).toBeLessThan(1e-6);
      expect(relErr(await opt.m.get(n)!.data(), w.m)).toBeLessThan(1e-6);
      expect(relErr(await opt.v.get(n)!.data(), w.v)).toBeLessThan(1e-5);
    }
    opt.dispose();
    tf.dispose([...params.values()]);
  });
});

describe('Trainer.updateOnce', () => {
  const config = configFromPreset('tiny', {
    vocabSize: 40,
    hiddenSize: 32,
    intermediateSize: 64,
    maxPositionEmbeddings: 34,
  });

  async function oneUpdate(clipNorm: number) {
    const model = new RobertaForMaskedLM(config, { seed: 3 });
    const initial = new Map([...model.variables].map(([n, v]) => [n, Float64Array.from(v.dataSync())]));
    const it = fakeBatches({ seed: 5, batchSize: 3, seqLength: 16, vocabSize: 40 });
    const batches: MlmBatch[] = [it.next().value!.batch, it.next().value!.batch];
    // the reference gradients: each micro-batch separately, same dropout seeds, summed in float64
    const sums = new Map<string, Float64Array>();
    const vars = [...model.variables.values()];
    const nameOf = new Map([...model.variables].map(([n, v]) => [v.name, n]));
    for (const [micro, b] of batches.entries()) {
      const { grads } = tf.variableGrads(() => {
        const logits = model.forward(
          {
            inputIds: tf.tensor2d(b.inputIds, [3, 16], 'int32'),
            attentionMask: tf.tensor2d(b.attentionMask, [3, 16], 'int32'),
            maskedPositions: tf.tensor1d(b.maskedPositions, 'int32'),
          },
          { training: true, seed: mixSeed(11, 1, micro) },
        ).logits;
        return maskedLMLoss(logits, tf.tensor1d(b.maskedLabels, 'int32'));
      }, vars);
      for (const [vn, g] of Object.entries(grads)) {
        const n = nameOf.get(vn)!;
        const acc = sums.get(n) ?? new Float64Array(g.size);
        const d = g.dataSync();
        for (let i = 0; i < d.length; i++) acc[i]! += d[i]! / 2;
        sums.set(n, acc);
        g.dispose();
      }
    }
    const sched = { peakLr: 1e-3, warmupUpdates: 2, maxUpdates: 10 };
    const trainer = new Trainer(model, { ...sched, updateFreq: 2, clipNorm, adam: ROBERTA_ADAMW }, 11);
    let k = 0;
    const stats = await trainer.updateOnce(() => batches[k++]!);
    const norm = globalNorm64([...sums.values()]);
    const factor = clipNorm > 0 && norm > clipNorm ? clipNorm / (norm + 1e-6) : 1;
    const lr = learningRate(1, sched);
    let worst = 0;
    for (const [n, v] of model.variables) {
      const g = sums.get(n)!.map((x) => x * factor);
      const want = adamwStep64(initial.get(n)!, g, new Float64Array(g.length), new Float64Array(g.length), 1, {
        ...ROBERTA_ADAMW,
        lr,
        weightDecay: decays(n) ? 0.01 : 0,
      });
      // compare the update itself: params are ~1e-2 and the step ~1e-3
      const got = v.dataSync();
      const dGot = got.map((x, i) => x - initial.get(n)![i]!);
      const dWant = want.param.map((x, i) => x - initial.get(n)![i]!);
      worst = Math.max(worst, relErr(dGot, dWant));
    }
    trainer.dispose();
    model.dispose();
    return { stats, norm, lr, worst };
  }

  it('sums and averages micro-batch gradients, then applies AdamW with the schedule', async () => {
    const { stats, norm, lr, worst } = await oneUpdate(0);
    expect(stats.update).toBe(1);
    expect(stats.lr).toBe(lr);
    expect(stats.gradNorm / norm).toBeCloseTo(1, 5);
    // Adam's normalised step amplifies float32 rounding of near-zero gradients; 1e-3 of the largest step is tight
    expect(worst).toBeLessThan(1e-3);
    expect(stats.tokens).toBe(2 * 3 * 16);
  });

  it('clips by global norm when asked, and logs the unclipped norm', async () => {
    const { stats, norm, worst } = await oneUpdate(0.05);
    expect(norm).toBeGreaterThan(0.05);
    expect(stats.gradNorm / norm).toBeCloseTo(1, 5);
    expect(worst).toBeLessThan(1e-3);
  });
});

describe.runIf(torchAvailable())('AdamW against torch.optim.AdamW (float64)', () => {
  // every kind of RoBERTa parameter name (biases, LayerNorm and layer_norm weights, lm_head.bias, the NSP head), small
  const config = configFromPreset('tiny', {
    vocabSize: 20,
    hiddenSize: 8,
    intermediateSize: 16,
    numHiddenLayers: 1,
    numAttentionHeads: 2,
    maxPositionEmbeddings: 12,
  });
  const sched = { peakLr: 1e-2, warmupUpdates: 2, maxUpdates: 6 };
  const STEPS = 4;
  const lrs = Array.from({ length: STEPS }, (_, i) => learningRate(i + 1, sched));

  interface TorchOut {
    decayed: string[];
    params: Record<string, { param: number[]; exp_avg: number[]; exp_avg_sq: number[] }>;
  }

  for (const backend of [...new Set([TEST_BACKEND, 'cpu'])])
    it(`${backend}: ${STEPS} steps of the schedule give torch's parameters and moments, decay groups included`, async () => {
      await useTestBackend(backend);
      try {
        const model = new RobertaForMaskedLM(config, { seed: 2, nsp: true });
        const names = [...model.variables.keys()];
        // values in [-1, 1] everywhere, so the decay term (lr * 0.01 * p) is ~1% of a step and a wrong group shows
        names.forEach((n, i) => {
          const v = model.variables.get(n)!;
          v.assign(tf.tensor(uniform(v.size, 500 + i), v.shape));
        });
        const initial = new Map(names.map((n) => [n, Float32Array.from(model.variables.get(n)!.dataSync())]));
        // gradient scales from 1 down to 1e-6 by tensor, so eps (1e-6) weighs on some of them as it does in training
        const grads = Array.from({ length: STEPS }, (_, s) =>
          Object.fromEntries(
            names.map((n, i) => [
              n,
              Array.from(uniform(initial.get(n)!.length, 1000 * (s + 1) + i, -1, 1), (g) => g * 10 ** -(i % 7)),
            ]),
          ),
        );
        const opt = new AdamW(model.variables, ROBERTA_ADAMW);
        for (let s = 0; s < STEPS; s++) {
          const g = new Map(names.map((n) => [n, tf.tensor(grads[s]![n]!, model.variables.get(n)!.shape)]));
          opt.step(g, lrs[s]!, s + 1);
          tf.dispose([...g.values()]);
        }
        const want = runTorch<TorchOut>('adamw_reference.py', {
          params: Object.fromEntries(
            names.map((n) => [n, { shape: model.variables.get(n)!.shape, values: Array.from(initial.get(n)!) }]),
          ),
          grads,
          lrs,
          beta1: ROBERTA_ADAMW.beta1,
          beta2: ROBERTA_ADAMW.beta2,
          eps: ROBERTA_ADAMW.eps,
          weight_decay: ROBERTA_ADAMW.weightDecay,
        });
        // the groups: Python's name rule and decays() agree, and both groups are populated
        expect(want.decayed).toEqual(names.filter(decays).sort());
        expect(want.decayed.length).toBeGreaterThan(5);
        expect(names.length - want.decayed.length).toBeGreaterThan(5);
        expect(Object.keys(want.params).sort()).toEqual([...names].sort());
        let worst = { name: '', step: 0, m: 0, v: 0 };
        for (const n of names) {
          const p0 = initial.get(n)!;
          const ref = want.params[n]!;
          // the change made by the 4 steps, against torch's change: Adam steps are ~lr, far below |p|
          const dGot = Array.from(model.variables.get(n)!.dataSync(), (x, j) => x - p0[j]!);
          const dWant = ref.param.map((x, j) => x - p0[j]!);
          const e = {
            name: n,
            step: relErr(dGot, dWant),
            m: relErr(opt.m.get(n)!.dataSync(), ref.exp_avg),
            v: relErr(opt.v.get(n)!.dataSync(), ref.exp_avg_sq),
          };
          if (Math.max(e.step, e.m, e.v) > Math.max(worst.step, worst.m, worst.v)) worst = e;
          expect(e.step, `${n}: parameter change`).toBeLessThan(1e-4);
          expect(e.m, `${n}: exp_avg`).toBeLessThan(1e-5);
          expect(e.v, `${n}: exp_avg_sq`).toBeLessThan(1e-5);
        }
        console.log(
          `${backend}: ${names.length} parameters, worst ${worst.name}: change ${worst.step.toExponential(1)}, exp_avg ${worst.m.toExponential(1)}, exp_avg_sq ${worst.v.toExponential(1)}`,
        );
        opt.dispose();
        model.dispose();
      } finally {
        await useTestBackend();
      }
    });
});
