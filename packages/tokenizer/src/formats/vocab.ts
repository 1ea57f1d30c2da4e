// Shared by vocab.json/merges.txt and tokenizer.json: checks a token->id map and a merge list, and builds a BpeModel.
import { FormatError } from '@robusta/cli-kit/errors';
import { vocabStringToBytes } from '../bytelevel.js';
import { describeJson, type JsonObject } from './json.js';
import { describeChar, quote } from './quote.js';

/** Ids above this are refused: they would make `tokens` a huge sparse array, and no real vocabulary comes close. */
export const MAX_ID = 0x7fffffff;

/** Where a vocabulary came from, for error messages: `label` prefixes the detail (`model.vocab: `, or empty). */
export interface VocabSource {
  source: string;
  label: string;
}

/** A vocabulary checked and decoded: byte strings by id, and the id of each spelled token. */
export interface CheckedVocab {
  tokens: (Uint8Array | undefined)[];
  idOf: Map<string, number>;
}

/**
 * Checks ids (non-negative integers, each used once) and spelling (every character in the byte-level alphabet,
 * except for tokens in `specials`, which may be any text and then have no bytes).
 */
export function checkVocab(vocab: JsonObject, specials: ReadonlySet<string>, where: VocabSource): CheckedVocab {
  const fail = (detail: string): never => {
    throw new FormatError(where.source, where.label + detail);
  };
  const idOf = new Map<string, number>();
  const byId = new Map<number, string>();
  const tokens: (Uint8Array | undefined)[] = [];
  for (const token of Object.keys(vocab)) {
    const id = vocab[token];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID) {
      fail(`token ${quote(token)}: id must be a non-negative integer, found ${describeJson(id)}`);
    }
    const n = id as number;
    const other = byId.get(n);
    if (other !== undefined) fail(`duplicate id ${n}: used by ${quote(other)} and ${quote(token)}`);
    byId.set(n, token);
    idOf.set(token, n);
    const bytes = vocabStringToBytes(token);
    if (bytes === undefined && !specials.has(token)) {
      const bad = [...token].find((ch) => vocabStringToBytes(ch) === undefined) as string;
      fail(`token ${quote(token)} (id ${n}) has character ${describeChar(bad)} outside the byte-level alphabet`);
    }
    while (tokens.length < n) tokens.push(undefined);
    tokens[n] = bytes;
  }
  if (idOf.size === 0) fail('the vocabulary is empty');
  return { tokens, idOf };
}

/** One merge rule as written in a file, with a function that throws an error pointing at it. */
export interface MergeSpelling {
  left: string;
  right: string;
}

/**
 * Resolves merges spelled as token pairs into (left, right, result) id triples. `fail(i, detail)` must throw an error
 * naming merge i's place in the file. A merge must name known tokens, its result `left+right` must be in the
 * vocabulary, and no pair may appear twice (HF and GPT-2 would disagree on which rank wins).
 */
export function resolveMerges(
  merges: readonly MergeSpelling[],
  vocab: CheckedVocab,
  fail: (i: number, detail: string) => never,
): Uint32Array {
  const out = new Uint32Array(merges.length * 3);
  const seen = new Map<string, number>();
  merges.forEach(({ left, right }, i) => {
    const l = vocab.idOf.get(left);
    if (l === undefined) fail(i, `unknown token ${quote(left)}`);
    const r = vocab.idOf.get(right);
    if (r === undefined) fail(i, `unknown token ${quote(right)}`);
    const res = vocab.idOf.get(left + right);
    if (res === undefined) fail(i, `merge result ${quote(left + right)} is not in the vocabulary`);
    for (const [token, id] of [
      [left, l],
      [right, r],
    ] as const) {
      if (vocab.tokens[id as number] === undefined)
        fail(i, `merge uses special token ${quote(token)}, which has no bytes`);
    }
    const key = `${l},${r}`;
    const first = seen.get(key);
    if (first !== undefined) fail(i, `duplicate merge ${quote(`${left} ${right}`)} (first as merge ${first + 1})`);
    seen.set(key, i);
    out[3 * i] = l as number;
    out[3 * i + 1] = r as number;
    out[3 * i + 2] = res as number;
  });
  return out;
}
