// Sentence boundaries on token ids, for the SENTENCE-PAIR and SEGMENT-PAIR formats: a per-id flag table built once
// from the tokenizer's decoded token texts, so the rule needs nothing tokenizer-specific at batch time.
//
// The rule: a sentence ends after token i when
//   (a) token i's text ends with `.`, `!` or `?` (optionally followed by closing quotes or brackets) and token i+1's
//       text starts with whitespace (the ". The" in "end. The", not the "3.14" nor "e.g.," of running text), or
//   (b) token i's text ends with a newline (line breaks end sentences: titles, list items, paragraphs).
// The last token of a document always ends its last sentence. A closing quote that is a token of its own after the
// `.` (`.` `"` ` The`) hides the boundary; byte-level BPEs usually merge `."` into one token, which the rule handles.

/** Flags per vocabulary id. */
export const SentenceFlag = { end: 1, spaceStart: 2, newlineEnd: 4 } as const;

export interface SentenceRule {
  /** flags[id]: bitwise OR of SentenceFlag values; ids past the end have no flags. */
  flags: Uint8Array;
}

const TERMINAL = /[.!?]["'\u201d\u2019)\]]*$/;

/**
 * The rule from each id's decoded text (`decode(id)`: the token's text as it appears in decoded output, e.g. " The"
 * for GPT-2's `ĠThe`; special tokens should decode to '' so they never split).
 */
export function sentenceRule(vocabSize: number, decode: (id: number) => string): SentenceRule {
  const flags = new Uint8Array(vocabSize);
  for (let id = 0; id < vocabSize; id++) {
    const text = decode(id);
    let f = 0;
    if (TERMINAL.test(text)) f |= SentenceFlag.end;
    if (/^\s/.test(text)) f |= SentenceFlag.spaceStart;
    if (/\n$/.test(text)) f |= SentenceFlag.newlineEnd;
    flags[id] = f;
  }
  return { flags };
}

/** Whether a sentence ends after `tokens[i]`. */
export function endsSentence(rule: SentenceRule, tokens: ArrayLike<number>, i: number): boolean {
  if (i === tokens.length - 1) return true;
  const here = rule.flags[tokens[i] as number] ?? 0;
  if (here & SentenceFlag.newlineEnd) return true;
  return (
    (here & SentenceFlag.end) !== 0 && ((rule.flags[tokens[i + 1] as number] ?? 0) & SentenceFlag.spaceStart) !== 0
  );
}

/** End offsets (exclusive, ascending, the last = tokens.length) of the sentences of one document. */
export function sentenceEnds(rule: SentenceRule, tokens: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) if (endsSentence(rule, tokens, i)) out.push(i + 1);
  return out;
}
