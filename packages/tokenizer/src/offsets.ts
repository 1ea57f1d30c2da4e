// Maps token start offsets in UTF-8 bytes to [start, end) offsets in the JS string (UTF-16 code units).

/**
 * `starts` are the UTF-8 byte offsets where tokens begin (non-decreasing), `byteLength` the text's UTF-8 length.
 * Token k spans bytes [starts[k], starts[k+1]). A token that begins or ends inside a multi-byte character is given
 * the whole character (HF's rule), so the returned pairs always cut the string at character boundaries.
 * Returns 2 * count offsets: start, end per token.
 */
export function utf16Offsets(text: string, starts: Uint32Array, byteLength: number): Uint32Array {
  const n = starts.length;
  const out = new Uint32Array(2 * n);
  let u = 0; // UTF-16 index of the current character
  let b = 0; // UTF-8 byte offset of the current character
  // moves the cursor to the character containing byte x (its start); returns that UTF-16 index
  const floorTo = (x: number): number => {
    for (;;) {
      const w = charWidth(text, u);
      if (b + w.bytes > x || u >= text.length) return u;
      b += w.bytes;
      u += w.units;
    }
  };
  for (let k = 0; k < n; k++) {
    const s = starts[k] as number;
    out[2 * k] = floorTo(s);
    if (k > 0) {
      // the previous token ends where this one starts, rounded up to a character boundary
      out[2 * k - 1] = b === s ? u : u + charWidth(text, u).units;
    }
  }
  if (n > 0) {
    floorTo(byteLength);
    out[2 * n - 1] = b === byteLength ? u : text.length;
  }
  return out;
}

const width = { bytes: 0, units: 0 };

/** UTF-8 bytes and UTF-16 units of the character at index i (lone surrogates count as U+FFFD: 3 bytes). */
function charWidth(text: string, i: number): { bytes: number; units: number } {
  const c = text.charCodeAt(i);
  if (c < 0x80) {
    width.bytes = 1;
    width.units = 1;
  } else if (c < 0x800) {
    width.bytes = 2;
    width.units = 1;
  } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    const pair = d >= 0xdc00 && d <= 0xdfff;
    width.bytes = pair ? 4 : 3;
    width.units = pair ? 2 : 1;
  } else {
    width.bytes = 3;
    width.units = 1;
  }
  return width;
}
