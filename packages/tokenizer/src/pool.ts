// TokenizerPool: long-lived workers, each with its own BPE core, and the scheduler that keeps them fed.
import { platform } from '#platform';
import { BufferShelf } from './buffer-shelf.js';
import { type BpeModel, modelVocabSize } from './model.js';
import { encodePacked, type PackedDtype, type PackedIds } from './packed.js';
import type { WorkerEvents, WorkerHandle } from './platform/types.js';
import { contiguousChunks, idBytes, prefixedBytes, type Texts, utf8Chunk } from './pool-chunks.js';
import { type ChunkInput, type PackedModel, packModel, type WorkerReply } from './pool-protocol.js';
import { type EncodeOptions, Tokenizer } from './tokenizer.js';
import { coreModule, type WasmSource } from './wasm-module.js';

export type { PackedDtype, PackedIds } from './packed.js';

/** The ids of a batch packed back to back, in parts (one per chunk a worker encoded), in order. */
export interface PackedBatch {
  /** Together, every text's ids in input order; `lengths` says how many belong to each text. */
  parts: PackedIds[];
  /** Hands the parts' buffers back to the pool for later calls (no fresh memory then); do not use the parts after. */
  release(): void;
}

export interface PoolOptions {
  /**
   * Worker threads; 0 encodes in this thread. Default: the machine's cores. One worker is worth having when this
   * thread has other work to overlap with encoding (reading and writing files, say).
   */
  workers?: number;
  /**
   * The compiled core the workers instantiate (compiled once here, then shared); default the core embedded in the
   * package. With a Tokenizer as the source, pass the same `wasm` it was built with if that was not the default.
   */
  wasm?: WasmSource;
  /** Only when the source is a BpeModel (a Tokenizer brings its own setting). */
  addPrefixSpace?: boolean;
  /** log2 of each worker's piece cache slots (see TokenizerOptions.cacheLog2). */
  cacheLog2?: number;
  /**
   * Where the worker script is. Default: the package's own (`worker.js` in browsers, which Vite and webpack bundle by
   * themselves; `platform/node-worker.js` in Node). A bundler that leaves workers alone (esbuild) needs `worker.js`
   * bundled as an entry of its own and its URL here.
   */
  workerUrl?: URL | string;
}

/**
 * Chunks a worker holds at once: the one it encodes and the next ones, already posted. Replies are only read when
 * this thread is free, so a caller busy with its own work (a pipeline reading and writing files between calls) must
 * not leave a worker idle behind one or two small chunks: with 2, robusta-preprocess on one worker ran at 0.76-0.80x
 * of the same worker encoding in-memory text (43 MB, 2 cores); with 4, at 0.83-0.85x.
 */
const IN_FLIGHT = 4;

/** Input buffers kept for reuse: a few per worker in flight, and a little more. */
const SPARE_INPUTS = 32;
/** Released packed-id buffers kept for reuse (a pipeline keeps a few batches of a few dozen chunks in flight). */
const SPARE_IDS = 64;

interface Task {
  /** The encodeBatch call this chunk belongs to. */
  call: object;
  texts: Texts;
  start: number;
  end: number;
  special: EncodeOptions['special'];
  /** Ids wanted packed into one array of this type (utf8 chunks only). */
  pack: PackedDtype | undefined;
  done(result: Uint32Array[] | PackedIds): void;
  fail(message: string): void;
}

interface Slot {
  handle: WorkerHandle;
  /** Chunks posted and not answered, oldest first; replies come in this order. */
  inFlight: { job: number; task: Task }[];
  /** Number of the last chunk posted. */
  job: number;
  ready: { resolve(): void; reject(e: Error): void };
}

function isTokenizer(source: Tokenizer | BpeModel): source is Tokenizer {
  return source instanceof Tokenizer || typeof (source as Partial<Tokenizer>).encode === 'function';
}

/**
 * Encodes many texts at once on long-lived workers; ids equal `Tokenizer.encode`'s, in input order. Each worker gets
 * the compiled core and the model once, then contiguous runs of texts; ids come back in transferred buffers.
 */
export class TokenizerPool {
  /** Workers running (0 when encoding in this thread). */
  readonly workers: number;
  private readonly local: Tokenizer | undefined;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  /** Input buffers the workers handed back, reused so that a call touches no fresh memory for its texts. */
  private readonly spare = new BufferShelf(SPARE_INPUTS);
  /** Packed id buffers released by callers, sent back to the workers to be filled again. */
  private readonly spareIds = new BufferShelf(SPARE_IDS);
  private vocabSize = 0;
  private addPrefixSpace = false;
  private broken: string | undefined;
  private closed = false;

  private constructor(local: Tokenizer | undefined, workers: number) {
    this.local = local;
    this.workers = workers;
  }

  /** Starts the workers and waits until each has its core and model; rejects with a worker's message if one fails. */
  static async create(source: Tokenizer | BpeModel, options: PoolOptions = {}): Promise<TokenizerPool> {
    const count = Math.floor(options.workers ?? platform.defaultWorkers());
    if (!(count >= 0)) throw new RangeError(`workers must be a whole number >= 0, got ${options.workers}`);
    if (count === 0) {
      const tok = isTokenizer(source) ? source : await Tokenizer.fromModel(source, tokenizerOptions(options));
      return new TokenizerPool(tok, 0);
    }
    const model = isTokenizer(source) ? source.model : source;
    const addPrefixSpace = isTokenizer(source) ? source.addPrefixSpace : (options.addPrefixSpace ?? false);
    const module = await coreModule(options.wasm);
    const packed = packModel(model);
    const pool = new TokenizerPool(undefined, count);
    pool.addPrefixSpace = addPrefixSpace;
    pool.vocabSize = modelVocabSize(model);
    const started: Promise<void>[] = [];
    for (let i = 0; i < count; i++) started.push(pool.start(module, packed, addPrefixSpace, options));
    try {
      await Promise.all(started);
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  private async start(
    module: WebAssembly.Module,
    model: PackedModel,
    addPrefixSpace: boolean,
    options: PoolOptions,
  ): Promise<void> {
    let slot: Slot | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      const events: WorkerEvents = {
        message: (reply) => slot && this.onReply(slot, reply),
        fatal: (message) => slot && this.onFatal(slot, message),
      };
      const init = (handle: WorkerHandle) => {
        slot = { handle, inFlight: [], job: 0, ready: { resolve, reject } };
        this.slots.push(slot);
        handle.post({ type: 'init', module, model, addPrefixSpace, cacheLog2: options.cacheLog2 });
      };
      platform.startWorker(options.workerUrl, events).then(init, reject);
    });
    await ready;
    slot?.handle.hold(false);
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === 'ready') {
      slot.ready.resolve();
      return;
    }
    if (reply.type === 'error' && reply.job === undefined) {
      slot.ready.reject(new Error(reply.message));
      return;
    }
    const oldest = slot.inFlight.shift();
    if (!oldest || reply.job !== oldest.job) {
      this.onFatal(slot, `worker replied to chunk ${reply.job}, expected ${oldest?.job}`);
      return;
    }
    if (slot.inFlight.length === 0) slot.handle.hold(false);
    if (reply.returned) this.spare.put(reply.returned.buffer as ArrayBuffer);
    if (reply.type === 'done') oldest.task.done(reply.ids);
    else if (reply.type === 'packed') oldest.task.done(reply.packed);
    else oldest.task.fail(reply.message);
    this.pump();
  }

  private onFatal(slot: Slot, message: string): void {
    if (this.closed) return;
    // a dead worker takes the pool down: its chunk is lost, and a silent retry could hide a crash on some input
    this.broken = message;
    slot.ready.reject(new Error(message));
    for (const s of this.slots) for (const f of s.inFlight.splice(0)) f.task.fail(message);
    for (const t of this.queue.splice(0)) t.fail(message);
    void this.close();
  }

  private input(task: Task): ChunkInput {
    const { texts, start, end, special } = task;
    if (special !== undefined && special !== 'plain')
      return { kind: 'strings', texts: (texts as readonly string[]).slice(start, end), special };
    const chunk = utf8Chunk(texts, start, end, this.addPrefixSpace, (bytes) => this.spare.take(bytes));
    if (!task.pack) return chunk;
    return { ...chunk, packed: { dtype: task.pack, reuse: this.spareIds.take(idBytes(chunk.ends, task.pack)) } };
  }

  /** Keeps up to IN_FLIGHT chunks queued at each worker, so it never waits for this thread between chunks. */
  private pump(): void {
    for (let depth = 1; depth <= IN_FLIGHT; depth++) {
      for (const slot of this.slots) {
        if (slot.inFlight.length >= depth || this.queue.length === 0) continue;
        const task = this.queue.shift() as Task;
        const input = this.input(task);
        slot.job++;
        slot.inFlight.push({ job: slot.job, task });
        slot.handle.hold(true);
        const transfer: ArrayBuffer[] = [];
        if (input.kind === 'utf8') transfer.push(input.bytes.buffer as ArrayBuffer);
        if (input.kind === 'utf8' && input.packed?.reuse) transfer.push(input.packed.reuse);
        slot.handle.post({ type: 'encode', job: slot.job, input }, transfer);
      }
    }
  }

  /** Ids of each text (as `Tokenizer.encode` gives them), in order. Each array has its own buffer. */
  async encodeBatch(texts: readonly string[], options: EncodeOptions = {}): Promise<Uint32Array[]> {
    this.check();
    if (this.local) {
      const tok = this.local;
      return texts.map((t) => tok.encode(t, options));
    }
    return (await this.run(texts, options.special)) as Uint32Array[];
  }

  /**
   * Ids of each document given as UTF-8 bytes: what `encode` gives for the text they decode to (prefix space
   * included), without this thread decoding or re-encoding anything, so files read as bytes go straight to the
   * workers. Invalid UTF-8 is encoded byte for byte (as `encodeBytes`), not as U+FFFD: validate first (`isUtf8`).
   */
  async encodeBatchUtf8(docs: readonly Uint8Array[]): Promise<Uint32Array[]> {
    this.check();
    if (this.local) {
      const tok = this.local;
      return docs.map((d) => tok.encodeBytes(prefixedBytes(d, tok.addPrefixSpace)));
    }
    return (await this.run(docs, 'plain')) as Uint32Array[];
  }

  /**
   * The ids `encodeBatchUtf8` gives, packed back to back into a few arrays of `dtype` (one per chunk a worker
   * encoded) with each document's id count: what a shard writer wants, without an array per document. Buffers
   * handed back with `release()` are filled again by later calls. `'uint16'` needs a vocabulary of <= 65,536 ids.
   */
  async encodeBatchUtf8Packed(docs: readonly Uint8Array[], dtype: PackedDtype): Promise<PackedBatch> {
    this.check();
    const vocab = this.local ? this.local.vocabSize : this.vocabSize;
    if (dtype === 'uint16' && vocab > 65_536)
      throw new RangeError(`uint16 ids need a vocabulary of <= 65,536 tokens; this one has ${vocab}`);
    let parts: PackedIds[];
    if (docs.length === 0) parts = [];
    else if (this.local) {
      const { bytes, ends } = utf8Chunk(docs, 0, docs.length, this.local.addPrefixSpace);
      parts = [encodePacked(this.local, bytes, ends, { dtype, reuse: this.spareIds.take(idBytes(ends, dtype)) })];
    } else parts = (await this.run(docs, 'plain', dtype)) as PackedIds[];
    let released = false;
    return {
      parts,
      release: () => {
        if (released) return;
        released = true;
        for (const p of parts) this.spareIds.put(p.ids.buffer as ArrayBuffer);
      },
    };
  }

  private check(): void {
    if (this.closed)
      throw new Error(this.broken ? `tokenizer pool is broken: ${this.broken}` : 'tokenizer pool is closed');
  }

  /** Ids of each text, or with `pack`, one packed part per chunk, in order. */
  private async run(
    texts: Texts,
    special: EncodeOptions['special'],
    pack?: PackedDtype,
  ): Promise<Uint32Array[] | PackedIds[]> {
    const out: Uint32Array[] = pack ? [] : new Array(texts.length);
    const chunks = contiguousChunks(texts, this.workers);
    const parts: PackedIds[] = new Array(chunks.length);
    const call = {};
    await new Promise<void>((resolve, reject) => {
      let left = chunks.length;
      let failed = false;
      if (left === 0) return resolve();
      chunks.forEach(({ start, end }, k) => {
        this.queue.push({
          call,
          texts,
          start,
          end,
          special,
          pack,
          done: (result) => {
            if (Array.isArray(result)) for (let i = start; i < end; i++) out[i] = result[i - start] as Uint32Array;
            else parts[k] = result;
            if (--left === 0 && !failed) resolve();
          },
          fail: (message) => {
            if (failed) return;
            failed = true;
            // chunks of this call not yet started are dropped; ones in flight finish and are ignored
            for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]?.call === call) this.queue.splice(i, 1);
            reject(new Error(message));
          },
        });
      });
      this.pump();
    });
    return pack ? parts : out;
  }

  /** Stops the workers; pending calls reject. Afterwards the pool holds nothing that keeps a Node process alive. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.queue.splice(0)) t.fail('tokenizer pool closed');
    for (const s of this.slots) for (const f of s.inFlight.splice(0)) f.task.fail('tokenizer pool closed');
    await Promise.all(this.slots.map((s) => s.handle.terminate()));
  }
}

function tokenizerOptions(options: PoolOptions) {
  return {
    ...(options.wasm === undefined ? {} : { wasm: options.wasm }),
    ...(options.addPrefixSpace === undefined ? {} : { addPrefixSpace: options.addPrefixSpace }),
    ...(options.cacheLog2 === undefined ? {} : { cacheLog2: options.cacheLog2 }),
  };
}
