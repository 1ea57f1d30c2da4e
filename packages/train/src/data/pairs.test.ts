// NSP pair formats: templates and lengths, ~50% positives, positives contiguous and negatives from another document,
// sentence boundaries, masking of both segments, determinism and resume; and DOC-SENTENCES' dynamic batch size.
import { ConfigError } from '@robusta/cli-kit';
import { describe, expect, it } from 'vitest';
import { take } from '../../test-support/streams.js';
import { type MlmBatchOptions, mlmBatches, sequenceCount } from './batches.js';
import { memoryShardSet } from './memory.js';
import { type PairFormat, PairSampler } from './pairs.js';
import { CounterRng } from './random.js';
import { sentenceEnds, sentenceRule } from './sentences.js';

const specials = { cls: 0, pad: 1, sep: 2, mask: 3 };
const VOCAB = 500;
// a toy vocabulary: 4 "." 5 "!" 6 "\n" 7..99 words glued to the previous one, 100.. " word" (space first)
const decode = (id: number): string =>
  id < 4 ? '' : id === 4 ? '.' : id === 5 ? '!' : id === 6 ? '\n' : id < 100 ? `w${id}` : ` w${id}`;
const rule = sentenceRule(VOCAB, decode);

/** Documents of sentences: words (mostly space-led), ended by "." or "!" then a space-led word; some "3.14"-like dots. */
function corpus(seed: number, docs: number, maxSentences: number): Uint32Array[] {
  const rng = new CounterRng(seed);
  return Array.from({ length: docs }, () => {
    const out: number[] = [];
    const n = 1 + rng.below(maxSentences);
    for (let s = 0; s < n; s++) {
      const words = 1 + rng.below(12);
      for (let w = 0; w < words; w++) {
        out.push(100 + rng.below(VOCAB - 100));
        if (rng.next() < 0.1) out.push(4, 7 + rng.below(93)); // a dot inside a sentence: no boundary
      }
      out.push(rng.next() < 0.8 ? 4 : 5);
    }
    return Uint32Array.from(out);
  });
}

const docs = corpus(3, 60, 10);
const set = memoryShardSet(docs, VOCAB);
const T = 32;

describe('sentence rule', () => {
  it('splits at ./!/? before a space-led token and after newlines, not inside "w7.w8"', () => {
    // "w100 w101. w102 w7.w8! w103\n w104"
    const tokens = [100, 101, 4, 102, 7, 4, 8, 5, 103, 6, 104];
    expect(sentenceEnds(rule, tokens)).toEqual([3, 8, 10, 11]);
    const quoted = sentenceRule(8, (id) => ['', ' "Yes.', '"', ' No?)', ' x', '\n', 'y', ''][id] as string);
    // ' "Yes.' ' x' ' No?)' ' x' '"' 'y' '\n' 'y': closing marks inside a token count, a lone '"' token does not
    expect(sentenceEnds(quoted, [1, 4, 3, 4, 2, 6, 5, 6])).toEqual([1, 3, 7, 8]);
  });
});

for (const format of ['segment-pair', 'sentence-pair'] as PairFormat[]) {
  describe(format, () => {
    const pairs = new PairSampler(set, T, format, 11, rule);
    const N = pairs.numSequences;

    it('makes enough pairs for the checks below to mean something', () => {
      expect(N).toBeGreaterThan(50);
    });

    it('writes <s> A </s></s> B </s> then pad, both parts non-empty, at most T tokens', () => {
      const row = new Int32Array(T);
      for (const epoch of [0, 1])
        for (let k = 0; k < N; k++) {
          const { length, isNext } = pairs.fill(k, epoch, row, specials.cls, specials.sep, specials.pad);
          const p = pairs.describe(k, epoch);
          const la = p.a[1] - p.a[0];
          const lb = p.b[1] - p.b[0];
          expect(la).toBeGreaterThan(0);
          expect(lb).toBeGreaterThan(0);
          expect(length).toBe(la + lb + 4);
          expect(length).toBeLessThanOrEqual(T);
          expect(isNext).toBe(p.isNext);
          expect(row[0]).toBe(specials.cls);
          expect(Array.from(row.subarray(1, 1 + la))).toEqual(Array.from(docs[p.docA]!.subarray(p.a[0], p.a[1])));
          expect([row[1 + la], row[2 + la]]).toEqual([specials.sep, specials.sep]);
          expect(Array.from(row.subarray(3 + la, 3 + la + lb))).toEqual(
            Array.from(docs[p.docB]!.subarray(p.b[0], p.b[1])),
          );
          expect(row[length - 1]).toBe(specials.sep);
          expect(row.subarray(length).every((x) => x === specials.pad)).toBe(true);
        }
    });

    it('labels about half the pairs "next"; positives are contiguous in one document, negatives from another', () => {
      let positives = 0;
      let total = 0;
      for (let epoch = 0; epoch < 20; epoch++)
        for (let k = 0; k < N; k++) {
          const p = pairs.describe(k, epoch);
          total++;
          if (p.isNext) {
            positives++;
            expect(p.docB).toBe(p.docA);
            expect(p.b[0]).toBe(p.a[1]); // A ends where B begins
          } else expect(p.docB).not.toBe(p.docA);
        }
      expect(total).toBeGreaterThan(2000);
      expect(positives / total).toBeGreaterThan(0.46);
      expect(positives / total).toBeLessThan(0.54);
    });

    it('cuts at sentence boundaries', () => {
      const ends = docs.map((d) => new Set([0, ...sentenceEnds(rule, d)]));
      const within = (doc: number, [s, e]: [number, number]) => {
        for (let i = s + 1; i < e; i++) if (ends[doc]!.has(i)) return false;
        return true;
      };
      let splitAtBoundary = 0;
      for (let k = 0; k < N; k++) {
        const p = pairs.describe(k, 0);
        if (format === 'sentence-pair') {
          // one sentence each (A may lose its front, B its back, to fit T)
          expect(within(p.docA, p.a)).toBe(true);
          expect(within(p.docB, p.b)).toBe(true);
          expect(ends[p.docA]!.has(p.a[1])).toBe(true);
          expect(ends[p.docB]!.has(p.b[0])).toBe(true);
        } else if (p.a[1] - p.a[0] + p.b[1] - p.b[0] < T - 4) {
          // untruncated: A starts a sentence, B starts one too unless a chunk of one sentence was cut in two
          expect(ends[p.docA]!.has(p.a[0])).toBe(true);
          if (!p.isNext) expect(ends[p.docB]!.has(p.b[0])).toBe(true);
          else if (!ends[p.docB]!.has(p.b[0])) expect(within(p.docA, [p.a[0], p.b[1]])).toBe(true);
          else splitAtBoundary++;
        }
      }
      if (format === 'segment-pair') expect(splitAtBoundary).toBeGreaterThan(N / 10);
    });

    it('masks both segments, never the specials, and yields one label per sequence', () => {
      const opts: MlmBatchOptions = { seqLength: T, batchSize: 16, seed: 11, specials, vocabSize: VOCAB };
      let inA = 0;
      let inB = 0;
      for (const { batch } of take(mlmBatches(set, { ...opts, format, sentences: rule }), 40)) {
        expect(batch.nspLabels?.length).toBe(batch.batchSize);
        const original = batch.inputIds.slice();
        batch.maskedPositions.forEach((p, i) => {
          original[p] = batch.maskedLabels[i]!;
        });
        batch.maskedPositions.forEach((p) => {
          expect(original[p]).toBeGreaterThan(3);
          const r = Math.floor(p / T);
          const row = original.subarray(r * T, (r + 1) * T);
          const firstSep = row.indexOf(specials.sep);
          if (p - r * T < firstSep) inA++;
          else inB++;
        });
      }
      expect(inA).toBeGreaterThan(100);
      expect(inB).toBeGreaterThan(100);
    });

    it('is a pure function of (seed, epoch, sequence): same run twice, and resume from any position', () => {
      const opts: MlmBatchOptions = {
        seqLength: T,
        batchSize: 7,
        seed: 4,
        specials,
        vocabSize: VOCAB,
        format,
        sentences: rule,
      };
      const steps = Math.ceil((3 * N) / 7); // three epochs, batches straddling epoch ends
      const full = take(mlmBatches(set, opts), steps);
      expect(take(mlmBatches(set, opts), steps)).toEqual(full);
      for (const at of [1, Math.floor(steps / 2), steps - 2]) {
        const resumed = take(mlmBatches(set, { ...opts, start: full[at - 1]?.next }), steps - at);
        expect(resumed).toEqual(full.slice(at));
      }
      // another seed pairs differently
      const other = take(mlmBatches(set, { ...opts, seed: 5 }), 3);
      expect(other.map((r) => r.batch.nspLabels)).not.toEqual(full.slice(0, 3).map((r) => r.batch.nspLabels));
      expect(sequenceCount(set, T, format, rule)).toBe(N);
    });
  });
}

describe('pair edge cases', () => {
  it('segment pairs without a sentence rule cut at token positions; a one-token document pairs only negatively', () => {
    const tiny = memoryShardSet([Uint32Array.of(9), Uint32Array.from({ length: 70 }, (_, i) => 100 + i)], VOCAB);
    const pairs = new PairSampler(tiny, 16, 'segment-pair', 1);
    expect(pairs.numSequences).toBe(1 + Math.ceil(70 / 12));
    for (let e = 0; e < 30; e++) expect(pairs.describe(0, e).isNext).toBe(false);
  });

  it('names what is missing', () => {
    expect(() => new PairSampler(set, T, 'sentence-pair', 1)).toThrow(/sentence rule/);
    expect(() => new PairSampler(set, T, 'sentence-pair', 1)).toThrow(ConfigError);
    expect(() => new PairSampler(memoryShardSet([docs[0]!], VOCAB), T, 'segment-pair', 1)).toThrow(/2 non-empty/);
    expect(() => new PairSampler(set, 5, 'segment-pair', 1)).toThrow(/seqLength/);
  });

  it('packed formats carry no nspLabels', () => {
    const [r] = take(mlmBatches(set, { seqLength: T, batchSize: 4, seed: 1, specials, vocabSize: VOCAB }), 1);
    expect(r?.batch.nspLabels).toBeUndefined();
  });
});

describe('doc-sentences with a token budget (dynamic batch size)', () => {
  const opts: MlmBatchOptions = {
    seqLength: T,
    batchSize: 64,
    seed: 2,
    specials,
    vocabSize: VOCAB,
    format: 'doc-sentences',
    tokensPerBatch: 8 * T,
  };

  it('fills batches up to the budget with more sequences than a fixed batch, and resumes exactly', () => {
    const steps = 30;
    const full = take(mlmBatches(set, opts), steps);
    let rows = 0;
    for (const { batch } of full) {
      const real = batch.attentionMask.reduce((s, x) => s + x, 0);
      expect(real).toBeLessThanOrEqual(8 * T);
      rows += batch.batchSize;
    }
    expect(rows / steps).toBeGreaterThan(8);
    for (const at of [3, 17]) {
      const resumed = take(mlmBatches(set, { ...opts, start: full[at - 1]?.next }), steps - at);
      expect(resumed).toEqual(full.slice(at));
    }
  });

  it('still takes one sequence when it alone is over the budget', () => {
    const [r] = take(mlmBatches(set, { ...opts, tokensPerBatch: 1 }), 1);
    expect(r?.batch.batchSize).toBe(1);
    expect(() => mlmBatches(set, { ...opts, tokensPerBatch: 0 }).next()).toThrow(/tokensPerBatch/);
  });
});
