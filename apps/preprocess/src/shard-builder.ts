// A shard assembled as its tokens arrive: each batch is packed and hashed right away, while the workers encode the
// next, so closing a shard leaves only the write and fsync (the same files and ShardInfo as @robusta/train's writeShard).
import { createHash, type Hash } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '@robusta/cli-kit';
import { bytesPerToken, encodeIndex, packTokens, type ShardInfo, sha256 } from '@robusta/train';

export class ShardBuilder {
  private readonly chunks: Uint8Array[] = [];
  private readonly hash: Hash = createHash('sha256');
  private readonly lengths: number[] = [];
  private binBytes = 0;

  constructor(private readonly dtype: 'uint16' | 'uint32') {}

  /** Appends documents (in order) to the shard. */
  add(docs: readonly Uint32Array[]): void {
    if (docs.length === 0) return;
    const chunk = packTokens(docs, this.dtype);
    this.hash.update(chunk);
    this.chunks.push(chunk);
    this.binBytes += chunk.byteLength;
    for (const d of docs) this.lengths.push(d.length);
  }

  /** Writes `<dir>/<name>.bin` and `.idx` atomically; the builder is spent afterwards. */
  async write(dir: string, name: string): Promise<ShardInfo> {
    const idx = encodeIndex(this.lengths);
    const info: ShardInfo = {
      name,
      documents: this.lengths.length,
      tokens: this.binBytes / bytesPerToken(this.dtype),
      binBytes: this.binBytes,
      idxBytes: idx.byteLength,
      binSha256: this.hash.digest('hex'),
      idxSha256: sha256(idx),
    };
    await Promise.all([
      writeFileAtomic(join(dir, `${name}.bin`), this.chunks),
      writeFileAtomic(join(dir, `${name}.idx`), idx),
    ]);
    this.chunks.length = 0;
    return info;
  }
}
