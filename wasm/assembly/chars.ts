// UTF-8 decoding and character classes for the pre-tokenizer scanner.
import { ASCII_CLASS, STAGE1, STAGE2 } from './unicode_tables';

export const OTHER: u32 = 0;
export const LETTER: u32 = 1;
export const NUMBER: u32 = 2;
export const SPACE: u32 = 3;

/** Class of a code point (0 other, 1 letter, 2 number, 3 whitespace). */
// @ts-ignore: decorator
@inline
export function classOf(cp: u32): u32 {
  if (cp < 0x80) return <u32>load<u8>(changetype<usize>(ASCII_CLASS) + cp);
  if (cp > 0x10ffff) return OTHER;
  const block = <u32>load<u16>(changetype<usize>(STAGE1) + ((<usize>(cp >> 8)) << 1));
  const lo = cp & 0xff;
  const byte = <u32>load<u8>(changetype<usize>(STAGE2) + (<usize>block << 6) + (lo >> 2));
  return (byte >> ((lo & 3) << 1)) & 3;
}

/** Length in bytes of the character at p (1 for an invalid byte, which the scanner treats as class "other"). */
export let charLen: u32 = 1;

/** Decodes the code point at p (end exclusive); sets charLen. Invalid sequences yield 0xFFFFFFFF with length 1. */
// @ts-ignore: decorator
@inline
export function decodeAt(p: usize, end: usize): u32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0x80) {
    charLen = 1;
    return b0;
  }
  if (b0 >= 0xc2 && b0 <= 0xdf && p + 1 < end) {
    const b1 = <u32>load<u8>(p + 1);
    if ((b1 & 0xc0) == 0x80) {
      charLen = 2;
      return ((b0 & 0x1f) << 6) | (b1 & 0x3f);
    }
  } else if (b0 >= 0xe0 && b0 <= 0xef && p + 2 < end) {
    const b1 = <u32>load<u8>(p + 1);
    const b2 = <u32>load<u8>(p + 2);
    if ((b1 & 0xc0) == 0x80 && (b2 & 0xc0) == 0x80) {
      const cp = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      // reject overlong forms and UTF-16 surrogates
      if (cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff)) {
        charLen = 3;
        return cp;
      }
    }
  } else if (b0 >= 0xf0 && b0 <= 0xf4 && p + 3 < end) {
    const b1 = <u32>load<u8>(p + 1);
    const b2 = <u32>load<u8>(p + 2);
    const b3 = <u32>load<u8>(p + 3);
    if ((b1 & 0xc0) == 0x80 && (b2 & 0xc0) == 0x80 && (b3 & 0xc0) == 0x80) {
      const cp = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
      if (cp >= 0x10000 && cp <= 0x10ffff) {
        charLen = 4;
        return cp;
      }
    }
  }
  charLen = 1;
  return 0xffffffff;
}

/** Class of the character at p; sets charLen. */
// @ts-ignore: decorator
@inline
export function classAt(p: usize, end: usize): u32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0x80) {
    charLen = 1;
    return <u32>load<u8>(changetype<usize>(ASCII_CLASS) + b0);
  }
  return classOf(decodeAt(p, end));
}
