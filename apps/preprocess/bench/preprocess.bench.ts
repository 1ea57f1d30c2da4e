// Preprocessing throughput (SOTU files -> shards on disk) against the tokenizer's own encodeBatch on the same texts
// with the same pool: what reading, splitting, packing, hashing and atomic writes cost on top (target >= 90%).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runBenchmarks } from '@robusta/bench-kit';
import { TokenizerPool } from '@robusta/tokenizer';
import { preprocess } from '../src/preprocess.js';
import { robertaLikeTokenizer, sotuFiles } from '../test-support/corpus.js';

const WORKERS = 2;
const { tokenizer, json } = await robertaLikeTokenizer();
const files = sotuFiles();
const docs = files.map((f) => readFileSync(f, 'utf8'));
const mb = docs.reduce((s, d) => s + Buffer.byteLength(d), 0) / 1e6;
// one pool for both, created once, as a long preprocessing run keeps it
const pool = await TokenizerPool.create(tokenizer, { workers: WORKERS });
const root = mkdtempSync(join(tmpdir(), 'robusta-preprocess-bench-'));
let run = 0;

try {
  await runBenchmarks(
    [
      {
        title: `State of the Union: ${files.length} files, ${mb.toFixed(1)} MB, ${WORKERS} workers`,
        work: { amount: mb, unit: 'MB' },
        options: { warmup: 3, runs: 11 },
        ours: {
          name: 'robusta-preprocess (files -> verified shards + manifest)',
          run: async () => {
            const out = join(root, `run-${run++}`);
            await preprocess({
              inputs: [dirname(files[0] as string)],
              out,
              tokenizer,
              tokenizerJson: json,
              pool,
              oneDocPerFile: true,
              validFraction: 0.01,
            });
            rmSync(out, { recursive: true, force: true });
          },
        },
        peers: [{ name: `TokenizerPool.encodeBatch (strings in memory)`, run: () => pool.encodeBatch(docs) }],
      },
    ],
    { name: 'preprocess' },
  );
} finally {
  await pool.close();
  rmSync(root, { recursive: true, force: true });
}
