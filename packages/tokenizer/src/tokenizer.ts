// The Tokenizer: a byte-level BPE model on the WebAssembly core, with special tokens, offsets and decoding.
import { BpeCore, concatU32, DEFAULT_CACHE_LOG2 } from './core.js';
import type { TokenizerJsonOptions } from './formats/tokenizer-json.js';
import { toTokenizerJson } from './formats/tokenizer-json-writer.js';
import type { FileSource } from './load.js';
import { type BpeModel, modelVocabSize, type SpecialToken } from './model.js';
import { utf16Offsets } from './offsets.js';
import type { TokenizerPool } from './pool.js';
import { type Segment, type SpecialPolicy, specialMatcher, splitSpecials } from './specials.js';
import { buildModelInput, type ModelEncoding, type ModelInputOptions } from './template.js';
import { coreModule, type WasmSource } from './wasm-module.js';

// The parsers and the file reader are imported where a loader needs them, not at the top: the parsers throw
// @robusta/cli-kit's FormatError, imported by its bare name, and the reader imports `#platform`, names a browser's
// module worker cannot resolve when unbundled (import maps do not reach workers). The pool's workers import this
// module and only call fromModel, so their module graph stays relative paths only.

export interface TokenizerOptions {
  /** Prepend a space to text that does not start with one, so a first word encodes like a later one (HF's option). */
  addPrefixSpace?: boolean;
  /** Where the compiled core comes from; by default the one embedded in the package (`bpe.wasm`, base64). */
  wasm?: WasmSource;
  /** log2 of the piece cache's slot count (64 bytes each); 0 turns the cache off. */
  cacheLog2?: number;
}

/** Vocabulary files in GPT-2's (`encoder.json` + `vocab.bpe`) or HF's (`vocab.json` + `merges.txt`) format. */
export interface VocabFiles {
  vocab: FileSource;
  merges: FileSource;
  /** fairseq's dict.txt: renumber GPT-2 ids the way fairseq's RoBERTa does (`<s>`=0 `<pad>`=1 `</s>`=2 `<unk>`=3). */
  dict?: FileSource;
  /** Contents of the special tokens; default: GPT-2's and RoBERTa's (`<|endoftext|>`, `<s>`, `<pad>`, `</s>`, `<unk>`, `<mask>`) found in the vocab. */
  specialTokens?: readonly string[];
}

/** The roles special tokens play in model inputs, found by content unless a tokenizer.json names them. */
export interface SpecialRoles {
  cls?: SpecialToken;
  sep?: SpecialToken;
  pad?: SpecialToken;
  mask?: SpecialToken;
  unk?: SpecialToken;
}

/** GPT-2's pre-tokenizer pattern as tiktoken writes it; other patterns are not what the core implements. */
const GPT2_TIKTOKEN_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

export interface EncodeOptions {
  /** How special-token strings inside the text are treated; default `'plain'` (see SpecialPolicy). */
  special?: SpecialPolicy;
}

/** Options of encodeForModel: the template's (truncation, padding, stride, overflow) plus the special-token policy. */
export type ModelEncodeOptions = Omit<ModelInputOptions, 'specialIds'> & EncodeOptions;

export interface BatchEncodeOptions extends EncodeOptions {
  /**
   * Worker threads (Node) or Web Workers (browsers); default: the number of cores. 0 or 1 encodes in this thread.
   * The pool is created on first use, kept for later calls (idle workers do not keep a Node process alive) and
   * ended by `close()`.
   */
  workers?: number;
  /** Where the workers' script is, for bundlers that leave workers alone (esbuild); see PoolOptions.workerUrl. */
  workerUrl?: URL | string;
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
  /** Special tokens by role (`<s>` as cls, `</s>` as sep, ...). */
  readonly roles: SpecialRoles;
  private jsonOptions: TokenizerJsonOptions | undefined;
  /** The compiled core this tokenizer runs on (worker pools instantiate the same one). */
  readonly wasmModule: WebAssembly.Module;
  readonly cacheLog2: number;
  private pool: { workers: number; pool: Promise<TokenizerPool> } | undefined;

  private constructor(
    model: BpeModel,
    core: BpeCore,
    module: WebAssembly.Module,
    options: TokenizerOptions & { roles?: SpecialRoles },
  ) {
    this.model = model;
    this.wasmModule = module;
    this.cacheLog2 = options.cacheLog2 ?? DEFAULT_CACHE_LOG2;
    const byContent = (c: string) => model.specialTokens.find((s) => s.content === c);
    this.roles = options.roles ?? {};
    for (const [role, content] of [
      ['cls', '<s>'],
      ['sep', '</s>'],
      ['pad', '<pad>'],
      ['mask', '<mask>'],
      ['unk', '<unk>'],
    ] as const) {
      const s = byContent(content);
      if (this.roles[role] === undefined && s) this.roles[role] = s;
    }
    this.core = core;
    this.addPrefixSpace = options.addPrefixSpace ?? false;
    for (const s of model.specialTokens) {
      this.specialById.set(s.id, s);
      this.idByContent.set(s.content, s.id);
    }
    // one flat byte table for decoding; an id without bytes (a special outside the alphabet) decodes to its content
    const size = modelVocabSize(model);
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
  static async fromModel(
    model: BpeModel,
    options: TokenizerOptions & { roles?: SpecialRoles } = {},
  ): Promise<Tokenizer> {
    const module = await coreModule(options.wasm);
    const core = await BpeCore.create(module, model, options.cacheLog2 ?? DEFAULT_CACHE_LOG2);
    return new Tokenizer(model, core, module, options);
  }

  /** Loads `encoder.json` + `vocab.bpe` (or HF `vocab.json` + `merges.txt`), optionally renumbered by a fairseq dict.txt. */
  static async fromFiles(files: VocabFiles, options: TokenizerOptions = {}): Promise<Tokenizer> {
    const { readText, sourceName } = await import('./load.js');
    const [vocabText, mergesText, dictText] = await Promise.all([
      readText(files.vocab, 'vocab.json'),
      readText(files.merges, 'merges.txt'),
      files.dict === undefined ? undefined : readText(files.dict, 'dict.txt'),
    ]);
    const parseOptions = files.specialTokens ? { specialTokens: files.specialTokens } : {};
    const { parseVocabAndMerges } = await import('./formats/gpt2.js');
    let model = parseVocabAndMerges(
      vocabText,
      sourceName(files.vocab, 'vocab.json'),
      mergesText,
      sourceName(files.merges, 'merges.txt'),
      parseOptions,
    );
    if (dictText !== undefined) {
      const { applyFairseqDict } = await import('./formats/fairseq-dict.js');
      model = applyFairseqDict(model, dictText, sourceName(files.dict as FileSource, 'dict.txt')).model;
    }
    return Tokenizer.fromModel(model, options);
  }

  /** Loads HF `tokenizer.json` (a path, URL, bytes, or the parsed object): BPE model, added tokens, prefix space, roles. */
  static async fromTokenizerJson(src: FileSource | object, options: TokenizerOptions = {}): Promise<Tokenizer> {
    const { readText, sourceName } = await import('./load.js');
    const isObject =
      typeof src === 'object' && !(src instanceof URL) && !(src instanceof Uint8Array) && !(src instanceof ArrayBuffer);
    const name = isObject ? 'tokenizer.json' : sourceName(src as FileSource, 'tokenizer.json');
    const text = isObject ? JSON.stringify(src) : await readText(src as FileSource, 'tokenizer.json');
    const { parseTokenizerJson } = await import('./formats/tokenizer-json.js');
    const { model, options: json } = parseTokenizerJson(text, name);
    if (!json.useRegex)
      throw new Error(
        `${name}: pre_tokenizer.use_regex false is not supported: the core always splits with GPT-2's pattern`,
      );
    const flags = new Map(json.addedTokens.map((a) => [a.id, a]));
    const specialTokens = model.specialTokens.map((s) => ({
      ...s,
      lstrip: flags.get(s.id)?.lstrip ?? false,
      rstrip: flags.get(s.id)?.rstrip ?? false,
    }));
    const roles: SpecialRoles = {};
    for (const role of ['cls', 'sep', 'pad', 'mask', 'unk'] as const) if (json[role]) roles[role] = json[role];
    const tok = await Tokenizer.fromModel(
      { ...model, specialTokens },
      { addPrefixSpace: json.addPrefixSpace, roles, ...options },
    );
    tok.jsonOptions = json;
    return tok;
  }

  /**
   * Loads a tiktoken rank file (`base64 rank` lines; ids are ranks) or an npm `tiktoken` bundle (`encoders/*.json`).
   * Only GPT-2's pre-tokenizer pattern is implemented, so a bundle with another pattern is rejected.
   */
  static async fromTiktoken(
    src: FileSource,
    options: TokenizerOptions & { specialTokens?: readonly SpecialToken[] } = {},
  ): Promise<Tokenizer> {
    const { readText, sourceName } = await import('./load.js');
    const name = sourceName(src, 'ranks.tiktoken');
    const text = await readText(src, 'ranks.tiktoken');
    const { parseTiktokenBundle, parseTiktokenRanks } = await import('./formats/tiktoken.js');
    if (text.trimStart().startsWith('{')) {
      const bundle = parseTiktokenBundle(text, name);
      if (bundle.pattern !== GPT2_TIKTOKEN_PATTERN) {
        throw new Error(
          `${name}: pat_str is not GPT-2's pre-tokenizer pattern, which is the only one the core implements`,
        );
      }
      return Tokenizer.fromModel(bundle.model, options);
    }
    const model = parseTiktokenRanks(text, name, options.specialTokens ? { specialTokens: options.specialTokens } : {});
    return Tokenizer.fromModel(model, options);
  }

  /** HF tokenizer.json text for this tokenizer (loads back identically, and in HF `tokenizers`). */
  toTokenizerJson(): string {
    const base: Partial<TokenizerJsonOptions> = this.jsonOptions ?? {};
    return toTokenizerJson(this.model, { ...base, ...this.roles, addPrefixSpace: this.addPrefixSpace });
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
    return concatU32(parts);
  }

  /** Ids of many texts, in order, encoded by a pool of workers; the same ids as `encode` gives for each. */
  async encodeBatch(texts: readonly string[], options: BatchEncodeOptions = {}): Promise<Uint32Array[]> {
    const workers = options.workers ?? (await import('#platform')).platform.defaultWorkers();
    const encodeOptions: EncodeOptions = options.special === undefined ? {} : { special: options.special };
    if (workers <= 1) return texts.map((t) => this.encode(t, encodeOptions));
    if (this.pool?.workers !== workers) {
      await this.close();
      // loaded on demand: the pool pulls in worker plumbing that single-threaded users never need
      const { TokenizerPool } = await import('./pool.js');
      this.pool = {
        workers,
        pool: TokenizerPool.create(this, {
          workers,
          wasm: this.wasmModule,
          cacheLog2: this.cacheLog2,
          ...(options.workerUrl === undefined ? {} : { workerUrl: options.workerUrl }),
        }),
      };
    }
    return (await this.pool.pool).encodeBatch(texts, encodeOptions);
  }

  /** Ends the worker pool of encodeBatch, if one was started. */
  async close(): Promise<void> {
    const p = this.pool;
    this.pool = undefined;
    if (p) await (await p.pool).close();
  }

  /** Ids of raw bytes (no special tokens): any byte sequence, valid UTF-8 or not, round-trips through decodeBytes. */
  encodeBytes(bytes: Uint8Array): Uint32Array {
    return this.core.encodeBytes(bytes).ids;
  }

  /**
   * The ids of `encodeBytes`, handed to `emit` in pieces that are views into the core's memory, valid only during
   * that call: for packing many texts' ids into one buffer without an array per text. Returns the id count.
   */
  encodeBytesEach(bytes: Uint8Array, emit: (ids: Uint32Array) => void): number {
    return this.core.encodeBytesEach(bytes, emit);
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
    return { ids: concatU32(idParts), offsets: concatU32(offParts) };
  }

  /**
   * RoBERTa model inputs: `<s> A </s>` or `<s> A </s></s> B </s>`, with truncation (`longest_first`, `only_first`,
   * `only_second`), padding (`longest`, `max_length`), overflowing windows with `stride`, attention and special-token
   * masks, sequence ids and offsets into A's or B's string, exactly as HF tokenizers' RobertaProcessing computes them
   * (offsets untrimmed: a token's leading space is inside its span).
   */
  encodeForModel(a: string, b?: string | null, options: ModelEncodeOptions = {}): ModelEncoding {
    const { cls, sep, pad } = this.roles;
    if (!cls || !sep || !pad) {
      const missing = (['cls', 'sep', 'pad'] as const).filter((r) => !this.roles[r]).join(', ');
      throw new Error(`encodeForModel needs <s>, </s> and <pad> tokens; this vocabulary has no ${missing} token`);
    }
    const { special, ...template } = options;
    const encodeOptions = special === undefined ? {} : { special };
    const seqA = this.encodeWithOffsets(a, encodeOptions);
    const seqB = b === undefined || b === null ? undefined : this.encodeWithOffsets(b, encodeOptions);
    return buildModelInput(seqA, seqB, { ...template, specialIds: { cls: cls.id, sep: sep.id, pad: pad.id } });
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
