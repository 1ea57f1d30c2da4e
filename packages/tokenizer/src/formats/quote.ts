// How format errors show a token or a character: quoted, so control and invisible characters stay readable.

/** A token or key quoted for an error message; JSON quoting keeps control and invisible characters readable. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

/** Names one character for an error message: the character itself and its code point. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `${quote(ch)} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}
