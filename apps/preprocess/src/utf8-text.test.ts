// The byte-level text helpers agree with String.prototype.trim and the blank-line regex split on random texts.
import { describe, expect, it } from 'vitest';
import { hasReplacement, isBlank, splitOnBlankLines, trimRange } from './utf8-text.js';

// every kind of character the helpers branch on: ASCII and Unicode whitespace, line ends, multi-byte non-space
const ALPHABET = [
  'a',
  ' ',
  '\t',
  '\r',
  '\n',
  '\n',
  '\u00a0',
  '\u3000',
  'é',
  '\f',
  '\v',
  '\u2028',
  '\ufeff',
  '\u1680',
  '漢',
  '\u200a',
  '\u200b',
];

function randomText(rand: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

describe('utf8-text', () => {
  it('trims exactly what String.prototype.trim trims', () => {
    const rand = mulberry32(1);
    for (let n = 0; n < 5000; n++) {
      const text = randomText(rand, Math.floor(rand() * 12));
      const b = enc.encode(text);
      const [s, e] = trimRange(b, 0, b.length);
      expect({ text, got: dec.decode(b.subarray(s, e)) }).toEqual({ text, got: text.trim() });
      expect(isBlank(b)).toBe(text.trim() === '');
    }
  });

  it('splits on blank lines as the regex split does', () => {
    const rand = mulberry32(2);
    for (let n = 0; n < 5000; n++) {
      const text = randomText(rand, Math.floor(rand() * 24));
      const got = splitOnBlankLines(enc.encode(text)).map((d) => dec.decode(d));
      const want = text.split(/\r?\n(?:[ \t\f\v]*\r?\n)+/).map((d) => d.trim());
      expect({ text, got }).toEqual({ text, got: want });
    }
    expect(splitOnBlankLines(enc.encode('one\n\ntwo\r\n \r\nthree\nstill three')).map((d) => dec.decode(d))).toEqual([
      'one',
      'two',
      'three\nstill three',
    ]);
  });

  it('finds U+FFFD', () => {
    expect(hasReplacement(enc.encode('a\ufffdb'))).toBe(true);
    expect(hasReplacement(enc.encode('ab'))).toBe(false);
  });
});
