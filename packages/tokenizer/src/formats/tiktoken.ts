// tiktoken rank files (`.tiktoken`: one `base64 rank` a line): parse, deriving the merge list that ranks imply.
import { FormatError } from '@robusta/cli-kit/errors';
import type { BpeModel, SpecialToken } from '../model.js';
import { describeJson, isJsonObject, parseJson } from './json.js';
import { quote } from './quote.js';
import { MAX_ID } from './vocab.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(s: string): Uint8Array | undefined {
  if (s === '' || !BASE64.test(s)) return undefined;
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Bytes as a string of char codes 0-255: a cheap Map key. */
function key(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

export interface TiktokenOptions {
  /** Special tokens with their ids (tiktoken keeps them outside the rank file), e.g. `<|endoftext|>` = 50256. */
  specialTokens?: readonly SpecialToken[];
}

/**
 * Parses a tiktoken rank file into a model whose ids are the ranks. Lines are `base64 rank`; the compact form the npm
 * `tiktoken` package embeds (`! start base64 base64 ...`, ranks counting up from start) is accepted too.
 *
 * Merges are derived: for each multi-byte token in rank order, byte-pair merging over its bytes using only tokens of
 * lower rank must end in exactly two parts (a, b), giving the merge (a, b) -> token with the token's rank as priority.
 */
export function parseTiktokenRanks(text: string, source: string, options: TiktokenOptions = {}): BpeModel {
  if (text.trim() === '') throw new FormatError(source, 'empty file, expected "base64 rank" lines');
  const tokens: (Uint8Array | undefined)[] = [];
  const lineOf: number[] = [];
  const rankOf = new Map<string, number>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const add = (b64: string, rank: number, line: number) => {
    const fail = (detail: string): never => {
      throw new FormatError(source, detail, line);
    };
    const bytes = decodeBase64(b64);
    if (!bytes) fail(`${quote(b64)} is not base64`);
    if (!Number.isInteger(rank) || rank < 0 || rank > MAX_ID)
      fail(`rank must be a non-negative integer, found ${rank}`);
    if (tokens[rank] !== undefined) fail(`duplicate rank ${rank} (first at line ${lineOf[rank]})`);
    const k = key(bytes as Uint8Array);
    const other = rankOf.get(k);
    if (other !== undefined) fail(`duplicate token ${quote(b64)} (first at line ${lineOf[other]})`);
    rankOf.set(k, rank);
    while (tokens.length < rank) tokens.push(undefined);
    tokens[rank] = bytes;
    lineOf[rank] = line;
  };
  lines.forEach((raw, i) => {
    const row = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const parts = row.split(' ');
    if (parts[0] === '!') {
      const start = Number(parts[1]);
      for (let j = 2; j < parts.length; j++) add(parts[j] as string, start + j - 2, i + 1);
      return;
    }
    if (parts.length !== 2 || !/^\d+$/.test(parts[1] as string)) {
      throw new FormatError(source, `expected "base64 rank", found ${quote(row)}`, i + 1);
    }
    add(parts[0] as string, Number(parts[1]), i + 1);
  });

  const merges: number[] = [];
  tokens.forEach((bytes, rank) => {
    if (!bytes || bytes.length < 2) return;
    const fail = (detail: string): never => {
      throw new FormatError(source, `token ${quote(key(bytes))} (rank ${rank}): ${detail}`, lineOf[rank]);
    };
    const parts = Array.from(bytes, (b) => {
      const r = rankOf.get(String.fromCharCode(b));
      return r === undefined ? fail(`byte 0x${b.toString(16).padStart(2, '0')} has no token`) : r;
    });
    for (;;) {
      let best = -1;
      let bestRank = rank;
      let bestResult = 0;
      for (let j = 0; j + 1 < parts.length; j++) {
        const a = tokens[parts[j] as number] as Uint8Array;
        const b = tokens[parts[j + 1] as number] as Uint8Array;
        const r = rankOf.get(key(a) + key(b));
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = j;
          bestResult = r;
        }
      }
      if (best < 0) break;
      parts.splice(best, 2, bestResult);
    }
    if (parts.length !== 2) {
      fail(`merging lower-ranked tokens gives ${parts.length} parts (${parts.join(', ')}), expected exactly two`);
    }
    merges.push(parts[0] as number, parts[1] as number, rank);
  });

  // A special's id gets the UTF-8 bytes of its content (what decoding it gives), after merges are derived.
  const specialTokens = [...(options.specialTokens ?? [])];
  for (const s of specialTokens) {
    if (tokens[s.id] !== undefined) {
      throw new FormatError(source, `special token ${quote(s.content)} has id ${s.id}, which is a rank in the file`);
    }
    while (tokens.length < s.id) tokens.push(undefined);
    tokens[s.id] = new TextEncoder().encode(s.content);
  }
  return { tokens, merges: Uint32Array.from(merges), specialTokens };
}

/** An encoding bundle of the npm `tiktoken` package (`encoders/*.json`): ranks, special tokens and split pattern. */
export interface TiktokenBundle {
  model: BpeModel;
  /** The pre-tokenizer regex in tiktoken's (Rust) syntax; only GPT-2's is what our BPE implements. */
  pattern: string;
  /** The vocabulary size the bundle declares, when it declares one. */
  explicitVocabSize?: number;
}

/** Parses an npm `tiktoken` bundle: `{pat_str, special_tokens: {content: id}, bpe_ranks, explicit_n_vocab?}`. */
export function parseTiktokenBundle(text: string, source: string): TiktokenBundle {
  const json = parseJson(text, source);
  if (!isJsonObject(json)) throw new FormatError(source, `expected an object, found ${describeJson(json)}`);
  const { pat_str, special_tokens, bpe_ranks, explicit_n_vocab } = json;
  const fail = (k: string, expected: string, v: unknown): never => {
    throw new FormatError(source, `${k}: expected ${expected}, found ${describeJson(v as undefined)}`);
  };
  if (typeof pat_str !== 'string') fail('pat_str', 'a string', pat_str);
  if (typeof bpe_ranks !== 'string') fail('bpe_ranks', 'a string', bpe_ranks);
  const specials: SpecialToken[] = [];
  if (special_tokens !== undefined) {
    if (!isJsonObject(special_tokens)) fail('special_tokens', 'an object', special_tokens);
    for (const [content, id] of Object.entries(special_tokens as object)) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) fail(`special_tokens.${content}`, 'an id', id);
      specials.push({ id, content });
    }
  }
  const model = parseTiktokenRanks(bpe_ranks as string, `${source}: bpe_ranks`, { specialTokens: specials });
  const size = model.tokens.length > 0 ? Math.max(model.tokens.length, ...specials.map((s) => s.id + 1)) : 0;
  if (explicit_n_vocab !== undefined && explicit_n_vocab !== size)
    fail('explicit_n_vocab', String(size), explicit_n_vocab);
  return {
    model,
    pattern: pat_str as string,
    ...(typeof explicit_n_vocab === 'number' ? { explicitVocabSize: explicit_n_vocab } : {}),
  };
}

/**
 * A model's tokens as the text of a `.tiktoken` rank file (ids as ranks, special tokens left out). Throws unless the
 * model's merges are exactly the ones its ranks imply, since the file cannot hold any others.
 */
export function toTiktokenRanks(model: BpeModel): string {
  const special = new Set(model.specialTokens.map((s) => s.id));
  const lines: string[] = [];
  model.tokens.forEach((bytes, id) => {
    if (bytes && !special.has(id)) lines.push(`${btoa(key(bytes))} ${id}\n`);
  });
  const text = lines.join('');
  const derived = parseTiktokenRanks(text, 'saved ranks').merges;
  const same = derived.length === model.merges.length && derived.every((v, i) => v === model.merges[i]);
  if (!same) throw new Error('tiktoken: the model has merges that its token ranks do not imply');
  return text;
}
