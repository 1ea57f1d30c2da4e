// Masked-LM batches: masking rates (15%, 80/10/10), specials and padding never chosen, seeded order, exact resume.
import { describe, expect, it } from 'vitest';
import { take } from '../../test-support/streams.js';
import { type MlmBatchOptions, mlmBatches, sequenceCount } from './batches.js';
import { memoryShardSet } from './memory.js';
import { CounterRng } from './random.js';

const specials = { cls: 0, pad: 1, sep: 2, mask: 3 };
const VOCAB = 1000;

function corpus(seed: number, count: number, maxLen: number): Uint32Array[] {
  const rng = new CounterRng(seed);
  return Array.from({ length: count }, () =>
    Uint32Array.from({ length: 1 + rng.below(maxLen) }, () => 4 + rng.below(VOCAB - 4)),
  );
}

const base: MlmBatchOptions = { seqLength: 32, batchSize: 8, seed: 5, specials, vocabSize: VOCAB };

describe('dynamic masking', () => {
  const set = memoryShardSet(corpus(1, 400, 200), VOCAB);

  it('chooses 15% of maskable positions, 80/10/10, never specials or padding', () => {
    let maskable = 0;
    let chosen = 0;
    let asMask = 0;
    let unchanged = 0;
    let random = 0;
    for (const { batch } of take(mlmBatches(set, { ...base, format: 'doc-sentences' }), 300)) {
      const original = batch.inputIds.slice();
      batch.maskedPositions.forEach((p, i) => {
        original[p] = batch.maskedLabels[i] as number;
      });
      for (let i = 0; i < original.length; i++) {
        const id = original[i] as number;
        if (batch.attentionMask[i] === 1 && id > 3) maskable++;
        if (batch.attentionMask[i] === 0) expect(id).toBe(specials.pad);
      }
      batch.maskedPositions.forEach((p, i) => {
        const label = batch.maskedLabels[i] as number;
        expect(label).toBeGreaterThan(3); // never <s>, <pad>, </s>, <mask>
        expect(batch.attentionMask[p]).toBe(1);
        const now = batch.inputIds[p] as number;
        if (now === specials.mask) asMask++;
        else if (now === label) unchanged++;
        else {
          random++;
          expect(now).toBeGreaterThan(3);
          expect(now).toBeLessThan(VOCAB);
        }
      });
      chosen += batch.maskedPositions.length;
      expect(Array.from(batch.maskedPositions)).toEqual(Array.from(batch.maskedPositions).sort((a, b) => a - b));
    }
    expect(chosen / maskable).toBeGreaterThan(0.145);
    expect(chosen / maskable).toBeLessThan(0.155);
    expect(asMask / chosen).toBeCloseTo(0.8, 1);
    // a random draw equal to the original counts as unchanged: 1/996 of the 10%
    expect(random / chosen).toBeGreaterThan(0.085);
    expect(random / chosen).toBeLessThan(0.115);
    expect(unchanged / chosen).toBeGreaterThan(0.085);
    expect(unchanged / chosen).toBeLessThan(0.115);
  });

  it('masks a sequence afresh each epoch, identically for the same seed', () => {
    const n = sequenceCount(set, base.seqLength);
    const opts = { ...base, batchSize: n, shuffle: false };
    const [e0, e1] = take(mlmBatches(set, opts), 2);
    const [again] = take(mlmBatches(set, opts), 1);
    expect(again?.batch.inputIds).toEqual(e0?.batch.inputIds);
    expect(e1?.batch.maskedPositions).not.toEqual(e0?.batch.maskedPositions);
    expect(e1?.next).toEqual({ epoch: 2, sequence: 0 });
  });

  it('shuffles every epoch into a different permutation of all sequences', () => {
    const n = sequenceCount(set, base.seqLength);
    const firstTokens = (b: Int32Array) => Array.from({ length: n }, (_, i) => b.subarray(i * 32, i * 32 + 4).join());
    const opts = { ...base, batchSize: n, maskProbability: 0 };
    const [e0, e1] = take(mlmBatches(set, opts), 2);
    const [plain] = take(mlmBatches(set, { ...opts, shuffle: false }), 1);
    const a = firstTokens(e0?.batch.inputIds as Int32Array);
    const b = firstTokens(e1?.batch.inputIds as Int32Array);
    const p = firstTokens(plain?.batch.inputIds as Int32Array);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(p);
    expect([...a].sort()).toEqual([...p].sort());
    expect([...b].sort()).toEqual([...p].sort());
  });
});

describe('resume', () => {
  const set = memoryShardSet(corpus(2, 120, 90), VOCAB);

  for (const masking of ['dynamic', 'static'] as const) {
    it(`from any position gives the batches an uninterrupted run gives (${masking})`, () => {
      const opts = { ...base, batchSize: 7, masking, staticDuplication: 3 };
      const n = sequenceCount(set, base.seqLength);
      const steps = Math.ceil((4 * n) / 7); // four epochs, batches straddling epoch ends
      const full = take(mlmBatches(set, opts), steps);
      for (const at of [1, 5, Math.floor(steps / 2), steps - 2]) {
        const start = full[at - 1]?.next;
        const resumed = take(mlmBatches(set, { ...opts, start }), steps - at);
        expect(resumed.map((r) => r.batch)).toEqual(full.slice(at).map((r) => r.batch));
        expect(resumed.map((r) => r.next)).toEqual(full.slice(at).map((r) => r.next));
      }
    });
  }

  it('static masking repeats every staticDuplication epochs, dynamic does not', () => {
    const n = sequenceCount(set, base.seqLength);
    const opts = { ...base, batchSize: n, shuffle: false, staticDuplication: 2 };
    const s = take(mlmBatches(set, { ...opts, masking: 'static' }), 3).map((r) => r.batch.inputIds);
    expect(s[2]).toEqual(s[0]);
    expect(s[1]).not.toEqual(s[0]);
    const d = take(mlmBatches(set, { ...opts, masking: 'dynamic' }), 3).map((r) => r.batch.inputIds);
    expect(d[2]).not.toEqual(d[0]);
  });

  it('stops after `epochs`, with a short last batch', () => {
    const n = sequenceCount(set, base.seqLength);
    const all = [...mlmBatches(set, { ...base, batchSize: 7, epochs: 1 })];
    expect(all.reduce((s, r) => s + r.batch.batchSize, 0)).toBe(n);
    expect(all.at(-1)?.next).toEqual({ epoch: 1, sequence: 0 });
  });

  it('names the bad option', () => {
    expect(() => mlmBatches(set, { ...base, batchSize: 0 }).next()).toThrow(/batchSize/);
    expect(() => mlmBatches(set, { ...base, start: { epoch: 0, sequence: 1e9 } }).next()).toThrow(/start.sequence/);
    expect(() => mlmBatches(set, { ...base, specials: { ...specials, mask: VOCAB } }).next()).toThrow(/specials.mask/);
  });
});
