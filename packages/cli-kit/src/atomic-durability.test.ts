// What makes the atomic writers crash-safe, checked from the outside: the order of fsyncs and renames they issue, and
// a writer process killed midway leaving the old file whole.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The file-system calls that matter for durability, in the order they were made. */
const calls: string[] = [];
const fdPaths = new Map<number, string>();
const name = (p: unknown) => (String(p).endsWith('.tmp') ? 'tmp' : basename(String(p)));

vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return {
    ...real,
    openSync: (p: fs.PathLike, flags: fs.OpenMode = 'r') => {
      const fd = real.openSync(p, flags);
      fdPaths.set(fd, String(p));
      return fd;
    },
    fsyncSync: (fd: number) => {
      calls.push(`fsync ${name(fdPaths.get(fd))}`);
      real.fsyncSync(fd);
    },
    fsync: (fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => {
      calls.push(`fsync ${name(fdPaths.get(fd))}`);
      real.fsync(fd, cb);
    },
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      calls.push(`rename ${name(from)} -> ${name(to)}`);
      real.renameSync(from, to);
    },
  };
});

vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  return {
    ...real,
    open: async (p: fs.PathLike, flags?: string) => {
      const fh = await real.open(p, flags);
      const sync = fh.sync.bind(fh);
      fh.sync = async () => {
        calls.push(`fsync ${name(p)}`);
        await sync();
      };
      return fh;
    },
    rename: async (from: fs.PathLike, to: fs.PathLike) => {
      calls.push(`rename ${name(from)} -> ${name(to)}`);
      await real.rename(from, to);
    },
  };
});

const { AtomicFile, isTempFileOf, syncDir, writeFileAtomic, writeFileAtomicSync } = await import('./atomic.js');

function freshDir(): string {
  return fs.mkdtempSync(join(tmpdir(), 'cli-kit-durable-'));
}

describe('atomic writers: durability order', () => {
  beforeEach(() => {
    calls.length = 0;
  });
  const expected = (dir: string) => ['fsync tmp', 'rename tmp -> state.json', `fsync ${basename(dir)}`];

  it('writeFileAtomic syncs the data, renames, then syncs the folder', async () => {
    const dir = freshDir();
    await writeFileAtomic(join(dir, 'state.json'), '{}');
    expect(calls).toEqual(expected(dir));
  });
  it('writeFileAtomicSync: the same order', () => {
    const dir = freshDir();
    writeFileAtomicSync(join(dir, 'state.json'), '{}');
    expect(calls).toEqual(expected(dir));
  });
  it('AtomicFile.commit and commitAsync: the same order', async () => {
    const dir = freshDir();
    const a = new AtomicFile(join(dir, 'state.json'));
    a.append(Uint8Array.of(1));
    a.commit();
    expect(calls).toEqual(expected(dir));
    calls.length = 0;
    const b = new AtomicFile(join(dir, 'state.json'));
    b.append(Uint8Array.of(2));
    await b.commitAsync();
    expect(calls).toEqual(expected(dir));
  });
  it('syncDir syncs the folder itself, for callers that rename whole folders', () => {
    const dir = freshDir();
    syncDir(dir);
    expect(calls).toEqual([`fsync ${basename(dir)}`]);
  });
});

describe('atomic writers: a writer killed midway', () => {
  it('leaves the old file whole, and only a temp file that isTempFileOf recognises', async () => {
    const dir = freshDir();
    const target = join(dir, 'shard.bin');
    fs.writeFileSync(target, 'old contents');
    const atomic = join(dirname(fileURLToPath(import.meta.url)), 'atomic.ts');
    // the child writes one chunk, says so, and then waits for more data forever; it is killed while waiting
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(atomic)};
      async function* chunks() {
        yield new Uint8Array(1 << 20).fill(7);
        process.stdout.write('midway\\n');
        await new Promise(() => setInterval(() => {}, 1000));
      }
      await writeFileAtomic(${JSON.stringify(target)}, chunks());
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('midway') && resolve());
      child.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    const tempSize = fs.statSync(join(dir, fs.readdirSync(dir).find((f) => f !== 'shard.bin') ?? '')).size;
    expect(tempSize).toBe(1 << 20);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(fs.readFileSync(target, 'utf8')).toBe('old contents');
    const left = fs.readdirSync(dir).filter((f) => f !== 'shard.bin');
    expect(left).toHaveLength(1);
    expect(isTempFileOf(left[0] as string, 'shard.bin')).toBe(true);
    await fsp.rm(dir, { recursive: true });
  }, 30_000);
});
