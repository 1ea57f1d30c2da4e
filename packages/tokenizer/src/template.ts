// RoBERTa's model-input template: `<s> A </s>` or `<s> A </s></s> B </s>`, with HF's truncation, windows and padding.
import { type PaddingStrategy, paddedLength, padEncoding } from './padding.js';
import { planTruncation, type TokenRange, type TruncationStrategy } from './truncation.js';

/** One tokenized text: ids and, per token, the [start, end) offsets into the JS string it came from. */
export interface TokenSequence {
  ids: ArrayLike<number>;
  /** Flat pairs: token i spans offsets[2i] .. offsets[2i + 1]. */
  offsets: ArrayLike<number>;
}

/**
 * Model inputs for one window, HF `Encoding` field by field (RoBERTa's type ids are all 0, so they are left out).
 * Ids are Int32Array because tfjs and ONNX Runtime take int32 tensors straight from one (neither has a uint32 input
 * type), and RoBERTa's 50265 ids fit with room to spare.
 */
export interface ModelEncoding {
  inputIds: Int32Array;
  /** 1 for real tokens, 0 for padding. */
  attentionMask: Uint8Array;
  /** 1 for `<s>`, `</s>` and padding, 0 for tokens of A or B. */
  specialTokensMask: Uint8Array;
  /** Flat [start, end) pairs into the text each token came from (A's or B's); specials and padding get [0, 0]. */
  offsets: Uint32Array;
  /** 0 for tokens of A, 1 for tokens of B, -1 for specials and padding (HF: null). */
  sequenceIds: Int8Array;
  /** Further windows when truncation cut something and `returnOverflowing` was set; empty inside a window. */
  overflowing: ModelEncoding[];
}

export interface SpecialTokenIds {
  cls: number;
  sep: number;
  pad: number;
}

/** `<s>` 0, `<pad>` 1, `</s>` 2 as in fairseq's and HF's RoBERTa vocabularies. */
export const ROBERTA_SPECIAL_IDS: Readonly<SpecialTokenIds> = Object.freeze({ cls: 0, sep: 2, pad: 1 });

export interface ModelInputOptions {
  specialIds?: SpecialTokenIds;
  /** Length of a window including the special tokens; needed by truncation and by `max_length` padding. */
  maxLength?: number;
  truncation?: TruncationStrategy | false;
  /** Tokens each overflowing window shares with the previous one (SQuAD's doc stride); default 0. */
  stride?: number;
  returnOverflowing?: boolean;
  padding?: PaddingStrategy | false;
  padToMultipleOf?: number;
}

/**
 * Builds RoBERTa model inputs from one or two token sequences exactly as HF `tokenizers` does with
 * `RobertaProcessing` with trim_offsets off (offsets pass through as the tokenizer gave them), truncation and padding:
 * the same ids, masks, offsets, sequence ids and overflowing windows as its `post_process` on the whole sequences.
 */
export function buildModelInput(
  a: TokenSequence,
  b?: TokenSequence | null,
  options: ModelInputOptions = {},
): ModelEncoding {
  const special = options.specialIds ?? ROBERTA_SPECIAL_IDS;
  checkSequence(a, 'first sequence (A)');
  if (b) checkSequence(b, 'second sequence (B)');
  const nSpecial = b ? 4 : 2;
  const { maxLength, truncation = false, padding = false } = options;
  const stride = options.stride ?? 0;
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 0)) {
    throw new Error(`maxLength must be a non-negative integer, got ${maxLength}`);
  }
  if (!Number.isInteger(stride) || stride < 0) throw new Error(`stride must be a non-negative integer, got ${stride}`);

  let plans: { a: TokenRange; b?: TokenRange }[] = [b ? { a: whole(a), b: whole(b) } : { a: whole(a) }];
  if (truncation) {
    if (maxLength === undefined) throw new Error(`truncation '${truncation}' needs maxLength`);
    // HF subtracts the specials with unsigned arithmetic that saturates, so it silently stops truncating; we refuse.
    if (maxLength < nSpecial) {
      throw new Error(
        `maxLength ${maxLength} is smaller than the ${nSpecial} special tokens of a ${b ? 'pair' : 'single sequence'}`,
      );
    }
    // HF's setTruncation rejects this whatever the inputs, counting a single sequence's 2 specials even for pairs
    // (its native addon then aborts the process); a stride that passes can still be too big for a pair's cut below.
    if (stride > maxLength - 2) {
      throw new Error(`truncation: stride ${stride} is larger than maxLength ${maxLength} minus 2 special tokens`);
    }
    plans = planTruncation(a.ids.length, b ? b.ids.length : undefined, {
      maxLength: maxLength - nSpecial,
      strategy: truncation,
      stride,
    });
  }

  const windows = (options.returnOverflowing ? plans : plans.slice(0, 1)).map((p) =>
    assemble(a, p.a, b && p.b ? { seq: b, range: p.b } : undefined, special),
  );
  const main: ModelEncoding = { ...(windows[0] as ModelEncoding), overflowing: windows.slice(1) };
  if (!padding) return main;
  const length = paddedLength([main], {
    padding,
    maxLength,
    padToMultipleOf: options.padToMultipleOf,
    padId: special.pad,
  });
  return padEncoding(main, length, special.pad);
}

/** The main window followed by its overflowing ones, each without `overflowing`: the flat list a model batch takes. */
export function allWindows(encoding: ModelEncoding): ModelEncoding[] {
  return [{ ...encoding, overflowing: [] }, ...encoding.overflowing];
}

function whole(s: TokenSequence): TokenRange {
  return { start: 0, end: s.ids.length };
}

function checkSequence(s: TokenSequence, what: string): void {
  if (s.offsets.length !== 2 * s.ids.length) {
    throw new Error(`${what}: offsets must hold 2 numbers per token (${2 * s.ids.length}), got ${s.offsets.length}`);
  }
}

/** `<s> A[ra] </s>` then, for a pair, `</s> B[rb] </s>`. */
function assemble(
  a: TokenSequence,
  ra: TokenRange,
  b: { seq: TokenSequence; range: TokenRange } | undefined,
  special: SpecialTokenIds,
): ModelEncoding {
  const lenA = ra.end - ra.start;
  const lenB = b ? b.range.end - b.range.start : 0;
  const n = 2 + lenA + (b ? 2 + lenB : 0);
  const out: ModelEncoding = {
    inputIds: new Int32Array(n),
    attentionMask: new Uint8Array(n).fill(1),
    specialTokensMask: new Uint8Array(n),
    offsets: new Uint32Array(2 * n),
    sequenceIds: new Int8Array(n).fill(-1),
    overflowing: [],
  };
  const put = (at: number, seq: TokenSequence, range: TokenRange, seqId: number): void => {
    for (let i = range.start, j = at; i < range.end; i++, j++) {
      out.inputIds[j] = seq.ids[i] as number;
      out.offsets[2 * j] = seq.offsets[2 * i] as number;
      out.offsets[2 * j + 1] = seq.offsets[2 * i + 1] as number;
      out.sequenceIds[j] = seqId;
    }
  };
  const mark = (at: number, id: number): void => {
    out.inputIds[at] = id;
    out.specialTokensMask[at] = 1;
  };
  mark(0, special.cls);
  put(1, a, ra, 0);
  mark(1 + lenA, special.sep);
  if (b) {
    mark(2 + lenA, special.sep);
    put(3 + lenA, b.seq, b.range, 1);
    mark(3 + lenA + lenB, special.sep);
  }
  return out;
}
