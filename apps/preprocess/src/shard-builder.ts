// A shard assembled as its tokens arrive: each batch is packed, hashed and appended to the shard's temp file right
// away, while the workers encode the next, so closing a shard leaves only the fsync and rename (the same files and
// ShardInfo as @robusta/train's writeShard).
import { createHash, type Hash } from 'node:crypto';
import { join } from 'node:path';
import { AtomicFile, writeFileAtomic } from '@robusta/cli-kit';
import { bytesPerToken, encodeIndex, packTokens, type ShardInfo, sha256 } from '@robusta/train';

/** One packing buffer for every builder: its contents are in the page cache once appended, so it is free again. */
let scratch = new ArrayBuffer(1 << 20);

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

  /** Appends documents (in order) to the shard. */
  add(docs: readonly Uint32Array[]): void {
    if (docs.length === 0) return;
    this.bin ??= new AtomicFile(join(this.dir, `${this.name}.bin`));
    const chunk = packTokens(docs, this.dtype, scratch);
    if (chunk.buffer !== scratch) scratch = chunk.buffer as ArrayBuffer; // grown: keep the larger one
    this.hash.update(chunk);
    this.bin.append(chunk);
    this.binBytes += chunk.byteLength;
    for (const d of docs) this.lengths.push(d.length);
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
