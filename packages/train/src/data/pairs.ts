// The paper's NSP input formats (Table 2): SEGMENT-PAIR+NSP and SENTENCE-PAIR+NSP. Each input is
// `<s> A </s></s> B </s>` (RoBERTa's pair template); with probability 1/2 B is the text that follows A in its
// document (label 1), else text from another document (label 0). Sequence k of epoch e is a pure function of
// (seed, e, k), like the other formats, so a run resumes at any position.
//
// T = sequence length, L = T - 4 content tokens (A + B). Units are sentences (see sentences.ts) cut into pieces of
// at most L tokens; without a sentence rule (segment pairs only) a unit is a piece of at most L tokens of a document.
//
// SENTENCE-PAIR: one sequence per sentence that has a next sentence in its document; A is that sentence, B the next
//   one or a random sentence of a random other document.
// SEGMENT-PAIR: a document's units are grouped greedily into chunks of at most L tokens, one sequence per chunk. A is
//   the chunk's units before a uniformly drawn unit boundary (a token boundary when the chunk is a single unit); B is
//   the rest of the chunk, or units from a random unit of a random other document filling the L - |A| left.
// When A + B exceeds L, tokens go from the front of A or the back of B, whichever is longer, so a positive pair
// stays contiguous (A ends where B begins). A pair that cannot have a true next part (a one-token, one-unit
// document) becomes a negative.
import { ConfigError } from '@robusta/cli-kit';
import type { DocumentSource } from './packing.js';
import { CounterRng, Domain } from './random.js';
import { type SentenceRule, sentenceEnds } from './sentences.js';

export type PairFormat = 'segment-pair' | 'sentence-pair';

/** Where a pair's text came from: documents (split order) and token ranges [start, end) within them. */
export interface PairDescription {
  isNext: boolean;
  docA: number;
  a: [number, number];
  docB: number;
  b: [number, number];
}

export class PairSampler {
  readonly numSequences: number;
  /** Content tokens per sequence (T - 4). */
  readonly content: number;
  /** Non-empty documents (split indices). */
  private readonly docs: Uint32Array;
  /** Kept document k's units are firstUnit[k] .. firstUnit[k + 1] - 1. */
  private readonly firstUnit: Uint32Array;
  /** End offset (exclusive) of each unit within its document. */
  private readonly unitEnd: Float64Array;
  /** Kept-document index of each unit. */
  private readonly unitDoc: Uint32Array;
  /** Sentence pairs: the A unit of each sequence; segment pairs: the first unit of each chunk (chunks end at the next). */
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;

  constructor(
    private readonly source: DocumentSource,
    readonly seqLength: number,
    readonly format: PairFormat,
    readonly seed: number,
    sentences?: SentenceRule,
  ) {
    if (!Number.isInteger(seqLength) || seqLength < 6)
      throw new RangeError(`seqLength must be a whole number >= 6 for pairs (<s> A </s></s> B </s>), got ${seqLength}`);
    if (format === 'sentence-pair' && !sentences)
      throw new ConfigError(
        undefined,
        "format 'sentence-pair' needs a sentence rule (options.sentences, from sentenceRule())",
      );
    const L = seqLength - 4;
    this.content = L;
    const kept: number[] = [];
    const first: number[] = [0];
    const ends: number[] = [];
    const owner: number[] = [];
    for (let i = 0; i < source.numDocuments; i++) {
      const len = source.documentLength(i);
      if (len === 0) continue;
      let cuts = [len];
      if (sentences) {
        const tokens = new Int32Array(len);
        source.readInto(i, 0, len, tokens, 0);
        cuts = sentenceEnds(sentences, tokens);
      }
      let from = 0;
      for (const end of cuts) {
        for (let s = from; s < end; s += L) {
          ends.push(Math.min(s + L, end));
          owner.push(kept.length);
        }
        from = end;
      }
      kept.push(i);
      first.push(ends.length);
    }
    if (kept.length < 2)
      throw new Error(
        `${format}: needs at least 2 non-empty documents (negatives come from another one), got ${kept.length}`,
      );
    this.docs = Uint32Array.from(kept);
    this.firstUnit = Uint32Array.from(first);
    this.unitEnd = Float64Array.from(ends);
    this.unitDoc = Uint32Array.from(owner);
    const starts: number[] = [];
    const chunkEnds: number[] = [];
    for (let d = 0; d < kept.length; d++) {
      const lo = first[d] as number;
      const hi = first[d + 1] as number;
      if (format === 'sentence-pair') {
        for (let u = lo; u + 1 < hi; u++) {
          starts.push(u);
          chunkEnds.push(u + 1);
        }
        continue;
      }
      let u = lo;
      while (u < hi) {
        const begin = this.unitStart(u);
        let v = u + 1;
        while (v < hi && this.unitEnd[v]! - begin <= L) v++;
        starts.push(u);
        chunkEnds.push(v);
        u = v;
      }
    }
    this.starts = Uint32Array.from(starts);
    this.ends = Uint32Array.from(chunkEnds);
    this.numSequences = starts.length;
  }

  private unitStart(u: number): number {
    const d = this.unitDoc[u]!;
    return u === this.firstUnit[d] ? 0 : this.unitEnd[u - 1]!;
  }

  /** Which texts sequence k of `epoch` pairs (what `fill` writes). */
  describe(k: number, epoch: number): PairDescription {
    if (!(k >= 0 && k < this.numSequences))
      throw new RangeError(`sequence ${k} is out of range: ${this.numSequences} sequences`);
    const rng = new CounterRng(this.seed, Domain.pair, epoch, k);
    let isNext = rng.next() < 0.5;
    const u0 = this.starts[k]!;
    const u1 = this.ends[k]!;
    const d = this.unitDoc[u0]!;
    const L = this.content;
    let a: [number, number];
    let next: [number, number] | null; // the true continuation, before truncation
    if (this.format === 'sentence-pair') {
      a = [this.unitStart(u0), this.unitEnd[u0]!];
      next = [this.unitEnd[u0]!, this.unitEnd[u0 + 1]!];
    } else if (u1 - u0 >= 2) {
      const j = u0 + 1 + rng.below(u1 - u0 - 1);
      a = [this.unitStart(u0), this.unitStart(j)];
      next = [this.unitStart(j), this.unitEnd[u1 - 1]!];
    } else {
      const s = this.unitStart(u0);
      const e = this.unitEnd[u0]!;
      if (e - s >= 2) {
        const cut = s + 1 + rng.below(e - s - 1);
        a = [s, cut];
        next = [cut, e];
      } else {
        a = [s, e];
        next = u0 + 1 < this.firstUnit[d + 1]! ? [e, this.unitEnd[u0 + 1]!] : null;
      }
    }
    // the random document is drawn even for positives, so the stream of draws has one shape
    const r = rng.below(this.docs.length - 1);
    const other = r >= d ? r + 1 : r;
    const lo = this.firstUnit[other]!;
    const v = lo + rng.below(this.firstUnit[other + 1]! - lo);
    if (next === null) isNext = false;
    let docB = d;
    let b: [number, number];
    if (isNext && next) b = next;
    else {
      docB = other;
      const bStart = this.unitStart(v);
      let w = v + 1;
      const budget = Math.max(1, L - (a[1] - a[0]));
      if (this.format === 'segment-pair')
        while (w < this.firstUnit[other + 1]! && this.unitEnd[w]! - bStart <= budget) w++;
      b = [bStart, this.unitEnd[w - 1]!];
    }
    // fit A + B into L: trim the longer side, A from its front, B from its back
    let la = a[1] - a[0];
    let lb = b[1] - b[0];
    while (la + lb > L) {
      if (la > lb) la--;
      else lb--;
    }
    return { isNext, docA: this.docs[d]!, a: [a[1] - la, a[1]], docB: this.docs[docB]!, b: [b[0], b[0] + lb] };
  }

  /** Writes sequence k as `<s> A </s></s> B </s>` then pad into row[0..T); returns its length and NSP label. */
  fill(
    k: number,
    epoch: number,
    row: Int32Array,
    cls: number,
    sep: number,
    pad: number,
  ): { length: number; isNext: boolean } {
    const p = this.describe(k, epoch);
    let n = 0;
    row[n++] = cls;
    this.source.readInto(p.docA, p.a[0], p.a[1], row, n);
    n += p.a[1] - p.a[0];
    row[n++] = sep;
    row[n++] = sep;
    this.source.readInto(p.docB, p.b[0], p.b[1], row, n);
    n += p.b[1] - p.b[0];
    row[n++] = sep;
    row.fill(pad, n, this.seqLength);
    return { length: n, isNext: p.isNext };
  }
}
