// The BPE core: ids equal tiktoken's and the plain reference's, bytes round-trip, offsets, streaming, and growth.
import { createRequire } from 'node:module';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model } from '../test-support/corpora.js';
import { describeGrowth, type Growth, growth, growthUnder } from '../test-support/growth.js';
import { randomBytes, randomText, rng } from '../test-support/random-text.js';
import { BpeCore } from './core.js';
import { bpePiece, pretokenize, referenceEncode, referenceTables } from './reference.js';
import { Tokenizer } from './tokenizer.js';
import { coreModule } from './wasm-module.js';

const require = createRequire(import.meta.url);
const { get_encoding } = require('tiktoken') as typeof import('tiktoken');
const tiktoken = get_encoding('gpt2');
const utf8 = new TextEncoder();

let tok: Tokenizer;
let core: BpeCore;
const tables = () => referenceTables(gpt2Model());

beforeAll(async () => {
  tok = await Tokenizer.fromModel(gpt2Model());
  core = await BpeCore.create(await coreModule(), gpt2Model());
});

const defaultChunk = BpeCore.chunkBytes;
afterEach(() => {
  BpeCore.chunkBytes = defaultChunk;
});

describe('pre-tokenizer scanner', () => {
  it('splits like the GPT-2 regex (with \\p{White_Space}) on 20,000 random strings', () => {
    const next = rng(1);
    for (let i = 0; i < 20_000; i++) {
      const text = randomText(next);
      const bytes = utf8.encode(text);
      const ends = Array.from(core.pretokenizeBytes(bytes));
      let at = 0;
      const want = pretokenize(text.toWellFormed()).map((p) => (at += utf8.encode(p).length));
      if (ends.join() !== want.join()) expect({ text, ends }).toEqual({ text, ends: want });
    }
  });
});

describe('encode', () => {
  it('equals tiktoken gpt2 and round-trips bytes on 100,000 random strings', () => {
    const next = rng(2);
    for (let i = 0; i < 100_000; i++) {
      const text = randomText(next);
      const ids = tok.encode(text);
      const want = tiktoken.encode_ordinary(text);
      if (ids.join() !== want.join()) expect({ text, ids: Array.from(ids) }).toEqual({ text, ids: Array.from(want) });
      const bytes = utf8.encode(text);
      if (Buffer.compare(tok.decodeBytes(ids), bytes) !== 0) expect(tok.decodeBytes(ids)).toEqual(bytes);
    }
  });
  it('equals the plain TypeScript reference on long pieces (the heap path) and short ones', () => {
    const t = tables();
    const next = rng(3);
    for (let i = 0; i < 200; i++) {
      const len = 40 + Math.floor(next() * 600);
      let word = '';
      for (let k = 0; k < len; k++) word += 'abcdefghijklmnopqrstuvwxyz'[Math.floor(next() * (i % 2 ? 3 : 26))];
      expect(Array.from(tok.encode(word))).toEqual(bpePiece(utf8.encode(word), t));
    }
    const text = "Hello, world! It's 2026 — naïve café, 中文 and 🦀.\n\n  x";
    expect(Array.from(tok.encode(text))).toEqual(referenceEncode(text, t));
  });
  it('round-trips 20,000 random byte strings (valid UTF-8 or not) through encodeBytes/decodeBytes', () => {
    const next = rng(4);
    for (let i = 0; i < 20_000; i++) {
      const bytes = randomBytes(next);
      const back = tok.decodeBytes(tok.encodeBytes(bytes));
      if (Buffer.compare(back, bytes) !== 0) expect(back).toEqual(bytes);
    }
  });
  it('gives the same ids and offsets when text streams through the core in tiny chunks', async () => {
    const next = rng(5);
    const texts = Array.from({ length: 2000 }, () => randomText(next, 300));
    const big = texts.map((t) => tok.encodeWithOffsets(t));
    BpeCore.chunkBytes = 16;
    const small = await Tokenizer.fromModel(gpt2Model());
    texts.forEach((t, i) => {
      const r = small.encodeWithOffsets(t);
      expect(Array.from(r.ids)).toEqual(Array.from(big[i]?.ids ?? []));
      expect(Array.from(r.offsets)).toEqual(Array.from(big[i]?.offsets ?? []));
    });
    const bytes = randomBytes(next, 5000);
    expect(small.decodeBytes(small.encodeBytes(bytes))).toEqual(bytes);
  });
  it('encodeBytesEach hands out the ids of encodeBytes piece by piece, also when text streams in tiny chunks', async () => {
    const next = rng(7);
    const docs = Array.from({ length: 500 }, (_, i) =>
      i % 2 ? randomBytes(next, 3000) : utf8.encode(randomText(next, 800)),
    );
    BpeCore.chunkBytes = 16;
    const small = await Tokenizer.fromModel(gpt2Model());
    for (const t of [tok, small]) {
      let pieces = 0;
      for (const d of docs) {
        const got: number[] = [];
        const n = t.encodeBytesEach(d, (ids) => {
          pieces++;
          got.push(...ids);
        });
        const want = Array.from(tok.encodeBytes(d));
        expect(n).toBe(want.length);
        if (got.join() !== want.join()) expect(got).toEqual(want);
      }
      // the tiny chunks really did split texts into several pieces
      if (t === small) expect(pieces).toBeGreaterThan(4 * docs.length);
    }
  });
});

describe('offsets', () => {
  it('cut the string at character boundaries and cover each token', () => {
    const next = rng(6);
    for (let i = 0; i < 5000; i++) {
      const text = randomText(next);
      const { ids, offsets } = tok.encodeWithOffsets(text);
      let prevEnd = 0;
      for (let k = 0; k < ids.length; k++) {
        const s = offsets[2 * k] as number;
        const e = offsets[2 * k + 1] as number;
        expect(s).toBeLessThanOrEqual(e);
        expect(s).toBeLessThanOrEqual(prevEnd); // no gap: a token starts where the last ended or inside its character
        const piece = tok.decode([ids[k] as number]);
        // a token of whole characters spells exactly its slice (lone surrogates decode as U+FFFD)
        if (!piece.includes('\ufffd')) expect(text.slice(s, e)).toBe(piece);
        prevEnd = e;
      }
      expect(prevEnd).toBe(text.length);
    }
  });
  it('give a token inside a multi-byte character the whole character', () => {
    const { ids, offsets } = tok.encodeWithOffsets('a🦀');
    expect(ids.length).toBeGreaterThan(2);
    for (let k = 1; k < ids.length; k++) expect([offsets[2 * k], offsets[2 * k + 1]]).toEqual([1, 3]);
  });
});

// Absolute speed on these inputs is in bench/pathological.bench.ts; here only how time grows, which load cannot fake.
describe('pathological inputs take near-linear time', () => {
  const SMALL = 1 << 15;
  const LARGE = 8 * SMALL;
  // each a single pre-token piece of about n bytes: the BPE of one long piece is where a quadratic algorithm shows
  const cases: [string, (n: number) => string][] = [
    ['x repeated', (n) => 'x'.repeat(n)],
    ['letters, no space', (n) => Array.from({ length: n }, (_, i) => 'abcdefghij'[(i * 7919) % 10]).join('')],
    ['spaces', (n) => ' '.repeat(n)],
    ['emoji', (n) => '🦀'.repeat(n / 4)],
    ['digits', (n) => '1234567890'.repeat(Math.ceil(n / 10))],
    ['newlines', (n) => '\n'.repeat(n)],
  ];
  it('the check can fail: the plain reference, quadratic in a piece, takes over 30x the time on 8x the input', () => {
    const t = tables();
    const small = utf8.encode('x'.repeat(256));
    const large = utf8.encode('x'.repeat(8 * 256));
    const g = growth(
      () => bpePiece(small, t),
      () => bpePiece(large, t),
    );
    expect(g.ratio, describeGrowth([g])).toBeGreaterThan(30);
  });
  for (const [name, make] of cases) {
    it(`${name}: 8x the input takes under 30x the time (a quadratic one would take 64x), and round-trips`, () => {
      const small = make(SMALL);
      const large = make(LARGE);
      const attempts = growthUnder(
        30,
        () => tok.encode(small),
        () => tok.encode(large),
      );
      expect((attempts.at(-1) as Growth).ratio, describeGrowth(attempts)).toBeLessThan(30);
      expect(tok.decode(tok.encode(large))).toBe(large);
    });
  }
});
