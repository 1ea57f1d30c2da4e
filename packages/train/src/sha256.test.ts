// sha256File and sha256FileAsync agree with each other and with sha256 of the bytes, across the read-piece boundary.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256, sha256File, sha256FileAsync } from './sha256.js';

const dir = mkdtempSync(join(tmpdir(), 'robusta-sha256-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sha256File / sha256FileAsync', () => {
  it('hash an empty file as sha256 of no bytes', async () => {
    const path = join(dir, 'empty');
    writeFileSync(path, new Uint8Array(0));
    const want = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(sha256(new Uint8Array(0))).toBe(want);
    expect(sha256File(path)).toBe(want);
    expect(await sha256FileAsync(path)).toBe(want);
  });

  it('hash a file longer than one read piece as sha256 of its bytes', async () => {
    const data = new Uint8Array((4 << 20) + 12345);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    const path = join(dir, 'long');
    writeFileSync(path, data);
    const want = sha256(data);
    expect(sha256File(path)).toBe(want);
    expect(await sha256FileAsync(path)).toBe(want);
  });
});
