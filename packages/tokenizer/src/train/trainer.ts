// Byte-level BPE training (GPT-2 / RoBERTa style) that reproduces HF tokenizers' BpeTrainer merge for merge.
//
// HF's rules. Checked by experiment against the `tokenizers` 0.23 native library (see hf-parity.test.ts) where its
// Node binding allows, which trains only with `BpeTrainer::default()`; the rest [source] is read from HF's trainer and
// checked here through the properties it implies.
// - Ids: special tokens first (0..S-1 in the order given, a repeat skipped) [source], then the alphabet sorted by the
//   code point of its byte-level character: printable bytes '!'..'~', '¡'..'¬', '®'..'ÿ', then the others as
//   U+0100.. in byte order (the order of GPT-2's encoder.json), then new tokens in the order they are created. A merge
//   whose result is already in the vocabulary reuses that id and does not grow it [source; HF handles it, but no such
//   case showed up in 20,000 random byte-level corpora, so it is untested here].
// - Pair counts are weighted by word frequency: the sum over distinct words of (adjacent occurrences in the word,
//   overlaps included: 'aaa' holds 'aa' twice) × (times the word occurs). A merge then rewrites non-overlapping
//   occurrences left to right and subtracts the overlapped neighbour.
// - Tie-break: the highest count wins; among equal counts the smallest (left id, right id), left compared first.
//   With the id order above: specials < alphabet in GPT-2 order (so 'Ġ', the space, after every printable byte) <
//   older merged tokens < newer ones.
// - min_frequency [source]: training stops at the first best pair whose count is below it (0 and 1 act the same: a
//   pair must occur). The best count never rises, so this keeps exactly the merges with count >= min_frequency.
// - vocab_size counts specials + the 256-byte alphabet + new tokens; training also stops when no pair is left.
// - Special tokens only reserve ids [source]: the trainer's specials are added after the text is fed, so '<s>' in the
//   corpus is pre-tokenized like any other text ('<', 's', '>'). (Tokens added to an HF Tokenizer before `train` are
//   different: they are cut out whole and still trained on, giving merges such as '<s' + '>'.)
// - Bookkeeping copied so merges stay identical: a queued candidate carries the words it was seen in; a stale one
//   (count changed since queued) is re-queued with its new count and old word list; merging a pair does not subtract
//   its own merged occurrences from its count, which could only matter if a reused id brought the pair back.
// HF reads training files line by line, each line keeping its '\n'; feed lines the same way for identical merges.
import { ConfigError } from '@robusta/cli-kit/errors';
import { byteLevelAlphabet, bytesToVocabString } from '../bytelevel.js';
import type { BpeModel, SpecialToken } from '../model.js';
import { MergeQueue } from './merge-queue.js';
import { buildWordTable, countWords, type TrainProgress, type WordCounts, type WordTable } from './word-counts.js';

export interface TrainBpeOptions {
  /** Final vocabulary size, counting special tokens and the 256 byte tokens (RoBERTa: 50265). */
  vocabSize: number;
  /** Contents of special tokens, given ids 0, 1, ... in this order (RoBERTa: <s>, <pad>, </s>, <unk>, <mask>). */
  specialTokens?: string[];
  /** A pair is merged only if it occurs at least this many times (default 0: any pair that occurs). */
  minFrequency?: number;
  onProgress?: (p: TrainProgress) => void;
}

/** Ids are kept below 2^21 so a (left, right) pair packs exactly into one double as a map key. */
const MAX_VOCAB = 1 << 21;
const PAIR_SHIFT = 2 ** 32;
const MERGE_PROGRESS_EVERY = 256;

/** Learns a byte-level BPE vocabulary from texts, streamed once; see the header for the exact rules. */
export async function trainBpe(
  corpus: Iterable<string> | AsyncIterable<string>,
  options: TrainBpeOptions,
): Promise<BpeModel> {
  checkOptions(options);
  const counts = await countWords(corpus, options.onProgress);
  return trainFromWordCounts(counts, options);
}

function checkOptions(o: TrainBpeOptions): void {
  const specials = new Set(o.specialTokens ?? []).size;
  if (!Number.isInteger(o.vocabSize) || o.vocabSize < specials + 256 || o.vocabSize > MAX_VOCAB) {
    throw new ConfigError(
      undefined,
      `trainBpe: vocabSize must be an integer from ${specials + 256} (${specials} special tokens + 256 bytes) to ` +
        `${MAX_VOCAB}, got ${o.vocabSize}`,
    );
  }
  const mf = o.minFrequency ?? 0;
  if (!Number.isInteger(mf) || mf < 0)
    throw new ConfigError(undefined, `trainBpe: minFrequency must be an integer >= 0, got ${mf}`);
}

/** The vocabulary being built: ids to bytes, and HF's spelling of each token to its id (to spot reused results). */
interface Vocab {
  tokens: (Uint8Array | undefined)[];
  ids: Map<string, number>;
  specialTokens: SpecialToken[];
  byteToId: Int32Array;
}

function initialVocab(specialTokens: string[]): Vocab {
  const v: Vocab = { tokens: [], ids: new Map(), specialTokens: [], byteToId: new Int32Array(256) };
  for (const content of specialTokens) {
    if (v.ids.has(content)) continue;
    const id = v.tokens.length;
    v.ids.set(content, id);
    v.tokens.push(undefined);
    v.specialTokens.push({ id, content });
  }
  const alphabet = byteLevelAlphabet().map((ch, byte) => ({ ch, byte }));
  alphabet.sort((x, y) => x.ch.charCodeAt(0) - y.ch.charCodeAt(0));
  for (const { ch, byte } of alphabet) {
    let id = v.ids.get(ch);
    if (id === undefined) {
      id = v.tokens.length;
      v.ids.set(ch, id);
      v.tokens.push(undefined);
    }
    v.tokens[id] = Uint8Array.of(byte);
    v.byteToId[byte] = id;
  }
  return v;
}

/** Pair counts plus, per merge step, the words where a pair newly appeared (HF's `where_to_update`). */
class PairCounts {
  readonly count = new Map<number, number>();
  touched = new Map<number, number[]>();

  add(left: number, right: number, delta: number, word: number): void {
    const key = left * PAIR_SHIFT + right;
    const c = (this.count.get(key) ?? 0) + delta;
    if (c === 0) this.count.delete(key);
    else this.count.set(key, c);
    if (delta > 0) {
      const ws = this.touched.get(key);
      if (ws === undefined) this.touched.set(key, [word]);
      else if (ws[ws.length - 1] !== word) ws.push(word);
    }
  }

  get(left: number, right: number): number {
    return this.count.get(left * PAIR_SHIFT + right) ?? 0;
  }

  /** Queues every touched pair that still occurs, then forgets the touched set. */
  flush(queue: MergeQueue): void {
    for (const [key, ws] of this.touched) {
      const count = this.count.get(key) ?? 0;
      if (count <= 0) continue;
      const left = Math.floor(key / PAIR_SHIFT);
      queue.push({ count, left, right: key - left * PAIR_SHIFT, words: Int32Array.from(ws) });
    }
    this.touched = new Map();
  }
}

/**
 * Merges every non-overlapping (left, right), scanning left to right, in word `w`, rewriting it in place, and
 * reports the pair-count changes exactly as HF's `Word::merge` does.
 */
function mergeWord(t: WordTable, w: number, left: number, right: number, result: number, pairs: PairCounts): void {
  const s = t.start[w] as number;
  const end = s + (t.length[w] as number);
  const f = t.freq[w] as number;
  const sym = t.symbols;
  let o = s;
  let r = s;
  while (r < end) {
    const x = sym[r] as number;
    if (x === left && r + 1 < end && sym[r + 1] === right) {
      if (o > s) {
        const prev = sym[o - 1] as number;
        pairs.add(prev, left, -f, w);
        pairs.add(prev, result, f, w);
      }
      if (r + 2 < end) {
        const next = sym[r + 2] as number;
        pairs.add(right, next, -f, w);
        pairs.add(result, next, f, w);
      }
      sym[o++] = result;
      r += 2;
    } else {
      sym[o++] = x;
      r++;
    }
  }
  t.length[w] = o - s;
}

/** Runs the merge phase on already counted words; `trainBpe` is this after `countWords`. */
export function trainFromWordCounts(counts: WordCounts, options: TrainBpeOptions): BpeModel {
  checkOptions(options);
  const { vocabSize, onProgress } = options;
  const minFrequency = options.minFrequency ?? 0;
  const v = initialVocab(options.specialTokens ?? []);
  const table = buildWordTable(counts, v.byteToId);

  const pairs = new PairCounts();
  for (let w = 0; w < table.size; w++) {
    const s = table.start[w] as number;
    const end = s + (table.length[w] as number);
    for (let i = s; i + 1 < end; i++)
      pairs.add(table.symbols[i] as number, table.symbols[i + 1] as number, table.freq[w] as number, w);
  }
  const queue = new MergeQueue();
  pairs.flush(queue);

  const merges: number[] = [];
  const firstNew = v.tokens.length;
  const total = vocabSize - firstNew;
  for (;;) {
    if (v.tokens.length >= vocabSize) break;
    const top = queue.pop();
    if (top === undefined) break;
    const current = pairs.get(top.left, top.right);
    if (top.count !== current) {
      top.count = current;
      queue.push(top);
      continue;
    }
    if (top.count < 1 || minFrequency > top.count) break;

    const a = v.tokens[top.left] as Uint8Array;
    const b = v.tokens[top.right] as Uint8Array;
    const bytes = new Uint8Array(a.length + b.length);
    bytes.set(a);
    bytes.set(b, a.length);
    const spelled = bytesToVocabString(bytes);
    let result = v.ids.get(spelled);
    if (result === undefined) {
      result = v.tokens.length;
      v.ids.set(spelled, result);
      v.tokens.push(bytes);
    } else {
      v.tokens[result] ??= bytes;
    }
    merges.push(top.left, top.right, result);

    for (const w of top.words) mergeWord(table, w, top.left, top.right, result, pairs);
    pairs.flush(queue);
    if (onProgress && (merges.length / 3) % MERGE_PROGRESS_EVERY === 0) {
      onProgress({ phase: 'merge', done: v.tokens.length - firstNew, total });
    }
  }
  onProgress?.({ phase: 'merge', done: v.tokens.length - firstNew, total });
  return { tokens: v.tokens, merges: Uint32Array.from(merges), specialTokens: v.specialTokens };
}
