// The NSP path of the trainer on real pair batches: MLM + NSP loss, NSP learned on a toy corpus, evaluation's NSP
// accuracy, a clear error without the head, and a bit-exact resume of an `nsp: true` run.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromPreset, RobertaForMaskedLM } from '@robusta/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../../test-support/backend.js';
import { type DataPosition, type MlmBatch, type MlmBatchOptions, mlmBatches } from '../data/batches.js';
import { memoryShardSet } from '../data/memory.js';
import { CounterRng } from '../data/random.js';
import type { MetricRecord } from './metrics.js';
import { ROBERTA_ADAMW } from './optimizer.js';
import { runPretraining } from './run.js';
import { Trainer } from './trainer.js';

beforeAll(async () => {
  await useTestBackend();
});
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const V = 64;
const T = 16;
const TOPICS = 12;
const model = configFromPreset('tiny', {
  vocabSize: V,
  hiddenSize: 32,
  intermediateSize: 64,
  maxPositionEmbeddings: T + 2,
});
const specials = { cls: 0, pad: 1, sep: 2, mask: 3 };

/** Documents whose tokens come from one of 12 five-id "topics": B continues A iff they share the topic (mostly). */
function topicCorpus(seed: number, docs: number): Uint32Array[] {
  const rng = new CounterRng(seed);
  return Array.from({ length: docs }, (_, d) =>
    Uint32Array.from({ length: 40 + rng.below(60) }, () => 4 + (d % TOPICS) * 5 + rng.below(5)),
  );
}
const set = memoryShardSet(topicCorpus(1, 48), V);
const validSet = memoryShardSet(topicCorpus(2, 24), V);
const data: MlmBatchOptions = {
  seqLength: T,
  batchSize: 16,
  seed: 3,
  specials,
  vocabSize: V,
  format: 'segment-pair',
  maskProbability: 0.1,
};
const stream = (start?: DataPosition) => {
  const it = mlmBatches(set, { ...data, start });
  return (): MlmBatch => {
    const r = it.next();
    if (r.done) throw new Error('the pair stream ended');
    return r.value.batch;
  };
};
const validBatches = () =>
  [...mlmBatches(validSet, { ...data, seed: 8, epochs: 1, shuffle: false })].map((r) => r.batch);

describe('Trainer with NSP batches', () => {
  it('trains on MLM + NSP loss and fits the labels of a fixed batch of pairs', async () => {
    const m = new RobertaForMaskedLM(model, { seed: 1, nsp: true });
    const optim = { peakLr: 1e-2, warmupUpdates: 3, maxUpdates: 40, updateFreq: 1, clipNorm: 0, adam: ROBERTA_ADAMW };
    const trainer = new Trainer(m, optim, 1);
    const batch = stream()();
    const positives = Array.from(batch.nspLabels!).reduce((a, b) => a + b, 0);
    expect(positives).toBeGreaterThan(2);
    expect(positives).toBeLessThan(14);
    const before = await trainer.evaluate([batch]);
    expect(before.nspLoss).toBeGreaterThan(0.5);
    const nsp: number[] = [];
    for (let u = 0; u < optim.maxUpdates; u++) {
      const s = await trainer.updateOnce(() => batch);
      expect(Number.isFinite(s.loss)).toBe(true); // the MLM part, logged apart from the NSP part
      nsp.push(s.nspLoss!);
    }
    const after = await trainer.evaluate([batch]);
    expect(nsp.at(-1)!).toBeLessThan(nsp[0]! - 0.3);
    expect(after.nspLoss!).toBeLessThan(0.2);
    expect(after.nspAccuracy).toBe(1);
    trainer.dispose();
    m.dispose();
  }, 120_000);

  it('refuses NSP labels for a model without the head, naming the fix', async () => {
    const m = new RobertaForMaskedLM(model, { seed: 1 });
    const optim = { peakLr: 1e-3, warmupUpdates: 1, maxUpdates: 2, updateFreq: 1, clipNorm: 0, adam: ROBERTA_ADAMW };
    const trainer = new Trainer(m, optim, 1);
    await expect(trainer.updateOnce(stream())).rejects.toThrow(/no NSP head.*nsp: true/);
    trainer.dispose();
    m.dispose();
  });
});

describe('runPretraining with nsp', () => {
  it('resumes an NSP run bit-identically from its mlm-nsp checkpoint', async () => {
    const a = await mkdtemp(join(tmpdir(), 'robusta-nsp-a-'));
    const b = await mkdtemp(join(tmpdir(), 'robusta-nsp-b-'));
    dirs.push(a, b);
    const options = (runDir: string) => ({
      runDir,
      model,
      nsp: true,
      seed: 13,
      optim: { peakLr: 3e-3, warmupUpdates: 2, maxUpdates: 6, updateFreq: 2, clipNorm: 0, adam: ROBERTA_ADAMW },
      train: (start: DataPosition) => mlmBatches(set, { ...data, batchSize: 4, start }),
      valid: () => validBatches().slice(0, 2),
      validEvery: 0,
      checkpointEvery: 0,
      keepLast: 2,
      resume: 'auto' as const,
    });
    const whole = await runPretraining(options(a));
    const first = await runPretraining({ ...options(b), stopAfterUpdates: 4 });
    first.model.dispose();
    const second = await runPretraining(options(b));
    expect(second.model.hasNsp).toBe(true);
    const records = async (path: string) =>
      (await readFile(path, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as MetricRecord);
    const recs = await records(second.metricsPath);
    // the resumed run's file has every update once, with its NSP fields, and they are the uninterrupted run's
    expect(recs.map((r) => `${r.kind} ${r.update}`)).toEqual([
      'valid 0',
      ...[1, 2, 3, 4, 5, 6].map((u) => `train ${u}`),
      'valid 6',
    ]);
    for (const r of recs) {
      expect(r.nspLoss, `${r.kind} ${r.update}`).toBeGreaterThan(0);
      expect(r.loss, `${r.kind} ${r.update}`).toBeGreaterThan(0);
      if (r.kind === 'valid') {
        // 2 batches of 16 pairs: the accuracy is a count of 32
        expect(r.nspAccuracy! * 32).toBeCloseTo(Math.round(r.nspAccuracy! * 32), 9);
        expect(r.nspAccuracy).toBeGreaterThanOrEqual(0);
        expect(r.nspAccuracy).toBeLessThanOrEqual(1);
      }
    }
    const learned = ({ kind, update, loss, nspLoss, ...rest }: MetricRecord) => ({
      kind,
      update,
      loss,
      nspLoss,
      nspAccuracy: 'nspAccuracy' in rest ? rest.nspAccuracy : undefined,
    });
    expect(recs.map(learned)).toEqual((await records(whole.metricsPath)).map(learned));
    expect([...first.losses, ...second.losses]).toEqual(whole.losses);
    for (const [n, v] of whole.model.variables) expect(second.model.variables.get(n)!.dataSync()).toEqual(v.dataSync());
    whole.model.dispose();
    second.model.dispose();
  }, 60_000);
});
