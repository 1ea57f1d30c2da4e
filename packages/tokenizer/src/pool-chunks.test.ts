// Chunking covers every text once, largest runs first, and lays texts out as TextEncoder would, prefix space included.
import { describe, expect, it } from 'vitest';
import { contiguousChunks, utf8Chunk } from './pool-chunks.js';

describe('chunks', () => {
  it('splits texts into contiguous chunks covering every text once, largest first', () => {
    const lengths = [5, 100_000, 0, 3, 50_000, 50_000, 1, 1, 200_000, 7, 40_000, 40_000, 40_000, 40_000];
    const texts = lengths.map((n) => 'x'.repeat(n));
    const chunks = contiguousChunks(texts, 2);
    const sizes = chunks.map((c) => lengths.slice(c.start, c.end).reduce((s, n) => s + n, 0));
    expect(chunks[0]?.start).toBe(0);
    chunks.forEach((c, i) => {
      expect(c.end).toBeGreaterThan(c.start);
      if (i > 0) expect(c.start).toBe(chunks[i - 1]?.end);
    });
    expect(chunks.at(-1)?.end).toBe(lengths.length);
    expect(chunks.length).toBeGreaterThan(3);
    expect(sizes.at(-1)).toBeLessThan(sizes[0] as number);
    expect(contiguousChunks([], 2)).toEqual([]);
    expect(contiguousChunks(['a', 'b'], 2)).toEqual([{ start: 0, end: 2 }]);
  });

  it('writes UTF-8 like TextEncoder with the prefix space, growing a too-small buffer, strings and bytes alike', () => {
    const enc = new TextEncoder();
    // 400 CJK characters are 1,200 bytes: more than the 1.25 bytes per UTF-16 unit the first buffer allows
    const strings = ['ab', '', 'ünï', '漢字'.repeat(200), ' b', 'c'];
    const want = strings.map((t) => enc.encode(t.length > 0 && !t.startsWith(' ') ? ` ${t}` : t));
    for (const texts of [strings, strings.map((t) => enc.encode(t))]) {
      let offered = 0;
      const { bytes, ends } = utf8Chunk(texts, 0, texts.length, true, (n) => {
        offered = n;
        return new ArrayBuffer(4); // too small: not used
      });
      expect(offered).toBeGreaterThan(0);
      expect(ends.length).toBe(texts.length);
      let start = 0;
      ends.forEach((end, i) => {
        expect({ i, bytes: Array.from(bytes.subarray(start, end)) }).toEqual({ i, bytes: Array.from(want[i] ?? []) });
        start = end;
      });
      expect(ends.at(-1)).toBe(want.reduce((s, w) => s + w.length, 0));
    }
  });

  it('writes a sub-range of the texts, without the prefix space when not asked, into a reused buffer large enough', () => {
    const some = ['skip', 'one', 'two', 'skip'];
    const spare = new ArrayBuffer(1024);
    const { bytes, ends } = utf8Chunk(some, 1, 3, false, () => spare);
    expect(bytes.buffer).toBe(spare);
    expect(Array.from(ends)).toEqual([3, 6]);
    expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe('onetwo');
  });
});
