// The Tokenizer: a byte-level BPE model on the WebAssembly core, with special tokens, offsets and decoding.
import { BpeCore, DEFAULT_CACHE_LOG2 } from './core.js';
import type { BpeModel, SpecialToken } from './model.js';
import { utf16Offsets } from './offsets.js';
import { type Segment, type SpecialPolicy, specialMatcher, splitSpecials } from './specials.js';
import { coreModule, type WasmSource } from './wasm-module.js';

export interface TokenizerOptions {
  /** Prepend a space to text that does not start with one, so a first word encodes like a later one (HF's option). */
  addPrefixSpace?: boolean;
  /** Where the compiled core comes from; by default `bpe.wasm` next to this module. */
  wasm?: WasmSource;
  /** log2 of the piece cache's slot count (64 bytes each); 0 turns the cache off. */
  cacheLog2?: number;
}

export interface EncodeOptions {
  /** How special-token strings inside the text are treated; default `'plain'` (see SpecialPolicy). */
  special?: SpecialPolicy;
}

export interface DecodeOptions {
  /** Leave special tokens out of the text. */
  skipSpecialTokens?: boolean;
}

export interface Encoding {
  ids: Uint32Array;
  /** start, end per token: UTF-16 indices into the input string. */
  offsets: Uint32Array;
}

const utf8 = new TextEncoder();

export class Tokenizer {
  readonly model: BpeModel;
  readonly addPrefixSpace: boolean;
  private readonly core: BpeCore;
  private readonly bytes: Uint8Array;
  private readonly byteStart: Uint32Array;
  private readonly specialById = new Map<number, SpecialToken>();
  private readonly idByContent = new Map<string, number>();
  private readonly matchers = new Map<SpecialPolicy, RegExp | undefined>();

  private constructor(model: BpeModel, core: BpeCore, options: TokenizerOptions) {
    this.model = model;
    this.core = core;
    this.addPrefixSpace = options.addPrefixSpace ?? false;
    for (const s of model.specialTokens) {
      this.specialById.set(s.id, s);
      this.idByContent.set(s.content, s.id);
    }
    // one flat byte table for decoding; an id without bytes (a special outside the alphabet) decodes to its content
    const size = Math.max(model.tokens.length, ...model.specialTokens.map((s) => s.id + 1));
    const pieces: Uint8Array[] = [];
    let total = 0;
    for (let id = 0; id < size; id++) {
      const special = this.specialById.get(id);
      const b = model.tokens[id] ?? (special ? utf8.encode(special.content) : new Uint8Array(0));
      pieces.push(b);
      total += b.length;
    }
    this.bytes = new Uint8Array(total);
    this.byteStart = new Uint32Array(size + 1);
    let at = 0;
    pieces.forEach((b, id) => {
      this.bytes.set(b, at);
      at += b.length;
      this.byteStart[id + 1] = at;
    });
  }

  /** A tokenizer over an in-memory model (what every file loader produces). */
  static async fromModel(model: BpeModel, options: TokenizerOptions = {}): Promise<Tokenizer> {
    const module = await coreModule(options.wasm);
    const core = await BpeCore.create(module, model, options.cacheLog2 ?? DEFAULT_CACHE_LOG2);
    return new Tokenizer(model, core, options);
  }

  /** Number of ids (the size of the embedding table a model needs). */
  get vocabSize(): number {
    return this.byteStart.length - 1;
  }

  /** The special tokens of the vocabulary. */
  get specialTokens(): readonly SpecialToken[] {
    return this.model.specialTokens;
  }

  /** Id of a special token by content (`'<mask>'`), or undefined. */
  specialId(content: string): number | undefined {
    return this.idByContent.get(content);
  }

  private segments(text: string, special: SpecialPolicy): Segment[] {
    if (!this.matchers.has(special)) this.matchers.set(special, specialMatcher(this.model.specialTokens, special));
    return splitSpecials(text, this.model.specialTokens, this.matchers.get(special), special);
  }

  private prefixed(text: string): string {
    return this.addPrefixSpace && text.length > 0 && !text.startsWith(' ') ? ` ${text}` : text;
  }

  /** Ids of the text, with no special tokens added (`<s>`/`</s>` come from encodeForModel). */
  encode(text: string, options: EncodeOptions = {}): Uint32Array {
    const segs = this.segments(this.prefixed(text), options.special ?? 'plain');
    if (segs.length === 1 && 'text' in (segs[0] as Segment))
      return this.core.encodeString((segs[0] as { text: string }).text).ids;
    const parts: Uint32Array[] = [];
    for (const s of segs)
      parts.push('special' in s ? Uint32Array.of(s.special.id) : this.core.encodeString(s.text).ids);
    return concatIds(parts);
  }

  /** Ids of raw bytes (no special tokens): any byte sequence, valid UTF-8 or not, round-trips through decodeBytes. */
  encodeBytes(bytes: Uint8Array): Uint32Array {
    return this.core.encodeBytes(bytes).ids;
  }

  /**
   * Ids with [start, end) offsets into `text` (UTF-16 indices). With addPrefixSpace the added space is not part of
   * any offset. A token covering part of a multi-byte character gets the whole character.
   */
  encodeWithOffsets(text: string, options: EncodeOptions = {}): Encoding {
    const shift = this.prefixed(text).length - text.length;
    const segs = this.segments(this.prefixed(text), options.special ?? 'plain');
    const idParts: Uint32Array[] = [];
    const offParts: Uint32Array[] = [];
    for (const s of segs) {
      if ('special' in s) {
        idParts.push(Uint32Array.of(s.special.id));
        offParts.push(Uint32Array.of(Math.max(0, s.start - shift), Math.max(0, s.end - shift)));
        continue;
      }
      const r = this.core.encodeString(s.text, true);
      const off = utf16Offsets(s.text, r.starts as Uint32Array, r.byteLength);
      const base = s.start - shift;
      for (let i = 0; i < off.length; i++) off[i] = Math.max(0, (off[i] as number) + base);
      idParts.push(r.ids);
      offParts.push(off);
    }
    return { ids: concatIds(idParts), offsets: concatIds(offParts) };
  }

  /** The bytes the ids stand for. Throws a RangeError naming the first id outside the vocabulary. */
  decodeBytes(ids: ArrayLike<number>, options: DecodeOptions = {}): Uint8Array {
    const n = this.vocabSize;
    let total = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (!Number.isInteger(id) || id < 0 || id >= n) {
        throw new RangeError(`cannot decode id ${id} at position ${i}: ids run from 0 to ${n - 1}`);
      }
      if (options.skipSpecialTokens && this.specialById.has(id)) continue;
      total += (this.byteStart[id + 1] as number) - (this.byteStart[id] as number);
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (options.skipSpecialTokens && this.specialById.has(id)) continue;
      const s = this.byteStart[id] as number;
      const e = this.byteStart[id + 1] as number;
      out.set(this.bytes.subarray(s, e), at);
      at += e - s;
    }
    return out;
  }

  /** Text of the ids; invalid UTF-8 (a token sequence cut inside a character) becomes U+FFFD, as TextDecoder does. */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(this.decodeBytes(ids, options));
  }
}

function concatIds(parts: Uint32Array[]): Uint32Array {
  if (parts.length === 1) return parts[0] as Uint32Array;
  const out = new Uint32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
