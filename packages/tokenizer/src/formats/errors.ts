// The error every format parser throws: the message starts with the file name (and line), as `merges.txt:17: ...`.

/** A malformed or unsupported file. `source` is the file name the caller gave; `line` is 1-based when known. */
export class FormatError extends Error {
  override name = 'FormatError';
  constructor(
    readonly source: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${source}${line === undefined ? '' : `:${line}`}${column === undefined ? '' : `:${column}`}: ${detail}`);
  }
}

/** A token or key quoted for an error message; JSON quoting keeps control and invisible characters readable. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

/** Names one character for an error message: the character itself and its code point. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `${quote(ch)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}
