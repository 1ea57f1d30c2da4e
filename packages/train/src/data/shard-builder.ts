// The one shard writer: a shard assembled as its tokens arrive. Each run of documents' ids (packed by the caller, e.g.
// the tokenizer's workers) is hashed and appended to the shard's temp file right away, while the caller produces the
// next, so closing a shard leaves only the fsync and rename. writeShard is this with all documents in one run.
import { createHash, type Hash } from 'node:crypto';
import { join } from 'node:path';
import { AtomicFile, writeFileAtomic } from '@robusta/cli-kit';
import { sha256 } from '../sha256.js';
import { bytesPerToken, encodeIndex, type ShardInfo } from './format.js';

export class ShardBuilder {
  private readonly hash: Hash = createHash('sha256');
  private readonly lengths: number[] = [];
  private binBytes = 0;
  private bin: AtomicFile | undefined;

  constructor(
    private readonly dtype: 'uint16' | 'uint32',
    private readonly dir: string,
    readonly name: string,
  ) {}

  /**
   * Appends documents (in order) whose ids lie back to back in `ids`, `lengths[i]` of them for document i. `ids` must
   * be of the shard's dtype; it is not kept.
   */
  addPacked(ids: Uint16Array | Uint32Array, lengths: ArrayLike<number>): void {
    const want = this.dtype === 'uint16' ? Uint16Array : Uint32Array;
    if (!(ids instanceof want))
      throw new TypeError(`${this.name}: ids must be a ${want.name} for a ${this.dtype} shard`);
    let total = 0;
    for (let i = 0; i < lengths.length; i++) total += lengths[i] as number;
    if (total !== ids.length) throw new RangeError(`${this.name}: lengths add up to ${total}, ids hold ${ids.length}`);
    if (lengths.length === 0) return;
    this.bin ??= new AtomicFile(join(this.dir, `${this.name}.bin`));
    // typed arrays use the platform's byte order; shards are little-endian (checked once in shards.ts for readers)
    const bytes = new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength);
    this.hash.update(bytes);
    this.bin.append(bytes);
    this.binBytes += bytes.byteLength;
    for (let i = 0; i < lengths.length; i++) this.lengths.push(lengths[i] as number);
  }

  /** Commits `<dir>/<name>.bin` and writes `.idx` atomically; the builder is spent afterwards. */
  async write(): Promise<ShardInfo> {
    const idx = encodeIndex(this.lengths);
    const info: ShardInfo = {
      name: this.name,
      documents: this.lengths.length,
      tokens: this.binBytes / bytesPerToken(this.dtype),
      binBytes: this.binBytes,
      idxBytes: idx.byteLength,
      binSha256: this.hash.digest('hex'),
      idxSha256: sha256(idx),
    };
    const bin = this.bin ?? new AtomicFile(join(this.dir, `${this.name}.bin`));
    this.bin = undefined;
    await Promise.all([bin.commitAsync(), writeFileAtomic(join(this.dir, `${this.name}.idx`), idx)]);
    return info;
  }

  /** Drops what was appended (a failed run): the temp file goes, any finished shard of this name stays. */
  abort(): void {
    this.bin?.abort();
    this.bin = undefined;
  }
}
