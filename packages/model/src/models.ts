// RoBERTa with each head: bare encoder, masked LM, sequence classification/regression, QA (+ answerability), multiple choice.
// B batch, C choices, T tokens, H hidden, V vocab, N selected (masked) positions, K labels.
import * as tf from '@robusta/tfjs';
import { configFromPreset, type PresetName, type RobertaConfig, validateConfig } from './config.js';
import {
  DropoutSites,
  type EncoderInputs,
  type ForwardOptions,
  RobertaEncoder,
  resolveForwardOptions,
} from './encoder.js';
import { type HeadKind, HF } from './names.js';
import { layerNorm, linear, linearGelu } from './ops.js';
import { type Linear, ParamStore } from './params.js';

export interface ModelOptions {
  /** Seed of the parameter initialisation (default 0): each parameter's values depend only on (seed, name). */
  seed?: number;
  /** Loaded parameter values by HF name; parameters not given are initialised. Used by loadPretrained. */
  weights?: Map<string, tf.Tensor>;
}

/** Shared plumbing: the parameter store, the encoder, disposal and a tidy wrapper around each forward. */
export abstract class RobertaPreTrained<I extends EncoderInputs, O extends tf.TensorContainer> {
  readonly config: RobertaConfig;
  readonly params: ParamStore;
  readonly encoder: RobertaEncoder;

  constructor(
    config: RobertaConfig | PresetName,
    readonly head: HeadKind,
    options: ModelOptions = {},
  ) {
    this.config = typeof config === 'string' ? configFromPreset(config) : validateConfig({ ...config });
    this.params = new ParamStore(this.config, head, options.seed ?? 0, options.weights);
    this.encoder = new RobertaEncoder(this.config, this.params);
  }

  /** Trainable variables by HF name. */
  get variables(): Map<string, tf.Variable> {
    return this.params.variables;
  }

  numParameters(): number {
    let n = 0;
    for (const v of this.params.variables.values()) n += v.size;
    return n;
  }

  /**
   * Runs the model; intermediate tensors are freed, the returned ones belong to the caller. `training` and `seed`
   * may be given in `inputs` (as in `forward({ inputIds, training: false })`) or in `options`.
   */
  forward(inputs: I, options: ForwardOptions = {}): O {
    const resolved = resolveForwardOptions(inputs, options);
    return tf.tidy(() => this.compute(inputs, resolved, new DropoutSites(resolved)));
  }

  protected abstract compute(inputs: I, options: ForwardOptions, drop: DropoutSites): O;

  dispose(): void {
    this.params.dispose();
  }
}

export type BaseOutput = {
  lastHiddenState: tf.Tensor3D;
  /** tanh(dense(first token)) [B, H], HF's pooler. */
  pooledOutput: tf.Tensor2D;
};
export type WithHidden<O> = O & { hiddenStates?: tf.Tensor3D[] };

export class RobertaModel extends RobertaPreTrained<EncoderInputs, WithHidden<BaseOutput>> {
  private readonly pooler: Linear;
  constructor(config: RobertaConfig | PresetName, options: ModelOptions = {}) {
    super(config, 'base', options);
    this.pooler = this.params.linear(HF.pooler);
  }
  protected compute(inputs: EncoderInputs, options: ForwardOptions, drop: DropoutSites) {
    const enc = this.encoder.forward(inputs, options, drop);
    const pooledOutput = pool(enc.lastHiddenState, this.pooler);
    return { ...enc, pooledOutput };
  }
}

/** First-token representation -> dense -> tanh: [B, T, H] -> [B, H]. */
function pool(h: tf.Tensor3D, dense: Linear): tf.Tensor2D {
  const first = tf.squeeze(tf.slice(h, [0, 0, 0], [-1, 1, -1]), [1]);
  return tf.tanh(linear(first, dense.weight, dense.bias)) as tf.Tensor2D;
}

export interface MaskedLMInputs extends EncoderInputs {
  /**
   * int32 [N] flat indices into the B*T positions; when given, logits are computed only there (fairseq's trick:
   * the V-wide projection dominates the cost otherwise).
   */
  maskedPositions?: tf.Tensor;
}
export type LogitsOutput = {
  logits: tf.Tensor;
};
export type MaskedLMOutput = LogitsOutput & {
  /** [B, 2] next-sentence logits (head `mlm-nsp` only); column 0 = "B follows A", as HF's BertForPreTraining. */
  nspLogits?: tf.Tensor2D;
};

export interface MaskedLMOptions extends ModelOptions {
  /** Add BERT's next-sentence head (pooler + `cls.seq_relationship`): head kind `mlm-nsp`. */
  nsp?: boolean;
}

export class RobertaForMaskedLM extends RobertaPreTrained<MaskedLMInputs, WithHidden<MaskedLMOutput>> {
  private readonly dense: Linear;
  private readonly norm: Linear;
  private readonly bias: tf.Variable;
  private readonly pooler: Linear | null;
  private readonly seqRelationship: Linear | null;
  constructor(config: RobertaConfig | PresetName, options: MaskedLMOptions = {}) {
    super(config, options.nsp ? 'mlm-nsp' : 'mlm', options);
    this.dense = this.params.linear(HF.lmHead.dense);
    this.norm = this.params.linear(HF.lmHead.layerNorm);
    this.bias = this.params.get(HF.lmHead.bias);
    this.pooler = options.nsp ? this.params.linear(HF.pooler) : null;
    this.seqRelationship = options.nsp ? this.params.linear(HF.nsp.seqRelationship) : null;
  }
  /** Whether the model has the next-sentence head. */
  get hasNsp(): boolean {
    return this.seqRelationship !== null;
  }
  /** logits [B, T, V], or [N, V] at `maskedPositions`; with the NSP head also nspLogits [B, 2]. */
  protected compute(inputs: MaskedLMInputs, options: ForwardOptions, drop: DropoutSites) {
    const enc = this.encoder.forward(inputs, options, drop);
    const [B, T, H] = enc.lastHiddenState.shape;
    let h: tf.Tensor = enc.lastHiddenState;
    if (inputs.maskedPositions) h = tf.gather(tf.reshape(h, [B * T, H]), tf.cast(inputs.maskedPositions, 'int32'));
    h = linearGelu(h, this.dense.weight, this.dense.bias);
    h = layerNorm(h, this.norm.weight, this.norm.bias, this.config.layerNormEps);
    // the decoder is the word-embedding matrix itself [V, H], so its gradient sums both uses
    const logits = linear(h, this.encoder.wordEmbeddings, this.bias);
    if (!this.pooler || !this.seqRelationship) return { ...enc, logits };
    // BertPreTrainingHeads: no dropout between the pooler and the classifier
    const pooled = pool(enc.lastHiddenState, this.pooler);
    const nspLogits = linear(pooled, this.seqRelationship.weight, this.seqRelationship.bias) as tf.Tensor2D;
    return { ...enc, logits, nspLogits };
  }
}

export class RobertaForSequenceClassification extends RobertaPreTrained<EncoderInputs, WithHidden<LogitsOutput>> {
  private readonly dense: Linear;
  private readonly outProj: Linear;
  constructor(config: RobertaConfig | PresetName, options: ModelOptions = {}) {
    super(config, 'classification', options);
    this.dense = this.params.linear(HF.classifier.dense);
    this.outProj = this.params.linear(HF.classifier.outProj);
  }
  /** logits [B, K]; with numLabels 1 (STS-B) the single column is the regression output. */
  protected compute(inputs: EncoderInputs, options: ForwardOptions, drop: DropoutSites) {
    const enc = this.encoder.forward(inputs, options, drop);
    const logits = classifierHead(enc.lastHiddenState, this.dense, this.outProj, this.config, drop, 'classifier');
    return { ...enc, logits };
  }
}

/** first token -> dropout -> dense -> tanh -> dropout -> out_proj, as HF's RobertaClassificationHead. */
function classifierHead(
  h: tf.Tensor3D,
  dense: Linear,
  outProj: Linear,
  c: RobertaConfig,
  drop: DropoutSites,
  site: string,
): tf.Tensor2D {
  const rate = c.classifierDropout ?? c.hiddenDropoutProb;
  let x: tf.Tensor = tf.squeeze(tf.slice(h, [0, 0, 0], [-1, 1, -1]), [1]);
  x = drop.apply(x, rate, `${site}.in`);
  x = tf.tanh(linear(x, dense.weight, dense.bias));
  x = drop.apply(x, rate, `${site}.hidden`);
  return linear(x, outProj.weight, outProj.bias) as tf.Tensor2D;
}

export type QAOutput = {
  /** [B, T] */
  startLogits: tf.Tensor2D;
  /** [B, T] */
  endLogits: tf.Tensor2D;
};
export type QAOutputV2 = QAOutput & {
  /** [B] logit of "the question is answerable" (SQuAD v2 head only), trained jointly with the span loss. */
  answerableLogits?: tf.Tensor1D;
};

export interface QAOptions extends ModelOptions {
  /** Add the SQuAD v2 answerability classifier (`qa_classifier.*`, not part of HF's class). */
  answerability?: boolean;
}

/**
 * HF's RobertaForQuestionAnswering sizes `qa_outputs` by `num_labels` and splits it into start and end: a span head
 * has exactly two labels, whatever a shared config says, so its saved config.json loads in transformers.
 */
function spanConfig(config: RobertaConfig | PresetName): RobertaConfig {
  const c = typeof config === 'string' ? configFromPreset(config) : config;
  return c.numLabels === 2 && c.id2label === null ? c : { ...c, numLabels: 2, id2label: null, problemType: null };
}

export class RobertaForQuestionAnswering extends RobertaPreTrained<EncoderInputs, WithHidden<QAOutputV2>> {
  private readonly spans: Linear;
  private readonly answerDense: Linear | null;
  private readonly answerOut: Linear | null;
  constructor(config: RobertaConfig | PresetName, options: QAOptions = {}) {
    super(spanConfig(config), options.answerability ? 'qa-v2' : 'qa', options);
    this.spans = this.params.linear(HF.qa.outputs);
    this.answerDense = options.answerability ? this.params.linear(HF.qa.answerDense) : null;
    this.answerOut = options.answerability ? this.params.linear(HF.qa.answerOutProj) : null;
  }
  protected compute(inputs: EncoderInputs, options: ForwardOptions, drop: DropoutSites) {
    const enc = this.encoder.forward(inputs, options, drop);
    const [B, T] = enc.lastHiddenState.shape;
    const both = linear(enc.lastHiddenState, this.spans.weight, this.spans.bias); // [B, T, 2]
    const startLogits = tf.reshape(tf.slice(both, [0, 0, 0], [-1, -1, 1]), [B, T]) as tf.Tensor2D;
    const endLogits = tf.reshape(tf.slice(both, [0, 0, 1], [-1, -1, 1]), [B, T]) as tf.Tensor2D;
    const out: WithHidden<QAOutputV2> = { ...enc, startLogits, endLogits };
    if (this.answerDense && this.answerOut) {
      const a = classifierHead(enc.lastHiddenState, this.answerDense, this.answerOut, this.config, drop, 'answerable');
      out.answerableLogits = tf.reshape(a, [B]) as tf.Tensor1D;
    }
    return out;
  }
}

/** Inputs of [B, C, T]: every (context, question + option) sequence of each example. */
export class RobertaForMultipleChoice extends RobertaPreTrained<EncoderInputs, WithHidden<LogitsOutput>> {
  private readonly pooler: Linear;
  private readonly classifier: Linear;
  constructor(config: RobertaConfig | PresetName, options: ModelOptions = {}) {
    super(config, 'multiple-choice', options);
    this.pooler = this.params.linear(HF.pooler);
    this.classifier = this.params.linear(HF.choice.classifier);
  }
  /** logits [B, C]: one score per choice; softmax over C gives the choice distribution. */
  protected compute(inputs: EncoderInputs, options: ForwardOptions, drop: DropoutSites) {
    const ids = inputs.inputIds;
    if (ids.rank !== 3) throw new Error(`multiple choice inputIds must be [B, C, T], got shape [${ids.shape}]`);
    const [B, C, T] = ids.shape as [number, number, number];
    const flat = (t?: tf.Tensor) => (t ? tf.reshape(t, [B * C, T]) : undefined);
    const enc = this.encoder.forward(
      { inputIds: flat(ids)!, attentionMask: flat(inputs.attentionMask), tokenTypeIds: flat(inputs.tokenTypeIds) },
      options,
      drop,
    );
    let pooled: tf.Tensor = pool(enc.lastHiddenState, this.pooler);
    pooled = drop.apply(pooled, this.config.hiddenDropoutProb, 'choice');
    const logits = tf.reshape(linear(pooled, this.classifier.weight, this.classifier.bias), [B, C]);
    return { ...enc, logits };
  }
}

export type AnyRoberta =
  | RobertaModel
  | RobertaForMaskedLM
  | RobertaForSequenceClassification
  | RobertaForQuestionAnswering
  | RobertaForMultipleChoice;

/** The class for each head kind. */
export interface ModelFor {
  base: RobertaModel;
  mlm: RobertaForMaskedLM;
  'mlm-nsp': RobertaForMaskedLM;
  classification: RobertaForSequenceClassification;
  qa: RobertaForQuestionAnswering;
  'qa-v2': RobertaForQuestionAnswering;
  'multiple-choice': RobertaForMultipleChoice;
}

/** Builds the model class for a head kind. */
export function createModel<H extends HeadKind>(
  config: RobertaConfig | PresetName,
  head: H,
  options: ModelOptions = {},
): ModelFor[H] {
  return build(config, head, options) as ModelFor[H];
}

function build(config: RobertaConfig | PresetName, head: HeadKind, options: ModelOptions): AnyRoberta {
  switch (head) {
    case 'base':
      return new RobertaModel(config, options);
    case 'mlm':
    case 'mlm-nsp':
      return new RobertaForMaskedLM(config, { ...options, nsp: head === 'mlm-nsp' });
    case 'classification':
      return new RobertaForSequenceClassification(config, options);
    case 'qa':
    case 'qa-v2':
      return new RobertaForQuestionAnswering(config, { ...options, answerability: head === 'qa-v2' });
    case 'multiple-choice':
      return new RobertaForMultipleChoice(config, options);
  }
}
