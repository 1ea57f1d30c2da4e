// Finds special tokens (`<s>`, `<mask>`, ...) inside input text according to an explicit policy.
import type { SpecialToken } from './model.js';

/**
 * What to do with special-token strings that occur in input text:
 * - `'plain'` (the default): they are ordinary text and go through BPE like any other characters;
 * - `'all'`: every special token of the vocabulary is recognised and emitted as its id;
 * - a list of contents: those are recognised, the others are plain text;
 * - `'error'`: any special-token string in the text throws, naming it and where it is.
 */
export type SpecialPolicy = 'plain' | 'all' | 'error' | readonly string[];

/** A stretch of the input: plain text starting at `start` (UTF-16 index), or one special token there. */
export type Segment = { start: number; text: string } | { start: number; end: number; special: SpecialToken };

const WHITE_SPACE = /\p{White_Space}/u;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds a splitter for a vocabulary's special tokens (cached per policy by the caller). */
export function specialMatcher(specials: readonly SpecialToken[], policy: SpecialPolicy): RegExp | undefined {
  if (policy === 'plain') return undefined;
  let chosen: readonly SpecialToken[] = specials;
  if (Array.isArray(policy)) {
    const known = new Map(specials.map((s) => [s.content, s]));
    chosen = policy.map((c) => {
      const s = known.get(c);
      if (!s) throw new Error(`special token ${JSON.stringify(c)} is not one of this vocabulary's special tokens`);
      return s;
    });
  }
  if (chosen.length === 0) return undefined;
  // longest first, so that at one position the longest special token wins
  const alternatives = [...chosen]
    .sort((a, b) => b.content.length - a.content.length)
    .map((s) => escapeRegExp(s.content));
  return new RegExp(alternatives.join('|'), 'g');
}

/** Splits text into plain segments and special tokens; lstrip/rstrip tokens take the whitespace beside them. */
export function splitSpecials(
  text: string,
  specials: readonly SpecialToken[],
  matcher: RegExp | undefined,
  policy: SpecialPolicy,
): Segment[] {
  if (!matcher) return [{ start: 0, text }];
  const byContent = new Map(specials.map((s) => [s.content, s]));
  const out: Segment[] = [];
  let at = 0;
  matcher.lastIndex = 0;
  for (let m = matcher.exec(text); m !== null; m = matcher.exec(text)) {
    const special = byContent.get(m[0]) as SpecialToken;
    if (policy === 'error') {
      throw new Error(
        `text contains the special token ${JSON.stringify(m[0])} at index ${m.index}; pass special: 'all' (or a list) ` +
          `to encode it as a special token, or special: 'plain' to encode it as text`,
      );
    }
    let start = m.index;
    let end = start + m[0].length;
    if (special.lstrip) while (start > at && WHITE_SPACE.test(text[start - 1] as string)) start--;
    if (special.rstrip) while (end < text.length && WHITE_SPACE.test(text[end] as string)) end++;
    if (start > at) out.push({ start: at, text: text.slice(at, start) });
    out.push({ start, end, special });
    at = end;
    matcher.lastIndex = end;
  }
  if (at < text.length || out.length === 0) out.push({ start: at, text: text.slice(at) });
  return out;
}
