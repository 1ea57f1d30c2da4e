// The next-sentence head (`mlm-nsp`): parameters and names, outputs, save/load, the loss's convention, and its
// gradients against float64 finite differences (head parameters exactly; encoder parameters through float32).
// B batch, T tokens, H hidden.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@robusta/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchIds, useTestBackend } from '../test-support/backend.js';
import { configFromPreset } from './config.js';
import { nextSentenceLoss } from './losses.js';
import { RobertaForMaskedLM } from './models.js';
import { HF, parameterTable } from './names.js';
import { loadPretrained, savePretrained } from './pretrained.js';

const cfg = configFromPreset('tiny');
const H = cfg.hiddenSize;
const rows = batchIds([7, 5, 6, 4], 7, cfg.vocabSize);
const isNext = [1, 0, 0, 1];
const dirs: string[] = [];

beforeAll(async () => {
  await useTestBackend();
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('mlm-nsp head', () => {
  it("adds HF BERT's pooler and cls.seq_relationship to the MLM parameters", () => {
    const mlm = parameterTable(cfg, 'mlm').map((s) => s.name);
    const nsp = parameterTable(cfg, 'mlm-nsp');
    const extra = nsp.filter((s) => !mlm.includes(s.name)).map((s) => [s.name, s.shape]);
    expect(extra).toEqual([
      [`${HF.pooler}.weight`, [H, H]],
      [`${HF.pooler}.bias`, [H]],
      ['cls.seq_relationship.weight', [2, H]],
      ['cls.seq_relationship.bias', [2]],
    ]);
  });

  it('gives nspLogits [B, 2] and leaves the MLM logits as the MLM model computes them', () => {
    const inputIds = tf.tensor2d(rows, undefined, 'int32');
    const withNsp = new RobertaForMaskedLM(cfg, { seed: 3, nsp: true });
    const plain = new RobertaForMaskedLM(cfg, { seed: 3 });
    expect(withNsp.hasNsp).toBe(true);
    expect(plain.hasNsp).toBe(false);
    const out = withNsp.forward({ inputIds });
    expect(out.nspLogits?.shape).toEqual([4, 2]);
    expect(plain.forward({ inputIds }).nspLogits).toBeUndefined();
    expect(out.logits.dataSync()).toEqual(plain.forward({ inputIds }).logits.dataSync());
  });

  it('saves and loads as head mlm-nsp; as plain mlm only with initNewHead', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'robusta-nsp-'));
    dirs.push(dir);
    const inputIds = tf.tensor2d(rows, undefined, 'int32');
    const m = new RobertaForMaskedLM(cfg, { seed: 5, nsp: true });
    await savePretrained(m, dir);
    const back = await loadPretrained(dir, { head: 'mlm-nsp' });
    expect(back.forward({ inputIds }).nspLogits?.dataSync()).toEqual(m.forward({ inputIds }).nspLogits?.dataSync());
    await expect(loadPretrained(dir, { head: 'mlm' })).rejects.toThrow(/unexpected: cls\.seq_relationship/);
    const mlm = await loadPretrained(dir, { head: 'mlm', initNewHead: true });
    expect(mlm.loadReport.dropped).toEqual(['cls.seq_relationship.bias', 'cls.seq_relationship.weight']);
  });
});

describe('nextSentenceLoss', () => {
  it('is the mean cross-entropy with column 0 = "is next" (HF BertForPreTraining), -100 ignored', () => {
    const logits = [
      [2, -1],
      [0.5, 0.25],
      [-3, 1],
    ];
    const labels = [1, 0, -100];
    const ce = (row: number[], cls: number) => Math.log(Math.exp(row[0]!) + Math.exp(row[1]!)) - row[cls]!;
    const want = (ce(logits[0]!, 0) + ce(logits[1]!, 1)) / 2;
    const got = nextSentenceLoss(tf.tensor2d(logits), tf.tensor1d(labels, 'int32')).dataSync()[0]!;
    expect(got).toBeCloseTo(want, 6);
  });
});

/** float64 NSP loss from the first-token hidden states [B][H] and the head's parameters (weights [out][in]). */
function headLoss64(first: Float64Array[], p: Map<string, Float64Array>): number {
  const w1 = p.get(`${HF.pooler}.weight`)!;
  const b1 = p.get(`${HF.pooler}.bias`)!;
  const w2 = p.get('cls.seq_relationship.weight')!;
  const b2 = p.get('cls.seq_relationship.bias')!;
  let sum = 0;
  first.forEach((h, i) => {
    const pooled = new Float64Array(H);
    for (let o = 0; o < H; o++) {
      let s = b1[o]!;
      for (let k = 0; k < H; k++) s += w1[o * H + k]! * h[k]!;
      pooled[o] = Math.tanh(s);
    }
    const z = [0, 1].map((c) => {
      let s = b2[c]!;
      for (let k = 0; k < H; k++) s += w2[c * H + k]! * pooled[k]!;
      return s;
    });
    const target = 1 - isNext[i]!;
    sum += Math.log(Math.exp(z[0]!) + Math.exp(z[1]!)) - z[target]!;
  });
  return sum / first.length;
}

describe('NSP gradients', () => {
  const model = new RobertaForMaskedLM(cfg, { seed: 9, nsp: true });
  const inputIds = tf.tensor2d(rows, undefined, 'int32');
  const labels = tf.tensor1d(isNext, 'int32');
  const lossOf = () => nextSentenceLoss(model.forward({ inputIds }).nspLogits!, labels);
  const byId = new Map([...model.variables].map(([n, v]) => [v.name, n]));
  const analytic = new Map<string, Float32Array>();

  beforeAll(() => {
    const { grads } = tf.variableGrads(lossOf, [...model.variables.values()]);
    for (const [id, g] of Object.entries(grads)) analytic.set(byId.get(id)!, g.dataSync() as Float32Array);
    tf.dispose(Object.values(grads));
  });

  it('match float64 central differences for every entry of the head (pooler, seq_relationship)', () => {
    // the head's input does not depend on its parameters: take it once, then differentiate in float64
    // the MLM model's outputs carry the encoder's lastHiddenState too; its type lists only the head's outputs
    const out = model.forward({ inputIds }) as unknown as { lastHiddenState: tf.Tensor3D };
    const last = out.lastHiddenState.arraySync();
    const first = last.map((r) => Float64Array.from(r[0]!));
    const names = [
      `${HF.pooler}.weight`,
      `${HF.pooler}.bias`,
      'cls.seq_relationship.weight',
      'cls.seq_relationship.bias',
    ];
    const p = new Map(names.map((n) => [n, Float64Array.from(model.variables.get(n)!.dataSync())]));
    expect(headLoss64(first, p)).toBeCloseTo(lossOf().dataSync()[0]!, 5);
    const h = 1e-6;
    let worst = 0;
    for (const name of names) {
      const values = p.get(name)!;
      const g = analytic.get(name)!;
      const scale = Math.max(1e-3, ...Array.from(g, Math.abs));
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        values[i] = v + h;
        const up = headLoss64(first, p);
        values[i] = v - h;
        const down = headLoss64(first, p);
        values[i] = v;
        worst = Math.max(worst, Math.abs((up - down) / (2 * h) - g[i]!) / scale);
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('reach the encoder (float32 central differences on a few entries)', () => {
    // the last LayerNorm's bias feeds the pooled token directly, so its gradient stands above float32's loss noise
    const name = 'roberta.encoder.layer.1.output.LayerNorm.bias';
    const v = model.variables.get(name)!;
    const g = analytic.get(name)!;
    const scale = Math.max(...Array.from(g, Math.abs));
    expect(scale).toBeGreaterThan(0);
    // a wide step: the loss is smooth there (truncation ~h^2), and float32 rounding of the loss (~1e-7) / h stays small
    const h = 5e-2;
    const base = v.dataSync().slice();
    for (const i of [0, 7, 31]) {
      const at = (delta: number) => {
        const x = base.slice();
        x[i] = base[i]! + delta;
        v.assign(tf.tensor1d(x));
        return lossOf().dataSync()[0]!;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      v.assign(tf.tensor1d(base));
      expect(Math.abs(fd - g[i]!) / scale).toBeLessThan(2e-2);
    }
  });
});
