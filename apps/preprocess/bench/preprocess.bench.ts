// Preprocessing throughput (16 copies of the SOTU files -> shards on disk) against the tokenizer's own batch calls on the
// same texts in memory with the same pool (strings, UTF-8 bytes, bytes with packed uint16 ids): what reading,
// splitting, hashing and atomic writes cost on top (target >= 90% of the fastest of them).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runBenchmarks } from '@robusta/bench-kit';
import { TokenizerPool } from '@robusta/tokenizer';
import { preprocess } from '../src/preprocess.js';
import { robertaLikeTokenizer, sotuFiles } from '../test-support/corpus.js';

/** Copies of the corpus: 172 MB, so that per-run costs (listing, the first read, the last fsync) weigh as little as
 * in a real run of gigabytes (at 43 MB they cost ~15% of a run). */
const COPIES = 16;
const { tokenizer, json } = await robertaLikeTokenizer();
const root = mkdtempSync(join(tmpdir(), 'robusta-preprocess-bench-'));
const files: string[] = [];
for (let c = 0; c < COPIES; c++) {
  mkdirSync(join(root, 'in', `copy-${c}`), { recursive: true });
  for (const f of sotuFiles()) {
    const to = join(root, 'in', `copy-${c}`, basename(f));
    copyFileSync(f, to);
    files.push(to);
  }
}
const bytes = files.map((f) => readFileSync(f));
const docs = bytes.map((b) => b.toString('utf8'));
const mb = bytes.reduce((s, b) => s + b.length, 0) / 1e6;
/** Every run writes to a fresh folder; removed after, so the disk holds one run's shards at a time. */
let run = 0;
const preprocessRun = (pool: TokenizerPool) => async () => {
  const out = join(root, `run-${run++}`);
  await preprocess({
    inputs: [join(root, 'in')],
    out,
    tokenizer,
    tokenizerJson: json,
    pool,
    oneDocPerFile: true,
    validFraction: 0.01,
  });
  rmSync(out, { recursive: true, force: true });
};
// pools are created once, as a long preprocessing run keeps its pool: 2 workers = the default here (one per core);
// 1 worker leaves a core to this thread's reading, hashing and writing, which is what the default has on a machine
// with more cores than workers
const pools = [
  await TokenizerPool.create(tokenizer, { workers: 2 }),
  await TokenizerPool.create(tokenizer, { workers: 1 }),
];

try {
  await runBenchmarks(
    pools.map((pool) => ({
      title:
        `State of the Union x ${COPIES}: ${files.length} files, ${mb.toFixed(1)} MB, ${pool.workers} ` +
        `worker${pool.workers > 1 ? 's' : ''} on ${availableParallelism()} cores`,
      work: { amount: mb, unit: 'MB' },
      options: { warmup: 2, runs: 7, interleave: true },
      ours: { name: 'robusta-preprocess (files -> verified shards + manifest)', run: preprocessRun(pool) },
      peers: [
        { name: 'TokenizerPool.encodeBatch (strings in memory)', run: () => pool.encodeBatch(docs) },
        { name: 'TokenizerPool.encodeBatchUtf8 (UTF-8 bytes in memory)', run: () => pool.encodeBatchUtf8(bytes) },
        {
          name: 'TokenizerPool.encodeBatchUtf8Packed (bytes in memory, uint16 out)',
          run: async () => (await pool.encodeBatchUtf8Packed(bytes, 'uint16')).release(),
        },
      ],
    })),
    { name: 'preprocess' },
  );
} finally {
  for (const pool of pools) await pool.close();
  rmSync(root, { recursive: true, force: true });
}
