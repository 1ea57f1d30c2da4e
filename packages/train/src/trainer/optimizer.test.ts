// AdamW and one whole trainer update (accumulation, averaging, clipping, decay groups) against float64 references.
import { configFromPreset, maskedLMLoss, RobertaForMaskedLM } from '@robusta/model';
import * as tf from '@robusta/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../../test-support/backend.js';
import { fakeBatches } from '../../test-support/fake-data.js';
import type { TrainBatch } from './batch.js';
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
    const batches: TrainBatch[] = [it.next().value!.batch, it.next().value!.batch];
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
