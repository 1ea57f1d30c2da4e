#!/usr/bin/env node
// robusta-preprocess: the command line over preprocess(); flags are checked and a bad one is named.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CommandLine, Progress } from '@robusta/cli-kit';
import { Tokenizer } from '@robusta/tokenizer';
import { preprocess } from './preprocess.js';

const USAGE = `usage: robusta-preprocess --out DIR (--tokenizer tokenizer.json | --vocab V --merges M [--dict dict.txt]) INPUT...

INPUT: .txt (documents separated by blank lines), .jsonl (one {"text": ...} per line), optionally .gz, or folders
  --out DIR             output folder: shards, tokenizer.json, manifest.json (written last)
  --tokenizer FILE      HF tokenizer.json
  --vocab/--merges      GPT-2 encoder.json + vocab.bpe (or HF vocab.json + merges.txt); --dict renumbers (fairseq)
  --valid-fraction F    share of documents held out for validation, by a hash of their text (default 0.01)
  --seed N              changes which documents are held out (default 0)
  --shard-mb N          text per shard, in MB of UTF-8 (default 128)
  --workers N           tokenizer worker threads, 0 = encode on the main thread (default: cores, ${availableParallelism()} here)
  --one-doc-per-file    each .txt file is one document
  --skip-bad-lines      count and skip malformed .jsonl lines (default: stop, naming file:line)
  --quiet               no progress bar`;

const OPTIONS = {
  out: { type: 'string' },
  tokenizer: { type: 'string' },
  vocab: { type: 'string' },
  merges: { type: 'string' },
  dict: { type: 'string' },
  'valid-fraction': { type: 'string' },
  seed: { type: 'string' },
  'shard-mb': { type: 'string' },
  workers: { type: 'string' },
  'one-doc-per-file': { type: 'boolean' },
  'skip-bad-lines': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

// annotated, so that the compiler knows cli.fail() does not return
const cli: CommandLine = new CommandLine('robusta-preprocess', USAGE);

function number(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const kind = integer ? 'an integer' : 'a number';
  if (value.trim() === '' || !(n >= min && n <= max) || (integer && !Number.isInteger(n)))
    cli.fail(`--${flag} must be ${kind} in [${min}, ${max}], got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const { values: v, positionals } = cli.parse(process.argv.slice(2), { allowPositionals: true, options: OPTIONS });
  if (v.help) {
    cli.help();
    return;
  }
  if (!v.out) cli.fail('--out is required');
  if (positionals.length === 0) cli.fail('name at least one input file or folder');
  if (v.tokenizer && (v.vocab || v.merges)) cli.fail('give --tokenizer or --vocab/--merges, not both');
  if (!v.tokenizer && (v.vocab || v.merges) && !(v.vocab && v.merges))
    cli.fail(`--vocab and --merges go together; got only ${v.vocab ? '--vocab' : '--merges'}`);
  if (v.dict && !v.vocab) cli.fail('--dict renumbers GPT-2 ids: it goes with --vocab and --merges');
  // every flag is checked before the tokenizer loads (seconds for a 50K vocabulary), so a typo fails at once
  const workers = number('workers', v.workers, 0, 1024, true);
  const shardMb = number('shard-mb', v['shard-mb'], 0.001, 1e6);
  const validFraction = number('valid-fraction', v['valid-fraction'], 0, 0.999999);
  const seed = number('seed', v.seed, 0, 2 ** 32 - 1, true);
  let tokenizer: Tokenizer;
  let tokenizerJson: Uint8Array;
  if (v.tokenizer) {
    // read once: the bytes loaded are the bytes hashed into the manifest
    tokenizerJson = readFileSync(v.tokenizer);
    try {
      tokenizer = await Tokenizer.fromTokenizerJson(tokenizerJson);
    } catch (e) {
      // handed bytes, the loader names them "tokenizer.json"; name the file given instead
      const message = (e as Error).message;
      const rest = message.startsWith('tokenizer.json') ? message.slice('tokenizer.json'.length) : `: ${message}`;
      throw new Error(`${v.tokenizer}${rest}`);
    }
  } else if (v.vocab && v.merges) {
    tokenizer = await Tokenizer.fromFiles({ vocab: v.vocab, merges: v.merges, ...(v.dict ? { dict: v.dict } : {}) });
    // the run's tokenizer.json is the one written beside the shards; its hash names the vocabulary
    tokenizerJson = Buffer.from(tokenizer.toTokenizerJson(), 'utf8');
  } else {
    cli.fail('a tokenizer is required: --tokenizer tokenizer.json, or --vocab and --merges');
  }
  const bar = v.quiet ? undefined : new Progress('tokenizing', undefined, { unit: 'MB', scale: 1e6 });
  let done = 0;
  const t0 = performance.now();
  const result = await preprocess({
    inputs: positionals,
    out: v.out,
    tokenizer,
    tokenizerJson,
    validFraction,
    seed,
    ...(shardMb === undefined ? {} : { shardBytes: shardMb * 1e6 }),
    ...(workers === undefined ? {} : { workers }),
    oneDocPerFile: v['one-doc-per-file'],
    skipBadLines: v['skip-bad-lines'],
    onProgress: (d, t) => {
      done = d;
      bar?.update(d, t);
    },
  });
  bar?.finish(done);
  const m = result.manifest;
  const d = m.documents;
  const seconds = (performance.now() - t0) / 1000;
  const lines = [
    `documents: ${d.read} read, ${d.train} train, ${d.valid} valid; dropped ${d.empty} empty` +
      (d.badLines > 0 ? `, skipped ${d.badLines} malformed .jsonl lines` : ''),
    ...(d.invalidUtf8 > 0 ? [`invalid UTF-8: ${d.invalidUtf8} documents kept with bad bytes replaced by U+FFFD`] : []),
    `tokens: ${m.tokens.train} train, ${m.tokens.valid} valid (${m.dtype}, vocabulary ${m.vocabSize})`,
    `shards: ${result.written.length} written, ${result.skipped.length} already finished and verified`,
    `${(m.textBytes / 1e6).toFixed(1)} MB of text in ${seconds.toFixed(1)} s; manifest: ${v.out}/manifest.json`,
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

cli.run(main);
