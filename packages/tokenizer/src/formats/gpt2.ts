// GPT-2's encoder.json + vocab.bpe, which is the same format as Hugging Face's vocab.json + merges.txt: parse and write.
import { FormatError } from '@robusta/cli-kit/errors';
import type { BpeModel, SpecialToken } from '../model.js';
import { isJsonObject, parseJson } from './json.js';
import { quote } from './quote.js';
import { mergeSpellings, vocabEntries } from './spellings.js';
import { checkVocab, type MergeSpelling, resolveMerges } from './vocab.js';

/**
 * Tokens treated as special when present and the caller names none: GPT-2's and RoBERTa's. The files themselves do
 * not say which tokens are special; HF's GPT2Tokenizer and RobertaTokenizer assume these.
 */
export const DEFAULT_SPECIAL_TOKENS: readonly string[] = ['<|endoftext|>', '<s>', '<pad>', '</s>', '<unk>', '<mask>'];

export interface VocabMergesOptions {
  /**
   * Contents of the special tokens. Default: those of DEFAULT_SPECIAL_TOKENS present in the vocabulary. Named ones
   * must be present; they may use characters outside the byte-level alphabet (then their id has no bytes).
   */
  specialTokens?: readonly string[];
}

/** Reads the `left right` lines of a merges file (an optional `#version` first line, then one merge per line). */
export function parseMergesText(text: string, source: string): { merges: MergeSpelling[]; lines: number[] } {
  if (text.trim() === '') throw new FormatError(source, 'empty file, expected a "#version: 0.2" line and merges');
  const rows = text.split('\n');
  if (rows[rows.length - 1] === '') rows.pop();
  const merges: MergeSpelling[] = [];
  const lines: number[] = [];
  rows.forEach((raw, i) => {
    const row = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (i === 0 && row.startsWith('#version')) return;
    const parts = row.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new FormatError(source, `expected two tokens separated by one space, found ${quote(row)}`, i + 1);
    }
    merges.push({ left: parts[0] as string, right: parts[1] as string });
    lines.push(i + 1);
  });
  return { merges, lines };
}

/** Parses vocab.json (token -> id) and merges.txt into a model. Sources are the file names used in errors. */
export function parseVocabAndMerges(
  vocabText: string,
  vocabSource: string,
  mergesText: string,
  mergesSource: string,
  options: VocabMergesOptions = {},
): BpeModel {
  const json = parseJson(vocabText, vocabSource);
  if (!isJsonObject(json)) throw new FormatError(vocabSource, 'expected a JSON object mapping tokens to ids');
  const named = options.specialTokens;
  const specials = new Set(named ?? DEFAULT_SPECIAL_TOKENS.filter((t) => Object.hasOwn(json, t)));
  const vocab = checkVocab(json, specials, { source: vocabSource, label: '' });
  const specialTokens: SpecialToken[] = [];
  for (const content of specials) {
    const id = vocab.idOf.get(content);
    if (id === undefined)
      throw new FormatError(vocabSource, `special token ${quote(content)} is not in the vocabulary`);
    specialTokens.push({ id, content });
  }
  const { merges, lines } = parseMergesText(mergesText, mergesSource);
  const triples = resolveMerges(merges, vocab, (i, detail) => {
    throw new FormatError(mergesSource, detail, lines[i]);
  });
  return { tokens: vocab.tokens, merges: triples, specialTokens };
}

/** The text of vocab.json (ids in increasing order) and merges.txt (`#version: 0.2`, then one `left right` a line). */
export function toVocabAndMerges(model: BpeModel): { vocab: string; merges: string } {
  const entries = vocabEntries(model, 'vocab.json');
  const vocab = `{${entries.map(([k, id]) => `${JSON.stringify(k)}:${id}`).join(',')}}\n`;
  return { vocab, merges: toMergesText(model) };
}

/** merges.txt text for a model. */
export function toMergesText(model: BpeModel): string {
  let out = '#version: 0.2\n';
  for (const [left, right] of mergeSpellings(model, 'merges.txt')) out += `${left} ${right}\n`;
  return out;
}
