// Parity with an independent float64 PyTorch reference (torch.nn.TransformerEncoderLayer), every head, with and without masks.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@robusta/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchIds, maxRelDiff, useTestBackend } from '../test-support/backend.js';
import { runReference, torchMissing } from '../test-support/reference.js';
import { configFromPreset } from './config.js';
import { createModel } from './models.js';
import { HEAD_KINDS, type HeadKind } from './names.js';
import { savePretrained } from './pretrained.js';

if (torchMissing) console.log(`parity tests skipped: ${torchMissing}`);

const TOLERANCE = 1e-5;
const cfg = configFromPreset('tiny', { numLabels: 3, vocabSize: 96 });

interface Case {
  name: string;
  head: HeadKind;
  ids: number[][] | number[][][];
  mask: number[][] | number[][][] | null;
  /** For the gradient case: output name -> weights w, the loss being sum over outputs of <output, w>. */
  lossWeights?: Record<string, number[]>;
}

const GRAD_TOLERANCE = 1e-4;

/** Three input situations per head: no padding, pads with the derived mask, and an explicit mask hiding real tokens. */
function casesFor(head: HeadKind): Case[] {
  const T = 9;
  const full = batchIds([9, 9], T, cfg.vocabSize, 21);
  const padded = batchIds([9, 4, 6], T, cfg.vocabSize, 22);
  const masked = padded.map((row, b) => row.map((id, t) => (id === 1 || (b === 0 && (t === 3 || t === 5)) ? 0 : 1)));
  if (head === 'multiple-choice')
    return [
      { name: 'no padding', head, ids: [full, full.slice().reverse()], mask: null },
      { name: 'padding, derived mask', head, ids: [padded, padded.slice().reverse()], mask: null },
      { name: 'explicit mask', head, ids: [padded, padded], mask: [masked, masked] },
    ];
  return [
    { name: 'no padding', head, ids: full, mask: null },
    { name: 'padding, derived mask', head, ids: padded, mask: null },
    { name: 'explicit mask', head, ids: padded, mask: masked },
  ];
}

describe.skipIf(torchMissing !== null)('parity with a float64 PyTorch reference', () => {
  const dirs = new Map<HeadKind, string>();
  const ours: Record<string, number[][]>[] = [];
  const ourGrads = new Map<HeadKind, Map<string, Float32Array>>();
  const cases: Case[] = [];
  let reference: Record<string, number[] | number[][]>[] = [];

  beforeAll(async () => {
    await useTestBackend();
    for (const head of HEAD_KINDS) {
      const m = createModel(cfg, head, { seed: 31 });
      // move every parameter off its init pattern (zero biases, unit LayerNorm) so each one matters
      // seeds from 1: tfjs treats seed 0 as "unseeded" and would make the test vary between runs
      let k = 1;
      for (const v of m.variables.values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', k++)));
      const dir = await mkdtemp(join(tmpdir(), `robusta-parity-${head}-`));
      await savePretrained(m, dir);
      dirs.set(head, dir);
      for (const c of casesFor(head)) {
        const ids = tf.tensor(c.ids, undefined, 'int32');
        const mask = c.mask ? tf.tensor(c.mask, undefined, 'float32') : undefined;
        const out = m.forward({ inputIds: ids, attentionMask: mask }, { outputHiddenStates: true }) as Record<
          string,
          tf.Tensor | tf.Tensor[]
        >;
        const flat: Record<string, number[][]> = {};
        for (const [name, t] of Object.entries(out)) {
          if (name === 'lastHiddenState') continue;
          flat[name] = (Array.isArray(t) ? t : [t]).map((x) => Array.from(x.dataSync()));
        }
        ours.push(flat);
        cases.push(c);
      }
      // gradients of a fixed random projection of every output, against torch autograd in float64
      const g = casesFor(head)[1]!;
      const inputIds = tf.tensor(g.ids, undefined, 'int32');
      const weights: Record<string, tf.Tensor> = {};
      const { grads } = tf.variableGrads(() => {
        const out = m.forward({ inputIds }) as unknown as Record<string, tf.Tensor>;
        const terms = Object.entries(out)
          .filter(([name]) => name !== 'lastHiddenState')
          .map(([name, t]) => {
            weights[name] ??= tf.keep(tf.randomNormal(t.shape, 0, 1, 'float32', 17));
            return tf.sum(tf.mul(t, weights[name]));
          });
        return terms.reduce((a, b) => tf.add(a, b)) as tf.Scalar;
      }, [...m.variables.values()]);
      const byId = new Map([...m.variables].map(([n, v]) => [v.name, n]));
      ourGrads.set(
        head,
        new Map(Object.entries(grads).map(([id, t]) => [byId.get(id)!, t.dataSync() as Float32Array])),
      );
      const lossWeights = Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, Array.from(t.dataSync())]));
      cases.push({ ...g, name: 'gradients', lossWeights });
      ours.push({});
      m.dispose();
    }
    const input = cases.map((c) => ({
      dir: dirs.get(c.head),
      head: c.head,
      input_ids: c.ids,
      attention_mask: c.mask,
      loss_weights: c.lossWeights ?? null,
    }));
    reference = runReference(input);
  }, 120_000);

  for (const head of HEAD_KINDS)
    it(`${head}: every hidden state and output within ${TOLERANCE} (max |diff| / max |ref|)`, () => {
      const worst: string[] = [];
      cases.forEach((c, i) => {
        if (c.head !== head) return;
        const ref = reference[i]!;
        for (const [name, tensors] of Object.entries(ours[i]!)) {
          const want = (name === 'hiddenStates' ? ref[name] : [ref[name]]) as number[][];
          expect(want, `${c.name}: reference lacks ${name}`).toBeDefined();
          tensors.forEach((got, j) => {
            const err = maxRelDiff(got, want[j]!);
            worst.push(`${c.name} ${name}[${j}] ${err.toExponential(1)}`);
            expect(err, `${head} / ${c.name} / ${name}[${j}]`).toBeLessThanOrEqual(TOLERANCE);
          });
        }
      });
      console.log(`${head}: ${worst.join('; ')}`);
    });

  for (const head of HEAD_KINDS)
    it(`${head}: the gradient of every parameter matches torch autograd within ${GRAD_TOLERANCE}`, () => {
      const i = cases.findIndex((c) => c.head === head && c.lossWeights);
      const want = reference[i]!.grads as unknown as Record<string, number[]>;
      const got = ourGrads.get(head)!;
      expect([...got.keys()].sort()).toEqual(Object.keys(want).sort());
      // errors are relative to the parameter's own largest gradient, floored at 1e-3 of the largest of all: a few
      // gradients are exactly zero in exact arithmetic (the key bias: softmax ignores a per-query shift)
      const scale = Math.max(...Object.values(want).map((g) => Math.max(...g.map(Math.abs))));
      const errs: [string, number][] = [...got].map(([name, g]) => {
        const ref = want[name]!;
        let diff = 0;
        let mag = 0;
        for (let j = 0; j < g.length; j++) {
          diff = Math.max(diff, Math.abs(g[j]! - ref[j]!));
          mag = Math.max(mag, Math.abs(ref[j]!));
        }
        return [name, diff / Math.max(mag, 1e-3 * scale)];
      });
      errs.sort((a, b) => b[1] - a[1]);
      console.log(
        `${head}: worst gradient errors ${errs
          .slice(0, 3)
          .map(([n, e]) => `${n} ${e.toExponential(1)}`)
          .join(', ')} (${errs.length} parameters)`,
      );
      for (const [name, err] of errs) expect(err, `d loss / d ${name}`).toBeLessThanOrEqual(GRAD_TOLERANCE);
    });
});
