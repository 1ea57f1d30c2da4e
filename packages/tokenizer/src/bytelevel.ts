// GPT-2's byte-level alphabet: each of the 256 byte values is written as one printable Unicode character in vocab files.

const byteToChar: string[] = new Array(256);
const charToByte = new Map<string, number>();

// Printable Latin-1 bytes stand for themselves; the other 68 bytes are moved to U+0100 upwards in byte order, so
// every byte has a visible, non-whitespace character (the mapping GPT-2's encoder.py defines as bytes_to_unicode).
{
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    const ch = String.fromCharCode(printable ? b : next++);
    byteToChar[b] = ch;
    charToByte.set(ch, b);
  }
}

/** Writes bytes in the byte-level alphabet (how vocab.json, merges.txt and tokenizer.json spell tokens). */
export function bytesToVocabString(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += byteToChar[b];
  return s;
}

/** Reads a byte-level spelled token back to bytes; returns undefined if a character is outside the alphabet. */
export function vocabStringToBytes(s: string): Uint8Array | undefined {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const b = charToByte.get(s[i] as string);
    if (b === undefined) return undefined;
    out[i] = b;
  }
  return out;
}

/** The 256 characters of the alphabet in byte order. */
export function byteLevelAlphabet(): string[] {
  return [...byteToChar];
}
