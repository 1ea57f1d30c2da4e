// The preprocessing pipeline: documents -> train/valid split -> tokenized on a worker pool -> shards, then the manifest.
// Reading, splitting and shard writing run on this thread while the workers encode, so the pool rarely waits.
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@robusta/cli-kit';
import { type PackedBatch, type Tokenizer, TokenizerPool } from '@robusta/tokenizer';
import {
  type DocumentCounts,
  dtypeFor,
  MANIFEST_FILE,
  ShardBuilder,
  type ShardInfo,
  type ShardManifest,
  sha256,
  sha256File,
  shardName,
  TOKENIZER_FILE,
  writeManifest,
} from '@robusta/train';
import { DocumentFingerprint, type Split, splitOf, textHash } from './document-hash.js';
import { listInputs, readDocuments } from './inputs.js';
import { type Block, TextArena } from './text-arena.js';

export interface PreprocessOptions {
  /** Files or folders of .txt / .jsonl, optionally .gz. */
  inputs: readonly string[];
  /** Output folder (created if missing). */
  out: string;
  tokenizer: Tokenizer;
  /** The tokenizer.json bytes the tokenizer was built from; their sha256 is the manifest's tokenizerHash. */
  tokenizerJson: Uint8Array;
  /** Share of documents sent to the valid split, by a hash of each document's text; default 0.01. */
  validFraction?: number;
  /** Changes which documents are held out; default 0. */
  seed?: number;
  /** A shard closes once its documents reach this many bytes of UTF-8 text; default 128e6. */
  shardBytes?: number;
  /** Text bytes per encode call: small enough that the workers start early, large enough to amortize a call. */
  batchBytes?: number;
  /** Worker threads; default: the machine's cores. Ignored when `pool` is given. */
  workers?: number;
  /** A pool to use (and leave open), e.g. one kept across runs. */
  pool?: TokenizerPool;
  oneDocPerFile?: boolean;
  skipBadLines?: boolean;
  /** Called as input is consumed: bytes of input files done, of all of them. */
  onProgress?: (done: number, total: number) => void;
}

export interface PreprocessResult {
  manifest: ShardManifest;
  /** Shards written by this run, and shards found finished and verified from an earlier run. */
  written: string[];
  skipped: string[];
}

/** What a finished shard leaves beside its files, so that a re-run can skip it. */
interface DoneRecord {
  info: ShardInfo;
  /** Hash of its documents' hashes and lengths: a re-run with other inputs does not mistake it for its own. */
  fingerprint: string;
  tokenizerHash: string;
  layout: ShardManifest['layout'];
}

interface Group {
  split: Split;
  index: number;
  /** Set while an earlier run's shard may cover this group: its documents wait here, unencoded, until it closes. */
  candidate: DoneRecord | undefined;
  held: Uint8Array[];
  fingerprint: DocumentFingerprint;
  /** Ids arrived so far, packed and hashed in document order. */
  shard: ShardBuilder;
}

type Item =
  | { kind: 'batch'; ids: Promise<PackedBatch>; groups: Group[]; blocks: Set<Block>; progress: number }
  | { kind: 'close'; group: Group; skip: boolean; progress: number };

function readDone(dir: string, name: string): DoneRecord | undefined {
  const path = join(dir, `${name}.done.json`);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DoneRecord;
  } catch {
    return undefined; // unreadable: the shard is simply redone
  }
}

export async function preprocess(options: PreprocessOptions): Promise<PreprocessResult> {
  const validFraction = options.validFraction ?? 0.01;
  if (!(validFraction >= 0 && validFraction < 1))
    throw new RangeError(`validFraction must be in [0, 1), got ${validFraction}`);
  const seed = options.seed ?? 0;
  const shardBytes = options.shardBytes ?? 128e6;
  const batchBytes = options.batchBytes ?? 1 << 22;
  const { out, tokenizer } = options;
  const files = listInputs(options.inputs);
  const totalInput = files.reduce((s, f) => s + f.bytes, 0);
  const tokenizerHash = sha256(options.tokenizerJson);
  const vocabSize = tokenizer.vocabSize;
  const dtype = dtypeFor(vocabSize);
  const layout = { validFraction, seed, shardBytes };
  mkdirSync(out, { recursive: true });
  // an old manifest must not describe shards this run is about to replace
  if (existsSync(join(out, MANIFEST_FILE))) unlinkSync(join(out, MANIFEST_FILE));
  const tokPath = join(out, TOKENIZER_FILE);
  const writes: Promise<unknown>[] = [];
  if (!existsSync(tokPath) || sha256(readFileSync(tokPath)) !== tokenizerHash)
    writes.push(writeFileAtomic(tokPath, options.tokenizerJson));

  const pool = options.pool ?? (await TokenizerPool.create(tokenizer, { workers: options.workers }));
  const counts: DocumentCounts = { read: 0, train: 0, valid: 0, empty: 0, invalidUtf8: 0, badLines: 0 };
  const shards: Record<Split, Promise<ShardInfo>[]> = { train: [], valid: [] };
  const written: string[] = [];
  const skipped: string[] = [];
  let textBytes = 0;
  const queue: Item[] = [];
  let inFlight = 0;
  let progress = 0;

  const open: Record<Split, Group | undefined> = { train: undefined, valid: undefined };
  const nextIndex: Record<Split, number> = { train: 0, valid: 0 };
  const arena = new TextArena(batchBytes);
  const newBatch = () => ({ texts: [] as Uint8Array[], groups: [] as Group[], blocks: new Set<Block>(), bytes: 0 });
  let batch = newBatch();
  const builders = new Set<ShardBuilder>();

  const builder = (split: Split, index: number) => {
    const b = new ShardBuilder(dtype, out, shardName(split, index));
    builders.add(b);
    return b;
  };
  const newGroup = (split: Split): Group => {
    const index = nextIndex[split]++;
    const done = readDone(out, shardName(split, index));
    const candidate =
      done && done.tokenizerHash === tokenizerHash && JSON.stringify(done.layout) === JSON.stringify(layout)
        ? done
        : undefined;
    return {
      split,
      index,
      candidate,
      held: [],
      fingerprint: new DocumentFingerprint(),
      shard: builder(split, index),
    };
  };
  const submit = () => {
    if (batch.texts.length === 0) return;
    const { texts, groups, blocks } = batch;
    queue.push({ kind: 'batch', ids: pool.encodeBatchUtf8Packed(texts, dtype), groups, blocks, progress });
    inFlight++;
    batch = newBatch();
  };
  const encode = (g: Group, text: Uint8Array, bytes: number, block: Block | undefined) => {
    if (block && !batch.blocks.has(block)) {
      batch.blocks.add(block);
      arena.retain(block);
    }
    batch.texts.push(text);
    batch.groups.push(g);
    batch.bytes += bytes;
    if (batch.bytes >= batchBytes) submit();
  };
  const close = (g: Group) => {
    const fingerprint = g.fingerprint.toString();
    const c = g.candidate;
    let skip = false;
    if (c && c.fingerprint === fingerprint && c.info.documents === g.fingerprint.documents) {
      const base = join(out, c.info.name);
      skip =
        existsSync(`${base}.bin`) &&
        existsSync(`${base}.idx`) &&
        sha256File(`${base}.bin`) === c.info.binSha256 &&
        sha256File(`${base}.idx`) === c.info.idxSha256;
    }
    if (!skip) for (const t of g.held) encode(g, t, 0, undefined);
    g.held = [];
    submit();
    queue.push({ kind: 'close', group: g, skip, progress });
  };

  const finish = (item: Item, packed: PackedBatch | undefined) => {
    if (item.kind === 'batch') {
      inFlight--;
      // the ids come packed in parts, the documents of a part in order; each run of a part's documents that goes to
      // one shard is hashed and appended now, not when the shard closes
      let doc = 0;
      for (const { ids, lengths } of (packed as PackedBatch).parts) {
        let from = 0;
        let at = 0;
        let start = 0;
        for (let i = 1; i <= lengths.length; i++) {
          at += lengths[i - 1] as number;
          if (i < lengths.length && item.groups[doc + i] === item.groups[doc + from]) continue;
          (item.groups[doc + from] as Group).shard.addPacked(ids.subarray(start, at), lengths.subarray(from, i));
          from = i;
          start = at;
        }
        doc += lengths.length;
      }
      (packed as PackedBatch).release();
      for (const b of item.blocks) arena.release(b);
    } else {
      const g = item.group;
      const name = shardName(g.split, g.index);
      if (item.skip) {
        shards[g.split].push(Promise.resolve((g.candidate as DoneRecord).info));
        skipped.push(name);
      } else {
        // written in the background; the done-record goes last, so a crash before it only means redoing this shard
        const record = { fingerprint: g.fingerprint.toString(), tokenizerHash, layout };
        builders.delete(g.shard);
        const info = g.shard.write().then(async (info) => {
          await writeFileAtomic(join(out, `${name}.done.json`), `${JSON.stringify({ info, ...record })}\n`);
          return info;
        });
        writes.push(info);
        shards[g.split].push(info);
        written.push(name);
      }
    }
    options.onProgress?.(item.progress, totalInput);
  };
  /** Finishes the oldest item; encoding results are awaited, so this is where the thread waits for the workers. */
  const drainOne = async () => {
    const item = queue.shift() as Item;
    finish(item, item.kind === 'batch' ? await item.ids : undefined);
  };

  try {
    for (const file of files) {
      let block: Block | undefined;
      const got = readDocuments(file, options, (n) => {
        const room = arena.take(n);
        block = room.block;
        return room.view;
      });
      textBytes += got.textBytes;
      counts.read += got.docs.length + got.empty;
      counts.empty += got.empty;
      counts.invalidUtf8 += got.invalidUtf8;
      counts.badLines += got.badLines;
      for (const text of got.docs) {
        const h = textHash(text, seed);
        const split = splitOf(h, validFraction);
        counts[split]++;
        open[split] ??= newGroup(split);
        const g = open[split];
        const bytes = text.length;
        g.fingerprint.add(h, bytes);
        // a held document outlives its block
        if (g.candidate) g.held.push(text.slice());
        else encode(g, text, bytes, block);
        if (g.fingerprint.bytes >= shardBytes) {
          close(g);
          open[split] = undefined;
        }
      }
      progress += file.bytes;
      // keep at most a few batches ahead of the workers; otherwise let their replies in between files
      while (inFlight > 3) await drainOne();
      while (queue.length > 0 && queue[0]?.kind === 'close') await drainOne();
      await new Promise((r) => setImmediate(r));
    }
    for (const split of ['train', 'valid'] as const) {
      const g = open[split];
      if (g) close(g);
    }
    submit();
    while (queue.length > 0) await drainOne();
    await Promise.all(writes);
    // items report the input read when they were queued; a last file whose documents all went out in shards closed
    // while reading it would otherwise never be counted
    options.onProgress?.(totalInput, totalInput);
  } finally {
    for (const b of builders) b.abort(); // shards a failed run left unfinished
    if (!options.pool) await pool.close();
  }

  const done = { train: await Promise.all(shards.train), valid: await Promise.all(shards.valid) };
  removeStale(out, done);
  const roles = tokenizer.roles;
  const specials: ShardManifest['specials'] = {};
  for (const role of ['cls', 'sep', 'pad', 'mask', 'unk'] as const) {
    const s = roles[role];
    if (s) specials[role] = s.id;
  }
  const manifest: ShardManifest = {
    version: 1,
    tokenizerHash,
    vocabSize,
    dtype,
    splits: done,
    documents: counts,
    tokens: {
      train: done.train.reduce((s, i) => s + i.tokens, 0),
      valid: done.valid.reduce((s, i) => s + i.tokens, 0),
    },
    specials,
    layout,
    textBytes,
  };
  writeManifest(out, manifest);
  return { manifest, written, skipped };
}

/**
 * Shards from an earlier, larger run are not part of this one, and temp files of shards are what killed runs left:
 * both removed, so the folder matches its manifest.
 */
function removeStale(dir: string, shards: Record<Split, ShardInfo[]>): void {
  const keep = new Set([...shards.train, ...shards.valid].map((s) => s.name));
  for (const f of readdirSync(dir)) {
    const m = /^((?:train|valid)-\d{5})\.(?:bin|idx|done\.json)$/.exec(f);
    const temp = /^\.(?:train|valid)-\d{5}\.(?:bin|idx|done\.json)\..*\.tmp$/.test(f);
    if (temp || (m && !keep.has(m[1] as string))) unlinkSync(join(dir, f));
  }
}
