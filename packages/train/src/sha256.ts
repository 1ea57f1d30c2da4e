// sha256 of bytes and of files, for the shard and checkpoint manifests (one module for both, so they hash alike).
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** Files are read in pieces of this size, so a large shard or optimizer state never sits in memory whole. */
const PIECE = 4 << 20;

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of a file, on this thread (for synchronous callers such as the preprocessor's shard reuse check). */
export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(PIECE);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, buf, 0, PIECE, null); n > 0; n = readSync(fd, buf, 0, PIECE, null))
      hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * The same, with the reads on libuv's pool: checkpoints hash gigabytes, and the thread stays free meanwhile (a second
 * Ctrl-C during a save is handled at once).
 */
export async function sha256FileAsync(path: string): Promise<string> {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(PIECE);
  const fh = await open(path, 'r');
  try {
    for (
      let n = (await fh.read(buf, 0, PIECE, null)).bytesRead;
      n > 0;
      n = (await fh.read(buf, 0, PIECE, null)).bytesRead
    )
      hash.update(buf.subarray(0, n));
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}
