// Counting phase of BPE training: pre-token frequencies from a streamed corpus, then the word table merges run on.
import { pretokenize } from '../reference.js';

/** Progress of a training run; the CLI draws its bar from this. */
export interface TrainProgress {
  /** `count`: texts read so far (`total` is the corpus length when it is an array, else undefined). `merge`: merges. */
  phase: 'count' | 'merge';
  done: number;
  total: number | undefined;
}

/** Pre-token (as a JS string) to how many times it occurs in the corpus. Its size bounds the trainer's memory. */
export type WordCounts = Map<string, number>;

/**
 * Adds one text's pre-tokens to `counts`. This is the one place that splits text, so the WebAssembly scanner can
 * replace the regex here without touching the trainer (its output must be the same pieces).
 */
export function addPretokens(counts: WordCounts, text: string): void {
  for (const piece of pretokenize(text)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
}

const COUNT_PROGRESS_EVERY = 1024;

/**
 * Reads the corpus once, keeping only the distinct pre-tokens and their counts. Texts are not kept, so memory is
 * bounded by the number of distinct pre-tokens, not the corpus size. Accepts sync or async iterables of texts.
 */
export async function countWords(
  corpus: Iterable<string> | AsyncIterable<string>,
  onProgress?: (p: TrainProgress) => void,
): Promise<WordCounts> {
  const counts: WordCounts = new Map();
  const total = Array.isArray(corpus) ? corpus.length : undefined;
  let done = 0;
  const add = (text: unknown) => {
    if (typeof text !== 'string') throw new TypeError(`trainBpe: corpus item ${done} is ${typeof text}, not a string`);
    addPretokens(counts, text);
    done++;
    if (onProgress && done % COUNT_PROGRESS_EVERY === 0) onProgress({ phase: 'count', done, total });
  };
  // A sync iterable is walked without `for await`, which would cost a microtask per text (millions for a line corpus).
  if (Symbol.iterator in corpus) for (const text of corpus) add(text);
  else for await (const text of corpus) add(text);
  onProgress?.({ phase: 'count', done, total });
  return counts;
}

/**
 * Distinct words as symbol-id sequences, stored flat: word `w` holds `symbols[start[w] .. start[w] + length[w])`.
 * Merges rewrite a word in place and shorten `length[w]`; nothing is ever appended, so the table never grows.
 */
export interface WordTable {
  /** Number of distinct words (= distinct pre-tokens). */
  size: number;
  freq: Float64Array;
  start: Int32Array;
  length: Int32Array;
  symbols: Int32Array;
}

/** UTF-8 encodes every distinct word into the flat table, each byte replaced by its alphabet id. */
export function buildWordTable(counts: WordCounts, byteToId: Int32Array): WordTable {
  const enc = new TextEncoder();
  const size = counts.size;
  const freq = new Float64Array(size);
  const start = new Int32Array(size);
  const length = new Int32Array(size);
  let cap = 1 << 16;
  let symbols = new Int32Array(cap);
  let used = 0;
  let w = 0;
  for (const [word, n] of counts) {
    const bytes = enc.encode(word);
    if (used + bytes.length > cap) {
      while (used + bytes.length > cap) cap *= 2;
      const grown = new Int32Array(cap);
      grown.set(symbols.subarray(0, used));
      symbols = grown;
    }
    freq[w] = n;
    start[w] = used;
    length[w] = bytes.length;
    for (const b of bytes) symbols[used++] = byteToId[b] as number;
    w++;
  }
  return { size, freq, start, length, symbols: symbols.slice(0, used) };
}
