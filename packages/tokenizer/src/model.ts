// The in-memory byte-level BPE vocabulary that every file format loads into and saves from.

/** A token matched as a whole string in the input, never split by BPE (`<s>`, `<mask>`, `<|endoftext|>`). */
export interface SpecialToken {
  id: number;
  content: string;
  /** Whitespace just before the token belongs to it (HF `lstrip`; RoBERTa's `<mask>` has it). */
  lstrip?: boolean;
  /** Whitespace just after the token belongs to it (HF `rstrip`). */
  rstrip?: boolean;
}

/**
 * A byte-level BPE model. Ids index `tokens`; `merges` are applied by priority (index 0 first), each joining two
 * adjacent tokens into `result`, exactly as GPT-2's `bpe_ranks` and HF `tokenizers` do.
 */
export interface BpeModel {
  /** Raw bytes of each token by id; `undefined` marks an id with no byte string (holes, or special-only ids). */
  tokens: (Uint8Array | undefined)[];
  /** Merge rules in priority order, as flat triples: left id, right id, result id. */
  merges: Uint32Array;
  /** Tokens matched whole before BPE; their ids may also appear in `tokens` (e.g. `<s>` in RoBERTa's vocab.json). */
  specialTokens: SpecialToken[];
}

/** Ids a model uses: its tokens and its special tokens, whose ids may lie past the last token. */
export function modelVocabSize(model: BpeModel): number {
  return Math.max(model.tokens.length, ...model.specialTokens.map((s) => s.id + 1));
}

/** Number of merge rules in a model. */
export function mergeCount(model: BpeModel): number {
  return model.merges.length / 3;
}
