// Many texts' ids packed back to back into one reusable array: what shard writers want, with no array per text.
import type { Tokenizer } from './tokenizer.js';

/** The element type packed ids are stored in. */
export type PackedDtype = 'uint16' | 'uint32';

/** Ask for all ids of a chunk back to back in one array of `dtype`, written into `reuse` when it is large enough. */
export interface PackRequest {
  dtype: PackedDtype;
  reuse: ArrayBuffer | undefined;
}

/** A chunk's ids back to back: text i's are `ids[sum(lengths[0..i)) ..][..lengths[i]]`. */
export interface PackedIds {
  ids: Uint16Array | Uint32Array;
  lengths: Uint32Array;
}

/** Ids to make room for when packing `textBytes` of UTF-8: English runs ~4 bytes a token, so 3 leaves headroom. */
export function idCapacity(textBytes: number): number {
  return Math.max(1024, Math.ceil(textBytes / 3));
}

/**
 * Ids of every text of a utf8 chunk, packed into one array (the request's buffer when it is large enough): no array
 * per text is made here or on the other side.
 */
export function encodePacked(tok: Tokenizer, bytes: Uint8Array, ends: Uint32Array, pack: PackRequest): PackedIds {
  const Kind = pack.dtype === 'uint16' ? Uint16Array : Uint32Array;
  // grown by doubling when a chunk needs more
  const reuse = pack.reuse && pack.reuse.byteLength % Kind.BYTES_PER_ELEMENT === 0 ? pack.reuse : undefined;
  const textBytes = ends.length === 0 ? 0 : (ends[ends.length - 1] as number);
  let ids = new Kind(reuse ?? new ArrayBuffer(Kind.BYTES_PER_ELEMENT * idCapacity(textBytes)));
  const lengths = new Uint32Array(ends.length);
  let at = 0;
  let start = 0;
  ends.forEach((end, i) => {
    lengths[i] = tok.encodeBytesEach(bytes.subarray(start, end), (piece) => {
      if (at + piece.length > ids.length) {
        const grown = new Kind(Math.max(2 * ids.length, at + piece.length));
        grown.set(ids.subarray(0, at));
        ids = grown;
      }
      ids.set(piece, at); // to uint16 by truncation: the pool allows uint16 only for vocabularies of <= 65,536 ids
      at += piece.length;
    });
    start = end;
  });
  return { ids: ids.subarray(0, at), lengths };
}
