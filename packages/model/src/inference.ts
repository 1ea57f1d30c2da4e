// Inference helpers on top of a model and a tokenizer: HF's fill-mask pipeline and pooled sentence embeddings.
// B batch, T tokens, H hidden, V vocab, N masks in the text, K candidates per mask.
import * as tf from '@robusta/tfjs';
import type { Tokenizer } from '@robusta/tokenizer';
import type { RobertaConfig } from './config.js';
import { DropoutSites, type RobertaEncoder } from './encoder.js';
import type { RobertaForMaskedLM } from './models.js';

/** What the helpers use of a tokenizer; `@robusta/tokenizer`'s Tokenizer has all of it. */
export type InferenceTokenizer = Pick<Tokenizer, 'encodeForModel' | 'decode' | 'roles' | 'vocabSize'>;

/** Longest input the position table allows: real tokens are numbered from padTokenId + 1. */
function maxTokens(c: RobertaConfig): number {
  return c.maxPositionEmbeddings - c.padTokenId - 1;
}

/**
 * A tokenizer whose ids do not index the model's tables would give garbage quietly (and a pad id that differs from
 * the config's would also shift the position ids of every token that happens to carry the config's pad id).
 */
function checkTokenizer(c: RobertaConfig, tokenizer: InferenceTokenizer, source: string): void {
  if (tokenizer.vocabSize > c.vocabSize)
    throw new Error(
      `${source}: the tokenizer has ${tokenizer.vocabSize} ids but the model's vocabSize is ${c.vocabSize}`,
    );
  const pad = tokenizer.roles.pad?.id;
  if (pad !== c.padTokenId)
    throw new Error(
      `${source}: the tokenizer's <pad> id is ${pad ?? 'missing'} but the model's padTokenId is ${c.padTokenId}`,
    );
}

export interface FillMaskOptions {
  /** Candidates per mask, most probable first (default 5, as HF's pipeline). */
  topK?: number;
}

export interface FillMaskPrediction {
  /** Softmax probability of the token at this mask (over the whole vocabulary). */
  score: number;
  token: number;
  /** The token decoded on its own (byte-level BPE: a leading space is part of it). */
  tokenStr: string;
  /** The text with this mask filled by the token; other masks stay `<mask>`, `<s>`/`</s>` are left out. */
  sequence: string;
}

/**
 * HF's fill-mask pipeline: for each `<mask>` in `text`, the `topK` most probable tokens with their probabilities and
 * the filled text. Returns one list per mask, in text order (HF returns a bare list when there is a single mask; we
 * always nest, so the shape does not depend on the input). The model runs in eval mode.
 */
export async function fillMask(
  model: RobertaForMaskedLM,
  tokenizer: InferenceTokenizer,
  text: string,
  options: FillMaskOptions = {},
): Promise<FillMaskPrediction[][]> {
  const c = model.config;
  checkTokenizer(c, tokenizer, 'fillMask');
  const mask = tokenizer.roles.mask;
  if (!mask) throw new Error('fillMask: the tokenizer has no <mask> token');
  const topK = options.topK ?? 5;
  if (!Number.isInteger(topK) || topK < 1 || topK > c.vocabSize)
    throw new Error(`fillMask: topK must be an integer in [1, ${c.vocabSize}], got ${topK}`);
  const enc = tokenizer.encodeForModel(text, null, { special: [mask.content] });
  const ids = enc.inputIds;
  const T = ids.length;
  if (T > maxTokens(c))
    throw new Error(`fillMask: the text is ${T} tokens with <s> and </s>; the model takes at most ${maxTokens(c)}`);
  const positions: number[] = [];
  ids.forEach((id, t) => {
    if (id === mask.id) positions.push(t);
  });
  if (positions.length === 0) throw new Error(`fillMask: no ${mask.content} token in the text`);

  // top-K in JS over the [N, V] probabilities: not every backend registers TopK ('robusta' does not), and N x V
  // floats are a small read
  const probs = tf.tidy(() => {
    const { logits } = model.forward({
      inputIds: tf.tensor2d(ids, [1, T], 'int32'),
      maskedPositions: tf.tensor1d(positions, 'int32'),
      training: false,
    }); // [N, V]
    return tf.softmax(logits);
  });
  const scores = await probs.data();
  probs.dispose();
  const V = c.vocabSize;

  // the text's own tokens (the mask is one of them; <s>, </s> are not), so each sequence is the text with one token
  // swapped
  const kept: number[] = [];
  const keptIndex = new Map<number, number>();
  ids.forEach((id, t) => {
    if (enc.specialTokensMask[t] === 1) return;
    keptIndex.set(t, kept.length);
    kept.push(id);
  });
  return positions.map((t, n) => {
    const row = scores.subarray(n * V, (n + 1) * V);
    return topIndices(row, topK).map((token) => {
      const filled = kept.slice();
      filled[keptIndex.get(t)!] = token;
      return {
        score: row[token]!,
        token,
        tokenStr: tokenizer.decode([token]),
        sequence: tokenizer.decode(filled),
      };
    });
  });
}

/** Indices of the k largest values, largest first; ties go to the lower index (as a stable sort would). */
function topIndices(values: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => values[b]! - values[a]! || a - b);
  return order.slice(0, k);
}

export type Pooling = 'cls' | 'mean';

export interface EmbedOptions {
  /**
   * `mean` (default): the average of the last hidden state over attended tokens, `<s>` and `</s>` included, pads
   * excluded (sentence-transformers' mean pooling). `cls`: the last hidden state of `<s>`, before the pooler (the
   * pooler is not trained by MLM pretraining, so HF feature extraction also reads the hidden state).
   */
  pooling?: Pooling;
  /** Scale each embedding to unit L2 norm (for cosine similarity by dot product). */
  normalize?: boolean;
  /** Texts per forward pass (default 32); batches are padded to their own longest text. */
  batchSize?: number;
  /** Tokens per text including `<s>` and `</s>`; longer texts are truncated (default: what the position table allows). */
  maxLength?: number;
}

/**
 * One vector per text from the encoder's last hidden state: [texts.length, H], owned by the caller. Works with every
 * head (they share the encoder); runs in eval mode.
 */
export function embed(
  model: { readonly config: RobertaConfig; readonly encoder: RobertaEncoder },
  tokenizer: InferenceTokenizer,
  texts: readonly string[],
  options: EmbedOptions = {},
): tf.Tensor2D {
  const c = model.config;
  checkTokenizer(c, tokenizer, 'embed');
  const pooling = options.pooling ?? 'mean';
  if (pooling !== 'mean' && pooling !== 'cls')
    throw new Error(`embed: pooling must be 'cls' or 'mean', got '${pooling}'`);
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new Error(`embed: batchSize must be a positive integer, got ${batchSize}`);
  const maxLength = options.maxLength ?? maxTokens(c);
  if (!Number.isInteger(maxLength) || maxLength < 2 || maxLength > maxTokens(c))
    throw new Error(`embed: maxLength must be an integer in [2, ${maxTokens(c)}], got ${maxLength}`);
  if (texts.length === 0) return tf.zeros([0, c.hiddenSize]) as tf.Tensor2D;

  const parts: tf.Tensor2D[] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    const batch = texts
      .slice(start, start + batchSize)
      .map((t) => tokenizer.encodeForModel(t, null, { maxLength, truncation: 'longest_first' }).inputIds);
    const B = batch.length;
    const T = Math.max(...batch.map((ids) => ids.length));
    const ids = new Int32Array(B * T).fill(c.padTokenId);
    const keep = new Float32Array(B * T);
    batch.forEach((row, b) => {
      ids.set(row, b * T);
      keep.fill(1, b * T, b * T + row.length);
    });
    parts.push(
      tf.tidy(() => {
        const attentionMask = tf.tensor2d(keep, [B, T]);
        const inputs = { inputIds: tf.tensor2d(ids, [B, T], 'int32'), attentionMask };
        const h = model.encoder.forward(inputs, {}, new DropoutSites({})).lastHiddenState; // [B, T, H]
        let e: tf.Tensor =
          pooling === 'cls'
            ? tf.reshape(tf.slice(h, [0, 0, 0], [B, 1, -1]), [B, c.hiddenSize])
            : tf.div(tf.sum(tf.mul(h, tf.expandDims(attentionMask, 2)), 1), tf.sum(attentionMask, 1, true));
        if (options.normalize) e = tf.div(e, tf.norm(e, 'euclidean', 1, true));
        return e as tf.Tensor2D;
      }),
    );
  }
  if (parts.length === 1) return parts[0]!;
  const all = tf.concat(parts, 0);
  tf.dispose(parts);
  return all;
}
