// Training losses of each head, with HF's conventions (problem types, ignore index -100) and the paper's SQuAD v2 sum.
// B batch, C choices, T tokens, V vocab, N masked positions, K labels.
import * as tf from '@robusta/tfjs';
import type { ProblemType, RobertaConfig } from './config.js';
import { sigmoidCrossEntropy, softmaxCrossEntropy } from './ops.js';

/** MLM: logits [N, V] at the masked positions (or [B, T, V]) against labels [N] (or [B, T]); -100 is ignored. */
export function maskedLMLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const V = logits.shape[logits.rank - 1]!;
  return tf.tidy(() => softmaxCrossEntropy(tf.reshape(logits, [-1, V]), tf.reshape(labels, [-1])));
}

/**
 * Next-sentence prediction: cross-entropy of nspLogits [B, 2] against isNext [B] (1 = B follows A, 0 = random; -100
 * ignored). Column 0 of the logits is "is next", as in HF's BertForPreTraining, so the class is 1 - isNext.
 */
export function nextSentenceLoss(logits: tf.Tensor, isNext: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.cast(isNext, 'int32');
    const target = tf.where(tf.equal(y, -100), y, tf.sub(tf.scalar(1, 'int32'), y));
    return softmaxCrossEntropy(tf.reshape(logits, [-1, 2]), tf.reshape(target, [-1]));
  });
}

/** HF's rule when problem_type is unset: one label is regression, integer labels single-label, else multi-label. */
export function resolveProblemType(config: RobertaConfig, labels: tf.Tensor): ProblemType {
  if (config.problemType) return config.problemType;
  if (config.numLabels === 1) return 'regression';
  return labels.dtype === 'int32' ? 'single_label_classification' : 'multi_label_classification';
}

/**
 * Sequence classification / regression: logits [B, K]. Regression (STS-B, K = 1) is MSE against labels [B] (or
 * [B, K]); single-label is cross-entropy against int32 labels [B]; multi-label is sigmoid BCE against 0/1 [B, K].
 */
export function sequenceClassificationLoss(config: RobertaConfig, logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const kind = resolveProblemType(config, labels);
    if (kind === 'regression')
      return tf.mean(
        tf.squaredDifference(tf.reshape(logits, [-1]), tf.reshape(tf.cast(labels, 'float32'), [-1])),
      ) as tf.Scalar;
    if (kind === 'single_label_classification') return softmaxCrossEntropy(logits, tf.reshape(labels, [-1]));
    return sigmoidCrossEntropy(logits, labels);
  });
}

export interface QALabels {
  /** int32 [B] token index of the answer start; -100 where there is no span to learn (unanswerable, SQuAD v2). */
  startPositions: tf.Tensor;
  endPositions: tf.Tensor;
  /** [B] 1 answerable / 0 not; trains the answerability classifier when the model has one. */
  answerable?: tf.Tensor;
}

/**
 * Extractive QA: the mean of the start and end cross-entropies over the T positions, as HF computes it, plus (SQuAD
 * v2 head) the answerability BCE; the two terms are summed, as the RoBERTa paper trains them jointly.
 */
export function questionAnsweringLoss(
  outputs: { startLogits: tf.Tensor; endLogits: tf.Tensor; answerableLogits?: tf.Tensor },
  labels: QALabels,
): tf.Scalar {
  return tf.tidy(() => {
    const span = tf.div(
      tf.add(
        softmaxCrossEntropy(outputs.startLogits, labels.startPositions),
        softmaxCrossEntropy(outputs.endLogits, labels.endPositions),
      ),
      2,
    ) as tf.Scalar;
    if (!outputs.answerableLogits) return span;
    if (!labels.answerable)
      throw new Error('questionAnsweringLoss: the model has an answerability head; pass answerable [B]');
    return tf.add(span, sigmoidCrossEntropy(outputs.answerableLogits, labels.answerable)) as tf.Scalar;
  });
}

/** Multiple choice: cross-entropy of the C choice scores [B, C] against the correct choice index [B]. */
export function multipleChoiceLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => softmaxCrossEntropy(logits, labels));
}
