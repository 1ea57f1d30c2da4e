#!/usr/bin/env node
// `robusta-tokenizer`: encode, decode, count and train from the command line (files or stdin).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CommandLine, FormatError, Progress, writeFileAtomicSync } from '@robusta/cli-kit';
import { toVocabAndMerges } from '../formats/gpt2.js';
import { toTokenizerJson } from '../formats/tokenizer-json.js';
import type { SpecialPolicy } from '../specials.js';
import { Tokenizer } from '../tokenizer.js';
import { trainBpe } from '../train/trainer.js';
import { lines, readInputs, totalBytes } from './input.js';

const USAGE = `usage: robusta-tokenizer <command> [options] [files...]   (no files: read stdin)

Commands:
  encode   print the ids of each input (one line of space-separated ids per input; --lines: per line)
  decode   read ids (whitespace/comma separated, or JSON arrays) and print the text
  count    print the number of tokens of each input and the total
  train    learn a byte-level BPE vocabulary; writes tokenizer.json, vocab.json and merges.txt to --out

Vocabulary (encode, decode, count; one of):
  --tokenizer FILE              HF tokenizer.json
  --vocab FILE --merges FILE    GPT-2 encoder.json + vocab.bpe, or HF vocab.json + merges.txt
      [--dict FILE]             fairseq dict.txt renumbering (RoBERTa's fairseq ids)
  --tiktoken FILE               tiktoken rank file, or an npm tiktoken encoders/*.json bundle

Options:
  --special plain|all|error     special-token strings in the text (default plain: ordinary text)
  --lines                       encode/count each line separately
  --vocab-size N                train: final vocabulary size (default 50265, RoBERTa's)
  --min-frequency N             train: minimum pair count (default 2)
  --special-tokens LIST         train: comma-separated (default <s>,<pad>,</s>,<unk>,<mask>)
  --out DIR                     train: output folder (default .)`;

const OPTIONS = {
  tokenizer: { type: 'string' },
  vocab: { type: 'string' },
  merges: { type: 'string' },
  dict: { type: 'string' },
  tiktoken: { type: 'string' },
  special: { type: 'string', default: 'plain' },
  lines: { type: 'boolean', default: false },
  'vocab-size': { type: 'string', default: '50265' },
  'min-frequency': { type: 'string', default: '2' },
  'special-tokens': { type: 'string', default: '<s>,<pad>,</s>,<unk>,<mask>' },
  out: { type: 'string', default: '.' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

// annotated, so that the compiler knows cli.fail() does not return
const cli: CommandLine = new CommandLine('robusta-tokenizer', USAGE);

const { values: opts, positionals } = cli.parse(process.argv.slice(2), { allowPositionals: true, options: OPTIONS });

async function loadTokenizer(): Promise<Tokenizer> {
  const pair = opts.vocab !== undefined || opts.merges !== undefined;
  const named = [opts.tokenizer && '--tokenizer', opts.tiktoken && '--tiktoken', pair && '--vocab/--merges'];
  const given = named.filter(Boolean);
  if (given.length > 1) cli.fail(`name one vocabulary, got ${given.join(' and ')}`);
  if (opts.dict !== undefined && !pair) cli.fail('--dict renumbers GPT-2 ids: it goes with --vocab and --merges');
  if (opts.tokenizer) return Tokenizer.fromTokenizerJson(opts.tokenizer);
  if (opts.tiktoken) return Tokenizer.fromTiktoken(opts.tiktoken);
  if (pair) {
    if (!opts.vocab || !opts.merges)
      cli.fail(`--vocab and --merges go together; got only ${opts.vocab ? '--vocab' : '--merges'}`);
    return Tokenizer.fromFiles({ vocab: opts.vocab, merges: opts.merges, ...(opts.dict ? { dict: opts.dict } : {}) });
  }
  return cli.fail('name a vocabulary: --tokenizer FILE, --vocab FILE --merges FILE, or --tiktoken FILE');
}

function specialPolicy(): SpecialPolicy {
  const s = opts.special as string;
  if (s === 'plain' || s === 'all' || s === 'error') return s;
  return cli.fail(`--special must be plain, all or error, got ${JSON.stringify(s)}`);
}

function nonNegativeInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) cli.fail(`--${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

function texts(): { name: string; text: string }[] {
  const inputs = readInputs(positionals.slice(1));
  if (!opts.lines) return inputs;
  return inputs.flatMap(({ name, text }) =>
    text
      .split('\n')
      .filter((l, i, all) => i < all.length - 1 || l !== '')
      .map((line, i) => ({ name: `${name}:${i + 1}`, text: line })),
  );
}

/** The ids on one line of decode's input; `line` is 1-based, for the FormatError that names `source:line`. */
function parseIds(text: string, source: string, line: number): number[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const parts = trimmed
    .replace(/[[\]]/g, ' ')
    .split(/[\s,]+/)
    .filter(Boolean);
  return parts.map((p, i) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 0)
      throw new FormatError(source, `item ${i + 1} is not an id: ${JSON.stringify(p)}`, line);
    return n;
  });
}

async function train(): Promise<void> {
  const files = positionals.slice(1);
  if (files.length === 0) cli.fail('train needs corpus files (text, read line by line)');
  const vocabSize = nonNegativeInt('vocab-size', opts['vocab-size'] as string);
  const minFrequency = nonNegativeInt('min-frequency', opts['min-frequency'] as string);
  const specialTokens = (opts['special-tokens'] as string).split(',').filter(Boolean);
  const total = totalBytes(files);
  const reading = new Progress('counting', total, { unit: 'MB', scale: 1e6 });
  let read = 0;
  let merging: Progress | undefined;
  const model = await trainBpe(
    lines(files, (n) => {
      read += n;
      reading.update(read);
    }),
    {
      vocabSize,
      minFrequency,
      specialTokens,
      onProgress: (p) => {
        if (p.phase !== 'merge') return;
        if (!merging) {
          reading.finish(read);
          merging = new Progress('merging', p.total, { unit: 'merges' });
        }
        merging.update(p.done, p.total);
      },
    },
  );
  merging?.finish(model.merges.length / 3);
  const out = opts.out as string;
  mkdirSync(out, { recursive: true });
  const byContent = (c: string) => model.specialTokens.find((s) => s.content === c);
  // RoBERTa's <mask> owns the space before it, so "The <mask> of" masks " word" whole, as training replaced it
  const mask = byContent('<mask>');
  if (mask) mask.lstrip = true;
  const roles = {
    cls: byContent('<s>'),
    sep: byContent('</s>'),
    pad: byContent('<pad>'),
    mask: byContent('<mask>'),
    unk: byContent('<unk>'),
  };
  const defined = Object.fromEntries(Object.entries(roles).filter(([, v]) => v !== undefined));
  writeFileAtomicSync(join(out, 'tokenizer.json'), toTokenizerJson(model, defined));
  const { vocab, merges } = toVocabAndMerges(model);
  writeFileAtomicSync(join(out, 'vocab.json'), vocab);
  writeFileAtomicSync(join(out, 'merges.txt'), merges);
  process.stderr.write(
    `wrote ${join(out, 'tokenizer.json')}, vocab.json, merges.txt: ${model.tokens.length} tokens, ${model.merges.length / 3} merges\n`,
  );
}

async function main(): Promise<void> {
  const command = positionals[0];
  if (opts.help || command === undefined) {
    cli.help();
    return;
  }
  if (command === 'train') return train();
  if (!['encode', 'decode', 'count'].includes(command)) cli.fail(`unknown command ${JSON.stringify(command)}`);
  // the flags are checked before the vocabulary loads (a second or more for 50K tokens), so a typo fails at once
  const special = specialPolicy();
  const tok = await loadTokenizer();
  if (command === 'decode') {
    for (const { name, text } of readInputs(positionals.slice(1))) {
      for (const [i, line] of text.split('\n').entries()) {
        if (line.trim() === '') continue;
        process.stdout.write(`${tok.decode(parseIds(line, name, i + 1))}\n`);
      }
    }
    return;
  }
  let total = 0;
  for (const { name, text } of texts()) {
    let ids: Uint32Array;
    try {
      ids = tok.encode(text, { special });
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`, { cause: e });
    }
    total += ids.length;
    if (command === 'encode') process.stdout.write(`${ids.join(' ')}\n`);
    else process.stdout.write(`${ids.length}\t${name}\n`);
  }
  if (command === 'count') process.stdout.write(`${total}\ttotal\n`);
}

cli.run(main);
