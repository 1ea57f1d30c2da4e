// Data parallelism at the Collective seam: two replicas in one process whose all-reduce sums their gradients take the
// same updates as one process that accumulates the whole global batch (the 1 / (updateFreq * worldSize) averaging).
import { configFromPreset, RobertaForMaskedLM } from '@robusta/model';
import * as tf from '@robusta/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../../test-support/backend.js';
import { fakeBatches } from '../../test-support/fake-data.js';
import type { MlmBatch } from '../data/batches.js';
import type { Collective, Gradients } from './gradients.js';
import { ROBERTA_ADAMW } from './optimizer.js';
import { type OptimConfig, Trainer, type UpdateStats } from './trainer.js';

beforeAll(async () => {
  await useTestBackend();
});

// no dropout: replicas draw their masks from the same (seed, update, micro-batch) as each other, the single process
// from its own micro-batch numbers, so only without dropout do both compute the same function
const config = configFromPreset('tiny', {
  vocabSize: 40,
  hiddenSize: 32,
  intermediateSize: 64,
  maxPositionEmbeddings: 34,
  hiddenDropoutProb: 0,
  attentionProbsDropoutProb: 0,
});
const UPDATES = 3;

/**
 * `worldSize` ranks in one process: each rank's allReduceSum waits until every rank has handed in its gradients, then
 * each gets the sum (rank 0 the tensors, the others copies). `calls` counts the reductions.
 */
function inProcessCollectives(worldSize: number): { ranks: Collective[]; calls: () => number } {
  let waiting: { grads: Gradients; resolve: (g: Gradients) => void }[] = [];
  let calls = 0;
  const allReduceSum = (grads: Gradients) =>
    new Promise<Gradients>((resolve) => {
      waiting.push({ grads, resolve });
      if (waiting.length < worldSize) return;
      const all = waiting;
      waiting = [];
      calls++;
      const names = [...all[0]!.grads.keys()];
      for (const w of all) expect([...w.grads.keys()].sort()).toEqual([...names].sort());
      const sums: Gradients = new Map(
        names.map((n) => [n, tf.tidy(() => all.map((w) => w.grads.get(n)!).reduce((a, b) => tf.add(a, b)))]),
      );
      tf.dispose(all.flatMap((w) => [...w.grads.values()]));
      all.forEach((w, r) => {
        w.resolve(r === 0 ? sums : new Map([...sums].map(([n, t]) => [n, tf.clone(t)])));
      });
    });
  return { ranks: Array.from({ length: worldSize }, () => ({ worldSize, allReduceSum })), calls: () => calls };
}

/** Micro-batches of 3 x 16 tokens, each with masked positions (so none is skipped). */
function globalBatches(n: number): MlmBatch[] {
  const it = fakeBatches({ seed: 21, batchSize: 3, seqLength: 16, vocabSize: 40 });
  const out = Array.from({ length: n }, () => it.next().value!.batch);
  for (const b of out) expect(b.maskedPositions.length).toBeGreaterThan(0);
  return out;
}

interface Outcome {
  stats: UpdateStats[];
  params: Map<string, Float32Array>;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

function snapshot(t: Trainer, stats: UpdateStats[]): Outcome {
  const read = (vars: Map<string, tf.Variable>) =>
    new Map([...vars].map(([n, v]) => [n, v.dataSync() as Float32Array]));
  return { stats, params: read(t.model.variables), m: read(t.optimizer.m), v: read(t.optimizer.v) };
}

/** max |a - b| / max |b - initial| over every tensor: the error relative to how far training moved the values. */
function relToStep(a: Map<string, Float32Array>, b: Map<string, Float32Array>, initial?: Map<string, Float32Array>) {
  let diff = 0;
  let moved = 0;
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [n, x] of a) {
    const y = b.get(n)!;
    const x0 = initial?.get(n);
    expect(x.length).toBe(y.length);
    for (let i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
      moved = Math.max(moved, Math.abs(y[i]! - (x0?.[i] ?? 0)));
    }
  }
  return diff / moved;
}

describe('Trainer with a Collective of worldSize 2', () => {
  for (const updateFreq of [1, 2]) {
    it(`2 replicas x updateFreq ${updateFreq} take the updates of 1 process over the global batch (updateFreq ${2 * updateFreq})`, async () => {
      const perUpdate = 2 * updateFreq;
      const batches = globalBatches(UPDATES * perUpdate);
      // clipping on and active: it must see the global norm, after the all-reduce and the averaging
      const optim = (freq: number): OptimConfig => ({
        peakLr: 1e-2,
        warmupUpdates: 2,
        maxUpdates: 10,
        updateFreq: freq,
        clipNorm: 0.5,
        adam: ROBERTA_ADAMW,
      });

      const single = new Trainer(new RobertaForMaskedLM(config, { seed: 3 }), optim(perUpdate), 11);
      const initial = snapshot(single, []).params;
      let k = 0;
      const singleStats: UpdateStats[] = [];
      for (let u = 0; u < UPDATES; u++) singleStats.push(await single.updateOnce(() => batches[k++]!));
      expect(k).toBe(batches.length);
      const one = snapshot(single, singleStats);

      // rank r takes micro-batches r * updateFreq .. (r + 1) * updateFreq - 1 of each global batch
      const { ranks, calls } = inProcessCollectives(2);
      const replicas = ranks.map(
        (c) => new Trainer(new RobertaForMaskedLM(config, { seed: 3 }), optim(updateFreq), 11, c),
      );
      const taken = [0, 0];
      const next = (r: number, u: number) => () =>
        batches[u * perUpdate + r * updateFreq + (taken[r]!++ % updateFreq)]!;
      const rankStats: UpdateStats[][] = [[], []];
      for (let u = 0; u < UPDATES; u++) {
        const s = await Promise.all(replicas.map((t, r) => t.updateOnce(next(r, u))));
        for (const [r, x] of s.entries()) rankStats[r]!.push(x);
      }
      expect(calls()).toBe(UPDATES);
      expect(taken).toEqual([UPDATES * updateFreq, UPDATES * updateFreq]);
      const [r0, r1] = replicas.map((t, r) => snapshot(t, rankStats[r]!));

      // the replicas stay identical: they apply the same reduced gradient
      for (const [n, p] of r0!.params) expect(r1!.params.get(n), n).toEqual(p);
      // both ranks log the global gradient norm (unclipped), and it is the single process's
      for (let u = 0; u < UPDATES; u++) {
        expect(singleStats[u]!.gradNorm).toBeGreaterThan(0.5); // so clipping acted
        for (const s of [r0!.stats[u]!, r1!.stats[u]!]) {
          expect(s.gradNorm / singleStats[u]!.gradNorm).toBeCloseTo(1, 5);
          expect(s.lr).toBe(singleStats[u]!.lr);
        }
        // each rank's loss is its own micro-batches' mean; their mean is the single process's mean
        expect((r0!.stats[u]!.loss + r1!.stats[u]!.loss) / 2).toBeCloseTo(singleStats[u]!.loss, 5);
        expect(r0!.stats[u]!.tokens + r1!.stats[u]!.tokens).toBe(singleStats[u]!.tokens);
      }
      // parameters, and Adam's moments (which a wrong gradient scale would change even where Adam's step does not)
      const errs = {
        params: relToStep(r0!.params, one.params, initial),
        m: relToStep(r0!.m, one.m),
        v: relToStep(r0!.v, one.v),
      };
      console.log(
        `updateFreq ${updateFreq}: rank 0 against 1 process: params ${errs.params.toExponential(1)}, m ${errs.m.toExponential(1)}, v ${errs.v.toExponential(1)}`,
      );
      expect(errs.params).toBeLessThan(1e-4);
      expect(errs.m).toBeLessThan(1e-4);
      expect(errs.v).toBeLessThan(1e-4);
      for (const t of [single, ...replicas]) {
        t.dispose();
        t.model.dispose();
      }
    });
  }
});
