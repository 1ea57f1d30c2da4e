// robusta-tokenizer run from the build as users run it: every command and flag, against tiktoken's ids where it can.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gpt2Files, gpt2Model, sotuDocuments } from '../../test-support/corpora.js';
import { madeUpDict } from '../../test-support/fairseq.js';
import { Tokenizer } from '../tokenizer.js';

const require = createRequire(import.meta.url);
const { get_encoding } = require('tiktoken') as typeof import('tiktoken');
const tiktoken = get_encoding('gpt2');
const tiktokenBundle = require.resolve('tiktoken/encoders/gpt2.json');

// the CLI runs from the build, as users run it
const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const { encoderPath, bpePath } = gpt2Files();
const vocabArgs = ['--vocab', encoderPath, '--merges', bpePath];
const dir = mkdtempSync(join(tmpdir(), 'cli-'));

function run(args: string[], input?: string, cwd?: string) {
  const r = spawnSync(process.execPath, [main, ...args], { input, encoding: 'utf8', cwd, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A usage error: exit 2, `robusta-tokenizer: message...` on stderr and then the usage, nothing on stdout. */
function expectUsageError(r: { code: number | null; out: string; err: string }, message: string): void {
  const start = `robusta-tokenizer: ${message}`;
  expect({ code: r.code, out: r.out, start: r.err.slice(0, start.length) }).toEqual({ code: 2, out: '', start });
  expect(r.err).toContain('\nusage: robusta-tokenizer <command>');
}

/** The ids a successful `encode` printed, one array per output line. */
function idLines(r: { code: number | null; out: string; err: string }): number[][] {
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return r.out
    .trimEnd()
    .split('\n')
    .map((l) => (l === '' ? [] : l.split(' ').map(Number)));
}

const sample = "Hello world, it's 2026.\nSecond line — naïve café 🦀";

describe('robusta-tokenizer encode, decode, count', () => {
  it('encode prints tiktoken ids; --lines encodes each line; decode inverts it', () => {
    expect(idLines(run(['encode', ...vocabArgs], sample))).toEqual([Array.from(tiktoken.encode_ordinary(sample))]);
    const perLine = run(['encode', '--lines', ...vocabArgs], sample);
    expect(idLines(perLine)).toEqual(sample.split('\n').map((l) => Array.from(tiktoken.encode_ordinary(l))));
    const back = run(['decode', ...vocabArgs], perLine.out);
    expect(back.out).toBe(`${sample}\n`);
    // JSON arrays and commas are ids too
    const ids = Array.from(tiktoken.encode_ordinary('naïve'));
    expect(run(['decode', ...vocabArgs], `${JSON.stringify(ids)}\n${ids.join(', ')}\n`).out).toBe('naïve\nnaïve\n');
  });
  it('count prints per-file and total counts; with --lines, per line named file:line', () => {
    const docs = sotuDocuments().slice(0, 2);
    for (const [i, d] of docs.entries()) writeFileSync(join(dir, `${i}.txt`), d);
    const r = run(['count', ...vocabArgs, join(dir, '0.txt'), join(dir, '1.txt')]);
    const counts = docs.map((d) => tiktoken.encode_ordinary(d).length);
    expect(r.out).toBe(
      `${counts[0]}\t${join(dir, '0.txt')}\n${counts[1]}\t${join(dir, '1.txt')}\n${(counts[0] ?? 0) + (counts[1] ?? 0)}\ttotal\n`,
    );
    const lines = ['first line here', '', 'third — 🦀🦀'];
    writeFileSync(join(dir, 'lines.txt'), `${lines.join('\n')}\n`);
    const per = lines.map((l) => tiktoken.encode_ordinary(l).length);
    const name = join(dir, 'lines.txt');
    expect(run(['count', '--lines', ...vocabArgs, name]).out).toBe(
      `${per[0]}\t${name}:1\n${per[1]}\t${name}:2\n${per[2]}\t${name}:3\n${per.reduce((s, n) => s + n, 0)}\ttotal\n`,
    );
  });
  it('--tokenizer reads a tokenizer.json', async () => {
    const path = join(dir, 'tokenizer.json');
    writeFileSync(path, (await Tokenizer.fromModel(gpt2Model())).toTokenizerJson());
    expect(idLines(run(['encode', '--tokenizer', path], sample))).toEqual([
      Array.from(tiktoken.encode_ordinary(sample)),
    ]);
  });
  it('--tiktoken reads an npm tiktoken bundle and a rank file', () => {
    expect(idLines(run(['encode', '--tiktoken', tiktokenBundle], sample))).toEqual([
      Array.from(tiktoken.encode_ordinary(sample)),
    ]);
    // the bundle's ranks, as a file of their own (the compact form tiktoken's npm package embeds)
    const ranks = join(dir, 'gpt2.tiktoken');
    writeFileSync(ranks, (JSON.parse(readFileSync(tiktokenBundle, 'utf8')) as { bpe_ranks: string }).bpe_ranks);
    expect(idLines(run(['encode', '--tiktoken', ranks], sample))).toEqual([
      Array.from(tiktoken.encode_ordinary(sample)),
    ]);
    const bad = join(dir, 'bad.tiktoken');
    writeFileSync(bad, 'IQ== 0\nnot*base64 1\n');
    const r = run(['encode', '--tiktoken', bad], 'x');
    expect(r.code).toBe(1);
    expect(r.err).toBe(`robusta-tokenizer: ${bad}:2: "not*base64" is not base64\n`);
  });
  it('--dict renumbers GPT-2 ids the way fairseq does, both ways', () => {
    const dict = madeUpDict();
    const path = join(dir, 'dict.txt');
    writeFileSync(path, dict.text);
    const want = Array.from(tiktoken.encode_ordinary(sample), dict.fairseqId);
    const r = run(['encode', ...vocabArgs, '--dict', path], sample);
    expect(idLines(r)).toEqual([want]);
    expect(run(['decode', ...vocabArgs, '--dict', path], r.out).out).toBe(`${sample}\n`);
    const wrong = run(['encode', '--tiktoken', tiktokenBundle, '--dict', path], sample);
    expectUsageError(wrong, '--dict renumbers GPT-2 ids: it goes with --vocab and --merges');
  });
  it('--special: plain text by default, special ids with all, an error naming the input with error', () => {
    const text = 'a<|endoftext|>b';
    const plain = Array.from(tiktoken.encode_ordinary(text));
    expect(idLines(run(['encode', ...vocabArgs], text))).toEqual([plain]);
    expect(idLines(run(['encode', ...vocabArgs, '--special', 'plain'], text))).toEqual([plain]);
    expect(idLines(run(['encode', ...vocabArgs, '--special', 'all'], text))).toEqual([
      Array.from(tiktoken.encode(text, 'all')),
    ]);
    expect(idLines(run(['encode', '--tiktoken', tiktokenBundle, '--special', 'all'], text))).toEqual([[64, 50256, 65]]);
    const counted = run(['count', ...vocabArgs, '--special', 'all'], text);
    expect(counted.out).toBe('3\t<stdin>\n3\ttotal\n');
    writeFileSync(join(dir, 'special.txt'), `fine\n${text}\n`);
    const refused = run(['encode', ...vocabArgs, '--special', 'error', '--lines', join(dir, 'special.txt')]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      `robusta-tokenizer: ${join(dir, 'special.txt')}:2: text contains the special token "<|endoftext|>" at index 1`,
    );
    expect(idLines(run(['encode', ...vocabArgs, '--special', 'error'], 'no specials'))).toEqual([
      Array.from(tiktoken.encode_ordinary('no specials')),
    ]);
    expectUsageError(
      run(['encode', ...vocabArgs, '--special', 'some'], text),
      '--special must be plain, all or error, got "some"',
    );
  });
});

describe('robusta-tokenizer train', () => {
  it('writes tokenizer.json, vocab.json and merges.txt that load and round-trip', async () => {
    const corpus = join(dir, 'corpus.txt');
    writeFileSync(corpus, sotuDocuments().slice(0, 5).join('\n'));
    const r = run(['train', '--vocab-size', '600', '--out', join(dir, 'out'), corpus]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/merging/);
    expect(r.err).toMatch(/: 600 tokens, 339 merges\n$/);
    for (const f of ['tokenizer.json', 'vocab.json', 'merges.txt']) expect(existsSync(join(dir, 'out', f))).toBe(true);
    const tok = await Tokenizer.fromTokenizerJson(join(dir, 'out', 'tokenizer.json'));
    expect(tok.vocabSize).toBe(600);
    expect(['<s>', '<pad>', '</s>', '<unk>', '<mask>'].map((c) => tok.specialId(c))).toEqual([0, 1, 2, 3, 4]);
    expect(tok.roles.mask?.id).toBe(4);
    // RoBERTa's flags: <mask> takes the space before it, so no bare space token precedes it
    const added = JSON.parse(readFileSync(join(dir, 'out', 'tokenizer.json'), 'utf8')).added_tokens;
    expect(added.map((a: { content: string; lstrip: boolean }) => [a.content, a.lstrip])).toEqual([
      ['<s>', false],
      ['<pad>', false],
      ['</s>', false],
      ['<unk>', false],
      ['<mask>', true],
    ]);
    expect(Array.from(tok.encode('The <mask> of', { special: 'all' }))).toEqual([
      ...tok.encode('The'),
      4,
      ...tok.encode(' of'),
    ]);
    const text = readFileSync(corpus, 'utf8').slice(0, 5000);
    expect(tok.decode(tok.encode(text))).toBe(text);
    const fromPair = await Tokenizer.fromFiles({
      vocab: join(dir, 'out', 'vocab.json'),
      merges: join(dir, 'out', 'merges.txt'),
    });
    expect(Array.from(fromPair.encode(text))).toEqual(Array.from(tok.encode(text)));
  });
  it('--min-frequency stops merging at pairs seen fewer times; --special-tokens sets the specials; --out defaults to .', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cli-train-'));
    // "ab" 6 times, "cd" 3 times: a minimum of 4 keeps only the first merge, 1 keeps both
    writeFileSync(join(work, 'corpus.txt'), 'ab ab ab ab ab ab\ncd cd cd\n');
    const trained = async (args: string[]) => {
      const r = run(['train', '--vocab-size', '400', '--special-tokens', '<a>,<b>', ...args, 'corpus.txt'], '', work);
      expect(r.code, r.err).toBe(0);
      return Tokenizer.fromTokenizerJson(join(work, 'tokenizer.json'));
    };
    const strict = await trained(['--min-frequency', '4']);
    expect(strict.specialTokens.map((s) => [s.id, s.content])).toEqual([
      [0, '<a>'],
      [1, '<b>'],
    ]);
    expect(strict.specialId('<mask>')).toBeUndefined();
    expect(strict.encode('ab').length).toBe(1);
    expect(strict.encode('cd').length).toBe(2);
    const loose = await trained(['--min-frequency', '1']);
    expect(loose.encode('cd').length).toBe(1);
    expect(loose.vocabSize).toBeGreaterThan(strict.vocabSize);
    expect(readFileSync(join(work, 'merges.txt'), 'utf8').split('\n').length).toBeGreaterThan(2);
  });
  it('refuses bad numbers and a missing corpus, naming the flag or the file', () => {
    const corpus = join(dir, 'small-corpus.txt');
    writeFileSync(corpus, 'ab ab ab\n');
    for (const [flag, value] of [
      ['--min-frequency', '-1'],
      ['--min-frequency', 'two'],
      ['--vocab-size', '1.5'],
    ] as const) {
      // `=` form: parseArgs takes a separate "-1" for a flag of its own
      const r = run(['train', `${flag}=${value}`, '--out', join(dir, 'never'), corpus]);
      expectUsageError(r, `${flag} must be a non-negative integer, got "${value}"`);
    }
    const small = run(['train', '--vocab-size', '100', '--out', join(dir, 'never'), corpus]);
    expect(small.code).toBe(2);
    expect(small.err).toMatch(/vocabSize must be an integer from 261 \(5 special tokens \+ 256 bytes\)/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expectUsageError(run(['train']), 'train needs corpus files (text, read line by line)');
    const absent = run(['train', '--out', join(dir, 'never'), join(dir, 'absent.txt')]);
    expect(absent.code).toBe(1);
    expect(absent.err).toMatch(/^robusta-tokenizer: ENOENT.*absent\.txt/);
  });
});

describe('robusta-tokenizer usage', () => {
  it('--help, -h and no command print the usage, naming every flag, on stdout', () => {
    for (const args of [['--help'], ['-h'], [], ['encode', '--help']]) {
      const r = run(args);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^usage: robusta-tokenizer <command> \[options\] \[files\.\.\.\]/);
      for (const word of ['encode', 'decode', 'count', 'train']) expect(r.out).toContain(`  ${word} `);
      for (const flag of [
        'tokenizer',
        'vocab',
        'merges',
        'dict',
        'tiktoken',
        'special',
        'lines',
        'vocab-size',
        'min-frequency',
        'special-tokens',
        'out',
      ])
        expect(r.out).toMatch(new RegExp(`--${flag}\\b`));
    }
  });
  it('bad input: the message alone, exit code 1 and no stack trace', () => {
    const r = run(['encode', '--vocab', '/nope/encoder.json', '--merges', bpePath], 'x');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^robusta-tokenizer: \/nope\/encoder.json: cannot read/);
    expect(r.err).not.toMatch(/\n\s+at |usage:/);
    const notId = run(['decode', ...vocabArgs], '15496 abc');
    expect([notId.code, notId.err]).toEqual([1, 'robusta-tokenizer: <stdin>:1: item 2 is not an id: "abc"\n']);
    const outside = run(['decode', ...vocabArgs], '99999');
    expect(outside.code).toBe(1);
    expect(outside.err).toMatch(/cannot decode id 99999/);
  });
  it('a command line that cannot run: the message and the usage, exit code 2', () => {
    expectUsageError(run(['frobnicate']), 'unknown command "frobnicate"');
    expectUsageError(
      run(['encode']),
      'name a vocabulary: --tokenizer FILE, --vocab FILE --merges FILE, or --tiktoken FILE',
    );
    expectUsageError(
      run(['encode', '--vocab', encoderPath], 'x'),
      '--vocab and --merges go together; got only --vocab',
    );
    expectUsageError(
      run(['encode', ...vocabArgs, '--tiktoken', tiktokenBundle], 'x'),
      'name one vocabulary, got --tiktoken and --vocab/--merges',
    );
    const unknown = run(['encode', '--frob']);
    expectUsageError(unknown, "Unknown option '--frob'");
    expect(unknown.err).not.toMatch(/\n\s+at /);
    expectUsageError(run(['encode', '--vocab']), "Option '--vocab <value>' argument missing");
  });
});
