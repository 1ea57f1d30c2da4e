// Tests for checkpoint directories: save -> load gives identical outputs; strict key checking; new heads; tied decoder.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@robusta/cli-kit';
import * as tf from '@robusta/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchIds, maxRelDiff, useTestBackend } from '../test-support/backend.js';
import { configFromPreset, writeConfig } from './config.js';
import { createModel, RobertaForMaskedLM } from './models.js';
import { HEAD_KINDS, HF } from './names.js';
import { checkKeys, loadPretrained, savePretrained } from './pretrained.js';
import { decodeSafetensors, type TensorToWrite, writeSafetensors } from './safetensors.js';

const cfg = configFromPreset('tiny', { numLabels: 3 });
const tmp = () => mkdtemp(join(tmpdir(), 'robusta-ckpt-'));

beforeAll(async () => {
  await useTestBackend();
});

/** Rewrites a saved checkpoint's tensors through `edit`, keeping config.json. */
async function editWeights(dir: string, edit: (ts: TensorToWrite[]) => TensorToWrite[]): Promise<void> {
  const f = decodeSafetensors(new Uint8Array(await readFile(join(dir, 'model.safetensors'))));
  const ts = [...f.header.tensors.values()].map((t) => ({ name: t.name, shape: t.shape, data: f.read(t.name) }));
  await writeSafetensors(join(dir, 'model.safetensors'), edit(ts), { metadata: { format: 'pt' } });
}

describe('savePretrained / loadPretrained', () => {
  it('round-trips every head with identical outputs, in HF layout', async () => {
    const inputIds = tf.tensor2d(batchIds([6, 3], 6, cfg.vocabSize), undefined, 'int32');
    for (const head of HEAD_KINDS) {
      const dir = await tmp();
      const m = createModel(cfg, head, { seed: 4 });
      await savePretrained(m, dir);
      const back = await loadPretrained(dir, { head });
      const ids = head === 'multiple-choice' ? tf.stack([inputIds, inputIds]) : inputIds;
      const a = m.forward({ inputIds: ids }) as unknown as Record<string, tf.Tensor>;
      const b = back.forward({ inputIds: ids }) as unknown as Record<string, tf.Tensor>;
      expect(Object.keys(b), head).toEqual(Object.keys(a));
      expect(Object.keys(a), head).toContain('lastHiddenState');
      for (const [name, t] of Object.entries(a))
        expect(Array.from(b[name]!.dataSync()), `${head} ${name}`).toEqual(Array.from(t.dataSync()));
      expect(back.loadReport).toEqual({ initialised: [], dropped: [], ignored: [] });
      const json = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
      expect(json.model_type).toBe('roberta');
      m.dispose();
      back.dispose();
    }
  });

  it('writes HF names with [out, in] Linear weights and format metadata', async () => {
    const dir = await tmp();
    await savePretrained(new RobertaForMaskedLM(cfg), dir, { dtype: 'BF16' });
    const f = decodeSafetensors(new Uint8Array(await readFile(join(dir, 'model.safetensors'))));
    expect(f.header.metadata).toEqual({ format: 'pt' });
    expect(f.header.tensors.get('roberta.encoder.layer.1.intermediate.dense.weight')).toMatchObject({
      shape: [256, 64],
      dtype: 'BF16',
    });
    expect(f.header.tensors.get('lm_head.bias')!.shape).toEqual([128]);
    expect(f.header.tensors.has('lm_head.decoder.weight')).toBe(false);
    const back = await loadPretrained(dir, { head: 'mlm' });
    const ids = tf.tensor2d([[0, 9, 8, 2]], undefined, 'int32');
    const want = new RobertaForMaskedLM(cfg).forward({ inputIds: ids }).logits;
    expect(maxRelDiff(await back.forward({ inputIds: ids }).logits.data(), await want.data())).toBeLessThan(2e-2);
  });

  it('reports missing, unexpected and mismatched keys together', async () => {
    const dir = await tmp();
    await savePretrained(new RobertaForMaskedLM(cfg), dir);
    await editWeights(dir, (ts) => [
      ...ts
        .filter((t) => t.name !== 'roberta.encoder.layer.0.attention.self.key.bias')
        .map((t) => (t.name === 'lm_head.bias' ? { ...t, shape: [2, 64], data: new Float32Array(128) } : t)),
      { name: 'roberta.encoder.layer.2.output.dense.bias', shape: [64], data: new Float32Array(64) },
    ]);
    const error = await loadPretrained(dir, { head: 'mlm' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(FormatError);
    const err = (error as FormatError).message;
    expect((error as FormatError).source).toBe(join(dir, 'model.safetensors'));
    expect(err).toMatch(/cannot load as a 'mlm' model/);
    expect(err).toMatch(/1 missing: roberta\.encoder\.layer\.0\.attention\.self\.key\.bias/);
    expect(err).toMatch(/1 unexpected: roberta\.encoder\.layer\.2\.output\.dense\.bias/);
    expect(err).toMatch(/1 with mismatched shape: lm_head\.bias: file \[2,64\], model \[128\]/);
  });

  it('refuses a checkpoint without the head unless told to initialise a new one', async () => {
    const dir = await tmp();
    const mlm = new RobertaForMaskedLM(cfg, { seed: 8 });
    await savePretrained(mlm, dir);
    await expect(loadPretrained(dir, { head: 'classification' })).rejects.toThrow(
      /4 missing: classifier\.dense\.weight.*5 unexpected: lm_head\..*pass initNewHead: true/,
    );
    const cls = await loadPretrained(dir, {
      head: 'classification',
      initNewHead: true,
      configOverrides: { numLabels: 5 },
    });
    expect(cls.loadReport.initialised).toEqual([
      'classifier.dense.weight',
      'classifier.dense.bias',
      'classifier.out_proj.weight',
      'classifier.out_proj.bias',
    ]);
    expect(cls.loadReport.dropped.sort()).toEqual([
      'lm_head.bias',
      'lm_head.dense.bias',
      'lm_head.dense.weight',
      'lm_head.layer_norm.bias',
      'lm_head.layer_norm.weight',
    ]);
    expect(cls.config.numLabels).toBe(5);
    // the encoder came from the file
    const e = HF.embeddings.word;
    expect(Array.from(cls.variables.get(e)!.dataSync())).toEqual(Array.from(mlm.variables.get(e)!.dataSync()));
  });

  it('accepts a tied lm_head.decoder copy, position_ids buffers and a pooler, and rejects an untied decoder', async () => {
    const dir = await tmp();
    const m = new RobertaForMaskedLM(cfg, { seed: 9 });
    await savePretrained(m, dir);
    const E = m.variables.get(HF.embeddings.word)!;
    const extras = (decoder: Float32Array): TensorToWrite[] => [
      { name: 'lm_head.decoder.weight', shape: E.shape, data: decoder },
      { name: 'roberta.pooler.dense.weight', shape: [64, 64], data: new Float32Array(64 * 64) },
      { name: 'roberta.pooler.dense.bias', shape: [64], data: new Float32Array(64) },
      { name: 'roberta.embeddings.position_ids', shape: [1, 130], data: new Float32Array(130) },
    ];
    await editWeights(dir, (ts) => [...ts, ...extras(E.dataSync() as Float32Array)]);
    const ok = await loadPretrained(dir, { head: 'mlm' });
    expect(ok.loadReport.ignored.sort()).toEqual([
      'lm_head.decoder.weight',
      'roberta.embeddings.position_ids',
      'roberta.pooler.dense.bias',
      'roberta.pooler.dense.weight',
    ]);
    await editWeights(dir, (ts) =>
      ts.map((t) => (t.name === 'lm_head.decoder.weight' ? { ...t, data: new Float32Array(E.size) } : t)),
    );
    await expect(loadPretrained(dir, { head: 'mlm' })).rejects.toThrow(
      /lm_head\.decoder\.weight differs from roberta\.embeddings\.word_embeddings\.weight/,
    );
  });

  it('loads a bare RobertaModel file (no roberta. prefix, legacy gamma/beta names)', async () => {
    const dir = await tmp();
    const m = createModel(cfg, 'base', { seed: 6 });
    await savePretrained(m, dir);
    await editWeights(dir, (ts) =>
      ts.map((t) => ({
        ...t,
        name: t.name.replace(/^roberta\./, '').replace(/LayerNorm\.weight$/, 'LayerNorm.gamma'),
      })),
    );
    const back = await loadPretrained(dir, { head: 'base' });
    const ids = tf.tensor2d([[0, 4, 5, 2]], undefined, 'int32');
    expect(Array.from(back.forward({ inputIds: ids }).pooledOutput.dataSync())).toEqual(
      Array.from(m.forward({ inputIds: ids }).pooledOutput.dataSync()),
    );
  });

  it('checks keys as a pure function and names the files it reads', async () => {
    const r = checkKeys(new Map([['qa_outputs.weight', [2, 64]]]), cfg, 'qa');
    expect(r.missing.length).toBe(cfg.numHiddenLayers * 16 + 5 + 1);
    const dir = await tmp();
    await writeConfig(join(dir, 'config.json'), { ...cfg, hiddenSize: 64 });
    await writeFile(join(dir, 'model.safetensors'), new Uint8Array(4));
    await expect(loadPretrained(dir, { head: 'mlm' })).rejects.toThrow(
      /model\.safetensors: invalid safetensors: file is 4 bytes/,
    );
  });
});
