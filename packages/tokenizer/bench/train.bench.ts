// Vocabulary training time: our trainBpe beside HF tokenizers' BpeTrainer (Rust, all cores) on the same ~56 MB file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchmarks } from '@robusta/bench-kit';
import { lines } from '../src/cli/input.js';
import { trainBpe } from '../src/train/trainer.js';
import { sotuDocuments, udhrDocuments } from '../test-support/corpora.js';

interface HfLib {
  Tokenizer: new (model: unknown) => { setPreTokenizer(p: unknown): void; train(files: string[]): void };
  BPE: { empty(): unknown };
  byteLevelPreTokenizer(addPrefixSpace?: boolean, useRegex?: boolean): unknown;
}
const hf = createRequire(import.meta.url)('tokenizers') as HfLib;

// No 50 MB public-domain corpus ships offline, so the English and Unicode-heavy sets are concatenated three times.
const dir = mkdtempSync(join(tmpdir(), 'robusta-train-bench-'));
const file = join(dir, 'corpus.txt');
const once = [...sotuDocuments(), ...udhrDocuments()].join('\n');
writeFileSync(file, [once, once, once].join('\n'));
const mb = (Buffer.byteLength(once) * 3) / 1e6;

// HF's Node binding trains only with BpeTrainer::default(): vocab 30000, no special tokens, min_frequency 0.
await runBenchmarks(
  [
    {
      title: `train byte-level BPE to a 30,000 vocabulary on ${mb.toFixed(0)} MB (SOTU + UDHR x3), read line by line`,
      work: { amount: mb, unit: 'MB' },
      options: { warmup: 1, runs: 3 },
      ours: {
        name: '@robusta/tokenizer trainBpe (1 thread)',
        run: () =>
          trainBpe(
            lines([file], () => {}),
            { vocabSize: 30000 },
          ),
      },
      peers: [
        {
          name: `HF tokenizers BpeTrainer (${(await import('node:os')).availableParallelism()} threads)`,
          run: () => {
            const tok = new hf.Tokenizer(hf.BPE.empty());
            tok.setPreTokenizer(hf.byteLevelPreTokenizer(false, true));
            tok.train([file]);
          },
        },
      ],
    },
  ],
  { name: 'tokenizer-train' },
);
rmSync(dir, { recursive: true, force: true });
