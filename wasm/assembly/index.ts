// Exports of the BPE core. The host writes vocabulary and text bytes into linear memory (alloc) and reads ids back.
// No I/O, no strings: everything crosses as pointers and lengths.
import { bpe, setByteIds } from './bpe';
import { hashPiece, lookup, remember, setupCache } from './cache';
import { classOf } from './chars';
import { buildMerges } from './merges';
import { pieceEnd } from './scanner';
import { UNICODE_VERSION } from './unicode_tables';

let byteIds: usize = 0;
let tokenLens: usize = 0;
let tokenCount: u32 = 0;

export function alloc(size: usize): usize {
  return heap.alloc(size);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

/**
 * Installs a model: byteIdsPtr = 256 u32 (the id of each single-byte token), lensPtr = tokenCount u32 (byte length of
 * each id, for offsets), triplesPtr = mergeCount (left, right, result) u32 triples in rank order. The core keeps the
 * first two buffers (the host must not free them) and copies the merges. cacheLog2 = log2 of cache slots, 0 = none.
 */
export function setModel(
  byteIdsPtr: usize,
  lensPtr: usize,
  count: u32,
  triplesPtr: usize,
  mergeCount: u32,
  cacheLog2: u32,
): void {
  byteIds = byteIdsPtr;
  tokenLens = lensPtr;
  tokenCount = count;
  setByteIds(byteIdsPtr);
  buildMerges(triplesPtr, mergeCount);
  setupCache(cacheLog2);
}

let consumedBytes: u32 = 0;

/** Bytes of input the last encode() call turned into tokens (the rest must be passed again with more text). */
export function consumed(): u32 {
  return consumedBytes;
}

/**
 * Encodes len bytes of UTF-8 at text: writes ids (u32) to idsOut and, unless startsOut is 0, the byte offset where
 * each token starts (u32) to startsOut. Both need room for len entries. Returns the token count.
 * Streaming: when final is 0 the text is a chunk cut at a character boundary; a piece ending within 4 bytes of the
 * chunk's end may continue in the next chunk, so it is held back (see consumed()) rather than encoded.
 */
export function encode(text: usize, len: u32, idsOut: usize, startsOut: usize, final: u32): u32 {
  const end = text + len;
  let p = text;
  let n: u32 = 0;
  while (p < end) {
    const q = pieceEnd(p, end);
    if (final == 0 && q + 4 > end) break;
    const size = <u32>(q - p);
    const out = idsOut + ((<usize>n) << 2);
    let count: u32;
    if (size == 1) {
      store<u32>(out, load<u32>(byteIds + ((<usize>load<u8>(p)) << 2)));
      count = 1;
    } else {
      const h = hashPiece(p, size);
      count = lookup(p, size, h, out);
      if (count == 0) {
        count = bpe(p, size, out);
        remember(p, size, h, out, count);
      }
    }
    if (startsOut != 0) {
      let at = <u32>(p - text);
      for (let k: u32 = 0; k < count; k++) {
        store<u32>(startsOut + ((<usize>(n + k)) << 2), at);
        const id = load<u32>(out + ((<usize>k) << 2));
        at += id < tokenCount ? load<u32>(tokenLens + ((<usize>id) << 2)) : 0;
      }
    }
    n += count;
    p = q;
  }
  consumedBytes = <u32>(p - text);
  return n;
}

/** Splits len bytes at text into GPT-2 pre-tokens, writing the end offset (u32) of each to endsOut; returns the count. */
export function pretokenize(text: usize, len: u32, endsOut: usize): u32 {
  const end = text + len;
  let p = text;
  let n: u32 = 0;
  while (p < end) {
    p = pieceEnd(p, end);
    store<u32>(endsOut + ((<usize>n) << 2), <u32>(p - text));
    n++;
  }
  return n;
}

/** Character class of a code point (0 other, 1 letter, 2 number, 3 whitespace), for the table test. */
export function charClass(cp: u32): u32 {
  return classOf(cp);
}

/** Unicode version of the class tables, as a number: major * 100 + minor. */
export function unicodeVersion(): u32 {
  const dot = UNICODE_VERSION.indexOf('.');
  return <u32>(
    (I32.parseInt(UNICODE_VERSION.substring(0, dot)) * 100 + I32.parseInt(UNICODE_VERSION.substring(dot + 1)))
  );
}
