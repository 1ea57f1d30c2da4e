// End to end on real text: State of the Union addresses -> BPE -> robusta-preprocess shards -> pretrain ~30 updates
// on 'robusta' (tfjs cpu with ROBUSTA_TEST_BACKEND=cpu) -> loss falls, the checkpoint loads in @robusta/model and
// fills masks; the pair formats train with the next-sentence loss.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPretrained } from '@robusta/model';
import { describe, expect, it } from 'vitest';
import { sotuShards, TEST_BACKEND, tempDir } from '../test/support.js';
import { applyOverrides, PRESETS } from './config.js';
import { fillMaskFromCheckpoint } from './fill-mask.js';
import { pretrain } from './pretrain.js';

/** 1960s-90s addresses with a 600-id BPE trained on them, in a fresh temp folder. */
async function shardsOf(count = 12, validFraction = 0.2): Promise<{ work: string; shards: string }> {
  const work = await tempDir('e2e');
  return {
    work,
    shards: await sotuShards(work, { years: /^19[6-9]\d_.*\.txt$/, count, vocabSize: 600, validFraction }),
  };
}

describe(`pretraining end to end (${TEST_BACKEND})`, () => {
  it('preprocesses real text, trains 30 updates with falling loss, and the checkpoint loads', async () => {
    const { work, shards } = await shardsOf();

    const config = applyOverrides(
      PRESETS.tiny,
      [
        ['data', shards],
        ['out', join(work, 'run')],
        ['backend', TEST_BACKEND],
        ['model.hiddenSize', 32],
        ['model.intermediateSize', 64],
        ['seqLength', 32],
        ['batchSize', 8],
        ['maxUpdates', 30],
        ['warmupUpdates', 3],
        ['peakLr', 5e-3],
        ['validEvery', 15],
        ['validBatches', 6],
        ['checkpointEvery', 10],
        ['keepLast', 2],
      ],
      'test',
    );
    const lines: string[] = [];
    const sink = { write: (s: string) => lines.push(s), isTTY: false } as unknown as NodeJS.WriteStream;
    const r = await pretrain(config, { stream: sink });
    expect(r.updates).toBe(30);
    expect(r.backend.name).toBe(TEST_BACKEND);
    expect(r.lastValid!.loss).toBeLessThan(r.firstValid!.loss - 0.3);
    const early = r.losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const late = r.losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(late).toBeLessThan(early);
    expect(lines.join('')).toMatch(/valid @ 30: loss/);

    const ckpts = (await readdir(join(work, 'run', 'checkpoints'))).sort();
    expect(ckpts).toEqual(['checkpoint-00000020', 'checkpoint-00000030']);
    const loaded = await loadPretrained(r.checkpoint!, { head: 'mlm' });
    for (const [n, v] of r.model.variables) expect(loaded.variables.get(n)!.dataSync()).toEqual(v.dataSync());
    expect(loaded.config.vocabSize).toBe(600);
    loaded.dispose();
    r.model.dispose();
    const [fm] = await fillMaskFromCheckpoint(r.checkpoint!, ['The <mask> of the Union.'], 3);
    expect(fm!.masks).toHaveLength(1);
    const top = fm!.masks[0]!;
    expect(top).toHaveLength(3);
    expect(new Set(top.map((p) => p.id)).size).toBe(3);
    for (let i = 1; i < 3; i++) expect(top[i]!.probability).toBeLessThanOrEqual(top[i - 1]!.probability);
    expect(top[2]!.probability).toBeGreaterThan(0);
    expect(top.reduce((a, p) => a + p.probability, 0)).toBeLessThanOrEqual(1);
    const saved = JSON.parse(await readFile(join(work, 'run', 'pretrain-config.json'), 'utf8'));
    expect(saved.maxUpdates).toBe(30);
    expect(saved.resolvedModel.vocabSize).toBe(600);
  }, 240_000);

  it("trains the pair formats with the next-sentence loss, sentences found with the shards' tokenizer", async () => {
    // NSP negatives come from another document, so the valid split needs a few
    const { work, shards } = await shardsOf(20, 0.4);
    for (const format of ['sentence-pair', 'segment-pair']) {
      const run = join(work, format);
      const config = applyOverrides(
        PRESETS.tiny,
        [
          ['data', shards],
          ['out', run],
          ['backend', TEST_BACKEND],
          ['format', format],
          ['model.hiddenSize', 32],
          ['model.intermediateSize', 64],
          ['seqLength', 32],
          ['batchSize', 12],
          ['tokensPerBatch', 256],
          ['maxUpdates', 6],
          ['warmupUpdates', 2],
          ['peakLr', 5e-3],
          ['validEvery', 0],
          ['validBatches', 2],
          ['checkpointEvery', 0],
        ],
        'test',
      );
      const lines: string[] = [];
      const sink = { write: (s: string) => lines.push(s), isTTY: false } as unknown as NodeJS.WriteStream;
      const r = await pretrain(config, { stream: sink });
      expect(r.updates).toBe(6);
      expect(r.lastValid!.nspAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.lastValid!.nspLoss).toBeGreaterThan(0);
      expect(lines.join('')).toMatch(/valid @ 6: .*NSP loss \d\.\d+ accuracy/);
      const records = (await readFile(join(run, 'metrics.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const trainRecords = records.filter((x) => x.kind === 'train');
      expect(trainRecords).toHaveLength(6);
      for (const x of trainRecords) expect(x.nspLoss).toBeGreaterThan(0);
      // the token budget, not batchSize, bounds these batches: 256 tokens of sequences up to 32 long
      expect(
        Math.max(...trainRecords.map((x, i) => x.tokens - (trainRecords[i - 1]?.tokens ?? 0))),
      ).toBeLessThanOrEqual(256);
      const loaded = await loadPretrained(r.checkpoint!, { head: 'mlm-nsp' });
      expect(loaded.variables.size).toBe(r.model.variables.size);
      loaded.dispose();
      r.model.dispose();
    }
  }, 240_000);
});
