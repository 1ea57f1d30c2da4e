// Whole runs on a tiny model: loss falls, metrics and plot are written, and an interrupted run resumed from its
// checkpoint reproduces the uninterrupted run's losses bit for bit.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromPreset, loadPretrained } from '@robusta/model';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../../test-support/backend.js';
import { fakeBatches } from '../../test-support/fake-data.js';
import type { MlmBatch } from '../data/batches.js';
import { ROBERTA_ADAMW } from './optimizer.js';
import { type RunOptions, runPretraining } from './run.js';

beforeAll(async () => {
  await useTestBackend();
});
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const V = 40;
const T = 16;
const model = configFromPreset('tiny', {
  vocabSize: V,
  hiddenSize: 32,
  intermediateSize: 64,
  maxPositionEmbeddings: T + 2,
});

function options(runDir: string, over: Partial<RunOptions> = {}): RunOptions {
  return {
    runDir,
    model,
    seed: 13,
    optim: { peakLr: 3e-3, warmupUpdates: 3, maxUpdates: 8, updateFreq: 2, clipNorm: 0, adam: ROBERTA_ADAMW },
    train: (start) => fakeBatches({ seed: 13, batchSize: 4, seqLength: T, vocabSize: V, epochSize: 20, start }),
    valid: () => {
      const it = fakeBatches({ seed: 99, batchSize: 4, seqLength: T, vocabSize: V });
      return Array.from({ length: 3 }, () => it.next().value!.batch as MlmBatch);
    },
    validEvery: 4,
    checkpointEvery: 3,
    keepLast: 2,
    resume: 'auto',
    ...over,
  };
}

describe('runPretraining', () => {
  it('resumes bit-identically after an interruption, and the plot and metrics cover the whole run', async () => {
    const a = await mkdtemp(join(tmpdir(), 'robusta-run-a-'));
    const b = await mkdtemp(join(tmpdir(), 'robusta-run-b-'));
    dirs.push(a, b);
    const whole = await runPretraining(options(a));
    expect(whole.updates).toBe(8);
    expect(whole.losses).toHaveLength(8);

    // interrupted after 5 updates (mid-way between checkpoints and across an epoch boundary: 20 sequences/epoch)
    const first = await runPretraining(options(b, { stopAfterUpdates: 5 }));
    expect(first.stopped).toBe(true);
    expect(first.checkpoint).toMatch(/checkpoint-00000005$/);
    first.model.dispose();
    let resumedFrom: string | null = null;
    const second = await runPretraining(options(b, { onStart: (i) => (resumedFrom = i.resumedFrom) }));
    expect(resumedFrom).toMatch(/checkpoint-00000005$/);
    expect([...first.losses, ...second.losses]).toEqual(whole.losses);
    for (const [n, v] of whole.model.variables) expect(second.model.variables.get(n)!.dataSync()).toEqual(v.dataSync());
    expect(second.lastValid!.loss).toBe(whole.lastValid!.loss);

    const recs = (await readFile(second.metricsPath, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(recs.filter((r) => r.kind === 'train').map((r) => r.update)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(recs.filter((r) => r.kind === 'valid').map((r) => r.update)).toEqual([0, 4, 8]);
    const svg = await readFile(second.plotPath, 'utf8');
    expect(svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<path /g)).toHaveLength(2);
    whole.model.dispose();
    second.model.dispose();
  });

  it('learns: held-out loss falls well below its start, and the checkpoint loads in @robusta/model', async () => {
    const d = await mkdtemp(join(tmpdir(), 'robusta-run-c-'));
    dirs.push(d);
    const r = await runPretraining(
      options(d, {
        optim: { peakLr: 1e-2, warmupUpdates: 5, maxUpdates: 30, updateFreq: 1, clipNorm: 1, adam: ROBERTA_ADAMW },
        validEvery: 0,
        checkpointEvery: 0,
      }),
    );
    expect(r.lastValid!.loss).toBeLessThan(r.firstValid!.loss - 0.5);
    expect(r.firstValid!.perplexity).toBeCloseTo(Math.exp(r.firstValid!.loss), 6);
    const loaded = await loadPretrained(r.checkpoint!, { head: 'mlm' });
    for (const [n, v] of r.model.variables) expect(loaded.variables.get(n)!.dataSync()).toEqual(v.dataSync());
    loaded.dispose();
    r.model.dispose();
  });
});
