// How the pool cuts a batch into chunks for its workers and lays a chunk's texts out as UTF-8 back to back.
import { idCapacity, type PackedDtype } from './packed.js';
import type { ChunkInput } from './pool-protocol.js';

/** A batch's texts: strings, or documents already in UTF-8. */
export type Texts = readonly string[] | readonly Uint8Array[];

/** Smallest chunk worth a message round trip (UTF-16 units; about 0.3 ms of encoding). */
const MIN_CHUNK_CHARS = 32_768;

/**
 * Splits texts into contiguous runs for `workers` workers, largest first: each run takes 1/(4 x workers) of the
 * characters left, so the first runs are big (few messages) and the last ones small (workers finish together).
 */
export function contiguousChunks(
  texts: readonly { readonly length: number }[],
  workers: number,
): { start: number; end: number }[] {
  let left = texts.reduce((s, t) => s + t.length, 0);
  const out: { start: number; end: number }[] = [];
  let start = 0;
  let size = 0;
  let target = Math.max(MIN_CHUNK_CHARS, left / (4 * Math.max(1, workers)));
  for (let i = 0; i < texts.length; i++) {
    size += (texts[i] as { length: number }).length;
    if (size >= target || i === texts.length - 1) {
      out.push({ start, end: i + 1 });
      left -= size;
      start = i + 1;
      size = 0;
      target = Math.max(MIN_CHUNK_CHARS, left / (4 * Math.max(1, workers)));
    }
  }
  return out;
}

const utf8 = new TextEncoder();

/** A document's bytes with a leading space added if `addPrefixSpace` asks for one and it has none. */
export function prefixedBytes(doc: Uint8Array, addPrefixSpace: boolean): Uint8Array {
  if (!addPrefixSpace || doc.length === 0 || doc[0] === 0x20) return doc;
  const out = new Uint8Array(doc.length + 1);
  out[0] = 0x20;
  out.set(doc, 1);
  return out;
}

/**
 * Writes texts[start..end) as UTF-8 back to back, each with its prefix space, into a buffer from `reuse` (asked for
 * the bytes needed if all is ASCII; grown if too small) or a new one.
 */
export function utf8Chunk(
  texts: Texts,
  start: number,
  end: number,
  addPrefixSpace: boolean,
  reuse?: (bytes: number) => ArrayBuffer | undefined,
): ChunkInput & { kind: 'utf8' } {
  let chars = 0;
  for (let i = start; i < end; i++) chars += (texts[i] as { length: number }).length + 1;
  // most text is one byte per UTF-16 unit; wider text grows the buffer below, and the grown one is kept for reuse
  const spare = reuse?.(chars);
  let bytes: Uint8Array =
    spare && spare.byteLength >= chars ? new Uint8Array(spare) : new Uint8Array(Math.ceil(chars * 1.25) + 64);
  const ends = new Uint32Array(end - start);
  let at = 0;
  for (let i = start; i < end; i++) {
    const text = texts[i] as string | Uint8Array;
    if (addPrefixSpace && text.length > 0 && (typeof text === 'string' ? !text.startsWith(' ') : text[0] !== 0x20)) {
      if (at >= bytes.length) bytes = grown(bytes, at, 1);
      bytes[at++] = 0x20;
    }
    if (typeof text !== 'string') {
      if (at + text.length > bytes.length) bytes = grown(bytes, at, text.length);
      bytes.set(text, at);
      at += text.length;
      ends[i - start] = at;
      continue;
    }
    let rest = text;
    for (;;) {
      const { read, written } = utf8.encodeInto(rest, bytes.subarray(at));
      at += written;
      if (read >= rest.length) break;
      rest = rest.substring(read);
      bytes = grown(bytes, at, 3 * rest.length);
    }
    ends[i - start] = at;
  }
  return { kind: 'utf8', bytes, ends };
}

/** Bytes of the buffer a worker would make for packing the ids of a chunk (its texts end at `ends`). */
export function idBytes(ends: Uint32Array, dtype: PackedDtype): number {
  return idCapacity(ends.length === 0 ? 0 : (ends[ends.length - 1] as number)) * (dtype === 'uint16' ? 2 : 4);
}

function grown(bytes: Uint8Array, used: number, more: number): Uint8Array {
  const out = new Uint8Array(Math.max(2 * bytes.length, used + more + 64));
  out.set(bytes.subarray(0, used));
  return out;
}
