// FULL-SENTENCES and DOC-SENTENCES packing: every token once per epoch, separators between documents, lengths.
import { describe, expect, it } from 'vitest';
import { memoryShardSet } from './memory.js';
import { Packing } from './packing.js';
import { CounterRng } from './random.js';

const CLS = 0;
const PAD = 1;
const SEP = 2;

/** Documents whose tokens are distinct numbers >= 10, so each can be traced back to its place. */
function corpus(seed: number, count: number, maxLen: number): Uint32Array[] {
  const rng = new CounterRng(seed);
  let next = 10;
  return Array.from({ length: count }, () => {
    const len = rng.below(maxLen + 1); // empty documents included
    return Uint32Array.from({ length: len }, () => next++);
  });
}

function rows(p: Packing): { ids: number[]; length: number }[] {
  const out = [];
  const row = new Int32Array(p.seqLength);
  for (let k = 0; k < p.numSequences; k++) {
    const length = p.fill(k, row, CLS, SEP, PAD);
    out.push({ ids: Array.from(row), length });
  }
  return out;
}

describe('FULL-SENTENCES', () => {
  for (const [seed, T] of [
    [1, 3],
    [2, 8],
    [3, 16],
    [4, 128],
  ] as const) {
    it(`packs every token exactly once, documents joined by one </s> (seed ${seed}, T ${T})`, () => {
      const docs = corpus(seed, 60, 40);
      const p = new Packing(memoryShardSet(docs, 1 << 20), T, 'full-sentences');
      const all = rows(p);
      const stream: number[] = [];
      all.forEach(({ ids, length }, k) => {
        expect(ids[0]).toBe(CLS);
        expect(ids[length - 1]).toBe(SEP);
        expect(ids.slice(length).every((x) => x === PAD)).toBe(true);
        // only the last sequence may be short
        if (k < all.length - 1) expect(length).toBe(T);
        stream.push(...ids.slice(1, length - 1));
      });
      const expected: number[] = [];
      for (const d of docs.filter((d) => d.length > 0)) {
        if (expected.length > 0) expected.push(SEP);
        expected.push(...d);
      }
      expect(stream).toEqual(expected);
      expect(p.numSequences).toBe(Math.ceil(expected.length / (T - 2)));
    });
  }
});

describe('DOC-SENTENCES', () => {
  it('never crosses a document; tails are padded; every token once', () => {
    const docs = corpus(7, 50, 30);
    const T = 10;
    const p = new Packing(memoryShardSet(docs, 1 << 20), T, 'doc-sentences');
    const seen: number[] = [];
    let k = 0;
    const row = new Int32Array(T);
    for (const d of docs) {
      for (let c = 0; c < Math.ceil(d.length / (T - 2)); c++, k++) {
        const length = p.fill(k, row, CLS, SEP, PAD);
        const chunk = Array.from(d.subarray(c * (T - 2), (c + 1) * (T - 2)));
        expect(Array.from(row)).toEqual([CLS, ...chunk, SEP, ...Array(T - 2 - chunk.length).fill(PAD)]);
        expect(length).toBe(chunk.length + 2);
        seen.push(...chunk);
      }
    }
    expect(k).toBe(p.numSequences);
    expect(seen).toEqual(docs.flatMap((d) => Array.from(d)));
  });

  it('rejects a sequence length with no room for content', () => {
    expect(() => new Packing(memoryShardSet([], 10), 2, 'full-sentences')).toThrow(/seqLength/);
  });
});
