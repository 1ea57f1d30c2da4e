// The RoBERTa encoder: padding-aware embeddings and post-LayerNorm transformer blocks (HF RobertaModel semantics).
// B batch, T tokens, H hidden, A heads, D head size (H = A*D), F FFN size, V vocab.
import * as tf from '@robusta/tfjs';
import { headSize, type RobertaConfig } from './config.js';
import { HF } from './names.js';
import { attention, dropout, layerNorm, linear, linearGelu, MASK_VALUE } from './ops.js';
import type { Linear, ParamStore } from './params.js';
import { hashSeed } from './rng.js';

/** Run flags accepted both in the inputs object (`forward({ inputIds, training: false })`) and in options. */
export interface RunFlags {
  /** Enables dropout. */
  training?: boolean;
  /** Seed of every dropout mask in this call (each site derives its own); random when training without one. */
  seed?: number;
}

export interface EncoderInputs extends RunFlags {
  /** int32 [B, T] */
  inputIds: tf.Tensor;
  /** [B, T], 1 for tokens to attend to, 0 for padding. When absent it is derived as inputIds != padTokenId. */
  attentionMask?: tf.Tensor;
  /** int32 [B, T]; zeros when absent (RoBERTa has a single token type). */
  tokenTypeIds?: tf.Tensor;
}

export interface ForwardOptions extends RunFlags {
  /** Also return the embedding output and every layer's output (L + 1 tensors of [B, T, H]). */
  outputHiddenStates?: boolean;
}

/**
 * The options of one call: `training` and `seed` may sit in the inputs or the options; giving one in both with
 * different values is an error rather than a silent precedence rule.
 */
export function resolveForwardOptions(inputs: RunFlags, options: ForwardOptions): ForwardOptions {
  const out: ForwardOptions = { ...options };
  for (const key of ['training', 'seed'] as const) {
    const a = inputs[key];
    const b = options[key];
    if (a !== undefined && b !== undefined && a !== b)
      throw new Error(`forward: ${key} is ${a} in the inputs but ${b} in the options; give it once`);
    if (a !== undefined) (out as Record<string, unknown>)[key] = a;
  }
  return out;
}

/** Per-call dropout: null seeds mean "off", otherwise each named site gets a stream derived from the call seed. */
export class DropoutSites {
  private readonly seed: number | null;
  constructor(options: ForwardOptions) {
    this.seed = options.training ? (options.seed ?? Math.floor(Math.random() * 2 ** 31)) : null;
  }
  seedFor(site: string): number | null {
    return this.seed === null ? null : hashSeed(this.seed, site);
  }
  apply(x: tf.Tensor, rate: number, site: string): tf.Tensor {
    return dropout(x, rate, this.seedFor(site));
  }
}

/** Position ids as HF's create_position_ids_from_input_ids: pads get padTokenId, real tokens padTokenId+1, +2, ... */
export function positionIds(inputIds: tf.Tensor, padTokenId: number): tf.Tensor {
  const T = inputIds.shape[1]!;
  // the running count is notPad [B, T] times an upper-triangular ones matrix: BatchMatMul exists on every backend
  // (Cumsum does not), and integer sums below 2^24 are exact in float32
  const upper = new Float32Array(T * T);
  for (let i = 0; i < T; i++) upper.fill(1, i * T + i, (i + 1) * T);
  return tf.tidy(() => {
    const notPad = tf.cast(tf.notEqual(inputIds, padTokenId), 'float32');
    const count = tf.matMul(notPad, tf.tensor2d(upper, [T, T]));
    return tf.cast(tf.add(tf.mul(count, notPad), padTokenId), 'int32');
  });
}

/** The attention mask to use: the given one, or (our addition; HF uses all ones) non-pad tokens. [B, T] float32. */
export function resolveAttentionMask(inputs: EncoderInputs, padTokenId: number): tf.Tensor {
  return tf.tidy(() =>
    inputs.attentionMask
      ? tf.cast(inputs.attentionMask, 'float32')
      : tf.cast(tf.notEqual(inputs.inputIds, padTokenId), 'float32'),
  );
}

interface Layer {
  query: Linear;
  key: Linear;
  value: Linear;
  attentionOutput: Linear;
  attentionNorm: Linear;
  intermediate: Linear;
  output: Linear;
  outputNorm: Linear;
}

export class RobertaEncoder {
  readonly wordEmbeddings: tf.Variable;
  private readonly positionEmbeddings: tf.Variable;
  private readonly tokenTypeEmbeddings: tf.Variable;
  private readonly embeddingsNorm: Linear;
  private readonly layers: Layer[] = [];

  constructor(
    readonly config: RobertaConfig,
    store: ParamStore,
  ) {
    this.wordEmbeddings = store.get(HF.embeddings.word);
    this.positionEmbeddings = store.get(HF.embeddings.position);
    this.tokenTypeEmbeddings = store.get(HF.embeddings.tokenType);
    this.embeddingsNorm = store.linear(HF.embeddings.layerNorm);
    for (let i = 0; i < config.numHiddenLayers; i++) {
      const n = HF.layer(i);
      this.layers.push({
        query: store.linear(n.query),
        key: store.linear(n.key),
        value: store.linear(n.value),
        attentionOutput: store.linear(n.attentionOutput),
        attentionNorm: store.linear(n.attentionNorm),
        intermediate: store.linear(n.intermediate),
        output: store.linear(n.output),
        outputNorm: store.linear(n.outputNorm),
      });
    }
  }

  /** Checks ids against the table sizes here, because gather on some backends clamps or zero-fills silently. */
  private checkInputs(inputs: EncoderInputs): void {
    const c = this.config;
    const ids = inputs.inputIds;
    if (ids.rank !== 2) throw new Error(`inputIds must be [B, T], got shape [${ids.shape}]`);
    const T = ids.shape[1]!;
    if (T + c.padTokenId + 1 > c.maxPositionEmbeddings)
      throw new Error(
        `inputIds has ${T} tokens; maxPositionEmbeddings ${c.maxPositionEmbeddings} allows at most ${c.maxPositionEmbeddings - c.padTokenId - 1}`,
      );
    for (const [k, t] of [
      ['attentionMask', inputs.attentionMask],
      ['tokenTypeIds', inputs.tokenTypeIds],
    ] as const)
      if (t && !tf.util.arraysEqual(t.shape, ids.shape))
        throw new Error(`${k} shape [${t.shape}] differs from inputIds shape [${ids.shape}]`);
  }

  /** Returns the last hidden state [B, T, H] and, when asked, all L + 1 hidden states. */
  forward(
    inputs: EncoderInputs,
    options: ForwardOptions,
    drop: DropoutSites,
  ): { lastHiddenState: tf.Tensor3D; hiddenStates?: tf.Tensor3D[] } {
    this.checkInputs(inputs);
    const c = this.config;
    const [B, T] = inputs.inputIds.shape as [number, number];
    const A = c.numAttentionHeads;
    const D = headSize(c);
    const ids = tf.cast(inputs.inputIds, 'int32');
    const types = inputs.tokenTypeIds ? tf.cast(inputs.tokenTypeIds, 'int32') : tf.zerosLike(ids);
    const pos = positionIds(ids, c.padTokenId);
    let x = tf.add(
      tf.add(tf.gather(this.wordEmbeddings, ids), tf.gather(this.positionEmbeddings, pos)),
      tf.gather(this.tokenTypeEmbeddings, types),
    );
    x = layerNorm(x, this.embeddingsNorm.weight, this.embeddingsNorm.bias, c.layerNormEps);
    x = drop.apply(x, c.hiddenDropoutProb, 'embeddings');
    // additive over keys: [B, 1, 1, T], 0 where attended, MASK_VALUE where masked
    const keep = resolveAttentionMask(inputs, c.padTokenId);
    const keyMask = tf.reshape(tf.mul(tf.sub(1, keep), MASK_VALUE), [B, 1, 1, T]);
    const hidden: tf.Tensor3D[] = [x as tf.Tensor3D];
    const heads = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [B, T, A, D]), [0, 2, 1, 3]) as tf.Tensor4D;
    this.layers.forEach((l, i) => {
      const q = heads(linear(x, l.query.weight, l.query.bias));
      const k = heads(linear(x, l.key.weight, l.key.bias));
      const v = heads(linear(x, l.value.weight, l.value.bias));
      const ctx = attention(q, k, v, keyMask, c.attentionProbsDropoutProb, drop.seedFor(`layer.${i}.probs`));
      const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [B, T, c.hiddenSize]);
      let a = linear(merged, l.attentionOutput.weight, l.attentionOutput.bias);
      a = drop.apply(a, c.hiddenDropoutProb, `layer.${i}.attention`);
      x = layerNorm(tf.add(a, x), l.attentionNorm.weight, l.attentionNorm.bias, c.layerNormEps);
      let f = linear(linearGelu(x, l.intermediate.weight, l.intermediate.bias), l.output.weight, l.output.bias);
      f = drop.apply(f, c.hiddenDropoutProb, `layer.${i}.ffn`);
      x = layerNorm(tf.add(f, x), l.outputNorm.weight, l.outputNorm.bias, c.layerNormEps);
      hidden.push(x as tf.Tensor3D);
    });
    return options.outputHiddenStates
      ? { lastHiddenState: x as tf.Tensor3D, hiddenStates: hidden }
      : { lastHiddenState: x as tf.Tensor3D };
  }
}
