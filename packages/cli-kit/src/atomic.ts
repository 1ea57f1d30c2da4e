// Crash-safe file writes: a temp file beside the target, fsync, rename, fsync of the folder. A reader, or a run that
// was killed and restarted, sees the old file or the complete new one, never a torn write.
import { randomBytes } from 'node:crypto';
import { closeSync, fsync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What can be written: text, bytes, or byte chunks produced lazily (so a large file never sits in memory whole). */
export type FileData = string | Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * A rename or a new entry is durable only once its folder is synced (e.g. after renaming a whole temp folder into
 * place); some platforms refuse fsync on a folder, so this is best effort.
 */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // the data itself is synced already
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function asChunks(data: FileData): Iterable<Uint8Array> | AsyncIterable<Uint8Array> {
  if (typeof data === 'string') return [Buffer.from(data, 'utf8')];
  if (data instanceof Uint8Array) return [data];
  return data;
}

/** Writes `data` to `path` atomically without blocking the thread (writes and fsync run on libuv's pool). */
export async function writeFileAtomic(path: string, data: FileData): Promise<void> {
  const tmp = tempPath(path);
  const fh = await open(tmp, 'wx');
  try {
    for await (const chunk of asChunks(data)) {
      let done = 0;
      while (done < chunk.byteLength) done += (await fh.write(chunk, done, chunk.byteLength - done)).bytesWritten;
    }
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
  syncDir(dirname(path));
}

/** The same, synchronously (for small files such as manifests and JSON results). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const file = new AtomicFile(path);
  try {
    const list = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
    for (const chunk of list) file.append(chunk);
  } catch (e) {
    file.abort();
    throw e;
  }
  file.commit();
}

/**
 * A file written piece by piece as its data is produced (no need to hold it whole), that appears at `path` only on
 * `commit` (fsync, rename, folder fsync); until then, and after `abort` or a crash, the old file stays as it was.
 * Appends are synchronous writes into the page cache: cheap, and they reuse no caller buffer afterwards.
 */
export class AtomicFile {
  readonly tmp: string;
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.tmp = tempPath(path);
    this.fd = openSync(this.tmp, 'wx');
  }

  append(chunk: Uint8Array): void {
    const fd = this.open();
    let done = 0;
    while (done < chunk.byteLength) done += writeSync(fd, chunk, done, chunk.byteLength - done);
  }

  commit(): void {
    const fd = this.open();
    try {
      fsyncSync(fd);
      closeSync(fd);
      this.fd = undefined;
      renameSync(this.tmp, this.path);
    } catch (e) {
      this.abort();
      throw e;
    }
    syncDir(dirname(this.path));
  }

  /** `commit` with the fsync on libuv's pool, so this thread goes on meanwhile. */
  async commitAsync(): Promise<void> {
    const fd = this.open();
    try {
      await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
      closeSync(fd);
      this.fd = undefined;
      await rename(this.tmp, this.path);
    } catch (e) {
      this.abort();
      throw e;
    }
    syncDir(dirname(this.path));
  }

  /** Removes the temp file; the target is untouched. */
  abort(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {}
      this.fd = undefined;
    }
    rmSync(this.tmp, { force: true });
  }

  private open(): number {
    if (this.fd === undefined) throw new Error(`${this.path}: already committed or aborted`);
    return this.fd;
  }
}

/** Whether a file name is one of the temp files these writers leave behind when killed, for `target`'s name. */
export function isTempFileOf(fileName: string, targetName: string): boolean {
  return fileName.startsWith(`.${targetName}.`) && fileName.endsWith('.tmp');
}
