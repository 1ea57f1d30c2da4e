// Atomic writers: the target holds the old bytes or the complete new ones, and no temp file outlives a write.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, isTempFileOf, writeFileAtomic, writeFileAtomicSync } from './atomic.js';

/** A chunk list whose iteration fails after its first chunk, as a producer that dies midway would. */
function failingAfterOne(): readonly Uint8Array[] {
  return {
    *[Symbol.iterator]() {
      yield Uint8Array.of(1);
      throw new Error('disk on fire');
    },
  } as unknown as readonly Uint8Array[];
}

describe('atomic writes', () => {
  it('write text, bytes, chunk lists and lazy sync and async chunks, leaving no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-kit-'));
    writeFileAtomicSync(join(dir, 'a.txt'), 'hello ünï');
    writeFileAtomicSync(join(dir, 'b.bin'), [Uint8Array.of(1, 2), Uint8Array.of(3)]);
    writeFileAtomicSync(join(dir, 'e.bin'), Uint8Array.of(7, 8));
    await writeFileAtomic(join(dir, 'c.bin'), Uint8Array.of(9));
    await writeFileAtomic(join(dir, 'f.txt'), 'text ✓');
    async function* chunks() {
      for (let i = 0; i < 3; i++) yield Uint8Array.of(i);
    }
    await writeFileAtomic(join(dir, 'd.bin'), chunks());
    await writeFileAtomic(join(dir, 'g.bin'), [Uint8Array.of(4), new Uint8Array(0), Uint8Array.of(5, 6)]);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hello ünï');
    expect([...readFileSync(join(dir, 'b.bin'))]).toEqual([1, 2, 3]);
    expect([...readFileSync(join(dir, 'c.bin'))]).toEqual([9]);
    expect([...readFileSync(join(dir, 'd.bin'))]).toEqual([0, 1, 2]);
    expect([...readFileSync(join(dir, 'e.bin'))]).toEqual([7, 8]);
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('text ✓');
    expect([...readFileSync(join(dir, 'g.bin'))]).toEqual([4, 5, 6]);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.bin', 'c.bin', 'd.bin', 'e.bin', 'f.txt', 'g.bin']);
  });
  it('replace an existing file whole, shorter content included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-kit-'));
    const path = join(dir, 'manifest.json');
    writeFileSync(path, 'a much longer old content');
    writeFileAtomicSync(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    await writeFileAtomic(path, 'newer');
    expect(readFileSync(path, 'utf8')).toBe('newer');
    expect(readdirSync(dir)).toEqual(['manifest.json']);
  });
  it('keep the old file whole and remove the temp file when the new content fails midway', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-kit-'));
    const path = join(dir, 'ckpt.bin');
    writeFileSync(path, 'old');
    async function* failing() {
      yield Uint8Array.of(1);
      throw new Error('disk on fire');
    }
    await expect(writeFileAtomic(path, failing())).rejects.toThrow('disk on fire');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['ckpt.bin']);
    expect(() => writeFileAtomicSync(path, failingAfterOne())).toThrow('disk on fire');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['ckpt.bin']);
  });
  it('fail with ENOENT naming the temp path when the folder does not exist, creating nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-kit-'));
    expect(() => writeFileAtomicSync(join(dir, 'missing', 'x'), 'y')).toThrow(/ENOENT.*missing/);
    await expect(writeFileAtomic(join(dir, 'missing', 'x'), 'y')).rejects.toThrow(/ENOENT.*missing/);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('AtomicFile: appended pieces stay invisible until commit; abort and a crash leave the old file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-kit-'));
    const path = join(dir, 'train-00000.bin');
    writeFileSync(path, 'old');
    const f = new AtomicFile(path);
    f.append(Uint8Array.of(1, 2));
    f.append(Uint8Array.of(3));
    expect(readFileSync(path, 'utf8')).toBe('old');
    const temps = readdirSync(dir).filter((n) => n !== 'train-00000.bin');
    expect(temps).toEqual([basename(f.tmp)]);
    expect(isTempFileOf(temps[0] as string, 'train-00000.bin')).toBe(true);
    expect(isTempFileOf(temps[0] as string, 'train-00001.bin')).toBe(false);
    expect(isTempFileOf('train-00000.bin', 'train-00000.bin')).toBe(false);
    // the crash case: the appended bytes sit in the temp file, the target is untouched
    expect([...readFileSync(f.tmp)]).toEqual([1, 2, 3]);
    f.commit();
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['train-00000.bin']);
    expect(() => f.append(Uint8Array.of(4))).toThrow(`${path}: already committed or aborted`);
    expect(() => f.commit()).toThrow(/already committed/);
    const g = new AtomicFile(path);
    g.append(Uint8Array.of(9));
    g.abort();
    g.abort(); // twice is harmless
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['train-00000.bin']);
  });
  it('AtomicFile.commitAsync: the same, with the fsync off this thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-kit-'));
    const path = join(dir, 'valid-00000.bin');
    const f = new AtomicFile(path);
    f.append(Uint8Array.of(5, 6));
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readdirSync(dir)).not.toContain('valid-00000.bin');
    await f.commitAsync();
    expect([...readFileSync(path)]).toEqual([5, 6]);
    expect(readdirSync(dir)).toEqual(['valid-00000.bin']);
    await expect(f.commitAsync()).rejects.toThrow(/already committed/);
  });
});
