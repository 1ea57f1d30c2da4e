// One preprocessing run as named steps: each document is routed to its split's open shard, encoded on the tokenizer
// pool in batches, appended to its shard as the ids return, and each shard closed (written, or kept from an earlier
// run) in the order it filled. Reading, routing and writing run on this thread while the workers encode.
import type { PackedBatch, Tokenizer, TokenizerPool } from '@robusta/tokenizer';
import { type DocumentCounts, ShardBuilder, type ShardInfo, type ShardManifest, shardName } from '@robusta/train';
import { DocumentFingerprint, type Split, splitOf, textHash } from './document-hash.js';
import { type InputFile, type ReadOptions, readDocuments } from './inputs.js';
import { coversDocuments, type DoneRecord, findDone, writeDone } from './resume.js';
import { appendToShards, type ShardGroup } from './shard-group.js';
import { type Block, TextArena } from './text-arena.js';

/**
 * Encode calls queued before this thread waits for the oldest: enough that the workers have the next batch while this
 * thread reads a file, few enough that the text blocks the calls hold stay a few batches' worth of memory.
 */
const BATCHES_AHEAD = 3;

export interface RunSettings {
  out: string;
  dtype: 'uint16' | 'uint32';
  tokenizerHash: string;
  layout: ShardManifest['layout'];
  /** Text bytes per encode call. */
  batchBytes: number;
  read: ReadOptions;
  /** Bytes of all input files, for progress. */
  totalInput: number;
  onProgress?: (done: number, total: number) => void;
}

/** Texts gathered for one encode call, the group of each, and the arena blocks they lie in. */
interface Batch {
  texts: Uint8Array[];
  groups: ShardGroup[];
  blocks: Set<Block>;
  bytes: number;
}

/** The run's queue, in order: an encode call in flight, or a shard to close once the ids before it are in. */
type Step =
  | { kind: 'batch'; ids: Promise<PackedBatch>; groups: ShardGroup[]; blocks: Set<Block>; progress: number }
  | { kind: 'close'; group: ShardGroup; skip: boolean; progress: number };

const emptyBatch = (): Batch => ({ texts: [], groups: [], blocks: new Set(), bytes: 0 });

export class PreprocessRun {
  readonly counts: DocumentCounts = { read: 0, train: 0, valid: 0, empty: 0, invalidUtf8: 0, badLines: 0 };
  /** UTF-8 bytes of input text read. */
  textBytes = 0;
  /** Shards written by this run, and shards found finished and verified from an earlier one, in closing order. */
  readonly written: string[] = [];
  readonly skipped: string[] = [];
  private readonly shards: Record<Split, Promise<ShardInfo>[]> = { train: [], valid: [] };
  private readonly writes: Promise<unknown>[] = [];
  private readonly queue: Step[] = [];
  private inFlight = 0;
  /** Bytes of the input files read to the end: what a step reports as done once it is finished. */
  private progress = 0;
  private readonly open: Record<Split, ShardGroup | undefined> = { train: undefined, valid: undefined };
  private readonly nextIndex: Record<Split, number> = { train: 0, valid: 0 };
  private readonly arena: TextArena;
  private batch = emptyBatch();
  /** Shards begun and not yet written: a failed run drops their temp files. */
  private readonly unfinished = new Set<ShardBuilder>();

  constructor(
    private readonly settings: RunSettings,
    private readonly pool: TokenizerPool,
  ) {
    this.arena = new TextArena(settings.batchBytes);
  }

  /** Reads one input file and routes its documents; waits for the workers only when they fall BATCHES_AHEAD behind. */
  async readFile(file: InputFile): Promise<void> {
    let block: Block | undefined;
    const got = readDocuments(file, this.settings.read, (n) => {
      const room = this.arena.take(n);
      block = room.block;
      return room.view;
    });
    this.textBytes += got.textBytes;
    this.counts.read += got.docs.length + got.empty;
    this.counts.empty += got.empty;
    this.counts.invalidUtf8 += got.invalidUtf8;
    this.counts.badLines += got.badLines;
    for (const text of got.docs) this.route(text, block);
    this.progress += file.bytes;
    while (this.inFlight > BATCHES_AHEAD) await this.finishOldest();
    // shards that filled are committed now, not after the next file
    while (this.queue[0]?.kind === 'close') await this.finishOldest();
    // let the workers' replies in between files
    await new Promise((r) => setImmediate(r));
  }

  /** Closes the open shards, waits for the last encode calls and writes, and gives each split's shards in order. */
  async finish(): Promise<Record<Split, ShardInfo[]>> {
    for (const split of ['train', 'valid'] as const) {
      const g = this.open[split];
      if (g) this.close(g);
    }
    this.submit();
    while (this.queue.length > 0) await this.finishOldest();
    await Promise.all(this.writes);
    return { train: await Promise.all(this.shards.train), valid: await Promise.all(this.shards.valid) };
  }

  /** Drops the temp files of shards left unfinished (by a failed run); finished shards of the same names stay. */
  dropUnfinished(): void {
    for (const shard of this.unfinished) shard.abort();
  }

  /** The manifest of the finished run: each split's shards, the counts, special ids and settings. */
  manifest(shards: Record<Split, ShardInfo[]>, tokenizer: Tokenizer): ShardManifest {
    const specials: ShardManifest['specials'] = {};
    for (const role of ['cls', 'sep', 'pad', 'mask', 'unk'] as const) {
      const s = tokenizer.roles[role];
      if (s) specials[role] = s.id;
    }
    const tokens = (infos: ShardInfo[]) => infos.reduce((s, i) => s + i.tokens, 0);
    return {
      version: 1,
      tokenizerHash: this.settings.tokenizerHash,
      vocabSize: tokenizer.vocabSize,
      dtype: this.settings.dtype,
      splits: shards,
      documents: this.counts,
      tokens: { train: tokens(shards.train), valid: tokens(shards.valid) },
      specials,
      layout: this.settings.layout,
      textBytes: this.textBytes,
    };
  }

  /** Sends a document to its split's open shard: encoded now, or held while an earlier run's shard may cover it. */
  private route(text: Uint8Array, block: Block | undefined): void {
    const { seed, validFraction, shardBytes } = this.settings.layout;
    const hash = textHash(text, seed);
    const split = splitOf(hash, validFraction);
    this.counts[split]++;
    this.open[split] ??= this.openShard(split);
    const g = this.open[split];
    g.documents.add(hash, text.length);
    // a held document outlives its block
    if (g.done) g.held.push(text.slice());
    else this.encode(g, text, text.length, block);
    if (g.documents.bytes >= shardBytes) {
      this.close(g);
      this.open[split] = undefined;
    }
  }

  /** The next shard of a split, with the earlier run's done-record that may cover it. */
  private openShard(split: Split): ShardGroup {
    const { out, dtype, tokenizerHash, layout } = this.settings;
    const name = shardName(split, this.nextIndex[split]++);
    const done = findDone(out, name, tokenizerHash, layout);
    const shard = new ShardBuilder(dtype, out, name);
    this.unfinished.add(shard);
    return { split, name, documents: new DocumentFingerprint(), done, held: [], shard };
  }

  /** Adds a text to the batch being gathered; `bytes` counts towards sending the batch once it holds batchBytes. */
  private encode(g: ShardGroup, text: Uint8Array, bytes: number, block: Block | undefined): void {
    const batch = this.batch;
    if (block && !batch.blocks.has(block)) {
      batch.blocks.add(block);
      this.arena.retain(block);
    }
    batch.texts.push(text);
    batch.groups.push(g);
    batch.bytes += bytes;
    if (batch.bytes >= this.settings.batchBytes) this.submit();
  }

  /** Sends the gathered batch to the pool. */
  private submit(): void {
    const { texts, groups, blocks } = this.batch;
    if (texts.length === 0) return;
    const ids = this.pool.encodeBatchUtf8Packed(texts, this.settings.dtype);
    this.queue.push({ kind: 'batch', ids, groups, blocks, progress: this.progress });
    this.inFlight++;
    this.batch = emptyBatch();
  }

  /**
   * Ends a shard's documents: when an earlier run's shard holds exactly them, intact, it is kept; otherwise the held
   * documents are encoded. Either way the shard closes after the ids queued before it.
   */
  private close(g: ShardGroup): void {
    const skip = g.done !== undefined && coversDocuments(this.settings.out, g.done, g.documents);
    // held texts are no longer in the arena and do not count towards a batch's size
    if (!skip) for (const text of g.held) this.encode(g, text, 0, undefined);
    g.held = [];
    this.submit();
    this.queue.push({ kind: 'close', group: g, skip, progress: this.progress });
  }

  /** Finishes the oldest step; encode calls are awaited, so this is where the thread waits for the workers. */
  private async finishOldest(): Promise<void> {
    const step = this.queue.shift() as Step;
    if (step.kind === 'batch') {
      const packed = await step.ids;
      this.inFlight--;
      appendToShards(packed, step.groups);
      packed.release();
      for (const block of step.blocks) this.arena.release(block);
    } else this.commit(step.group, step.skip);
    this.settings.onProgress?.(step.progress, this.settings.totalInput);
  }

  /** Writes a closed shard in the background, its done-record last, or takes an earlier run's shard as this run's. */
  private commit(g: ShardGroup, skip: boolean): void {
    if (skip) {
      this.shards[g.split].push(Promise.resolve((g.done as DoneRecord).info));
      this.skipped.push(g.name);
      return;
    }
    const { out, tokenizerHash, layout } = this.settings;
    const fingerprint = g.documents.toString();
    this.unfinished.delete(g.shard);
    const info = g.shard.write().then(async (info) => {
      await writeDone(out, { info, fingerprint, tokenizerHash, layout });
      return info;
    });
    this.writes.push(info);
    this.shards[g.split].push(info);
    this.written.push(g.name);
  }
}
