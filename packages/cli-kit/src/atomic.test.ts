import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, isTempFileOf, writeFileAtomic, writeFileAtomicSync } from './atomic.js';

describe('atomic writes', () => {
  it('write text, bytes, chunk lists and lazy async chunks, leaving no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-kit-'));
    writeFileAtomicSync(join(dir, 'a.txt'), 'hello');
    writeFileAtomicSync(join(dir, 'b.bin'), [Uint8Array.of(1, 2), Uint8Array.of(3)]);
    await writeFileAtomic(join(dir, 'c.bin'), Uint8Array.of(9));
    async function* chunks() {
      for (let i = 0; i < 3; i++) yield Uint8Array.of(i);
    }
    await writeFileAtomic(join(dir, 'd.bin'), chunks());
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hello');
    expect([...readFileSync(join(dir, 'b.bin'))]).toEqual([1, 2, 3]);
    expect([...readFileSync(join(dir, 'd.bin'))]).toEqual([0, 1, 2]);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.bin', 'c.bin', 'd.bin']);
  });
  it('keep the old file whole when the new content fails midway', async () => {
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
    expect(existsSync(join(dir, 'missing', 'x'))).toBe(false);
    expect(() => writeFileAtomicSync(join(dir, 'missing', 'x'), 'y')).toThrow(/ENOENT/);
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
    expect(temps.length).toBe(1);
    expect(isTempFileOf(temps[0] as string, 'train-00000.bin')).toBe(true);
    expect(isTempFileOf(temps[0] as string, 'train-00001.bin')).toBe(false);
    f.commit();
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['train-00000.bin']);
    expect(() => f.append(Uint8Array.of(4))).toThrow(/already committed/);
    const g = new AtomicFile(path);
    g.append(Uint8Array.of(9));
    g.abort();
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['train-00000.bin']);
  });
});
