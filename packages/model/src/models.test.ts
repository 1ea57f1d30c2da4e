// Tests for the architecture on a tfjs backend (tiny preset): shapes, positions, masks, tying, gradients, seeds, leaks.
import * as tf from '@robusta/tfjs';
import { adamwUpdate } from '@robusta/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchIds, maxRelDiff, useTestBackend } from '../test-support/backend.js';
import { configFromPreset } from './config.js';
import { positionIds } from './encoder.js';
import { maskedLMLoss } from './losses.js';
import {
  createModel,
  RobertaForMaskedLM,
  RobertaForMultipleChoice,
  RobertaForQuestionAnswering,
  RobertaForSequenceClassification,
  RobertaModel,
} from './models.js';
import { HEAD_KINDS, HF } from './names.js';

const cfg = configFromPreset('tiny', { numLabels: 3 });
const V = cfg.vocabSize;
const H = cfg.hiddenSize;
const ids2 = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');

beforeAll(async () => {
  await useTestBackend();
});

describe('RoBERTa forward', () => {
  it('gives each head its documented shapes', () => {
    const inputIds = ids2(batchIds([7, 5], 7, V));
    const base = new RobertaModel(cfg).forward({ inputIds }, { outputHiddenStates: true });
    expect(base.lastHiddenState.shape).toEqual([2, 7, H]);
    expect(base.pooledOutput.shape).toEqual([2, H]);
    expect(base.hiddenStates!.map((h) => h.shape)).toEqual(Array(3).fill([2, 7, H]));
    expect(new RobertaForMaskedLM(cfg).forward({ inputIds }).logits.shape).toEqual([2, 7, V]);
    expect(new RobertaForSequenceClassification(cfg).forward({ inputIds }).logits.shape).toEqual([2, 3]);
    const qa = new RobertaForQuestionAnswering(cfg, { answerability: true }).forward({ inputIds });
    expect([qa.startLogits.shape, qa.endLogits.shape, qa.answerableLogits!.shape]).toEqual([[2, 7], [2, 7], [2]]);
    expect(new RobertaForQuestionAnswering(cfg).forward({ inputIds }).answerableLogits).toBeUndefined();
    // cfg has 3 labels for the classifier; a span head keeps 2 (start, end), as HF sizes qa_outputs by num_labels
    expect(cfg.numLabels).toBe(3);
    const spanHead = new RobertaForQuestionAnswering({ ...cfg, id2label: { 0: 'a', 1: 'b', 2: 'c' } });
    expect([spanHead.config.numLabels, spanHead.config.id2label]).toEqual([2, null]);
    expect(spanHead.variables.get('qa_outputs.weight')?.shape).toContain(2);
    expect(spanHead.variables.get('qa_outputs.bias')?.shape).toEqual([2]);
    const choices = tf.tensor3d([batchIds([6, 4, 5, 6], 6, V), batchIds([3, 6, 6, 2], 6, V, 9)], undefined, 'int32');
    expect(new RobertaForMultipleChoice(cfg).forward({ inputIds: choices }).logits.shape).toEqual([2, 4]);
    expect(new RobertaForSequenceClassification({ ...cfg, numLabels: 1 }).forward({ inputIds }).logits.shape).toEqual([
      2, 1,
    ]);
  });

  it('numbers positions from padding_idx + 1 and gives pads padding_idx, wherever the pads are', async () => {
    const pos = positionIds(
      ids2([
        [0, 5, 6, 2, 1, 1],
        [1, 1, 0, 7, 2, 1],
      ]),
      1,
    );
    expect(await pos.array()).toEqual([
      [2, 3, 4, 5, 1, 1],
      [1, 1, 2, 3, 4, 1],
    ]);
  });

  it('rejects inputs longer than the position table and mismatched masks', () => {
    const m = new RobertaModel(cfg);
    expect(() => m.forward({ inputIds: tf.zeros([1, 129], 'int32') })).toThrow(
      /129 tokens; maxPositionEmbeddings 130 allows at most 128/,
    );
    expect(() => m.forward({ inputIds: tf.zeros([1, 4], 'int32'), attentionMask: tf.ones([1, 5]) })).toThrow(
      /attentionMask shape \[1,5\] differs/,
    );
  });

  it('derives the mask from pads, so padding never changes the real tokens outputs', async () => {
    const m = new RobertaModel(cfg, { seed: 3 });
    const [row] = batchIds([6], 6, V);
    const alone = m.forward({ inputIds: ids2([row!]) }).lastHiddenState;
    const padded = ids2([[...row!, 1, 1, 1]]);
    const derived = m.forward({ inputIds: padded }).lastHiddenState;
    const explicit = m.forward({
      inputIds: padded,
      attentionMask: tf.tensor2d([[1, 1, 1, 1, 1, 1, 0, 0, 0]]),
    }).lastHiddenState;
    const real = tf.slice(derived, [0, 0, 0], [1, 6, H]);
    expect(maxRelDiff(await real.data(), await alone.data())).toBeLessThan(1e-6);
    expect(Array.from(await derived.data())).toEqual(Array.from(await explicit.data()));
    // HF's default (all ones) attends to pads and changes the result: the derivation is not a no-op
    const allOnes = m.forward({ inputIds: padded, attentionMask: tf.ones([1, 9]) }).lastHiddenState;
    expect(maxRelDiff(await tf.slice(allOnes, [0, 0, 0], [1, 6, H]).data(), await alone.data())).toBeGreaterThan(1e-3);
  });

  it('ties the MLM decoder to the word embeddings and computes logits only at selected positions', async () => {
    const m = new RobertaForMaskedLM(cfg, { seed: 5 });
    expect([...m.variables.keys()].some((k) => k.includes('decoder'))).toBe(false);
    const inputIds = ids2(batchIds([5, 7], 7, V));
    const full = m.forward({ inputIds }).logits;
    const sel = m.forward({ inputIds, maskedPositions: tf.tensor1d([1, 8, 13], 'int32') }).logits;
    expect(sel.shape).toEqual([3, V]);
    const want = tf.gather(tf.reshape(full, [14, V]), tf.tensor1d([1, 8, 13], 'int32'));
    expect(maxRelDiff(await sel.data(), await want.data())).toBeLessThan(1e-6);
    // editing one embedding row moves exactly that logit column for a token absent from the input
    const E = m.variables.get(HF.embeddings.word)!;
    const unused = 127;
    E.assign(tf.add(E, tf.mul(tf.transpose(tf.oneHot(tf.tensor1d([unused], 'int32'), V)), 0.5)) as tf.Tensor2D);
    const after = m.forward({ inputIds }).logits;
    const diff = await tf.any(tf.notEqual(after, full), [0, 1]).data();
    expect([...diff].map((d, i) => (d ? i : -1)).filter((i) => i >= 0)).toEqual([unused]);
  });

  it('is deterministic in eval mode and reproducible per seed in training mode', async () => {
    const m = new RobertaForSequenceClassification(cfg, { seed: 2 });
    const inputIds = ids2(batchIds([7, 4], 7, V));
    const run = (o: { training?: boolean; seed?: number }) => m.forward({ inputIds }, o).logits.dataSync();
    expect(run({})).toEqual(run({}));
    expect(run({ training: true, seed: 11 })).toEqual(run({ training: true, seed: 11 }));
    expect(run({ training: true, seed: 11 })).not.toEqual(run({ training: true, seed: 12 }));
    expect(run({ training: true, seed: 11 })).not.toEqual(run({}));
    // the flags inside the inputs object: the same call as with options
    const inInputs = (o: { training?: boolean; seed?: number }) => m.forward({ inputIds, ...o }).logits.dataSync();
    expect(inInputs({ training: true, seed: 11 })).toEqual(run({ training: true, seed: 11 }));
    expect(inInputs({ training: false })).toEqual(run({}));
    expect(m.forward({ inputIds, seed: 11 }, { training: true }).logits.dataSync()).toEqual(
      run({ training: true, seed: 11 }),
    );
    expect(() => m.forward({ inputIds, training: false }, { training: true })).toThrow(
      /training is false in the inputs but true in the options/,
    );
    // initialisation depends only on the seed
    const again = new RobertaForSequenceClassification(cfg, { seed: 2 });
    expect(again.forward({ inputIds }).logits.dataSync()).toEqual(run({}));
  });

  it('flows gradients to every parameter of every head (tf.variableGrads)', async () => {
    const rows = batchIds([6, 4], 6, V);
    const inputIds = ids2(rows);
    const choices = tf.tensor3d([rows, rows.slice().reverse()], undefined, 'int32');
    for (const head of HEAD_KINDS) {
      const m = createModel(cfg, head, { seed: 7 });
      const ids = head === 'multiple-choice' ? choices : inputIds;
      const { value, grads } = tf.variableGrads(() => {
        const out = m.forward({ inputIds: ids }, { training: true, seed: 1 }) as unknown as Record<string, tf.Tensor>;
        // a loss touching every output (random weights so no output's gradient cancels)
        const terms = Object.entries(out)
          .filter(([k]) => k !== 'hiddenStates' && k !== 'lastHiddenState')
          .map(([, t]) => tf.sum(tf.mul(t, tf.randomNormal(t.shape, 0, 1, 'float32', 3))));
        // pairwise add rather than addN, which not every backend registers
        return terms.reduce((a, b) => tf.add(a, b)) as tf.Scalar;
      }, [...m.variables.values()]);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      const byId = new Map([...m.variables].map(([n, v]) => [v.name, n]));
      const dead: string[] = [];
      for (const [id, g] of Object.entries(grads)) {
        const norm = tf.norm(g).dataSync()[0]!;
        if (!(norm > 0 && Number.isFinite(norm))) dead.push(`${byId.get(id)} (${norm})`);
      }
      expect(Object.keys(grads).length, head).toBe(m.variables.size);
      expect(dead, head).toEqual([]);
      tf.dispose([value, ...Object.values(grads)]);
      m.dispose();
    }
  });

  it('leaks no tensors: tf.memory().numTensors is the same after step 2 and step 100 of an AdamW loop', {
    timeout: 120_000,
  }, () => {
    const m = new RobertaForMaskedLM(cfg, { seed: 9 });
    const vars = [...m.variables.values()];
    const moments = vars.map((v) => [tf.variable(tf.zerosLike(v)), tf.variable(tf.zerosLike(v))] as const);
    const counts: number[] = [];
    for (let step = 1; step <= 100; step++) {
      // fresh inputs every step, as a trainer makes them: batch 2 x 16, 4 masked positions
      const inputIds = ids2(batchIds([16, 11], 16, V, step));
      const positions = tf.tensor1d([1, 5, 17, 22], 'int32');
      const labels = tf.tensor1d([3 + (step % 50), 7, 11, 13], 'int32');
      const { value, grads } = tf.variableGrads(() => {
        const { logits } = m.forward({ inputIds, maskedPositions: positions, training: true, seed: step });
        return maskedLMLoss(logits, labels);
      }, vars);
      vars.forEach((v, k) => {
        const [mom, vel] = moments[k]!;
        adamwUpdate(v, grads[v.name]!, mom, vel, { lr: 1e-3, weightDecay: 0.01, step });
      });
      tf.dispose([value, inputIds, positions, labels, ...Object.values(grads)]);
      counts.push(tf.memory().numTensors);
    }
    expect(counts[99]).toBe(counts[1]);
    expect(new Set(counts).size).toBe(1);
    m.dispose();
    tf.dispose(moments.flat());
  });
});
