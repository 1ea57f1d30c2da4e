// Fill-mask from a checkpoint: the top-k tokens the MLM head predicts at each `<mask>` of a sentence.
// T tokens, V vocab.
import { join } from 'node:path';
import { loadPretrained, type RobertaForMaskedLM } from '@robusta/model';
import * as tf from '@robusta/tfjs';
import { Tokenizer } from '@robusta/tokenizer';

export interface FillMaskPrediction {
  token: string;
  id: number;
  probability: number;
}

export interface FillMaskResult {
  text: string;
  /** One top-k list per `<mask>`, left to right. */
  masks: FillMaskPrediction[][];
}

export async function fillMask(
  model: RobertaForMaskedLM,
  tokenizer: Tokenizer,
  texts: readonly string[],
  k = 5,
): Promise<FillMaskResult[]> {
  const maskId = tokenizer.roles.mask?.id;
  if (maskId === undefined) throw new Error('fillMask: the tokenizer has no <mask> token');
  const out: FillMaskResult[] = [];
  for (const text of texts) {
    const enc = tokenizer.encodeForModel(text, null, { special: [tokenizer.roles.mask!.content] });
    const T = enc.inputIds.length;
    if (T > model.config.maxPositionEmbeddings - model.config.padTokenId - 1)
      throw new Error(`fillMask: '${text.slice(0, 40)}...' is ${T} tokens, longer than the model's positions allow`);
    const positions = [...enc.inputIds.keys()].filter((i) => enc.inputIds[i] === maskId);
    if (positions.length === 0) throw new Error(`fillMask: no <mask> in '${text}'`);
    const probs = tf.tidy(() => {
      const logits = model.forward({
        inputIds: tf.tensor2d(enc.inputIds, [1, T], 'int32'),
        maskedPositions: tf.tensor1d(positions, 'int32'),
      }).logits;
      return tf.softmax(logits);
    });
    const values = (await probs.data()) as Float32Array;
    const V = probs.shape[1]!;
    probs.dispose();
    const masks = positions.map((_, j) => {
      const row = values.subarray(j * V, (j + 1) * V);
      const ids = [...row.keys()].sort((a, b) => row[b]! - row[a]!).slice(0, k);
      return ids.map((id) => ({ id, token: tokenizer.decode([id]), probability: row[id]! }));
    });
    out.push({ text, masks });
  }
  return out;
}

/** Loads a checkpoint directory's model and its tokenizer.json, then runs fillMask. */
export async function fillMaskFromCheckpoint(dir: string, texts: readonly string[], k = 5): Promise<FillMaskResult[]> {
  const model = await loadPretrained(dir, { head: 'mlm' });
  const tokenizer = await Tokenizer.fromTokenizerJson(join(dir, 'tokenizer.json'));
  try {
    return await fillMask(model, tokenizer, texts, k);
  } finally {
    model.dispose();
    await tokenizer.close();
  }
}

/** "The <mask> of" -> "The [ nation 31% | people 12% | ... ] of" style lines. */
export function formatFillMask(r: FillMaskResult): string {
  const lists = r.masks.map((m) =>
    m.map((p) => `${JSON.stringify(p.token)} ${(p.probability * 100).toFixed(1)}%`).join(', '),
  );
  return `${r.text}\n${lists.map((l, i) => `  <mask> #${i + 1}: ${l}`).join('\n')}`;
}
