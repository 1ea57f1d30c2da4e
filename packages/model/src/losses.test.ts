// Tests for the head losses against plain float64 formulas, and that each trains its head (loss falls under SGD).
import * as tf from '@robusta/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchIds, useTestBackend } from '../test-support/backend.js';
import { configFromPreset } from './config.js';
import {
  maskedLMLoss,
  multipleChoiceLoss,
  questionAnsweringLoss,
  resolveProblemType,
  sequenceClassificationLoss,
} from './losses.js';
import { RobertaForQuestionAnswering } from './models.js';

const cfg = configFromPreset('tiny');
const ce = (row: number[], label: number) => {
  const m = Math.max(...row);
  return Math.log(row.reduce((a, x) => a + Math.exp(x - m), 0)) + m - row[label]!;
};
const bce = (x: number, z: number) => Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x)));
const logits = [
  [1, -2, 0.5],
  [0.3, 0.2, -1],
];
const L = () => tf.tensor2d(logits);
const int = (xs: number[]) => tf.tensor1d(xs, 'int32');

beforeAll(async () => {
  await useTestBackend();
});

describe('head losses', () => {
  it('MLM and multiple choice are mean cross-entropy, ignoring -100', () => {
    expect(maskedLMLoss(L(), int([2, -100])).dataSync()[0]).toBeCloseTo(ce(logits[0]!, 2), 5);
    expect(multipleChoiceLoss(L(), int([0, 1])).dataSync()[0]).toBeCloseTo(
      (ce(logits[0]!, 0) + ce(logits[1]!, 1)) / 2,
      5,
    );
  });

  it('sequence classification follows HF problem types: regression, single-label, multi-label', () => {
    const reg = { ...cfg, numLabels: 1 };
    expect(resolveProblemType(reg, tf.tensor1d([0.5, 2]))).toBe('regression');
    const mse = sequenceClassificationLoss(reg, tf.tensor2d([[0.5], [1]]), tf.tensor1d([1, 3])).dataSync()[0];
    expect(mse).toBeCloseTo((0.25 + 4) / 2, 5);
    const three = { ...cfg, numLabels: 3 };
    expect(sequenceClassificationLoss(three, L(), int([1, 2])).dataSync()[0]).toBeCloseTo(
      (ce(logits[0]!, 1) + ce(logits[1]!, 2)) / 2,
      5,
    );
    const targets = [
      [1, 0, 1],
      [0, 0, 1],
    ];
    const multi = sequenceClassificationLoss(three, L(), tf.tensor2d(targets)).dataSync()[0];
    const want = logits.flatMap((r, i) => r.map((x, j) => bce(x, targets[i]![j]!))).reduce((a, b) => a + b) / 6;
    expect(multi).toBeCloseTo(want, 5);
  });

  it('QA averages start and end losses and adds the answerability BCE (SQuAD v2)', () => {
    const start = L();
    const end = tf.tensor2d([
      [0, 0, 3],
      [1, 2, 3],
    ]);
    const span = (ce(logits[0]!, 1) + ce([0, 0, 3], 2)) / 2; // the second example is unanswerable: no span loss
    const v1 = questionAnsweringLoss(
      { startLogits: start, endLogits: end },
      { startPositions: int([1, -100]), endPositions: int([2, -100]) },
    );
    expect(v1.dataSync()[0]).toBeCloseTo(span, 5);
    const v2 = questionAnsweringLoss(
      { startLogits: start, endLogits: end, answerableLogits: tf.tensor1d([2, -1]) },
      { startPositions: int([1, -100]), endPositions: int([2, -100]), answerable: tf.tensor1d([1, 0]) },
    );
    expect(v2.dataSync()[0]).toBeCloseTo(span + (bce(2, 1) + bce(-1, 0)) / 2, 5);
    expect(() =>
      questionAnsweringLoss(
        { startLogits: start, endLogits: end, answerableLogits: tf.tensor1d([2, -1]) },
        { startPositions: int([1, 1]), endPositions: int([2, 2]) },
      ),
    ).toThrow(/pass answerable/);
  });

  it('trains the SQuAD v2 head: the joint loss falls under SGD', () => {
    const m = new RobertaForQuestionAnswering(
      { ...cfg, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0 },
      { answerability: true },
    );
    const inputIds = tf.tensor2d(batchIds([8, 8], 8, cfg.vocabSize), undefined, 'int32');
    const labels = { startPositions: int([3, -100]), endPositions: int([5, -100]), answerable: tf.tensor1d([1, 0]) };
    const opt = tf.train.adam(3e-3);
    const loss = () => questionAnsweringLoss(m.forward({ inputIds }, { training: true, seed: 1 }), labels);
    const first = loss().dataSync()[0]!;
    for (let i = 0; i < 20; i++) opt.minimize(loss);
    expect(loss().dataSync()[0]).toBeLessThan(first / 4);
  });
});
