// GPT-2's pre-tokenizer as a scanner over UTF-8, equal to the regex
// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+  with \s = \p{White_Space}.
import { charLen, classAt, SPACE } from './chars';

/** End (exclusive) of the run of characters of class `cls` starting at p. */
// @ts-ignore: decorator
@inline
function runEnd(p: usize, end: usize, cls: u32): usize {
  while (p < end) {
    if (classAt(p, end) != cls) break;
    p += charLen;
  }
  return p;
}

/** Length of a contraction ('s 't 'm 'd 're 've 'll) at p, or 0. */
// @ts-ignore: decorator
@inline
function contraction(p: usize, end: usize): usize {
  if (p + 1 >= end) return 0;
  const c1 = load<u8>(p + 1);
  if (c1 == 0x73 || c1 == 0x74 || c1 == 0x6d || c1 == 0x64) return 2; // s t m d
  if (p + 2 >= end) return 0;
  const c2 = load<u8>(p + 2);
  if ((c1 == 0x72 && c2 == 0x65) || (c1 == 0x76 && c2 == 0x65) || (c1 == 0x6c && c2 == 0x6c)) return 3; // re ve ll
  return 0;
}

/** End (exclusive) of the pre-token that starts at p < end. */
export function pieceEnd(p: usize, end: usize): usize {
  const b0 = load<u8>(p);
  if (b0 == 0x27) {
    const n = contraction(p, end);
    if (n != 0) return p + n;
  }
  const cls = classAt(p, end);
  let q = p + charLen;
  if (b0 == 0x20 && q < end) {
    // ' ?X+': a single U+0020 joins the following run of letters, numbers or other symbols
    const next = classAt(q, end);
    if (next != SPACE) return runEnd(q + charLen, end, next);
  }
  if (cls != SPACE) return runEnd(q, end, cls);
  // whitespace: \s+(?!\S) leaves the last space for the next token when a non-space follows; \s+ otherwise
  let last = p;
  while (q < end) {
    if (classAt(q, end) != SPACE) return last > p ? last : q;
    last = q;
    q += charLen;
  }
  return end;
}
