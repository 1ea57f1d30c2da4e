// The incremental shard writer must produce exactly the files and ShardInfo of @robusta/train's writeShard.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packTokens, writeShard } from '@robusta/train';
import { afterAll, describe, expect, it } from 'vitest';
import { ShardBuilder } from './shard-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'robusta-shard-builder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ShardBuilder', () => {
  for (const dtype of ['uint16', 'uint32'] as const) {
    it(`matches writeShard byte for byte (${dtype}), fed in uneven runs`, async () => {
      let seed = 7;
      const rand = (n: number) => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed % n;
      };
      const docs = Array.from({ length: 37 }, () => Uint32Array.from({ length: rand(50) }, () => rand(60_000)));
      // one long document among short ones
      docs[20] = Uint32Array.from({ length: 400_000 }, () => rand(60_000));
      const b = new ShardBuilder(dtype, dir, `ours-${dtype}`);
      for (let at = 0; at < docs.length; ) {
        const run = docs.slice(at, at + 1 + rand(6));
        const bytes = packTokens(run, dtype);
        const Kind = dtype === 'uint16' ? Uint16Array : Uint32Array;
        b.addPacked(
          new Kind(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / Kind.BYTES_PER_ELEMENT),
          run.map((d) => d.length),
        );
        at += run.length;
      }
      expect(existsSync(join(dir, `ours-${dtype}.bin`))).toBe(false);
      const ours = await b.write();
      const ref = await writeShard(dir, `ref-${dtype}`, docs, dtype);
      expect({ ...ours, name: '' }).toEqual({ ...ref, name: '' });
      for (const ext of ['bin', 'idx'])
        expect(
          readFileSync(join(dir, `ours-${dtype}.${ext}`)).equals(readFileSync(join(dir, `ref-${dtype}.${ext}`))),
        ).toBe(true);
    });
  }
  it('refuses ids of the wrong type or not matching the lengths', () => {
    const b = new ShardBuilder('uint16', dir, 'refused');
    expect(() => b.addPacked(Uint32Array.of(1), [1])).toThrow(/refused: ids must be a Uint16Array for a uint16 shard/);
    expect(() => b.addPacked(Uint16Array.of(1, 2), [1])).toThrow(/lengths add up to 1, ids hold 2/);
    b.abort();
  });
  it('abort removes the temp file and leaves a finished shard of the same name', async () => {
    const b = new ShardBuilder('uint16', dir, 'kept');
    b.addPacked(Uint16Array.of(1, 2, 3), [3]);
    await b.write();
    const c = new ShardBuilder('uint16', dir, 'kept');
    c.addPacked(Uint16Array.of(4), [1]);
    c.abort();
    expect([...readFileSync(join(dir, 'kept.bin'))]).toEqual([1, 0, 2, 0, 3, 0]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
