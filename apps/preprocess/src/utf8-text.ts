// Text handling on UTF-8 bytes: trimming, blank-line document splits and U+FFFD search, so documents go from the file
// to the tokenizer's workers without being decoded to strings and encoded again on this thread.

/** Bytes of a JS whitespace or line terminator (what String.prototype.trim removes) ending at `end`, or 0. */
function whitespaceBefore(b: Uint8Array, end: number): number {
  const c = b[end - 1] as number;
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return 1;
  if (c < 0x80) return 0;
  if (end >= 2 && b[end - 2] === 0xc2 && c === 0xa0) return 2; // U+00A0
  if (end < 3) return 0;
  return isWide(b[end - 3] as number, b[end - 2] as number, c) ? 3 : 0;
}

/** Bytes of a JS whitespace or line terminator starting at `at`, or 0. */
function whitespaceAt(b: Uint8Array, at: number, end: number): number {
  const c = b[at] as number;
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return 1;
  if (c < 0x80) return 0;
  if (c === 0xc2 && at + 1 < end && b[at + 1] === 0xa0) return 2;
  if (at + 2 >= end) return 0;
  return isWide(c, b[at + 1] as number, b[at + 2] as number) ? 3 : 0;
}

/** The three-byte whitespace: U+1680, U+2000-200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF. */
function isWide(a: number, b: number, c: number): boolean {
  if (a === 0xe2)
    return (b === 0x80 && (c <= 0x8a || c === 0xa8 || c === 0xa9 || c === 0xaf)) || (b === 0x81 && c === 0x9f);
  return (
    (a === 0xe1 && b === 0x9a && c === 0x80) ||
    (a === 0xe3 && b === 0x80 && c === 0x80) ||
    (a === 0xef && b === 0xbb && c === 0xbf)
  );
}

/** `[start, end)` without leading and trailing whitespace, as String.prototype.trim would leave the decoded text. */
export function trimRange(b: Uint8Array, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (e > s) {
    const n = whitespaceBefore(b, e);
    if (n === 0 || e - n < s) break;
    e -= n;
  }
  while (s < e) {
    const n = whitespaceAt(b, s, e);
    if (n === 0) break;
    s += n;
  }
  return [s, e];
}

/** Whether the line `[start, end)` (no '\n') is blank: only spaces, tabs, form feeds, vertical tabs, then maybe '\r'. */
function isBlankLine(b: Uint8Array, start: number, end: number): boolean {
  let e = end;
  if (e > start && b[e - 1] === 0x0d) e--;
  for (let i = start; i < e; i++) {
    const c = b[i] as number;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0c && c !== 0x0b) return false;
  }
  return true;
}

/**
 * Documents of a text separated by blank lines, each trimmed, as views into `b`; empty ones are kept (as empty
 * views) so they can be counted. The same pieces as `text.split(/\r?\n(?:[ \t\f\v]*\r?\n)+/).map(trim)`.
 */
export function splitOnBlankLines(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let docStart = 0;
  let lineStart = 0;
  // the end of the last non-blank line: where a document stops when blank lines follow it
  let docEnd = 0;
  let sawBlank = false;
  while (lineStart <= b.length) {
    let nl = b.indexOf(0x0a, lineStart);
    if (nl < 0) nl = b.length;
    const blank = lineStart > 0 && nl < b.length && isBlankLine(b, lineStart, nl);
    if (blank) sawBlank = true;
    else {
      if (sawBlank) {
        const [s, e] = trimRange(b, docStart, docEnd);
        out.push(b.subarray(s, e));
        docStart = lineStart;
        sawBlank = false;
      }
      docEnd = nl;
    }
    lineStart = nl + 1;
  }
  // the text after the last '\n' always counts as a line, so the last document is still open here
  const [s, e] = trimRange(b, docStart, b.length);
  out.push(b.subarray(s, e));
  return out;
}

/** Whether a document is nothing but whitespace. */
export function isBlank(doc: Uint8Array): boolean {
  const [s, e] = trimRange(doc, 0, doc.length);
  return e === s;
}

/** UTF-8 of U+FFFD, what decoding puts where bytes were invalid. */
const REPLACEMENT = Uint8Array.of(0xef, 0xbf, 0xbd);

export function hasReplacement(doc: Uint8Array): boolean {
  return Buffer.from(doc.buffer, doc.byteOffset, doc.byteLength).indexOf(REPLACEMENT) >= 0;
}
