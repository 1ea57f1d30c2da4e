// Random access to a split's documents: the `.idx` offsets in memory, tokens read from the `.bin` files on demand.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@robusta/cli-kit';
import { sha256FileAsync } from '../sha256.js';
import { bytesPerToken, decodeIndex, MANIFEST_FILE, type ShardInfo, type ShardManifest } from './format.js';

export interface ShardSet {
  manifest: ShardManifest;
  split: 'train' | 'valid';
  numDocuments: number;
  numTokens: number;
  /** Tokens of document i (0-based over the split, shards in manifest order); reads only that document's bytes. */
  document(i: number): Uint32Array | Uint16Array;
  /** Length in tokens of document i, from the index (no read). */
  documentLength(i: number): number;
  /** Tokens [start, end) of document i, copied into `out` at `at`; reads only those bytes. */
  readInto(i: number, start: number, end: number, out: Int32Array | Uint32Array, at: number): void;
  close(): void;
}

export interface OpenOptions {
  /** Check each shard file's sha256 against the manifest (reads every byte once). */
  verify?: boolean;
}

interface OpenShard {
  info: ShardInfo;
  fd: number;
  path: string;
  /** Token offsets of its documents (length documents + 1). */
  offsets: Float64Array;
  /** Index of its first document in the split. */
  firstDoc: number;
}

function readManifest(dir: string): ShardManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path))
    throw new Error(`${path}: not found (run robusta-preprocess first; a run that did not finish writes no manifest)`);
  let m: ShardManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as ShardManifest;
  } catch (e) {
    throw new FormatError(path, `not valid JSON (${(e as Error).message})`);
  }
  if (m.version !== 1) throw new FormatError(path, `version is ${JSON.stringify(m.version)}, expected 1`);
  if (m.dtype !== 'uint16' && m.dtype !== 'uint32')
    throw new FormatError(path, `dtype is ${JSON.stringify(m.dtype)}, expected "uint16" or "uint32"`);
  if (!m.splits || !Array.isArray(m.splits.train) || !Array.isArray(m.splits.valid))
    throw new FormatError(path, `splits.train and splits.valid must be arrays of shards`);
  return m;
}

/** Opens one split of a preprocessed folder. Sizes and offsets are always checked; `verify` adds the sha256s. */
export async function openShards(dir: string, split: 'train' | 'valid', options: OpenOptions = {}): Promise<ShardSet> {
  if (endianness() !== 'LE') throw new Error('shards are little-endian; this machine is big-endian (not supported)');
  const manifest = readManifest(dir);
  const width = bytesPerToken(manifest.dtype);
  const shards: OpenShard[] = [];
  let docs = 0;
  let tokens = 0;
  const closeAll = () => {
    for (const s of shards) closeSync(s.fd);
  };
  try {
    for (const info of manifest.splits[split]) {
      const binPath = join(dir, `${info.name}.bin`);
      const idxPath = join(dir, `${info.name}.idx`);
      for (const [path, sha] of [
        [binPath, info.binSha256],
        [idxPath, info.idxSha256],
      ] as const) {
        if (!existsSync(path)) throw new FormatError(path, `missing (listed in ${MANIFEST_FILE})`);
        if (!options.verify) continue;
        const got = await sha256FileAsync(path);
        if (got !== sha) throw new FormatError(path, `corrupted, sha256 is ${got}, the manifest says ${sha}`);
      }
      const offsets = decodeIndex(readFileSync(idxPath), idxPath);
      if (offsets.length !== info.documents + 1)
        throw new FormatError(idxPath, `${offsets.length - 1} documents, the manifest says ${info.documents}`);
      if (offsets[offsets.length - 1] !== info.tokens)
        throw new FormatError(
          idxPath,
          `ends at token ${offsets[offsets.length - 1]}, the manifest says ${info.tokens}`,
        );
      const fd = openSync(binPath, 'r');
      shards.push({ info, fd, path: binPath, offsets, firstDoc: docs });
      const size = fstatSync(fd).size;
      if (size !== info.tokens * width)
        throw new FormatError(
          binPath,
          `${size} bytes, expected ${info.tokens} tokens x ${width} bytes = ${info.tokens * width}`,
        );
      docs += info.documents;
      tokens += info.tokens;
    }
  } catch (e) {
    closeAll();
    throw e;
  }

  // the shard holding document i: binary search over first-document numbers
  const locate = (i: number): OpenShard => {
    if (!Number.isInteger(i) || i < 0 || i >= docs)
      throw new RangeError(`document ${i} is out of range: the ${split} split has ${docs} documents`);
    let lo = 0;
    let hi = shards.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((shards[mid] as OpenShard).firstDoc <= i) lo = mid;
      else hi = mid - 1;
    }
    return shards[lo] as OpenShard;
  };
  const bounds = (i: number): [OpenShard, number, number] => {
    const s = locate(i);
    const k = i - s.firstDoc;
    return [s, s.offsets[k] as number, s.offsets[k + 1] as number];
  };
  let closed = false;
  const readRaw = (s: OpenShard, from: number, count: number): Uint8Array => {
    if (closed) throw new Error(`shard set ${dir} (${split}) is closed`);
    const bytes = new Uint8Array(count * width);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(s.fd, bytes, done, bytes.length - done, (from * width + done) as number);
      if (n === 0)
        throw new FormatError(s.path, `ended early at byte ${from * width + done} (truncated after opening?)`);
      done += n;
    }
    return bytes;
  };

  return {
    manifest,
    split,
    numDocuments: docs,
    numTokens: tokens,
    documentLength(i) {
      const [, a, b] = bounds(i);
      return b - a;
    },
    document(i) {
      const [s, a, b] = bounds(i);
      const raw = readRaw(s, a, b - a);
      return width === 2 ? new Uint16Array(raw.buffer) : new Uint32Array(raw.buffer);
    },
    readInto(i, start, end, out, at) {
      const [s, a, b] = bounds(i);
      if (start < 0 || end > b - a || start > end)
        throw new RangeError(`document ${i}: tokens [${start}, ${end}) outside its ${b - a} tokens`);
      const raw = readRaw(s, a + start, end - start);
      const src = width === 2 ? new Uint16Array(raw.buffer) : new Uint32Array(raw.buffer);
      out.set(src, at);
    },
    close() {
      if (closed) return;
      closed = true;
      closeAll();
    },
  };
}
