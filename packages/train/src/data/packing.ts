// Cutting a split into fixed-length sequences (the paper's FULL-SENTENCES and DOC-SENTENCES), as an index computed
// once from document lengths: sequence k's tokens are found by binary search, never by reading the corpus.
//
// T = sequence length in tokens, L = T - 2 content tokens between `<s>` and `</s>`.

/** What packing needs from a split: document lengths and ranged reads. */
export interface DocumentSource {
  numDocuments: number;
  documentLength(i: number): number;
  readInto(i: number, start: number, end: number, out: Int32Array, at: number): void;
}

export type PackingFormat = 'full-sentences' | 'doc-sentences';

export class Packing {
  readonly numSequences: number;
  /** Content tokens per sequence (T - 2). */
  readonly content: number;
  /** Non-empty documents, in split order (empty ones would only add separators). */
  private readonly docs: Uint32Array;
  /** full: stream position where each kept document starts (its tokens, then one separator); doc: first sequence. */
  private readonly starts: Float64Array;
  private readonly lengths: Float64Array;

  constructor(
    private readonly source: DocumentSource,
    readonly seqLength: number,
    readonly format: PackingFormat,
  ) {
    if (!Number.isInteger(seqLength) || seqLength < 3)
      throw new RangeError(`seqLength must be a whole number >= 3 (<s>, one token, </s>), got ${seqLength}`);
    this.content = seqLength - 2;
    const kept: number[] = [];
    for (let i = 0; i < source.numDocuments; i++) if (source.documentLength(i) > 0) kept.push(i);
    this.docs = Uint32Array.from(kept);
    this.starts = new Float64Array(kept.length + 1);
    this.lengths = new Float64Array(kept.length);
    let at = 0;
    for (let k = 0; k < kept.length; k++) {
      const len = source.documentLength(kept[k] as number);
      this.lengths[k] = len;
      this.starts[k] = at;
      at += format === 'full-sentences' ? len + 1 : Math.ceil(len / this.content);
    }
    this.starts[kept.length] = at;
    // the stream has no separator after the last document
    this.numSequences = format === 'full-sentences' ? Math.ceil(Math.max(0, at - 1) / this.content) : at;
  }

  /** Last kept document whose start is <= x. */
  private find(x: number): number {
    let lo = 0;
    let hi = this.docs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= x) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Real length (`<s>` and `</s>` included) of sequence k, without reading tokens. */
  lengthOf(k: number): number {
    if (!(k >= 0 && k < this.numSequences))
      throw new RangeError(`sequence ${k} is out of range: ${this.numSequences} sequences`);
    if (this.format === 'full-sentences') {
      const total = (this.starts[this.docs.length] as number) - 1;
      return Math.min(this.content, total - k * this.content) + 2;
    }
    const d = this.find(k);
    const from = (k - (this.starts[d] as number)) * this.content;
    return Math.min(this.content, (this.lengths[d] as number) - from) + 2;
  }

  /**
   * Writes sequence k as `<s> content </s>` into row[0..T) followed by pad, and returns its real length (<= T).
   */
  fill(k: number, row: Int32Array, cls: number, sep: number, pad: number): number {
    if (!(k >= 0 && k < this.numSequences))
      throw new RangeError(`sequence ${k} is out of range: ${this.numSequences} sequences`);
    row[0] = cls;
    let n = 0;
    if (this.format === 'full-sentences') {
      const total = (this.starts[this.docs.length] as number) - 1;
      let pos = k * this.content;
      const end = Math.min(pos + this.content, total);
      let d = this.find(pos);
      while (pos < end) {
        const offset = pos - (this.starts[d] as number);
        const len = this.lengths[d] as number;
        if (offset < len) {
          const take = Math.min(len - offset, end - pos);
          this.source.readInto(this.docs[d] as number, offset, offset + take, row, 1 + n);
          n += take;
          pos += take;
        } else {
          row[1 + n++] = sep; // the extra separator between documents
          pos++;
          d++;
        }
      }
    } else {
      const d = this.find(k);
      const chunk = k - (this.starts[d] as number);
      const from = chunk * this.content;
      const to = Math.min(from + this.content, this.lengths[d] as number);
      this.source.readInto(this.docs[d] as number, from, to, row, 1);
      n = to - from;
    }
    row[1 + n] = sep;
    row.fill(pad, n + 2, this.seqLength);
    return n + 2;
  }
}
