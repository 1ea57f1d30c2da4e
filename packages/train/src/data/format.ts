// The on-disk shard format shared by robusta-preprocess (writer) and the trainer (reader): names, manifest, index.
import { FormatError } from '@robusta/cli-kit';

/** One shard: `<name>.bin` holds its documents' tokens back to back, `<name>.idx` their offsets. */
export interface ShardInfo {
  /** File stem, e.g. `train-00000` (the files are `train-00000.bin` and `train-00000.idx`). */
  name: string;
  documents: number;
  tokens: number;
  binBytes: number;
  idxBytes: number;
  binSha256: string;
  idxSha256: string;
}

/** Document counts of a preprocessing run (what was read and what was kept or dropped, and why). */
export interface DocumentCounts {
  /** Documents found in the inputs, empty ones included. */
  read: number;
  train: number;
  valid: number;
  /** Empty or whitespace-only documents, dropped. */
  empty: number;
  /** Documents with invalid UTF-8, kept with each bad sequence replaced by U+FFFD. */
  invalidUtf8: number;
  /** Malformed .jsonl lines skipped under --skip-bad-lines (without it they are errors). */
  badLines: number;
}

export interface ShardManifest {
  version: 1;
  /** sha256 (hex) of the `tokenizer.json` the run used; a copy sits next to the shards. */
  tokenizerHash: string;
  vocabSize: number;
  dtype: 'uint16' | 'uint32';
  splits: { train: ShardInfo[]; valid: ShardInfo[] };
  documents: DocumentCounts;
  tokens: { train: number; valid: number };
  /** Special-token ids found in the tokenizer by role (absent roles are left out). */
  specials: { cls?: number; sep?: number; pad?: number; mask?: number; unk?: number };
  /** Settings that decide which document lands in which shard (a re-run with other settings rewrites all shards). */
  layout: { validFraction: number; seed: number; shardBytes: number };
  /** UTF-8 bytes of input text read (after gunzip), dropped documents and separators included. */
  textBytes: number;
}

/** The manifest of a shard folder or a checkpoint, written last: its presence says the folder is complete. */
export const MANIFEST_FILE = 'manifest.json';
export const TOKENIZER_FILE = 'tokenizer.json';

/** Shard stem for a split and index: `train-00000`. */
export function shardName(split: 'train' | 'valid', index: number): string {
  return `${split}-${String(index).padStart(5, '0')}`;
}

/** uint16 when every id fits, else uint32. */
export function dtypeFor(vocabSize: number): 'uint16' | 'uint32' {
  return vocabSize <= 65_536 ? 'uint16' : 'uint32';
}

export function bytesPerToken(dtype: 'uint16' | 'uint32'): 2 | 4 {
  return dtype === 'uint16' ? 2 : 4;
}

/**
 * `.idx` layout: documents + 1 unsigned 64-bit little-endian token offsets into the `.bin`, starting at 0; document
 * i is tokens [off[i], off[i+1]). 64 bits so a shard may pass 4 G tokens; no header, the manifest carries counts.
 */
export function encodeIndex(lengths: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array((lengths.length + 1) * 8);
  const view = new DataView(out.buffer);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    at += lengths[i] as number;
    view.setBigUint64((i + 1) * 8, BigInt(at), true);
  }
  return out;
}

/** Offsets of an `.idx` file as doubles (exact below 2^53 tokens); `source` names the file in errors. */
export function decodeIndex(bytes: Uint8Array, source: string): Float64Array {
  if (bytes.length % 8 !== 0 || bytes.length < 8)
    throw new FormatError(source, `index has ${bytes.length} bytes, expected a positive multiple of 8`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.length / 8);
  let prev = 0;
  for (let i = 0; i < out.length; i++) {
    const v = Number(view.getBigUint64(i * 8, true));
    if (i === 0 ? v !== 0 : v < prev)
      throw new FormatError(
        source,
        `offset ${i} is ${v}, expected ${i === 0 ? '0' : `>= ${prev}`} (offsets ascend from 0)`,
      );
    out[i] = v;
    prev = v;
  }
  return out;
}
