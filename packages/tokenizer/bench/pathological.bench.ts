// Inputs that are one long pre-token piece (1 MB of one letter, of spaces, ...): ours beside HF tokenizers (Rust),
// same run. tiktoken is left out: its merge loop is quadratic in a piece's length, tens of minutes on each of these.
import { createRequire } from 'node:module';
import { runBenchmarks } from '@robusta/bench-kit';
import { Tokenizer } from '../src/tokenizer.js';
import { gpt2Model } from '../test-support/corpora.js';

const require = createRequire(import.meta.url);
const { Tokenizer: HfTokenizer } = require('tokenizers') as {
  Tokenizer: { fromString(json: string): { encode(text: string): Promise<{ getIds(): number[] }> } };
};

const tok = await Tokenizer.fromModel(gpt2Model());
const hf = HfTokenizer.fromString(tok.toTokenizerJson());

const inputs: [string, string][] = [
  ['1e6 x', 'x'.repeat(1e6)],
  ['1 MB of letters, no space', Array.from({ length: 1e6 }, (_, i) => 'abcdefghij'[(i * 7919) % 10]).join('')],
  ['1e6 spaces', ' '.repeat(1e6)],
  ['1e5 emoji', '🦀'.repeat(1e5)],
  ['1e6 digits', '1234567890'.repeat(1e5)],
  ['1e5 newlines', '\n'.repeat(1e5)],
];

await runBenchmarks(
  inputs.map(([title, text]) => async () => {
    // a benchmark of different ids would mean nothing: check once, outside the timed runs
    const want = (await hf.encode(text)).getIds();
    const got = tok.encode(text);
    if (got.length !== want.length || want.some((id, i) => id !== got[i]))
      throw new Error(`${title}: our ids differ from HF tokenizers'`);
    return {
      title: `${title}, 1 thread`,
      work: { amount: new TextEncoder().encode(text).length / 1e6, unit: 'MB' },
      options: { warmup: 1, runs: 5 },
      ours: { name: '@robusta/tokenizer', run: () => tok.encode(text) },
      peers: [{ name: 'HF tokenizers (Rust, native)', run: () => hf.encode(text) }],
    };
  }),
  { name: 'tokenizer-pathological' },
);
