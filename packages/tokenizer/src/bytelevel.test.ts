import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { byteLevelAlphabet, bytesToVocabString, vocabStringToBytes } from './bytelevel.js';

const require = createRequire(import.meta.url);

describe('byte-level alphabet', () => {
  it('matches HF tokenizers byteLevelAlphabet() as a set and round-trips every byte', () => {
    const { byteLevelAlphabet: hfAlphabet } = require('tokenizers') as { byteLevelAlphabet(): string[] };
    const ours = byteLevelAlphabet();
    expect(new Set(ours).size).toBe(256);
    expect([...ours].sort()).toEqual([...hfAlphabet()].sort());
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(vocabStringToBytes(bytesToVocabString(all))).toEqual(all);
  });
  it('spells GPT-2 tokens as encoder.json does', () => {
    // ' the' is Ġthe and '\n' is Ċ in OpenAI's encoder.json
    expect(bytesToVocabString(new TextEncoder().encode(' the'))).toBe('\u0120the');
    expect(bytesToVocabString(Uint8Array.of(10))).toBe('\u010a');
    expect(vocabStringToBytes('x\u4e00')).toBeUndefined();
  });
});
