// Durable file primitives for checkpoints: fsynced writes, directory fsync, streaming sha256.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes and fsyncs a file (no rename: callers use it inside a temp directory that is renamed as a whole). */
export async function writeDurable(path: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Old file or new, never half: temp beside it, fsync, rename, fsync the directory. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeDurable(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dirname(path));
}

/** A rename or new entry is durable only once its directory is fsynced. */
export async function syncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } catch {
    // some filesystems refuse fsync on a directory; the file contents are already durable
  } finally {
    await dh.close();
  }
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}
