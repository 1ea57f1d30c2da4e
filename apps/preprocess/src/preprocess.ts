// robusta-preprocess as a function: text corpora -> train/valid split -> tokenized on a worker pool -> shards, then the
// manifest. The pipeline's steps are PreprocessRun's; this file sets a run up and writes what it made.
import { existsSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@robusta/cli-kit';
import { type Tokenizer, TokenizerPool } from '@robusta/tokenizer';
import { dtypeFor, MANIFEST_FILE, type ShardManifest, sha256, TOKENIZER_FILE, writeManifest } from '@robusta/train';
import { listInputs } from './inputs.js';
import { PreprocessRun } from './preprocess-run.js';
import { removeStale } from './resume.js';

/** 1% of a pretraining corpus is thousands of documents, enough for a steady validation loss, and costs train little. */
const DEFAULT_VALID_FRACTION = 0.01;

/**
 * Text per shard: a crash loses the shards still filling, and a re-run re-hashes every finished shard to verify it, so
 * shards are kept near 100 MB; a corpus of hundreds of gigabytes still makes only a few thousand files.
 */
const DEFAULT_SHARD_BYTES = 128e6;

/** Text per encode call: batches of 256 KB to 16 MB measured alike (README, Performance); 4 MiB sits between. */
const DEFAULT_BATCH_BYTES = 1 << 22;

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

export async function preprocess(options: PreprocessOptions): Promise<PreprocessResult> {
  const validFraction = options.validFraction ?? DEFAULT_VALID_FRACTION;
  if (!(validFraction >= 0 && validFraction < 1))
    throw new RangeError(`validFraction must be in [0, 1), got ${validFraction}`);
  const layout = { validFraction, seed: options.seed ?? 0, shardBytes: options.shardBytes ?? DEFAULT_SHARD_BYTES };
  const { out, tokenizer } = options;
  const files = listInputs(options.inputs);
  const totalInput = files.reduce((s, f) => s + f.bytes, 0);
  const tokenizerHash = sha256(options.tokenizerJson);
  const dtype = dtypeFor(tokenizer.vocabSize);
  const tokenizerWritten = prepareFolder(out, options.tokenizerJson, tokenizerHash);
  const pool = options.pool ?? (await TokenizerPool.create(tokenizer, { workers: options.workers }));
  const run = new PreprocessRun(
    {
      out,
      dtype,
      tokenizerHash,
      layout,
      batchBytes: options.batchBytes ?? DEFAULT_BATCH_BYTES,
      read: options,
      totalInput,
      onProgress: options.onProgress,
    },
    pool,
  );
  let shards: ShardManifest['splits'];
  try {
    for (const file of files) await run.readFile(file);
    shards = await run.finish();
    await tokenizerWritten;
    // steps report the input read when they were queued; a last file whose documents all went out in shards closed
    // while reading it would otherwise never be counted
    options.onProgress?.(totalInput, totalInput);
  } finally {
    run.dropUnfinished();
    if (!options.pool) await pool.close();
  }
  removeStale(out, shards);
  const manifest = run.manifest(shards, tokenizer);
  writeManifest(out, manifest);
  return { manifest, written: run.written, skipped: run.skipped };
}

/**
 * Makes the output folder, removes an old manifest (it must not describe shards this run is about to replace), and
 * starts writing tokenizer.json unless the same bytes are there.
 */
function prepareFolder(out: string, tokenizerJson: Uint8Array, tokenizerHash: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  if (existsSync(join(out, MANIFEST_FILE))) unlinkSync(join(out, MANIFEST_FILE));
  const path = join(out, TOKENIZER_FILE);
  if (existsSync(path) && sha256(readFileSync(path)) === tokenizerHash) return Promise.resolve();
  return writeFileAtomic(path, tokenizerJson);
}
