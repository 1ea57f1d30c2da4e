// Shard files: written and read back by random access, sizes checked on open, corruption named with verify.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@robusta/cli-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeIndex, dtypeFor, encodeIndex, type ShardManifest } from './format.js';
import { CounterRng } from './random.js';
import { openShards } from './shards.js';
import { writeManifest, writeShard } from './writer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function docsOf(seed: number, n: number, vocab: number): Uint32Array[] {
  const rng = new CounterRng(seed);
  return Array.from({ length: n }, () => Uint32Array.from({ length: rng.below(50) }, () => rng.below(vocab)));
}

async function build(vocab: number): Promise<{ dir: string; train: Uint32Array[]; valid: Uint32Array[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'robusta-shards-'));
  dirs.push(dir);
  const dtype = dtypeFor(vocab);
  const train = docsOf(1, 90, vocab);
  const valid = docsOf(2, 10, vocab);
  const shards = await Promise.all(
    [train.slice(0, 40), train.slice(40, 41), train.slice(41)].map((d, i) =>
      writeShard(dir, `train-0000${i}`, d, dtype),
    ),
  );
  const manifest: ShardManifest = {
    version: 1,
    tokenizerHash: 'x',
    vocabSize: vocab,
    dtype,
    splits: { train: shards, valid: [await writeShard(dir, 'valid-00000', valid, dtype)] },
    documents: { read: 100, train: 90, valid: 10, empty: 0, invalidUtf8: 0, badLines: 0 },
    tokens: { train: 0, valid: 0 },
    specials: {},
    layout: { validFraction: 0.1, seed: 0, shardBytes: 0 },
    textBytes: 0,
  };
  writeManifest(dir, manifest);
  return { dir, train, valid };
}

describe('shards', () => {
  for (const vocab of [50_265, 100_000]) {
    it(`reads every document back by random access (vocab ${vocab})`, async () => {
      const { dir, train, valid } = await build(vocab);
      const set = await openShards(dir, 'train', { verify: true });
      expect(set.numDocuments).toBe(90);
      expect(set.numTokens).toBe(train.reduce((s, d) => s + d.length, 0));
      for (const i of [89, 0, 40, 41, 17, 63])
        expect(Array.from(set.document(i))).toEqual(Array.from(train[i] as Uint32Array));
      // a slice from inside a document of the last shard, written at an offset of the output
      const at = train.findIndex((d, i) => i > 41 && d.length >= 6);
      expect(at).toBeGreaterThan(41);
      const out = new Int32Array(6).fill(-1);
      set.readInto(at, 1, 4, out, 2);
      expect(Array.from(out)).toEqual([-1, -1, ...Array.from(train[at]!.subarray(1, 4)), -1]);
      expect(() => set.document(90)).toThrow(/out of range/);
      set.close();
      const v = await openShards(dir, 'valid');
      expect(Array.from(v.document(9))).toEqual(Array.from(valid[9] as Uint32Array));
      v.close();
    });
  }

  it('names the corrupted file under verify, and catches a truncated one without it', async () => {
    const { dir, train } = await build(50_265);
    const bin = join(dir, 'train-00002.bin');
    const bytes = readFileSync(bin);
    expect(bytes.length).toBeGreaterThan(8);
    bytes[7] = (bytes[7] as number) ^ 1;
    writeFileSync(bin, bytes);
    // without verify the sizes still match, so it opens and reads what is on disk: one token differs from the written
    const unverified = await openShards(dir, 'train');
    expect(unverified.numDocuments).toBe(90);
    const read = Array.from({ length: 90 - 41 }, (_, k) => Array.from(unverified.document(41 + k))).flat();
    unverified.close();
    expect(read).toEqual(Array.from(new Uint16Array(Uint8Array.from(bytes).buffer)));
    const written = train.slice(41).flatMap((d) => Array.from(d));
    expect(read.filter((t, i) => t !== written[i])).toHaveLength(1);
    await expect(openShards(dir, 'train', { verify: true })).rejects.toThrow(/train-00002\.bin: corrupted/);
    await expect(openShards(dir, 'train', { verify: true })).rejects.toThrow(FormatError);
    truncateSync(bin, bytes.length - 2);
    await expect(openShards(dir, 'train')).rejects.toThrow(/train-00002\.bin: \d+ bytes, expected/);
    await expect(openShards(dir, 'train')).rejects.toThrow(FormatError);
  });

  it('explains a missing manifest and a bad index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'robusta-shards-'));
    dirs.push(dir);
    await expect(openShards(dir, 'train')).rejects.toThrow(/manifest.json: not found/);
    expect(Array.from(decodeIndex(encodeIndex([3, 0, 2]), 'x'))).toEqual([0, 3, 3, 5]);
    const bad = encodeIndex([3, 1]);
    bad[8] = 9;
    expect(() => decodeIndex(bad, 'a.idx')).toThrow(/a.idx: offset 2 is 4, expected >= 9/);
    expect(() => decodeIndex(bad, 'a.idx')).toThrow(FormatError);
    expect(() => decodeIndex(new Uint8Array(12), 'b.idx')).toThrow(FormatError);
    expect(() => decodeIndex(new Uint8Array(12), 'b.idx')).toThrow(/b.idx: index has 12 bytes, expected a positive/);
  });
});
