// A thin typed wrapper over one instance of the BPE core: installs a model, moves bytes in and ids out.
import type { BpeModel } from './model.js';

interface CoreExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  free(ptr: number): void;
  setModel(byteIds: number, lens: number, count: number, triples: number, mergeCount: number, cacheLog2: number): void;
  encode(text: number, len: number, idsOut: number, startsOut: number, final: number): number;
  consumed(): number;
  pretokenize(text: number, len: number, endsOut: number): number;
}

/** Log2 of the piece cache's slots: 2^16 slots x 64 bytes = 4 MiB per core instance. */
export const DEFAULT_CACHE_LOG2 = 16;

const utf8 = new TextEncoder();

/** One instance of the core holding one model. Not shareable between threads: each worker makes its own. */
export class BpeCore {
  private readonly x: CoreExports;
  private bufPtr = 0;
  private bufCap = 0;

  private constructor(instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as CoreExports;
  }

  static async create(module: WebAssembly.Module, model: BpeModel, cacheLog2 = DEFAULT_CACHE_LOG2): Promise<BpeCore> {
    const instance = await WebAssembly.instantiate(module, {
      env: {
        abort: (_msg: number, _file: number, line: number, col: number) => {
          throw new Error(`BPE core aborted at ${line}:${col}`);
        },
      },
    });
    const core = new BpeCore(instance);
    core.install(model, cacheLog2);
    return core;
  }

  private install(model: BpeModel, cacheLog2: number): void {
    const byteIds = new Uint32Array(256).fill(0xffffffff);
    const lens = new Uint32Array(model.tokens.length);
    model.tokens.forEach((t, id) => {
      if (!t) return;
      lens[id] = t.length;
      if (t.length === 1 && byteIds[t[0] as number] === 0xffffffff) byteIds[t[0] as number] = id;
    });
    const missing = byteIds.indexOf(0xffffffff);
    if (missing >= 0) {
      throw new Error(
        `vocabulary has no token for byte 0x${missing.toString(16).padStart(2, '0')}: not a byte-level BPE`,
      );
    }
    const x = this.x;
    const byteIdsPtr = x.alloc(byteIds.byteLength);
    const lensPtr = x.alloc(Math.max(4, lens.byteLength));
    const triplesPtr = x.alloc(Math.max(4, model.merges.byteLength));
    new Uint32Array(x.memory.buffer, byteIdsPtr, 256).set(byteIds);
    new Uint32Array(x.memory.buffer, lensPtr, lens.length).set(lens);
    new Uint32Array(x.memory.buffer, triplesPtr, model.merges.length).set(model.merges);
    x.setModel(byteIdsPtr, lensPtr, lens.length, triplesPtr, model.merges.length / 3, cacheLog2);
    x.free(triplesPtr);
  }

  /** Input bytes are fed in chunks of this size, so memory stays bounded whatever the text's length. */
  static chunkBytes = 1 << 20;

  /** One reusable buffer: input bytes, then ids (u32) and starts (u32), each with room for `bytes` entries. */
  private reserve(bytes: number, keep = 0): number {
    const need = 9 * bytes + 16;
    if (need > this.bufCap) {
      const ptr = this.x.alloc(need);
      if (keep > 0) new Uint8Array(this.x.memory.buffer).copyWithin(ptr, this.bufPtr, this.bufPtr + keep);
      if (this.bufPtr !== 0) this.x.free(this.bufPtr);
      this.bufPtr = ptr;
      this.bufCap = need;
    }
    return this.bufPtr;
  }

  private capacity(): number {
    return Math.floor((this.bufCap - 16) / 9);
  }

  /**
   * Streams `fill` through the core: each call writes the next bytes of the text at `dest` (at most `room` bytes,
   * ending on a character boundary) and returns how many it wrote and whether the text is done. Each piece's ids (and
   * start offsets, relative to the piece) go to `emit` as views into the core's memory, valid only during that call.
   * Returns the text's byte length.
   */
  private stream(
    fill: (dest: Uint8Array) => { written: number; done: boolean },
    withStarts: boolean,
    emit: (ids: Uint32Array, starts: Uint32Array | undefined, base: number) => void,
  ): number {
    let carry = 0;
    let base = 0;
    let done = false;
    this.reserve(BpeCore.chunkBytes);
    while (!done) {
      let room = this.capacity() - carry;
      if (room < 8) {
        // a single piece longer than the buffer (say 1 MB with no space): grow, keeping what is held back
        this.reserve(this.capacity() * 2, carry);
        room = this.capacity() - carry;
      }
      const r = fill(new Uint8Array(this.x.memory.buffer, this.bufPtr + carry, room));
      done = r.done;
      const len = carry + r.written;
      const cap = this.capacity();
      const idsPtr = alignUp(this.bufPtr + cap);
      const startsPtr = withStarts ? idsPtr + 4 * cap : 0;
      const n = this.x.encode(this.bufPtr, len, idsPtr, startsPtr, done ? 1 : 0);
      const used = this.x.consumed();
      const buf = this.x.memory.buffer;
      emit(new Uint32Array(buf, idsPtr, n), withStarts ? new Uint32Array(buf, startsPtr, n) : undefined, base);
      new Uint8Array(buf).copyWithin(this.bufPtr, this.bufPtr + used, this.bufPtr + len);
      carry = len - used;
      base += used;
    }
    return base + carry;
  }

  /** `stream` collecting copies of every piece's ids (and absolute starts) into one array each. */
  private collect(
    fill: (dest: Uint8Array) => { written: number; done: boolean },
    withStarts: boolean,
  ): { ids: Uint32Array; starts: Uint32Array | undefined; byteLength: number } {
    const idChunks: Uint32Array[] = [];
    const startChunks: Uint32Array[] = [];
    const byteLength = this.stream(fill, withStarts, (ids, starts, base) => {
      idChunks.push(ids.slice());
      if (starts) {
        const copy = starts.slice();
        if (base !== 0) for (let i = 0; i < copy.length; i++) (copy[i] as number) += base;
        startChunks.push(copy);
      }
    });
    return { ids: concatU32(idChunks), starts: withStarts ? concatU32(startChunks) : undefined, byteLength };
  }

  /** Feeds `bytes` to the core in pieces that end on character boundaries. */
  private static bytesFiller(bytes: Uint8Array): (dest: Uint8Array) => { written: number; done: boolean } {
    let at = 0;
    return (dest) => {
      let end = Math.min(bytes.length, at + dest.length);
      // cut on a character boundary: never between a lead byte and its continuation bytes
      if (end < bytes.length) {
        let back = end;
        while (back > at && end - back < 4 && ((bytes[back] as number) & 0xc0) === 0x80) back--;
        if (back > at) end = back;
      }
      dest.set(bytes.subarray(at, end));
      const written = end - at;
      at = end;
      return { written, done: at >= bytes.length };
    };
  }

  /** Encodes UTF-8 bytes (any bytes: invalid sequences are single "other" characters). */
  encodeBytes(bytes: Uint8Array, withStarts = false): { ids: Uint32Array; starts: Uint32Array | undefined } {
    return this.collect(BpeCore.bytesFiller(bytes), withStarts);
  }

  /**
   * The ids `encodeBytes` gives, handed to `emit` piece by piece as views into the core's memory (valid only during
   * the call), so that a caller packing them elsewhere allocates nothing per text. Returns how many there were.
   */
  encodeBytesEach(bytes: Uint8Array, emit: (ids: Uint32Array) => void): number {
    let count = 0;
    this.stream(BpeCore.bytesFiller(bytes), false, (ids) => {
      count += ids.length;
      emit(ids);
    });
    return count;
  }

  /** Encodes a JS string (lone surrogates become U+FFFD, as TextEncoder does); also returns its UTF-8 length. */
  encodeString(
    text: string,
    withStarts = false,
  ): { ids: Uint32Array; starts: Uint32Array | undefined; byteLength: number } {
    let rest = text;
    return this.collect((dest) => {
      const { read, written } = utf8.encodeInto(rest, dest);
      rest = read >= rest.length ? '' : rest.substring(read);
      return { written, done: rest.length === 0 };
    }, withStarts);
  }

  /** GPT-2 pre-token end offsets (bytes) of UTF-8 text. */
  pretokenizeBytes(bytes: Uint8Array): Uint32Array {
    const ptr = this.reserve(Math.max(bytes.length, BpeCore.chunkBytes));
    new Uint8Array(this.x.memory.buffer, ptr, bytes.length).set(bytes);
    const endsPtr = alignUp(ptr + bytes.length);
    const n = this.x.pretokenize(ptr, bytes.length, endsPtr);
    return new Uint32Array(this.x.memory.buffer, endsPtr, n).slice();
  }
}

/** Joins id arrays (the parts of a chunked or segmented encoding) into one; a single part is returned as is. */
export function concatU32(parts: Uint32Array[]): Uint32Array {
  if (parts.length === 1) return parts[0] as Uint32Array;
  const out = new Uint32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function alignUp(p: number): number {
  return (p + 7) & ~7;
}
