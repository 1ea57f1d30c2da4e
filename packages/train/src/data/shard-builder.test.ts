// The shard writer, fed in uneven runs or all at once (writeShard), against the format written out by hand.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../sha256.js';
import { encodeIndex, type ShardInfo } from './format.js';
import { CounterRng } from './random.js';
import { ShardBuilder } from './shard-builder.js';
import { packTokens, writeShard } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'robusta-shard-builder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The files and ShardInfo of a shard, from packTokens and encodeIndex alone. */
function reference(name: string, docs: Uint32Array[], dtype: 'uint16' | 'uint32') {
  const bin = packTokens(docs, dtype);
  const idx = encodeIndex(docs.map((d) => d.length));
  const info: ShardInfo = {
    name,
    documents: docs.length,
    tokens: docs.reduce((s, d) => s + d.length, 0),
    binBytes: bin.byteLength,
    idxBytes: idx.byteLength,
    binSha256: sha256(bin),
    idxSha256: sha256(idx),
  };
  return { bin, idx, info };
}

function expectFiles(name: string, want: ReturnType<typeof reference>): void {
  expect(readFileSync(join(dir, `${name}.bin`)).equals(want.bin)).toBe(true);
  expect(readFileSync(join(dir, `${name}.idx`)).equals(want.idx)).toBe(true);
}

describe('ShardBuilder', () => {
  for (const dtype of ['uint16', 'uint32'] as const) {
    it(`writes the shard format byte for byte (${dtype}), fed in uneven runs or by writeShard`, async () => {
      const rng = new CounterRng(7);
      const docs = Array.from({ length: 37 }, () =>
        Uint32Array.from({ length: rng.below(50) }, () => rng.below(60_000)),
      );
      // one long document among short ones
      docs[20] = Uint32Array.from({ length: 400_000 }, () => rng.below(60_000));
      const Ids = dtype === 'uint16' ? Uint16Array : Uint32Array;
      const b = new ShardBuilder(dtype, dir, `runs-${dtype}`);
      for (let at = 0; at < docs.length; ) {
        const run = docs.slice(at, at + 1 + rng.below(6));
        const bytes = packTokens(run, dtype);
        b.addPacked(
          new Ids(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / Ids.BYTES_PER_ELEMENT),
          run.map((d) => d.length),
        );
        at += run.length;
      }
      expect(existsSync(join(dir, `runs-${dtype}.bin`))).toBe(false);
      const want = reference(`runs-${dtype}`, docs, dtype);
      expect(await b.write()).toEqual(want.info);
      expectFiles(`runs-${dtype}`, want);
      const whole = await writeShard(dir, `whole-${dtype}`, docs, dtype);
      expect(whole).toEqual({ ...want.info, name: `whole-${dtype}` });
      expectFiles(`whole-${dtype}`, want);
    });
  }
  it('writes an empty shard', async () => {
    const want = reference('empty', [], 'uint16');
    expect(await new ShardBuilder('uint16', dir, 'empty').write()).toEqual(want.info);
    expectFiles('empty', want);
  });
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
