// The worker pool gives encode()'s ids, in order, for real corpora; errors, in-thread mode and shutdown behave.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpt2Files, gpt2Model, sotuDocuments, udhrDocuments } from '../test-support/corpora.js';
import { encodeBatch } from './encode-batch.js';
import type { BpeModel } from './model.js';
import { TokenizerPool } from './pool.js';
import { Tokenizer } from './tokenizer.js';

// ~1.5 MB: every 8th State of the Union address and every 10th UDHR translation (many scripts), plus edge cases
const texts = [
  ...sotuDocuments().filter((_, i) => i % 8 === 0),
  ...udhrDocuments().filter((_, i) => i % 10 === 0),
  '',
  ' ',
  'a',
  'lone surrogates \ud800 and \udfff stay U+FFFD',
  'emoji 👩‍👩‍👧 and CJK 漢字 <|endoftext|> in the middle',
  'x'.repeat(70_000),
];

let tok: Tokenizer;
let pool: TokenizerPool;
beforeAll(async () => {
  tok = await Tokenizer.fromModel(gpt2Model());
  pool = await TokenizerPool.create(tok, { workers: 2 });
});
afterAll(async () => {
  await pool?.close();
});

function expectSameIds(got: Uint32Array[], want: Uint32Array[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((ids, i) => {
    // compare as arrays only when they differ, so a failure names the text and a pass stays fast
    if (ids.length !== want[i]?.length || ids.some((v, j) => v !== want[i]?.[j])) {
      expect({ text: i, ids: Array.from(ids) }).toEqual({ text: i, ids: Array.from(want[i] ?? []) });
    }
  });
}

describe('TokenizerPool', () => {
  it('gives the ids of encode() for every text, in order', async () => {
    expect(pool.workers).toBe(2);
    expectSameIds(
      await pool.encodeBatch(texts),
      texts.map((t) => tok.encode(t)),
    );
  });

  it('stays usable across calls, concurrent calls included', async () => {
    const a = texts.slice(0, 20);
    const b = texts.slice(20).reverse();
    const [ga, gb] = await Promise.all([pool.encodeBatch(a), pool.encodeBatch(b)]);
    expectSameIds(
      ga,
      a.map((t) => tok.encode(t)),
    );
    expectSameIds(
      gb,
      b.map((t) => tok.encode(t)),
    );
    expect(await pool.encodeBatch([])).toEqual([]);
    expectSameIds(await pool.encodeBatch(['one text']), [tok.encode('one text')]);
  });

  it('applies special-token policies as encode() does', async () => {
    const withSpecials = ['a<|endoftext|>b', '<|endoftext|>', texts[3] as string];
    expectSameIds(
      await pool.encodeBatch(withSpecials, { special: 'all' }),
      withSpecials.map((t) => tok.encode(t, { special: 'all' })),
    );
    expect(Array.from((await pool.encodeBatch(['<|endoftext|>'], { special: 'all' }))[0] ?? [])).toEqual([50256]);
  });

  it('rejects with the worker message and keeps working afterwards', async () => {
    await expect(pool.encodeBatch(['fine', 'has <|endoftext|> in it'], { special: 'error' })).rejects.toThrow(
      /<\|endoftext\|>/,
    );
    expectSameIds(await pool.encodeBatch(['still fine']), [tok.encode('still fine')]);
  });

  it('adds the prefix space of a tokenizer built with addPrefixSpace', async () => {
    const spaced = await Tokenizer.fromModel(gpt2Model(), { addPrefixSpace: true });
    const some = ['Hello world', ' already spaced', '', texts[0]?.slice(0, 5000) ?? ''];
    expectSameIds(
      await encodeBatch(spaced, some, { workers: 2 }),
      some.map((t) => spaced.encode(t)),
    );
  });
  it('encodes UTF-8 documents to the ids of encode() on the decoded text, prefix space included', async () => {
    const enc = new TextEncoder();
    const docs = texts.map((t) => enc.encode(t));
    const dec = new TextDecoder();
    expectSameIds(
      await pool.encodeBatchUtf8(docs),
      docs.map((d) => tok.encode(dec.decode(d))),
    );
    const spaced = await Tokenizer.fromModel(gpt2Model(), { addPrefixSpace: true });
    const some = ['Hello world', ' already spaced', '', 'ünï 漢字'].map((t) => enc.encode(t));
    for (const workers of [0, 2]) {
      const p = await TokenizerPool.create(spaced, { workers });
      try {
        expectSameIds(
          await p.encodeBatchUtf8(some),
          some.map((d) => spaced.encode(dec.decode(d))),
        );
      } finally {
        await p.close();
      }
    }
  });
});

/** Splits packed parts back into one array per text, checking that the parts hold exactly the counted ids. */
function unpack(parts: { ids: Uint16Array | Uint32Array; lengths: Uint32Array }[]): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (const { ids, lengths } of parts) {
    let at = 0;
    for (const n of lengths) {
      out.push(Uint32Array.from(ids.subarray(at, at + n)));
      at += n;
    }
    expect(at).toBe(ids.length);
  }
  return out;
}

describe('encodeBatchUtf8Packed', () => {
  const utf8 = new TextEncoder();
  const docs = texts.map((t) => utf8.encode(t.toWellFormed()));
  let want: Uint32Array[];
  beforeAll(() => {
    want = texts.map((t) => tok.encode(t.toWellFormed()));
  });

  it('packs the ids of encode() back to back, as uint32 and as uint16, reusing released buffers', async () => {
    for (const dtype of ['uint32', 'uint16'] as const) {
      const first = await pool.encodeBatchUtf8Packed(docs, dtype);
      for (const p of first.parts) expect(p.ids).toBeInstanceOf(dtype === 'uint16' ? Uint16Array : Uint32Array);
      expectSameIds(unpack(first.parts), want);
      const buffers = first.parts.map((p) => p.ids.buffer);
      first.release();
      first.release(); // twice is harmless
      // the next call sends the released buffers to the workers to be filled again: transferred, so detached here
      // (a buffer far larger than any chunk left to fill is not sent: see BufferShelf)
      const second = await pool.encodeBatchUtf8Packed(docs, dtype);
      expectSameIds(unpack(second.parts), want);
      expect(buffers.filter((b) => b.byteLength === 0).length).toBeGreaterThanOrEqual(buffers.length / 2);
      second.release();
    }
  });

  it('works in this thread, for an empty batch, and refuses uint16 for a vocabulary over 65,536 ids', async () => {
    const local = await TokenizerPool.create(tok, { workers: 0 });
    const got = await local.encodeBatchUtf8Packed(docs.slice(0, 30), 'uint16');
    expectSameIds(unpack(got.parts), want.slice(0, 30));
    expect((await local.encodeBatchUtf8Packed([], 'uint32')).parts).toEqual([]);
    expect((await pool.encodeBatchUtf8Packed([], 'uint32')).parts).toEqual([]);
    await local.close();
    const m = gpt2Model();
    const big: BpeModel = { ...m, specialTokens: [...m.specialTokens, { id: 70_000, content: '<big>' }] };
    const wide = await TokenizerPool.create(big, { workers: 2 });
    try {
      await expect(wide.encodeBatchUtf8Packed(docs.slice(0, 2), 'uint16')).rejects.toThrow(/65,536/);
      expectSameIds(unpack((await wide.encodeBatchUtf8Packed(docs.slice(0, 2), 'uint32')).parts), want.slice(0, 2));
    } finally {
      await wide.close();
    }
  });
});

describe('encodeBatch', () => {
  it('a pool encodes in this thread with workers: 0, on one worker thread with workers: 1', async () => {
    const some = texts.slice(0, 5);
    const want = some.map((t) => tok.encode(t));
    for (const workers of [0, 1]) {
      const pool = await TokenizerPool.create(gpt2Model(), { workers });
      expect(pool.workers).toBe(workers);
      expectSameIds(await pool.encodeBatch(some), want);
      expectSameIds(await pool.encodeBatchUtf8(some.map((t) => new TextEncoder().encode(t))), want);
      await pool.close();
      // the one-shot helper encodes in this thread for both
      expectSameIds(await encodeBatch(tok, some, { workers }), want);
    }
  });

  it('starts from a BpeModel and rejects with the worker message when the model is bad', async () => {
    expectSameIds(
      await encodeBatch(gpt2Model(), texts.slice(0, 3), { workers: 2 }),
      texts.slice(0, 3).map((t) => tok.encode(t)),
    );
    const noByteA: BpeModel = {
      ...gpt2Model(),
      tokens: gpt2Model().tokens.map((t) => (t?.length === 1 && t[0] === 0x61 ? undefined : t)),
    };
    await expect(encodeBatch(noByteA, ['x'], { workers: 2 })).rejects.toThrow(/no token for byte 0x61/);
  });

  it('rejects with the error of a worker script that fails to load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'robusta-pool-'));
    const script = join(dir, 'broken-worker.mjs');
    writeFileSync(script, "throw new Error('broken worker script');\n");
    try {
      await expect(TokenizerPool.create(tok, { workers: 2, workerUrl: pathToFileURL(script) })).rejects.toThrow(
        /broken-worker\.mjs failed: broken worker script/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects after close', async () => {
    const p = await TokenizerPool.create(tok, { workers: 2 });
    await p.close();
    await expect(p.encodeBatch(['x'])).rejects.toThrow(/closed/);
  });

  it('does not keep a Node process alive after close, nor while idle', () => {
    const dist = fileURLToPath(new URL('../dist/', import.meta.url));
    const script = `
      import { readFileSync } from 'node:fs';
      import { parseVocabAndMerges } from '${dist}formats/gpt2.js';
      import { TokenizerPool } from '${dist}pool.js';
      const [enc, bpe] = ${JSON.stringify(Object.values(gpt2Files()))}.map((p) => readFileSync(p, 'utf8'));
      const model = parseVocabAndMerges(enc, 'encoder.json', bpe, 'vocab.bpe', {});
      const closed = await TokenizerPool.create(model, { workers: 2 });
      const a = await closed.encodeBatch(['hello world']);
      await closed.close();
      const idle = await TokenizerPool.create(model, { workers: 2 });
      const b = await idle.encodeBatch(['hello world']);
      console.log(a[0].join(','), b[0].join(','));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('31373,995 31373,995');
  });
});

describe('Tokenizer.encodeBatch', () => {
  it('keeps one pool for repeated calls, gives encode ids, and close() ends it', async () => {
    const tok = await Tokenizer.fromModel(gpt2Model());
    const texts = sotuDocuments().slice(0, 40);
    const want = texts.map((t) => Array.from(tok.encode(t)));
    const first = await tok.encodeBatch(texts, { workers: 2 });
    const second = await tok.encodeBatch(texts.slice(0, 5), { workers: 2 });
    expect(first.map((ids) => Array.from(ids))).toEqual(want);
    expect(second.map((ids) => Array.from(ids))).toEqual(want.slice(0, 5));
    expect((await tok.encodeBatch(texts.slice(0, 3), { workers: 1 })).map((ids) => Array.from(ids))).toEqual(
      want.slice(0, 3),
    );
    await tok.close();
  });
});
