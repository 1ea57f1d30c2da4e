// One optimizer update of MLM pretraining (accumulate micro-batches -> all-reduce -> average -> clip -> AdamW) and
// held-out evaluation. B batch, T tokens, N masked positions, V vocab.
import { maskedLMLoss, type RobertaForMaskedLM } from '@robusta/model';
import * as tf from '@robusta/tfjs';
import type { TrainBatch } from './batch.js';
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
}

function inputsOf(b: TrainBatch) {
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
    if (!(config.updateFreq >= 1)) throw new Error(`updateFreq must be >= 1, got ${config.updateFreq}`);
    this.optimizer = new AdamW(model.variables, config.adam);
    // tf.variableGrads keys gradients by tfjs variable name; the rest of the path speaks HF names
    for (const [name, v] of model.variables) this.byVariable.set(v.name, name);
  }

  /** Forward + backward of one micro-batch; returns its loss tensor and gradients by HF name. */
  private microStep(b: TrainBatch, seed: number): { loss: tf.Scalar; grads: Map<string, tf.Tensor> } {
    const vars = [...this.model.variables.values()];
    const { value, grads } = tf.tidy(() => {
      const inputs = inputsOf(b);
      const labels = tf.tensor1d(b.maskedLabels, 'int32');
      return tf.variableGrads(
        () => maskedLMLoss(this.model.forward(inputs, { training: true, seed }).logits, labels),
        vars,
      );
    });
    const named = new Map<string, tf.Tensor>();
    for (const [vname, g] of Object.entries(grads)) named.set(this.byVariable.get(vname)!, g);
    return { loss: value, grads: named };
  }

  /** Pulls `updateFreq` micro-batches from `next` and applies one update. */
  async updateOnce(next: () => TrainBatch): Promise<UpdateStats> {
    const t0 = performance.now();
    const update = this.update + 1;
    const acc = new GradientAccumulator();
    const losses: tf.Scalar[] = [];
    let tokens = 0;
    let maskedTokens = 0;
    try {
      for (let micro = 0; micro < this.config.updateFreq; micro++) {
        const b = next();
        tokens += realTokens(b);
        maskedTokens += b.maskedPositions.length;
        if (b.maskedPositions.length === 0) continue; // nothing to predict: contributes zero gradient
        const { loss, grads } = this.microStep(b, mixSeed(this.seed, update, micro));
        losses.push(loss);
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
      return { update, loss, lr, gradNorm, tokens, maskedTokens, seconds: (performance.now() - t0) / 1000 };
    } finally {
      acc.dispose();
      tf.dispose(losses);
    }
  }

  /** Held-out MLM loss weighted by masked tokens, and its perplexity; no dropout. */
  async evaluate(batches: Iterable<TrainBatch>): Promise<EvalStats> {
    let sum = 0;
    let masked = 0;
    let count = 0;
    for (const b of batches) {
      count++;
      const n = b.maskedPositions.length;
      if (n === 0) continue;
      const loss = tf.tidy(() => {
        const logits = this.model.forward(inputsOf(b)).logits;
        return maskedLMLoss(logits, tf.tensor1d(b.maskedLabels, 'int32'));
      });
      sum += (await loss.data())[0]! * n;
      loss.dispose();
      masked += n;
    }
    const loss = masked > 0 ? sum / masked : Number.NaN;
    return { loss, perplexity: Math.exp(loss), maskedTokens: masked, batches: count };
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
