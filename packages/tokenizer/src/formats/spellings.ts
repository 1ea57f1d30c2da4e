// What the writers spell out of a model: its token->id entries and its merges as pairs, checked that each is writable.
// Nothing here throws FormatError: a writer's model is in memory, not a malformed file.
import { bytesToVocabString } from '../bytelevel.js';
import type { BpeModel, SpecialToken } from '../model.js';
import { quote } from './quote.js';

/**
 * The token->id map a writer spells: each id's byte-level spelling, or a special's content where the id has no bytes.
 * Throws if a special's content differs from its id's spelling (one map key cannot hold both).
 */
export function vocabEntries(model: BpeModel, what: string): [string, number][] {
  const specialById = new Map<number, SpecialToken>();
  for (const s of model.specialTokens) specialById.set(s.id, s);
  const entries: [string, number][] = [];
  const seen = new Map<string, number>();
  const add = (key: string, id: number) => {
    const other = seen.get(key);
    if (other !== undefined) throw new Error(`${what}: ids ${other} and ${id} are both spelled ${quote(key)}`);
    seen.set(key, id);
    entries.push([key, id]);
  };
  const maxId = Math.max(model.tokens.length - 1, ...model.specialTokens.map((s) => s.id));
  for (let id = 0; id <= maxId; id++) {
    const bytes = model.tokens[id];
    const special = specialById.get(id);
    if (bytes) {
      const spelled = bytesToVocabString(bytes);
      if (special && special.content !== spelled) {
        throw new Error(
          `${what}: special token ${quote(special.content)} (id ${id}) differs from the id's bytes ${quote(spelled)}`,
        );
      }
      add(spelled, id);
    } else if (special) add(special.content, id);
  }
  return entries;
}

/** The merges of a model as (left, right) spellings; throws if a result is not the two parts joined. */
export function mergeSpellings(model: BpeModel, what: string): [string, string][] {
  const spell = (id: number): string => {
    const b = model.tokens[id];
    if (!b) throw new Error(`${what}: merge names id ${id}, which has no bytes`);
    return bytesToVocabString(b);
  };
  const out: [string, string][] = [];
  for (let i = 0; i * 3 < model.merges.length; i++) {
    const left = spell(model.merges[3 * i] as number);
    const right = spell(model.merges[3 * i + 1] as number);
    const result = spell(model.merges[3 * i + 2] as number);
    if (left + right !== result) {
      throw new Error(`${what}: merge ${i + 1} joins ${quote(left)} and ${quote(right)} into ${quote(result)}`);
    }
    out.push([left, right]);
  }
  return out;
}
