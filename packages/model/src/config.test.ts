// Tests for configs: presets, HF config.json round trips, and a named error for each inconsistency.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, FormatError } from '@robusta/cli-kit';
import { describe, expect, it } from 'vitest';
import { configFromHF, configFromPreset, configToHF, PRESETS, readConfig, writeConfig } from './config.js';
import { parameterTable } from './names.js';

const count = (preset: 'tiny' | 'base' | 'large') =>
  parameterTable(PRESETS[preset], 'mlm').reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);

// roberta-base's published config.json (HF hub), field for field
const robertaBase = {
  architectures: ['RobertaForMaskedLM'],
  attention_probs_dropout_prob: 0.1,
  bos_token_id: 0,
  eos_token_id: 2,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  hidden_size: 768,
  initializer_range: 0.02,
  intermediate_size: 3072,
  layer_norm_eps: 1e-5,
  max_position_embeddings: 514,
  model_type: 'roberta',
  num_attention_heads: 12,
  num_hidden_layers: 12,
  pad_token_id: 1,
  type_vocab_size: 1,
  vocab_size: 50265,
};

describe('config', () => {
  it('presets have the published sizes (~125M base, ~355M large with the MLM head)', () => {
    expect(count('base')).toBe(124_697_433);
    expect(count('large') / 1e6).toBeCloseTo(355.4, 0);
    expect(PRESETS.tiny).toMatchObject({
      numHiddenLayers: 2,
      hiddenSize: 64,
      numAttentionHeads: 2,
      intermediateSize: 256,
    });
  });

  it("reads roberta-base's config.json as the base preset", () => {
    expect(configFromHF(robertaBase)).toEqual(PRESETS.base);
  });

  it('throws a ConfigError for an unknown preset or a bad override', () => {
    expect(() => configFromPreset('huge' as 'tiny')).toThrow(ConfigError);
    expect(() => configFromPreset('huge' as 'tiny')).toThrow(/unknown preset 'huge' \(known: tiny, base, large\)/);
    expect(() => configFromPreset('tiny', { numAttentionHeads: 5 })).toThrow(ConfigError);
  });

  it('round-trips through config.json, labels included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'robusta-config-'));
    const c = configFromPreset('tiny', {
      numLabels: 3,
      id2label: { 0: 'neg', 1: 'neu', 2: 'pos' },
      problemType: 'single_label_classification',
      classifierDropout: 0.2,
    });
    await writeConfig(join(dir, 'config.json'), c, 'RobertaForSequenceClassification');
    const json = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(json).toMatchObject({
      architectures: ['RobertaForSequenceClassification'],
      num_labels: 3,
      label2id: { pos: 2 },
    });
    expect(await readConfig(join(dir, 'config.json'))).toEqual(c);
    expect(configFromHF(configToHF(PRESETS.large))).toEqual(PRESETS.large);
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'hidden not divisible by heads',
      { hidden_size: 100, num_attention_heads: 12 },
      /hiddenSize 100 is not divisible by numAttentionHeads 12/,
    ],
    ['unknown field', { hiden_size: 768 }, /unknown field 'hiden_size'/],
    ['wrong type', { hidden_size: '768' }, /hidden_size must be a number/],
    ['non-integer size', { num_hidden_layers: 2.5 }, /numHiddenLayers must be an integer >= 1/],
    ['unsupported activation', { hidden_act: 'gelu_new' }, /hidden_act is "gelu_new"; only "gelu"/],
    ['relative positions', { position_embedding_type: 'relative_key' }, /position_embedding_type/],
    ['other model type', { model_type: 'bert' }, /model_type is "bert"/],
    [
      'pad outside vocabulary',
      { vocab_size: 50265, pad_token_id: 50265 },
      /padTokenId 50265 is outside the vocabulary/,
    ],
    ['too few positions', { pad_token_id: 1, max_position_embeddings: 2 }, /maxPositionEmbeddings 2 leaves no room/],
    ['dropout out of range', { hidden_dropout_prob: 1.5 }, /hiddenDropoutProb must be a probability/],
    ['bad eps', { layer_norm_eps: 0 }, /layerNormEps must be in \(0, 1\)/],
    ['bad problem type', { problem_type: 'ranking' }, /problemType must be one of/],
    ['labels disagree', { num_labels: 3, id2label: { 0: 'a', 1: 'b' } }, /id2label has 2 labels but numLabels is 3/],
    ['bad label key', { id2label: { zero: 'a' } }, /id2label key 'zero'/],
    ['untied embeddings', { tie_word_embeddings: false }, /tie_word_embeddings/],
    [
      'single-label with one label',
      { num_labels: 1, problem_type: 'single_label_classification' },
      /needs numLabels >= 2/,
    ],
  ];
  for (const [what, fields, msg] of cases)
    it(`rejects ${what} with a ConfigError`, () => {
      const parse = () => configFromHF({ ...robertaBase, ...fields });
      expect(parse).toThrow(msg);
      expect(parse).toThrow(ConfigError);
    });

  it('can ignore unknown fields when asked, and names the file on parse errors', async () => {
    expect(configFromHF({ ...robertaBase, my_extra: 1 }, { allowUnknownFields: true })).toEqual(PRESETS.base);
    const dir = await mkdtemp(join(tmpdir(), 'robusta-config-'));
    await writeFile(join(dir, 'config.json'), '{"vocab_size": ');
    await expect(readConfig(join(dir, 'config.json'))).rejects.toThrow(/config\.json: not valid JSON/);
    await expect(readConfig(join(dir, 'config.json'))).rejects.toThrow(FormatError);
  });
});
