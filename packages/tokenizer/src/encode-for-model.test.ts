import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt2Model, sotuDocuments } from '../test-support/corpora.js';
import type { BpeModel } from './model.js';
import { Tokenizer } from './tokenizer.js';

interface HfEncoding {
  getIds(): number[];
  getAttentionMask(): number[];
  getSpecialTokensMask(): number[];
  getOffsets(): number[][];
}
interface HfTokenizer {
  encode(a: string, b?: string | null): Promise<HfEncoding>;
  setTruncation(maxLength: number, options?: { strategy?: string }): void;
}
const hf = createRequire(import.meta.url)('tokenizers') as { Tokenizer: { fromString(s: string): HfTokenizer } };

// GPT-2's vocabulary with RoBERTa's special tokens appended (no RoBERTa vocab ships offline; the ids differ, the
// template and truncation do not); `<mask>` strips whitespace on its left as in RoBERTa's tokenizer.json.
function robertaLike(): BpeModel {
  const base = gpt2Model();
  const names = ['<s>', '<pad>', '</s>', '<unk>', '<mask>'];
  const tokens = [...base.tokens];
  const specialTokens = names.map((content, i) => ({
    id: base.tokens.length + i,
    content,
    lstrip: content === '<mask>',
  }));
  for (const s of specialTokens) tokens[s.id] = new TextEncoder().encode(s.content);
  return { tokens, merges: base.merges, specialTokens };
}

let ours: Tokenizer;
let json: Record<string, unknown>;
const doc = sotuDocuments()[150] ?? '';
const question = 'What did the President say about the economy and the budget?';
const context = doc.slice(0, 3000);

beforeAll(async () => {
  const seed = await Tokenizer.fromModel(robertaLike());
  json = JSON.parse(seed.toTokenizerJson()) as Record<string, unknown>;
  // our offsets are untrimmed (a token's leading space is inside its span): compare with HF's untrimmed ones
  (json.post_processor as Record<string, unknown>).trim_offsets = false;
  for (const t of json.added_tokens as { content: string; lstrip: boolean }[]) t.lstrip = t.content === '<mask>';
  ours = await Tokenizer.fromTokenizerJson(json);
});

function hfTokenizer(): HfTokenizer {
  return hf.Tokenizer.fromString(JSON.stringify(json));
}

describe('encodeForModel equals HF tokenizers with RobertaProcessing', () => {
  it('single and pair, no truncation: ids, masks, offsets', async () => {
    for (const [a, b] of [
      [context, undefined],
      [question, context],
      ['', 'x'],
    ] as const) {
      const want = await hfTokenizer().encode(a, b ?? null);
      const got = ours.encodeForModel(a, b);
      expect(Array.from(got.inputIds)).toEqual(want.getIds());
      expect(Array.from(got.attentionMask)).toEqual(want.getAttentionMask());
      expect(Array.from(got.specialTokensMask)).toEqual(want.getSpecialTokensMask());
      expect(Array.from(got.offsets)).toEqual(want.getOffsets().flat());
    }
  });
  it('truncated main window for each strategy', async () => {
    for (const strategy of ['longest_first', 'only_first', 'only_second'] as const) {
      const hfStrategy = { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' }[
        strategy
      ];
      for (const maxLength of [64, 128, 384]) {
        const [a, b] = strategy === 'only_first' ? [context, question] : [question, context];
        const h = hfTokenizer();
        h.setTruncation(maxLength, { strategy: hfStrategy });
        const want = await h.encode(a, b);
        const got = ours.encodeForModel(a, b, { maxLength, truncation: strategy });
        expect(Array.from(got.inputIds), `${strategy} ${maxLength}`).toEqual(want.getIds());
      }
    }
  });
  it('recognises <mask> when asked, taking the space before it (lstrip)', async () => {
    const text = 'The capital of France is <mask>.';
    const want = await hfTokenizer().encode(text);
    const got = ours.encodeForModel(text, null, { special: ['<mask>'] });
    expect(Array.from(got.inputIds)).toEqual(want.getIds());
    expect(got.inputIds).toContain(ours.specialId('<mask>'));
    // by default special-token strings are plain text
    expect(ours.encodeForModel(text).inputIds).not.toContain(ours.specialId('<mask>'));
  });
  it('SQuAD-style windows: every window holds the question and a stride of shared context', () => {
    const enc = ours.encodeForModel(question, doc.slice(0, 20_000), {
      maxLength: 384,
      truncation: 'only_second',
      stride: 128,
      returnOverflowing: true,
      padding: 'max_length',
    });
    const windows = [enc, ...enc.overflowing];
    expect(windows.length).toBeGreaterThan(3);
    const q = Array.from(ours.encode(question));
    for (const w of windows) {
      expect(w.inputIds.length).toBe(384);
      expect(Array.from(w.inputIds.subarray(1, 1 + q.length))).toEqual(q);
    }
  });
  it('a vocabulary without <s>/</s>/<pad> is refused with the reason', async () => {
    const gpt2 = await Tokenizer.fromModel(gpt2Model());
    expect(() => gpt2.encodeForModel('x')).toThrow(
      /needs <s>, <\/s> and <pad> tokens; this vocabulary has no cls, sep, pad/,
    );
  });
});

describe('addPrefixSpace', () => {
  it('encodes a first word like a later one and keeps offsets on the original string', async () => {
    const tok = await Tokenizer.fromModel(gpt2Model(), { addPrefixSpace: true });
    const plain = await Tokenizer.fromModel(gpt2Model());
    expect(Array.from(tok.encode('Hello world'))).toEqual(Array.from(plain.encode(' Hello world')));
    const { offsets } = tok.encodeWithOffsets('Hello world');
    expect(Array.from(offsets)).toEqual([0, 5, 5, 11]);
    expect(Array.from(tok.encode(' already'))).toEqual(Array.from(plain.encode(' already')));
  });
});
