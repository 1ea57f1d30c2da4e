// Encoding throughput, one thread, documents one by one: ours beside tiktoken (wasm) and gpt-tokenizer, same run.
import { createRequire } from 'node:module';
import { runBenchmarks } from '@robusta/bench-kit';
import { Tokenizer } from '../src/tokenizer.js';
import { gpt2Model, sotuDocuments, udhrDocuments, utf8Length } from '../test-support/corpora.js';

const require = createRequire(import.meta.url);
const { get_encoding } = require('tiktoken') as typeof import('tiktoken');

const tok = await Tokenizer.fromModel(gpt2Model());
const tiktoken = get_encoding('gpt2');
const { encode: gptTokenizerEncode } = await import('gpt-tokenizer/encoding/r50k_base');

function suite(title: string, docs: string[]) {
  const mb = utf8Length(docs) / 1e6;
  return {
    title: `${title}: ${docs.length} docs, ${mb.toFixed(1)} MB, 1 thread`,
    work: { amount: mb, unit: 'MB' },
    options: { warmup: 1, runs: 5 },
    ours: {
      name: '@robusta/tokenizer',
      run: () => {
        for (const d of docs) tok.encode(d);
      },
    },
    peers: [
      {
        name: 'tiktoken (wasm)',
        run: () => {
          for (const d of docs) tiktoken.encode_ordinary(d);
        },
      },
      {
        name: 'gpt-tokenizer',
        run: () => {
          for (const d of docs) gptTokenizerEncode(d);
        },
      },
    ],
  };
}

await runBenchmarks(
  [() => suite('English (State of the Union)', sotuDocuments()), () => suite('Unicode-heavy (UDHR)', udhrDocuments())],
  {
    name: 'tokenizer-encode',
  },
);

// Memory: measured in a fresh process so earlier peers' allocations do not count.
const { execFileSync } = await import('node:child_process');
const probe = new URL('./rss-probe.ts', import.meta.url).pathname;
const rss = JSON.parse(
  execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', probe], { encoding: 'utf8' }).trim(),
) as { baseMB: number; peakMB: number; aboveBaseMB: number };
console.log(
  `peak RSS while encoding every document and then one 19 MB string: ${rss.aboveBaseMB.toFixed(1)} MB above the ` +
    `process's base (${rss.baseMB.toFixed(0)} MB -> ${rss.peakMB.toFixed(0)} MB); target <= 100 MB`,
);
