// fairseq's dict.txt on top of GPT-2 ids: the renumbering fairseq's RoBERTa applies to GPT-2 BPE output.
import { FormatError } from '@robusta/cli-kit/errors';
import { bytesToVocabString } from '../bytelevel.js';
import type { BpeModel, SpecialToken } from '../model.js';
import { quote } from './quote.js';

/** fairseq's Dictionary starts with these four, in this order, before the lines of dict.txt. */
export const FAIRSEQ_SPECIALS: readonly string[] = ['<s>', '<pad>', '</s>', '<unk>'];
const MASK = '<mask>';
const OVERWRITE = '#fairseq:overwrite';

export interface FairseqModel {
  /** The renumbered model: specials `<s>` `<pad>` `</s>` `<unk>` then dict.txt's lines then `<mask>`. */
  model: BpeModel;
  /** GPT-2 id -> fairseq id, or -1 for a GPT-2 token dict.txt leaves out. */
  fromGpt2: Int32Array;
  /** fairseq's symbol for each id, as dict.txt writes it (GPT-2 ids in decimal). */
  symbols: string[];
}

/**
 * Renumbers a GPT-2 model through a fairseq dict.txt. Line i (0-based) of dict.txt is `<symbol> <count>`, optionally
 * followed by `#fairseq:overwrite`, and gets id 4 + i. A decimal symbol is a GPT-2 id and takes that token's bytes;
 * any other symbol (`madeupword0000`) is a plain token whose bytes are its UTF-8 text, which GPT-2's BPE never
 * produces. `<mask>` is appended after the last line, unless dict.txt lists it (fairseq then reuses that id).
 *
 * Every GPT-2 token the BPE can produce (single bytes and merge results) must have a line: fairseq would turn a
 * missing one into `<unk>` after BPE, which a merge table cannot express, so a missing one is an error listing them.
 * Tokens BPE never produces, such as `<|endoftext|>`, may be left out. A symbol repeated with `#fairseq:overwrite`
 * takes the new id, as in fairseq; its earlier id keeps its symbol but has no bytes, so each byte string has one id.
 */
export function applyFairseqDict(gpt2: BpeModel, dictText: string, source: string): FairseqModel {
  if (dictText.trim() === '') throw new FormatError(source, 'empty file, expected "<symbol> <count>" lines');
  const symbols = [...FAIRSEQ_SPECIALS];
  const indexOf = new Map(symbols.map((s, i) => [s, i]));
  const lines = dictText.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const fail = (detail: string): never => {
      throw new FormatError(source, detail, i + 1);
    };
    let parts = raw.trimEnd().split(' ');
    let overwrite = false;
    if (parts[parts.length - 1] === OVERWRITE) {
      overwrite = true;
      parts = parts.slice(0, -1);
    }
    const count = parts.pop();
    const symbol = parts.join(' ');
    if (symbol === '' || count === undefined || !/^\d+$/.test(count)) {
      fail(`expected "<symbol> <count>", found ${quote(raw)}`);
    }
    if (indexOf.has(symbol) && !overwrite) {
      fail(`duplicate symbol ${quote(symbol)}; fairseq requires "${OVERWRITE}" at the end of a repeated line`);
    }
    indexOf.set(symbol, symbols.length);
    symbols.push(symbol);
  });
  if (!indexOf.has(MASK)) {
    indexOf.set(MASK, symbols.length);
    symbols.push(MASK);
  }

  const enc = new TextEncoder();
  const fromGpt2 = new Int32Array(gpt2.tokens.length).fill(-1);
  const tokens: (Uint8Array | undefined)[] = new Array(symbols.length).fill(undefined);
  const idOfBytes = new Map<string, number>();
  symbols.forEach((symbol, id) => {
    if (indexOf.get(symbol) !== id) return; // overwritten by a later line
    let bytes: Uint8Array;
    if (/^\d+$/.test(symbol) && id >= FAIRSEQ_SPECIALS.length) {
      const g = Number(symbol);
      const b = gpt2.tokens[g];
      if (!b) throw new FormatError(source, `GPT-2 has no token with id ${g}`, id - FAIRSEQ_SPECIALS.length + 1);
      fromGpt2[g] = id;
      bytes = b;
    } else {
      bytes = enc.encode(symbol);
    }
    const k = bytesToVocabString(bytes);
    const other = idOfBytes.get(k);
    if (other !== undefined) {
      const where = (n: number) => (n < FAIRSEQ_SPECIALS.length ? 'fairseq specials' : `line ${n - 3}`);
      throw new FormatError(
        source,
        `${quote(symbol)} (${where(id)}) has the same bytes as ${quote(symbols[other] as string)} (${where(other)})`,
      );
    }
    idOfBytes.set(k, id);
    tokens[id] = bytes;
  });

  // Tokens BPE can produce: each byte's token and each merge's parts and result.
  const needed = new Set<number>();
  const byteSeen = new Set<number>();
  gpt2.tokens.forEach((t, id) => {
    if (t?.length === 1 && !byteSeen.has(t[0] as number)) {
      byteSeen.add(t[0] as number);
      needed.add(id);
    }
  });
  for (const id of gpt2.merges) needed.add(id);
  const missing = [...needed].filter((id) => (fromGpt2[id] as number) < 0).sort((a, b) => a - b);
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map((id) => `${id} ${quote(bytesToVocabString(gpt2.tokens[id] as Uint8Array))}`);
    throw new FormatError(
      source,
      `${missing.length} GPT-2 token(s) that BPE can produce have no line: ${shown.join(', ')}${missing.length > 5 ? ', ...' : ''}`,
    );
  }
  const merges = gpt2.merges.map((id) => fromGpt2[id] as number);
  const specialTokens: SpecialToken[] = [...FAIRSEQ_SPECIALS, MASK].map((content) => ({
    id: indexOf.get(content) as number,
    content,
  }));
  return { model: { tokens, merges, specialTokens }, fromGpt2, symbols };
}
