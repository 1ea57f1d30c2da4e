// Tests for fillMask and embed on the tiny config with a RoBERTa-shaped GPT-2 tokenizer.
import * as tf from '@robusta/tfjs';
import type { Tokenizer } from '@robusta/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelDiff, useTestBackend } from '../test-support/backend.js';
import { robertaLikeTokenizer } from '../test-support/tokenizer.js';
import { configFromPreset } from './config.js';
import { embed, fillMask } from './inference.js';
import { RobertaForMaskedLM, RobertaForSequenceClassification } from './models.js';

let tok: Tokenizer;
let mlm: RobertaForMaskedLM;

beforeAll(async () => {
  await useTestBackend();
  tok = await robertaLikeTokenizer();
  mlm = new RobertaForMaskedLM(configFromPreset('tiny', { vocabSize: tok.vocabSize }), { seed: 4 });
});

describe('fillMask', () => {
  const text = 'The capital of France is <mask>, of course.';

  it('returns topK candidates per mask, sorted, with probabilities from the full softmax', async () => {
    const [preds, ...rest] = await fillMask(mlm, tok, text, { topK: 7 });
    expect(rest).toEqual([]);
    expect(preds!.length).toBe(7);
    const scores = preds!.map((p) => p.score);
    expect(scores.slice().sort((a, b) => b - a)).toEqual(scores);
    const sum = scores.reduce((a, b) => a + b, 0);
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThanOrEqual(1 + 1e-6);
    expect(new Set(preds!.map((p) => p.token)).size).toBe(7);
    // the scores are the model's own probabilities at the mask position
    const enc = tok.encodeForModel(text, null, { special: ['<mask>'] });
    const at = enc.inputIds.indexOf(tok.roles.mask!.id);
    const { logits } = mlm.forward({ inputIds: tf.tensor2d(enc.inputIds, [1, enc.inputIds.length], 'int32') });
    const probs = await tf.softmax(tf.squeeze(tf.slice(logits, [0, at, 0], [1, 1, -1]))).data();
    for (const p of preds!) expect(Math.abs(p.score - probs[p.token]!)).toBeLessThan(1e-6);
    expect(Math.max(...probs)).toBeCloseTo(scores[0]!, 6);
  });

  it('fills exactly the mask: the sequence is the text with " <mask>" replaced by the token', async () => {
    const [preds] = await fillMask(mlm, tok, text, { topK: 20 });
    const [before, after] = text.split(' <mask>') as [string, string];
    expect(preds).toHaveLength(20);
    let exact = 0;
    for (const p of preds!) {
      expect(p.tokenStr).toBe(tok.decode([p.token]));
      expect(p.sequence.startsWith(before) && p.sequence.endsWith(after), p.sequence).toBe(true);
      // a token that is part of a UTF-8 character decodes to U+FFFD alone and may merge differently in context
      if (p.tokenStr.includes('\uFFFD')) continue;
      expect(p.sequence).toBe(before + p.tokenStr + after);
      exact++;
    }
    // on this model and text all 20 are whole characters; most must be, or the exact check above checks nothing
    expect(exact).toBeGreaterThan(10);
  });

  it('gives one list per mask, and leaves the other masks in each sequence', async () => {
    const preds = await fillMask(mlm, tok, 'A <mask> walks into a <mask>.', { topK: 3 });
    expect(preds.map((p) => p.length)).toEqual([3, 3]);
    for (const p of preds[0]!) expect(p.sequence).toBe(`A${p.tokenStr} walks into a<mask>.`);
    for (const p of preds[1]!) expect(p.sequence).toBe(`A<mask> walks into a${p.tokenStr}.`);
  });

  it('explains bad inputs', async () => {
    await expect(fillMask(mlm, tok, 'no mask here')).rejects.toThrow(/no <mask> token in the text/);
    await expect(fillMask(mlm, tok, 'a <mask>', { topK: 0 })).rejects.toThrow(/topK must be an integer/);
    await expect(fillMask(mlm, tok, `${'word '.repeat(200)}<mask>`)).rejects.toThrow(/the model takes at most 128/);
    const small = new RobertaForMaskedLM('tiny');
    await expect(fillMask(small, tok, 'a <mask>')).rejects.toThrow(
      /tokenizer has 50262 ids but the model's vocabSize is 128/,
    );
    small.dispose();
  });
});

describe('embed', () => {
  const texts = ['Hello world.', 'A much longer sentence, which makes the batch pad the first one.', 'Short'];

  it('returns [N, H] for each pooling, in batches, and unit vectors when asked', async () => {
    for (const pooling of ['cls', 'mean'] as const) {
      const e = embed(mlm, tok, texts, { pooling });
      expect(e.shape).toEqual([3, 64]);
      const batched = embed(mlm, tok, texts, { pooling, batchSize: 2 });
      expect(maxRelDiff(await batched.data(), await e.data())).toBeLessThan(1e-6);
      tf.dispose([e, batched]);
    }
    const unit = embed(mlm, tok, texts, { normalize: true });
    for (const n of await tf.norm(unit, 'euclidean', 1).data()) expect(n).toBeCloseTo(1, 5);
    expect(embed(mlm, tok, []).shape).toEqual([0, 64]);
  });

  it('ignores pads: a text embeds the same alone and padded in a batch', async () => {
    for (const pooling of ['cls', 'mean'] as const) {
      const alone = await embed(mlm, tok, [texts[0]!], { pooling }).data();
      const padded = await embed(mlm, tok, texts, { pooling }).data();
      expect(maxRelDiff(padded.slice(0, 64), alone), pooling).toBeLessThan(1e-5);
    }
  });

  it('mean pooling is the masked average of the last hidden state', async () => {
    const enc = tok.encodeForModel(texts[0]!);
    const inputIds = tf.tensor2d(enc.inputIds, [1, enc.inputIds.length], 'int32');
    const cls = new RobertaForSequenceClassification(mlm.config, { seed: 4 });
    const h = cls.forward({ inputIds, training: false }, { outputHiddenStates: true }).hiddenStates!.at(-1)!;
    const want = await tf.mean(h, 1).data();
    // the encoder weights of both models come from seed 4, so every head embeds alike
    expect(maxRelDiff(await embed(cls, tok, [texts[0]!]).data(), want)).toBeLessThan(1e-6);
    expect(maxRelDiff(await embed(mlm, tok, [texts[0]!]).data(), want)).toBeLessThan(1e-6);
    cls.dispose();
  });
});
