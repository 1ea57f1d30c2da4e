import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model, sotuDocuments, udhrDocuments, utf8Length } from '../test-support/corpora.js';
import { Tokenizer } from './tokenizer.js';

const require = createRequire(import.meta.url);
const { get_encoding } = require('tiktoken') as typeof import('tiktoken');

let tok: Tokenizer;
const tiktoken = get_encoding('gpt2');

beforeAll(async () => {
  tok = await Tokenizer.fromModel(gpt2Model());
});

function firstMismatch(docs: readonly string[]): string | undefined {
  for (const [i, doc] of docs.entries()) {
    const want = tiktoken.encode_ordinary(doc);
    const got = tok.encode(doc);
    if (want.length !== got.length || want.some((v, k) => v !== got[k])) {
      const k = want.findIndex((v, j) => v !== got[j]);
      return `document ${i}: first difference at token ${k}: want ${want.slice(k, k + 5)} got ${got.slice(k, k + 5)}`;
    }
  }
  return undefined;
}

describe('ids equal tiktoken gpt2 on real text', () => {
  it('every State of the Union address (>= 10 MB of English)', () => {
    const docs = sotuDocuments();
    expect(utf8Length(docs)).toBeGreaterThan(10_000_000);
    expect(firstMismatch(docs)).toBeUndefined();
  });
  it('every UDHR translation (>= 2 MB of Unicode-heavy text, 500+ languages)', () => {
    const docs = udhrDocuments();
    expect(utf8Length(docs)).toBeGreaterThan(2_000_000);
    expect(firstMismatch(docs)).toBeUndefined();
  });
  it('with the piece cache off (every piece through BPE) and on a tiny cache (constant eviction)', async () => {
    const docs = udhrDocuments().slice(0, 60);
    for (const cacheLog2 of [0, 2]) {
      const t = await Tokenizer.fromModel(gpt2Model(), { cacheLog2 });
      for (const doc of docs) expect(Array.from(t.encode(doc))).toEqual(Array.from(tiktoken.encode_ordinary(doc)));
    }
  });
});

describe('decode', () => {
  it('round-trips text and rejects ids outside the vocabulary', () => {
    const text = 'Hello world — naïve café 🦀 中文';
    expect(tok.decode(tok.encode(text))).toBe(text);
    expect(() => tok.decode([15496, 50257])).toThrow(/cannot decode id 50257 at position 1: ids run from 0 to 50256/);
    expect(() => tok.decode([-1])).toThrow(RangeError);
  });
  it('turns a cut multi-byte character into U+FFFD like TextDecoder', () => {
    const ids = tok.encode('🦀');
    expect(ids.length).toBeGreaterThan(1);
    expect(tok.decode(ids.subarray(0, 1))).toBe('\ufffd');
  });
});

describe('special tokens', () => {
  const text = 'a<|endoftext|>b';
  it('are plain text by default, recognised on request, or rejected', () => {
    expect(Array.from(tok.encode(text))).toEqual(Array.from(tiktoken.encode_ordinary(text)));
    expect(Array.from(tok.encode(text, { special: 'all' }))).toEqual(Array.from(tiktoken.encode(text, 'all')));
    expect(Array.from(tok.encode(text, { special: ['<|endoftext|>'] }))).toEqual([64, 50256, 65]);
    expect(() => tok.encode(text, { special: 'error' })).toThrow(/special token "<\|endoftext\|>" at index 1/);
    expect(() => tok.encode(text, { special: ['<mask>'] })).toThrow(/not one of this vocabulary's special tokens/);
  });
});
