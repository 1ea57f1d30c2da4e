import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2Files, sotuDocuments } from '../test-support/corpora.js';
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
    await expect(Tokenizer.fromFiles({ vocab: '/nonexistent/encoder.json', merges: 'x' })).rejects.toThrow(
      /\/nonexistent\/encoder.json: cannot read/,
    );
    await expect(Tokenizer.fromTokenizerJson(new TextEncoder().encode('{"model": 3'))).rejects.toThrow(
      /tokenizer.json/,
    );
  });
});
