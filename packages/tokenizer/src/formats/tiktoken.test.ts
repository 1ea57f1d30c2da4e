// tiktoken's rank files: the GPT-2 ranks give the model encoder.json + vocab.bpe give, and round-trip.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model } from '../../test-support/corpora.js';
import type { BpeModel } from '../model.js';
import { parseTiktokenBundle, parseTiktokenRanks, toTiktokenRanks } from './tiktoken.js';

const require = createRequire(import.meta.url);
const tiktokenGpt2 = require.resolve('tiktoken/encoders/gpt2.json');
const b64 = (s: string) => btoa(s);

describe('tiktoken rank files', () => {
  let fromEncoder: BpeModel;
  let fromTiktoken: ReturnType<typeof parseTiktokenBundle>;
  beforeAll(() => {
    fromEncoder = gpt2Model();
    fromTiktoken = parseTiktokenBundle(readFileSync(tiktokenGpt2, 'utf8'), 'gpt2.json');
  });

  it("derives from tiktoken's GPT-2 ranks exactly the merges of encoder.json + vocab.bpe", () => {
    const { model, pattern, explicitVocabSize } = fromTiktoken;
    expect(explicitVocabSize).toBe(50257);
    expect(pattern.startsWith("'s|'t|'re")).toBe(true);
    expect(model.merges.length).toBe(fromEncoder.merges.length);
    expect(model.merges).toEqual(fromEncoder.merges);
    expect(model.tokens).toEqual(fromEncoder.tokens);
    expect(model.specialTokens).toEqual(fromEncoder.specialTokens);
  });

  it('saves a .tiktoken file that loads back to the same model', () => {
    const text = toTiktokenRanks(fromEncoder);
    expect(text.split('\n', 2)[0]).toBe('IQ== 0');
    const back = parseTiktokenRanks(text, 'gpt2.tiktoken', { specialTokens: fromEncoder.specialTokens });
    expect(back).toEqual(fromEncoder);
  });

  it('loads the plain line format with holes and derives merges in rank order', () => {
    const text = `${b64('a')} 0\n${b64('b')} 1\n${b64('c')} 3\n${b64('bc')} 4\n${b64('abc')} 5\n${b64('ab')} 6\n`;
    const m = parseTiktokenRanks(text, 'x.tiktoken');
    expect(m.tokens[2]).toBeUndefined();
    // "abc" at rank 5 can only use ranks below 5: b+c=4 first, then a+bc; "ab" is a plain merge of a and b
    expect([...m.merges]).toEqual([1, 3, 4, 0, 4, 5, 0, 1, 6]);
  });

  it('refuses to save a model whose merges differ from the ones its ranks imply', () => {
    const m = parseTiktokenRanks(`${b64('a')} 0\n${b64('b')} 1\n${b64('ab')} 2\n`, 'x');
    m.merges = new Uint32Array(0);
    expect(() => toTiktokenRanks(m)).toThrow(/merges that its token ranks do not imply/);
  });

  it.each([
    ['an empty file', '', /^x\.tiktoken: empty file/],
    [
      'a line without a rank (truncated)',
      `${b64('a')} 0\n${b64('b')}`,
      /^x\.tiktoken:2: expected "base64 rank", found "Yg=="/,
    ],
    ['a negative rank', `${b64('a')} -1\n`, /^x\.tiktoken:1: expected "base64 rank"/],
    ['bad base64', 'Y* 0\n', /^x\.tiktoken:1: "Y\*" is not base64/],
    ['a duplicate rank', `${b64('a')} 0\n${b64('b')} 0\n`, /^x\.tiktoken:2: duplicate rank 0 \(first at line 1\)/],
    [
      'a duplicate token',
      `${b64('a')} 0\n${b64('a')} 1\n`,
      /^x\.tiktoken:2: duplicate token "YQ==" \(first at line 1\)/,
    ],
    [
      'a byte with no token',
      `${b64('a')} 0\n${b64('ab')} 1\n`,
      /^x\.tiktoken:2: token "ab" \(rank 1\): byte 0x62 has no token/,
    ],
    [
      'a token that does not end in two parts',
      `${b64('a')} 0\n${b64('b')} 1\n${b64('c')} 2\n${b64('abc')} 3\n`,
      /^x\.tiktoken:4: token "abc" \(rank 3\): merging lower-ranked tokens gives 3 parts \(0, 1, 2\), expected exactly two/,
    ],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseTiktokenRanks(text, 'x.tiktoken')).toThrow(message);
  });

  it('rejects a bundle with a wrong vocabulary size or malformed JSON', () => {
    const bundle = { pat_str: 'x', special_tokens: { '<e>': 2 }, bpe_ranks: `${b64('a')} 0\n${b64('b')} 1\n` };
    expect(parseTiktokenBundle(JSON.stringify({ ...bundle, explicit_n_vocab: 3 }), 'b.json').model.tokens.length).toBe(
      3,
    );
    expect(() => parseTiktokenBundle(JSON.stringify({ ...bundle, explicit_n_vocab: 9 }), 'b.json')).toThrow(
      /^b\.json: explicit_n_vocab: expected 3, found the number 9/,
    );
    expect(() => parseTiktokenBundle('{"pat_str": "x",\n"bpe_ranks": }', 'b.json')).toThrow(
      /^b\.json:2:14: invalid JSON/,
    );
  });
});
