// preprocess end to end on real text: round trip through shards, resume, corruption, bad input counted or named.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Tokenizer, TokenizerPool } from '@robusta/tokenizer';
import { openShards } from '@robusta/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { robertaLikeTokenizer, sotuFiles } from '../test-support/corpus.js';
import { preprocess } from './preprocess.js';

let tokenizer: Tokenizer;
let json: Uint8Array;
let root: string;
const texts: string[] = [];

beforeAll(async () => {
  ({ tokenizer, json } = await robertaLikeTokenizer());
  root = mkdtempSync(join(tmpdir(), 'robusta-preprocess-'));
  // 40 addresses: 20 as .txt files (one paragraph block each), 10 in a .jsonl, 10 in a gzipped .jsonl
  const files = sotuFiles().slice(0, 40);
  mkdirSync(join(root, 'in'));
  for (const f of files.slice(0, 20)) copyFileSync(f, join(root, 'in', basename(f)));
  const lines = files.slice(20).map((f) => JSON.stringify({ text: readFileSync(f, 'utf8').trim() }));
  writeFileSync(join(root, 'in', 'z1.jsonl'), `${lines.slice(0, 10).join('\n')}\n`);
  writeFileSync(join(root, 'in', 'z2.jsonl.gz'), gzipSync(`${lines.slice(10).join('\n')}\n`));
  for (const f of files) texts.push(readFileSync(f, 'utf8').trim());
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (out: string, extra: Partial<Parameters<typeof preprocess>[0]> = {}) =>
  preprocess({
    inputs: [join(root, 'in')],
    out,
    tokenizer,
    tokenizerJson: json,
    validFraction: 0.2,
    shardBytes: 150_000,
    workers: 2,
    ...extra,
  });

describe('preprocess', () => {
  it('round trip: every document decodes back to its text, split between train and valid', async () => {
    const out = join(root, 'rt');
    const { manifest, written } = await run(out);
    expect(manifest.documents).toMatchObject({ read: 40, empty: 0, invalidUtf8: 0, badLines: 0 });
    expect(manifest.documents.train + manifest.documents.valid).toBe(40);
    expect(manifest.documents.valid).toBeGreaterThan(2);
    expect(manifest.splits.train.length).toBeGreaterThan(3);
    expect(written.length).toBe(manifest.splits.train.length + manifest.splits.valid.length);
    expect(manifest.dtype).toBe('uint16');
    expect(manifest.specials).toEqual({ cls: 50257, pad: 50258, sep: 50259, unk: 50260, mask: 50261 });
    const decoded: string[] = [];
    let tokens = 0;
    for (const split of ['train', 'valid'] as const) {
      const set = await openShards(out, split, { verify: true });
      expect(set.numDocuments).toBe(manifest.documents[split]);
      for (let i = 0; i < set.numDocuments; i++) decoded.push(tokenizer.decode(set.document(i)));
      tokens += set.numTokens;
      set.close();
    }
    expect(decoded.sort()).toEqual([...texts].sort());
    expect(tokens).toBe(texts.reduce((s, t) => s + tokenizer.encode(t).length, 0));
  });

  it('re-running skips finished, verified shards and redoes a damaged or unfinished one', async () => {
    const out = join(root, 'resume');
    const first = await run(out);
    const names = first.written;
    const again = await run(out);
    expect(again.written).toEqual([]);
    expect(again.skipped.sort()).toEqual([...names].sort());
    expect(again.manifest).toEqual(first.manifest);
    // a flipped byte, and a shard whose done-record never got written (killed between files)
    const bin = join(out, `${names[1]}.bin`);
    const bytes = readFileSync(bin);
    bytes[3] = (bytes[3] as number) ^ 0x40;
    writeFileSync(bin, bytes);
    unlinkSync(join(out, `${names[2]}.done.json`));
    await expect(openShards(out, 'train', { verify: true })).rejects.toThrow(`${names[1]}.bin: corrupted`);
    const third = await run(out);
    expect(third.written.sort()).toEqual([names[1], names[2]].sort());
    expect(third.manifest).toEqual(first.manifest);
    (await openShards(out, 'train', { verify: true })).close();
    // other settings change which documents land where: nothing is reused
    const other = await run(out, { seed: 9 });
    expect(other.skipped).toEqual([]);
  });

  it('counts invalid UTF-8, empty documents and skipped lines; names a malformed line', async () => {
    const dir = join(root, 'bad');
    mkdirSync(dir);
    const bad = Buffer.concat([
      Buffer.from('good start '),
      Buffer.from([0xff, 0xc3]),
      Buffer.from(' end\n\n   \n\nfine\n'),
    ]);
    writeFileSync(join(dir, 'a.txt'), bad);
    writeFileSync(join(dir, 'b.txt'), '');
    writeFileSync(join(dir, 'c.jsonl'), '{"text": "one"}\n{"text": 5}\nnot json\n{"text": "  "}\n\n{"text": "two"}\n');
    await expect(run(join(root, 'bad-out'), { inputs: [dir] })).rejects.toThrow(/c\.jsonl:2: "text" must be a string/);
    const { manifest } = await run(join(root, 'bad-out'), { inputs: [dir], skipBadLines: true, validFraction: 0 });
    expect(manifest.documents).toEqual({ read: 6, train: 4, valid: 0, empty: 2, invalidUtf8: 1, badLines: 2 });
    const set = await openShards(join(root, 'bad-out'), 'train');
    const got = Array.from({ length: set.numDocuments }, (_, i) => tokenizer.decode(set.document(i)));
    expect(got).toEqual(['good start \uFFFD\uFFFD end', 'fine', 'one', 'two']);
    set.close();
  });

  it('workers: 0 (this thread) and a pool of the caller give the same shards as workers: 2; progress ends at the total', async () => {
    const progress: [number, number][] = [];
    const pooled = await run(join(root, 'w2'), { onProgress: (d, t) => progress.push([d, t]) });
    const inThread = await run(join(root, 'w0'), { workers: 0 });
    expect(inThread.manifest).toEqual(pooled.manifest);
    expect(inThread.written.sort()).toEqual(pooled.written.sort());
    const total = progress[0]?.[1] as number;
    expect(total).toBeGreaterThan(0);
    expect(progress.every(([d, t], i) => t === total && d <= t && d >= (progress[i - 1]?.[0] ?? 0))).toBe(true);
    expect(progress.at(-1)).toEqual([total, total]);
    const pool = await TokenizerPool.create(tokenizer, { workers: 0 });
    try {
      const given = await run(join(root, 'given-pool'), { pool, workers: 5 });
      expect(given.manifest).toEqual(pooled.manifest);
      // the caller's pool is left open for more work
      expect(Array.from((await pool.encodeBatch(['still open']))[0] ?? [])).toEqual(
        Array.from(tokenizer.encode('still open')),
      );
    } finally {
      await pool.close();
    }
  });

  it('refuses a validFraction outside [0, 1), naming it', async () => {
    for (const validFraction of [1, -0.1, Number.NaN])
      await expect(run(join(root, 'never'), { validFraction })).rejects.toThrow(
        `validFraction must be in [0, 1), got ${validFraction}`,
      );
  });

  it('uint32 shards when the vocabulary passes 65,536 ids', async () => {
    // a special token far out makes the vocabulary 70,001 ids; the text never uses it
    const big = await (await import('@robusta/tokenizer')).Tokenizer.fromModel({
      ...tokenizer.model,
      specialTokens: [...tokenizer.model.specialTokens, { id: 70_000, content: '<far>' }],
    });
    const out = join(root, 'u32');
    const { manifest } = await run(out, { tokenizer: big, tokenizerJson: Buffer.from(big.toTokenizerJson()) });
    expect(manifest.dtype).toBe('uint32');
    const set = await openShards(out, 'train', { verify: true });
    expect(set.document(0)).toBeInstanceOf(Uint32Array);
    expect(texts).toContain(tokenizer.decode(set.document(0)));
    set.close();
  });
});
