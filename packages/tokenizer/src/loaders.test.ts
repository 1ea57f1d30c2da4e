// The Tokenizer's loaders (GPT-2 files, fairseq dict.txt, tiktoken, tokenizer.json) and where its core comes from.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2Files, gpt2Model, sotuDocuments } from '../test-support/corpora.js';
import { madeUpDict } from '../test-support/fairseq.js';
import { Tokenizer } from './tokenizer.js';

const require = createRequire(import.meta.url);
const { get_encoding } = require('tiktoken') as typeof import('tiktoken');
const tiktoken = get_encoding('gpt2');
const text = sotuDocuments()[200]?.slice(0, 20_000) ?? '';

let gpt2: Tokenizer;
beforeAll(async () => {
  const { encoderPath, bpePath } = gpt2Files();
  gpt2 = await Tokenizer.fromFiles({ vocab: encoderPath, merges: bpePath });
});

describe('Tokenizer loaders', () => {
  it('fromFiles: GPT-2 encoder.json + vocab.bpe by path, by file URL and as bytes', async () => {
    expect(Array.from(gpt2.encode(text))).toEqual(Array.from(tiktoken.encode_ordinary(text)));
    expect(gpt2.vocabSize).toBe(50257);
    const { encoderPath, bpePath } = gpt2Files();
    const byUrl = await Tokenizer.fromFiles({ vocab: pathToFileURL(encoderPath), merges: pathToFileURL(bpePath).href });
    expect(Array.from(byUrl.encode(text))).toEqual(Array.from(gpt2.encode(text)));
    const asBytes = await Tokenizer.fromFiles({
      vocab: new Uint8Array(readFileSync(encoderPath)),
      merges: readFileSync(bpePath).buffer.slice(0) as ArrayBuffer,
    });
    expect(Array.from(asBytes.encode(text))).toEqual(Array.from(gpt2.encode(text)));
  });
  it('fromTiktoken: the npm tiktoken gpt2 bundle (ids are ranks, merges derived)', async () => {
    const bundle = require.resolve('tiktoken/encoders/gpt2.json');
    const tok = await Tokenizer.fromTiktoken(bundle);
    expect(Array.from(tok.encode(text))).toEqual(Array.from(tiktoken.encode_ordinary(text)));
    expect(Array.from(tok.encode('x<|endoftext|>', { special: 'all' }))).toEqual([87, 50256]);
  });
  it('toTokenizerJson -> fromTokenizerJson (path and parsed object) gives the same ids; HF tokenizers agrees', async () => {
    const json = gpt2.toTokenizerJson();
    const dir = mkdtempSync(join(tmpdir(), 'tok-'));
    writeFileSync(join(dir, 'tokenizer.json'), json);
    const back = await Tokenizer.fromTokenizerJson(join(dir, 'tokenizer.json'));
    const fromObject = await Tokenizer.fromTokenizerJson(JSON.parse(json));
    expect(back.toTokenizerJson()).toBe(json);
    expect(Array.from(back.encode(text))).toEqual(Array.from(gpt2.encode(text)));
    expect(Array.from(fromObject.encode(text))).toEqual(Array.from(gpt2.encode(text)));
    const { Tokenizer: HfTokenizer } = require('tokenizers') as {
      Tokenizer: { fromString(s: string): { encode(t: string): Promise<{ getIds(): number[] }> } };
    };
    const hf = HfTokenizer.fromString(json);
    expect((await hf.encode(text)).getIds()).toEqual(Array.from(gpt2.encode(text)));
  });
  it('bad sources get errors that name the file', async () => {
    const { encoderPath, bpePath } = gpt2Files();
    // only one file is missing: with both, whichever read fails first would name its own
    await expect(Tokenizer.fromFiles({ vocab: '/nonexistent/encoder.json', merges: bpePath })).rejects.toThrow(
      /\/nonexistent\/encoder.json: cannot read/,
    );
    await expect(Tokenizer.fromFiles({ vocab: encoderPath, merges: '/nonexistent/vocab.bpe' })).rejects.toThrow(
      /\/nonexistent\/vocab.bpe: cannot read/,
    );
    await expect(Tokenizer.fromTokenizerJson(new TextEncoder().encode('{"model": 3'))).rejects.toThrow(
      /tokenizer.json/,
    );
  });
});

describe('Tokenizer.fromFiles with a fairseq dict.txt', () => {
  const { text: dictText, fairseqId, madeupId } = madeUpDict();

  it("gives tiktoken's GPT-2 ids renumbered by the dict, with fairseq's specials, from a path, URL or bytes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tok-dict-'));
    const dictPath = join(dir, 'dict.txt');
    writeFileSync(dictPath, dictText);
    const { encoderPath, bpePath } = gpt2Files();
    const want = Array.from(tiktoken.encode_ordinary(text), fairseqId);
    for (const dict of [dictPath, pathToFileURL(dictPath), new TextEncoder().encode(dictText)]) {
      const tok = await Tokenizer.fromFiles({ vocab: encoderPath, merges: bpePath, dict });
      expect(Array.from(tok.encode(text))).toEqual(want);
      expect(tok.decode(tok.encode(text))).toBe(text);
      expect(['<s>', '<pad>', '</s>', '<unk>', '<mask>'].map((c) => tok.specialId(c))).toEqual([0, 1, 2, 3, 50262]);
      expect(tok.vocabSize).toBe(50263);
      expect(tok.decode([madeupId])).toBe('madeupword0000');
    }
  });
  it('names dict.txt and the line of a malformed one', async () => {
    const { encoderPath, bpePath } = gpt2Files();
    const dir = mkdtempSync(join(tmpdir(), 'tok-dict-'));
    const bad = join(dir, 'dict.txt');
    writeFileSync(bad, '13 5\nnot-a-count x\n');
    await expect(Tokenizer.fromFiles({ vocab: encoderPath, merges: bpePath, dict: bad })).rejects.toThrow(
      `${bad}:2: expected "<symbol> <count>", found "not-a-count x"`,
    );
    await expect(
      Tokenizer.fromFiles({ vocab: encoderPath, merges: bpePath, dict: new TextEncoder().encode('13 5\n') }),
    ).rejects.toThrow(/^dict\.txt: \d+ GPT-2 token\(s\) that BPE can produce have no line/);
    await expect(
      Tokenizer.fromFiles({ vocab: encoderPath, merges: bpePath, dict: join(dir, 'none.txt') }),
    ).rejects.toThrow(`${join(dir, 'none.txt')}: cannot read`);
  });
});

describe('the wasm option', () => {
  const wasmPath = fileURLToPath(new URL('../dist/bpe.wasm', import.meta.url));

  it('takes the core as bytes, a path, a file URL or a compiled module, and encodes the same', async () => {
    const bytes = readFileSync(wasmPath);
    const module = await WebAssembly.compile(bytes);
    const want = Array.from(tiktoken.encode_ordinary(text));
    for (const wasm of [new Uint8Array(bytes), bytes.buffer.slice(0), wasmPath, pathToFileURL(wasmPath), module]) {
      const tok = await Tokenizer.fromModel(gpt2Model(), { wasm });
      expect(Array.from(tok.encode(text))).toEqual(want);
      if (wasm === module) expect(tok.wasmModule).toBe(module);
      else expect(tok.wasmModule).not.toBe(gpt2.wasmModule);
    }
    // the default is compiled once and shared
    expect((await Tokenizer.fromModel(gpt2Model())).wasmModule).toBe(gpt2.wasmModule);
  });
  it("a worker pool runs on the tokenizer's module", async () => {
    const module = await WebAssembly.compile(readFileSync(wasmPath));
    const tok = await Tokenizer.fromModel(gpt2Model(), { wasm: module });
    const docs = sotuDocuments().slice(0, 4);
    expect((await tok.encodeBatch(docs, { workers: 2 })).map((ids) => Array.from(ids))).toEqual(
      docs.map((d) => Array.from(tiktoken.encode_ordinary(d))),
    );
    await tok.close();
  });
  it('rejects what is not a core, naming it', async () => {
    await expect(Tokenizer.fromModel(gpt2Model(), { wasm: '/nonexistent/bpe.wasm' })).rejects.toThrow(
      /ENOENT.*\/nonexistent\/bpe\.wasm/,
    );
    await expect(Tokenizer.fromModel(gpt2Model(), { wasm: Uint8Array.of(1, 2, 3) })).rejects.toThrow(
      WebAssembly.CompileError,
    );
  });
});
