import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gpt2Files, sotuDocuments } from '../../test-support/corpora.js';
import { Tokenizer } from '../tokenizer.js';

const require = createRequire(import.meta.url);
const { get_encoding } = require('tiktoken') as typeof import('tiktoken');
const tiktoken = get_encoding('gpt2');

// the CLI runs from the build, as users run it
const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const { encoderPath, bpePath } = gpt2Files();
const vocabArgs = ['--vocab', encoderPath, '--merges', bpePath];

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [main, ...args], { input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('robusta-tokenizer', () => {
  it('encode prints tiktoken ids; --lines encodes each line; decode inverts it', () => {
    const text = "Hello world, it's 2026.\nSecond line — naïve café 🦀";
    const whole = run(['encode', ...vocabArgs], text);
    expect(whole.code).toBe(0);
    expect(whole.out.trim()).toBe(tiktoken.encode_ordinary(text).join(' '));
    const perLine = run(['encode', '--lines', ...vocabArgs], text);
    expect(perLine.out.trim().split('\n')).toEqual(text.split('\n').map((l) => tiktoken.encode_ordinary(l).join(' ')));
    const back = run(['decode', ...vocabArgs], perLine.out);
    expect(back.out).toBe(`${text}\n`);
  });
  it('count prints per-file and total counts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const docs = sotuDocuments().slice(0, 2);
    for (const [i, d] of docs.entries()) writeFileSync(join(dir, `${i}.txt`), d);
    const r = run(['count', ...vocabArgs, join(dir, '0.txt'), join(dir, '1.txt')]);
    const counts = docs.map((d) => tiktoken.encode_ordinary(d).length);
    expect(r.out).toBe(
      `${counts[0]}\t${join(dir, '0.txt')}\n${counts[1]}\t${join(dir, '1.txt')}\n${(counts[0] ?? 0) + (counts[1] ?? 0)}\ttotal\n`,
    );
  });
  it('train writes tokenizer.json, vocab.json and merges.txt that load and round-trip', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const corpus = join(dir, 'corpus.txt');
    writeFileSync(corpus, sotuDocuments().slice(0, 5).join('\n'));
    const r = run(['train', '--vocab-size', '600', '--out', join(dir, 'out'), corpus]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/merging/);
    for (const f of ['tokenizer.json', 'vocab.json', 'merges.txt']) expect(existsSync(join(dir, 'out', f))).toBe(true);
    const tok = await Tokenizer.fromTokenizerJson(join(dir, 'out', 'tokenizer.json'));
    expect(tok.vocabSize).toBe(600);
    expect(tok.specialId('<mask>')).toBe(4);
    const text = readFileSync(corpus, 'utf8').slice(0, 5000);
    expect(tok.decode(tok.encode(text))).toBe(text);
    const fromPair = await Tokenizer.fromFiles({
      vocab: join(dir, 'out', 'vocab.json'),
      merges: join(dir, 'out', 'merges.txt'),
    });
    expect(Array.from(fromPair.encode(text))).toEqual(Array.from(tok.encode(text)));
  });
  it('bad input: a clear message and exit code 2', () => {
    const r = run(['encode', '--vocab', '/nope/encoder.json', '--merges', bpePath], 'x');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/robusta-tokenizer: \/nope\/encoder.json: cannot read/);
    expect(run(['decode', ...vocabArgs], '15496 abc').err).toMatch(/<stdin>:1: item 2 is not an id: "abc"/);
    expect(run(['decode', ...vocabArgs], '99999').err).toMatch(/cannot decode id 99999/);
    expect(run(['frobnicate']).err).toMatch(/unknown command "frobnicate"/);
    expect(run(['encode']).err).toMatch(/name a vocabulary/);
  });
});
