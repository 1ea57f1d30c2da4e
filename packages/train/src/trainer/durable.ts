// Durable file primitives for checkpoint directories, whose atomicity is the directory's rename (so single files need
// no temp-and-rename of their own; single-file atomic writes are @robusta/cli-kit's): fsynced writes, directory fsync.
import { open } from 'node:fs/promises';

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
