// The Tokenizer on real text: ids equal tiktoken's, decode (skipping specials like HF tokenizers), special policies.
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

describe('decode with skipSpecialTokens', () => {
  // GPT-2 with RoBERTa's specials appended after its 50,257 tokens: specials with no bytes of their own
  const specials = ['<s>', '<pad>', '</s>', '<unk>', '<mask>'].map((content, i) => ({ id: 50_257 + i, content }));
  let roberta: Tokenizer;
  beforeAll(async () => {
    const m = gpt2Model();
    roberta = await Tokenizer.fromModel({ ...m, specialTokens: [...m.specialTokens, ...specials] });
  });

  it('leaves every special token out of the text and bytes, and keeps them otherwise, as HF tokenizers does', async () => {
    const { inputIds } = roberta.encodeForModel('Hello <mask> world<|endoftext|>', 'naïve 🦀', {
      special: 'all',
      padding: 'max_length',
      maxLength: 24,
    });
    const ids = Array.from(inputIds);
    // every kind of special is in there: template, padding, and in-text ones
    for (const id of [50256, 50257, 50258, 50259, 50261]) expect(ids).toContain(id);
    expect(roberta.decode(ids, { skipSpecialTokens: true })).toBe('Hello  worldnaïve 🦀');
    expect(roberta.decode(ids)).toBe(`<s>Hello <mask> world<|endoftext|></s></s>naïve 🦀</s>${'<pad>'.repeat(10)}`);
    expect(roberta.decode(ids, { skipSpecialTokens: false })).toBe(roberta.decode(ids));
    const utf8 = new TextEncoder();
    expect(roberta.decodeBytes(ids, { skipSpecialTokens: true })).toEqual(utf8.encode('Hello  worldnaïve 🦀'));
    expect(roberta.decodeBytes(ids)).toEqual(utf8.encode(roberta.decode(ids)));
    const { Tokenizer: HfTokenizer } = require('tokenizers') as {
      Tokenizer: { fromString(s: string): { decode(ids: number[], skip: boolean): Promise<string> } };
    };
    const hf = HfTokenizer.fromString(roberta.toTokenizerJson());
    expect(await hf.decode(ids, true)).toBe(roberta.decode(ids, { skipSpecialTokens: true }));
    expect(await hf.decode(ids, false)).toBe(roberta.decode(ids));
  });
  it('keeps the bytes of a character split around a skipped special, and still rejects ids outside the vocabulary', () => {
    const crab = Array.from(roberta.encode('🦀'));
    expect(crab.length).toBeGreaterThan(1);
    const ids = [50257, crab[0] as number, 50258, ...crab.slice(1), 50259];
    expect(roberta.decodeBytes(ids, { skipSpecialTokens: true })).toEqual(new TextEncoder().encode('🦀'));
    expect(roberta.decode(ids, { skipSpecialTokens: true })).toBe('🦀');
    expect(roberta.decode([50257, 50259], { skipSpecialTokens: true })).toBe('');
    expect(() => roberta.decode([50257, 50262], { skipSpecialTokens: true })).toThrow(
      /cannot decode id 50262 at position 1: ids run from 0 to 50261/,
    );
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
