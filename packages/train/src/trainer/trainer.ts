// One optimizer update of MLM pretraining (accumulate micro-batches -> all-reduce -> average -> clip -> AdamW) and
// held-out evaluation; batches with NSP labels add the next-sentence loss (BERT's sum, the paper's *+NSP formats).
// B batch, T tokens, N masked positions, V vocab.
import { ConfigError } from '@robusta/cli-kit';
import { maskedLMLoss, nextSentenceLoss, type RobertaForMaskedLM } from '@robusta/model';
import * as tf from '@robusta/tfjs';
import type { MlmBatch } from '../data/batches.js';
import { realTokens } from './batch.js';
import {
  type Collective,
  clipFactor,
  GradientAccumulator,
  globalNorm,
  scaleGradients,
  singleProcess,
} from './gradients.js';
import { AdamW, type AdamWConfig, ROBERTA_ADAMW } from './optimizer.js';
import { learningRate } from './schedule.js';
import { mixSeed } from './seeds.js';

export interface OptimConfig {
  peakLr: number;
  warmupUpdates: number;
  maxUpdates: number;
  /** Micro-batches whose gradients are summed per update (fairseq's --update-freq). */
  updateFreq: number;
  /** Clip the global gradient norm to this; 0 turns clipping off (the paper's default). */
  clipNorm: number;
  adam: AdamWConfig;
}

export const DEFAULT_OPTIM: Readonly<Omit<OptimConfig, 'peakLr' | 'warmupUpdates' | 'maxUpdates'>> = {
  updateFreq: 1,
  clipNorm: 0,
  adam: ROBERTA_ADAMW,
};

export interface UpdateStats {
  /** 1-based number of the update just applied. */
  update: number;
  /** Mean of the micro-batches' MLM losses (nats per masked token). */
  loss: number;
  /** Mean of the micro-batches' NSP losses (nats per pair), when the batches carry nspLabels; trained on loss + nspLoss. */
  nspLoss?: number;
  lr: number;
  /** Global norm of the averaged gradient before clipping. */
  gradNorm: number;
  /** Non-padding tokens fed in this update. */
  tokens: number;
  maskedTokens: number;
  seconds: number;
}

export interface EvalStats {
  /** Mean loss per masked token over the whole held-out set. */
  loss: number;
  perplexity: number;
  maskedTokens: number;
  batches: number;
  /** NSP loss per pair and accuracy, when the batches carry nspLabels. */
  nspLoss?: number;
  nspAccuracy?: number;
}

function inputsOf(b: MlmBatch) {
  return {
    inputIds: tf.tensor2d(b.inputIds, [b.batchSize, b.seqLength], 'int32'),
    attentionMask: tf.tensor2d(b.attentionMask, [b.batchSize, b.seqLength], 'int32'),
    maskedPositions: tf.tensor1d(b.maskedPositions, 'int32'),
  };
}

export class Trainer {
  readonly optimizer: AdamW;
  /** Updates applied so far. */
  update = 0;
  private readonly byVariable = new Map<string, string>();

  constructor(
    readonly model: RobertaForMaskedLM,
    readonly config: OptimConfig,
    readonly seed: number,
    readonly collective: Collective = singleProcess,
  ) {
    if (!(config.updateFreq >= 1))
      throw new ConfigError(undefined, `updateFreq must be >= 1, got ${config.updateFreq}`);
    this.optimizer = new AdamW(model.variables, config.adam);
    // tf.variableGrads keys gradients by tfjs variable name; the rest of the path speaks HF names
    for (const [name, v] of model.variables) this.byVariable.set(v.name, name);
  }

  private checkNsp(b: MlmBatch): boolean {
    if (!b.nspLabels) return false;
    if (!this.model.hasNsp)
      throw new Error(
        "batch has nspLabels but the model has no NSP head (build it with { nsp: true } / head 'mlm-nsp')",
      );
    if (b.nspLabels.length !== b.batchSize)
      throw new Error(`nspLabels has ${b.nspLabels.length} entries, expected batchSize ${b.batchSize}`);
    return true;
  }

  /**
   * Forward + backward of one micro-batch (loss: MLM, plus NSP when the batch has labels); returns the MLM and NSP
   * parts (null when absent) and the gradients by HF name.
   */
  private microStep(
    b: MlmBatch,
    seed: number,
  ): { mlm: tf.Scalar | null; nsp: tf.Scalar | null; grads: Map<string, tf.Tensor> } {
    const vars = [...this.model.variables.values()];
    const withNsp = this.checkNsp(b);
    let nsp: tf.Scalar | null = null;
    let mlmPart: tf.Scalar | null = null;
    const { value, grads } = tf.tidy(() => {
      const inputs = inputsOf(b);
      const labels = tf.tensor1d(b.maskedLabels, 'int32');
      return tf.variableGrads(() => {
        const out = this.model.forward(inputs, { training: true, seed });
        const mlm = b.maskedPositions.length > 0 ? maskedLMLoss(out.logits, labels) : null;
        if (!withNsp) return mlm!;
        const n = nextSentenceLoss(out.nspLogits!, tf.tensor1d(b.nspLabels!, 'int32'));
        // the parts outlive the tidy scopes for logging; the caller disposes them
        nsp = tf.keep(tf.clone(n));
        if (mlm) mlmPart = tf.keep(tf.clone(mlm));
        return mlm ? tf.add(mlm, n) : n;
      }, vars);
    });
    const named = new Map<string, tf.Tensor>();
    for (const [vname, g] of Object.entries(grads)) named.set(this.byVariable.get(vname)!, g);
    if (!withNsp) return { mlm: value, nsp: null, grads: named };
    value.dispose();
    return { mlm: mlmPart, nsp, grads: named };
  }

  /** Pulls `updateFreq` micro-batches from `next` and applies one update. */
  async updateOnce(next: () => MlmBatch): Promise<UpdateStats> {
    const t0 = performance.now();
    const update = this.update + 1;
    const acc = new GradientAccumulator();
    const losses: tf.Scalar[] = [];
    const nspLosses: tf.Scalar[] = [];
    let tokens = 0;
    let maskedTokens = 0;
    try {
      for (let micro = 0; micro < this.config.updateFreq; micro++) {
        const b = next();
        tokens += realTokens(b);
        maskedTokens += b.maskedPositions.length;
        // nothing to predict: contributes zero gradient
        if (b.maskedPositions.length === 0 && !this.checkNsp(b)) continue;
        const { mlm, nsp, grads } = this.microStep(b, mixSeed(this.seed, update, micro));
        if (mlm) losses.push(mlm);
        if (nsp) nspLosses.push(nsp);
        acc.add(grads);
      }
      let grads = acc.take();
      grads = await this.collective.allReduceSum(grads);
      // the average over every micro-batch of every replica: the gradient of the mean loss of the big batch
      scaleGradients(grads, 1 / (this.config.updateFreq * this.collective.worldSize));
      const gradNorm = await globalNorm(grads);
      scaleGradients(grads, clipFactor(gradNorm, this.config.clipNorm));
      const lr = learningRate(update, this.config);
      this.optimizer.step(grads, lr, update);
      tf.dispose([...grads.values()]);
      let lossSum = 0;
      for (const l of losses) lossSum += (await l.data())[0]!;
      this.update = update;
      const loss = losses.length > 0 ? lossSum / losses.length : Number.NaN;
      const stats: UpdateStats = {
        update,
        loss,
        lr,
        gradNorm,
        tokens,
        maskedTokens,
        seconds: (performance.now() - t0) / 1000,
      };
      if (nspLosses.length > 0) {
        let nspSum = 0;
        for (const l of nspLosses) nspSum += (await l.data())[0]!;
        stats.nspLoss = nspSum / nspLosses.length;
      }
      return stats;
    } finally {
      acc.dispose();
      tf.dispose(losses);
      tf.dispose(nspLosses);
    }
  }

  /** Held-out MLM loss weighted by masked tokens, and its perplexity; no dropout. */
  async evaluate(batches: Iterable<MlmBatch>): Promise<EvalStats> {
    let sum = 0;
    let masked = 0;
    let count = 0;
    let nspSum = 0;
    let nspRight = 0;
    let pairs = 0;
    for (const b of batches) {
      count++;
      const n = b.maskedPositions.length;
      const withNsp = this.checkNsp(b);
      if (n === 0 && !withNsp) continue;
      const [mlm, nsp, right] = tf.tidy(() => {
        const out = this.model.forward(inputsOf(b));
        const mlm = n > 0 ? maskedLMLoss(out.logits, tf.tensor1d(b.maskedLabels, 'int32')) : tf.scalar(0);
        if (!withNsp) return [mlm, tf.scalar(0), tf.scalar(0)];
        const labels = tf.tensor1d(b.nspLabels!, 'int32');
        // column 0 is "is next"
        const predicted = tf.sub(tf.scalar(1, 'int32'), tf.argMax(out.nspLogits!, 1));
        const right = tf.sum(tf.cast(tf.equal(predicted, labels), 'float32'));
        return [mlm, nextSentenceLoss(out.nspLogits!, labels), right];
      });
      sum += (await mlm.data())[0]! * n;
      if (withNsp) {
        nspSum += (await nsp.data())[0]! * b.batchSize;
        nspRight += (await right.data())[0]!;
        pairs += b.batchSize;
      }
      tf.dispose([mlm, nsp, right]);
      masked += n;
    }
    const loss = masked > 0 ? sum / masked : Number.NaN;
    const stats: EvalStats = { loss, perplexity: Math.exp(loss), maskedTokens: masked, batches: count };
    if (pairs > 0) {
      stats.nspLoss = nspSum / pairs;
      stats.nspAccuracy = nspRight / pairs;
    }
    return stats;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
