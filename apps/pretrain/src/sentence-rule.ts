// The sentence-end rule for the pair formats, from the shard folder's tokenizer.json: each id's decoded text.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@robusta/cli-kit';
import { Tokenizer } from '@robusta/tokenizer';
import { type SentenceRule, sentenceRule, TOKENIZER_FILE } from '@robusta/train';

/** The rule over ids `[0, vocabSize)`; special tokens (and ids the tokenizer lacks) decode to '' so they never split. */
export async function sentenceRuleOf(dataDir: string, vocabSize: number, format: string): Promise<SentenceRule> {
  const path = join(dataDir, TOKENIZER_FILE);
  if (!existsSync(path))
    throw new ConfigError(
      undefined,
      `${path} is missing: format '${format}' finds sentence ends with the shards' tokenizer`,
    );
  const tok = await Tokenizer.fromTokenizerJson(path);
  try {
    return sentenceRule(vocabSize, (id) => (id < tok.vocabSize ? tok.decode([id], { skipSpecialTokens: true }) : ''));
  } finally {
    await tok.close();
  }
}
