// Batch encoding on 2 workers against our own single-thread encode and tiktoken (wasm, 1 thread), same run.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { runBenchmarks } from '@robusta/bench-kit';
import { TokenizerPool } from '../src/pool.js';
import { Tokenizer } from '../src/tokenizer.js';
import { gpt2Model, sotuDocuments, utf8Length } from '../test-support/corpora.js';

const require = createRequire(import.meta.url);
const { get_encoding } = require('tiktoken') as typeof import('tiktoken');

const WORKERS = 2;
const tok = await Tokenizer.fromModel(gpt2Model());
const tiktoken = get_encoding('gpt2');
// a pool lives across calls, as in a training data loader; its start-up (~0.2 s) is not part of a run
const pool = await TokenizerPool.create(tok, { workers: WORKERS });
console.log(`pool: ${pool.workers} workers on ${availableParallelism()} cores`);

const docs = sotuDocuments();
const mb = utf8Length(docs) / 1e6;
try {
  await runBenchmarks(
    [
      {
        title: `English (State of the Union): ${docs.length} docs, ${mb.toFixed(1)} MB, encodeBatch on ${WORKERS} workers`,
        work: { amount: mb, unit: 'MB' },
        options: { warmup: 3, runs: 11 },
        ours: { name: `@robusta/tokenizer encodeBatch, ${WORKERS} workers`, run: () => pool.encodeBatch(docs) },
        peers: [
          {
            name: '@robusta/tokenizer encode, 1 thread',
            run: () => {
              for (const d of docs) tok.encode(d);
            },
          },
          {
            name: 'tiktoken (wasm), 1 thread',
            run: () => {
              for (const d of docs) tiktoken.encode_ordinary(d);
            },
          },
        ],
      },
    ],
    { name: 'tokenizer-batch' },
  );
} finally {
  await pool.close();
  tiktoken.free();
}
