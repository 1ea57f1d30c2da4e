// Parity with an independent float64 PyTorch reference (torch.nn.TransformerEncoderLayer), every head including
// mlm-nsp, with and without masks, on the 'robusta' backend and on tfjs 'cpu' as a second reference.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@robusta/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchIds, maxRelDiff, TEST_BACKEND, useTestBackend } from '../test-support/backend.js';
import { runReference, torchAvailable } from '../test-support/reference.js';
import { configFromPreset } from './config.js';
import { createModel } from './models.js';
import { HEAD_KINDS, type HeadKind, PRETRAINING_HEAD_KINDS, parameterTable } from './names.js';
import { loadPretrained, savePretrained } from './pretrained.js';

const TOLERANCE = 1e-5;
const GRAD_TOLERANCE = 1e-4;
const cfg = configFromPreset('tiny', { numLabels: 3, vocabSize: 96 });
const HEADS: readonly HeadKind[] = [...HEAD_KINDS, ...PRETRAINING_HEAD_KINDS];
const BACKENDS = [...new Set([TEST_BACKEND, 'cpu'])];

/** What each head returns besides lastHiddenState and hiddenStates: the outputs the reference must match. */
const HEAD_OUTPUTS: Record<HeadKind, string[]> = {
  base: ['pooledOutput'],
  mlm: ['logits'],
  'mlm-nsp': ['logits', 'nspLogits'],
  classification: ['logits'],
  qa: ['endLogits', 'startLogits'],
  'qa-v2': ['answerableLogits', 'endLogits', 'startLogits'],
  'multiple-choice': ['logits'],
};
const INPUT_CASES = 3;

interface Case {
  name: string;
  head: HeadKind;
  ids: number[][] | number[][][];
  mask: number[][] | number[][][] | null;
  /** For the gradient case: output name -> weights w, the loss being sum over outputs of <output, w>. */
  lossWeights?: Record<string, number[]>;
}

/** Ours for one case on one backend: every output (hiddenStates as L + 1 tensors), or the gradients by HF name. */
interface Ours {
  outputs: Record<string, Float32Array[]>;
  grads: Map<string, Float32Array> | null;
}

type Reference = Record<string, number[] | number[][]> & { grads?: Record<string, number[]> };

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

type Outputs = Record<string, tf.Tensor | tf.Tensor[]>;

/** The outputs the reference computes too: everything but lastHiddenState (it is hiddenStates' last entry). */
function compared(out: Outputs): [string, tf.Tensor[]][] {
  return Object.entries(out)
    .filter(([name]) => name !== 'lastHiddenState')
    .map(([name, t]) => [name, Array.isArray(t) ? t : [t]]);
}

describe.runIf(torchAvailable())('parity with a float64 PyTorch reference', () => {
  const dirs = new Map<HeadKind, string>();
  const cases: Case[] = [];
  const ours = new Map<string, Ours[]>();
  let reference: Reference[] = [];

  beforeAll(async () => {
    await useTestBackend(BACKENDS[0]);
    // one set of weights per head, saved once: every backend loads the same file, and so does the reference
    for (const head of HEADS) {
      const m = createModel(cfg, head, { seed: 31 });
      // move every parameter off its init pattern (zero biases, unit LayerNorm) so each one matters
      // seeds from 1: tfjs treats seed 0 as "unseeded" and would make the test vary between runs
      let k = 1;
      for (const v of m.variables.values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', k++)));
      const dir = await mkdtemp(join(tmpdir(), `robusta-parity-${head}-`));
      await savePretrained(m, dir);
      dirs.set(head, dir);
      const forward = casesFor(head);
      cases.push(...forward);
      // gradients of a fixed random projection of every output, against torch autograd in float64
      const g = forward[1]!;
      const lossWeights = tf.tidy(() => {
        const out = m.forward({ inputIds: tf.tensor(g.ids, undefined, 'int32') }) as unknown as Outputs;
        return Object.fromEntries(
          compared(out)
            .filter(([name]) => name !== 'hiddenStates')
            .map(([name, [t]]) => [name, Array.from(tf.randomNormal(t!.shape, 0, 1, 'float32', 17).dataSync())]),
        );
      });
      cases.push({ ...g, name: 'gradients', lossWeights });
      m.dispose();
    }
    for (const backend of BACKENDS) {
      await useTestBackend(backend);
      const results: Ours[] = [];
      for (const head of HEADS) {
        const m = await loadPretrained(dirs.get(head)!, { head });
        for (const c of cases.filter((c) => c.head === head)) {
          const inputIds = tf.tensor(c.ids, undefined, 'int32');
          if (c.lossWeights) {
            const weights = c.lossWeights;
            const { grads } = tf.variableGrads(() => {
              const out = m.forward({ inputIds }) as unknown as Outputs;
              const terms = compared(out)
                .filter(([name]) => name !== 'hiddenStates')
                .map(([name, [t]]) => tf.sum(tf.mul(t!, tf.tensor(weights[name]!, t!.shape))));
              return terms.reduce((a, b) => tf.add(a, b)) as tf.Scalar;
            }, [...m.variables.values()]);
            const byId = new Map([...m.variables].map(([n, v]) => [v.name, n]));
            const named = new Map(
              Object.entries(grads).map(([id, t]) => [byId.get(id)!, t.dataSync() as Float32Array]),
            );
            results.push({ outputs: {}, grads: named });
            tf.dispose([inputIds, ...Object.values(grads)]);
            continue;
          }
          const mask = c.mask ? tf.tensor(c.mask, undefined, 'float32') : undefined;
          const out = m.forward({ inputIds, attentionMask: mask }, { outputHiddenStates: true }) as unknown as Outputs;
          const outputs = Object.fromEntries(
            compared(out).map(([name, ts]) => [name, ts.map((t) => t.dataSync() as Float32Array)]),
          );
          results.push({ outputs, grads: null });
          tf.dispose([inputIds, ...(mask ? [mask] : []), ...Object.values(out).flat()]);
        }
        m.dispose();
      }
      ours.set(backend, results);
    }
    await useTestBackend();
    reference = runReference<Reference>(
      cases.map((c) => ({
        dir: dirs.get(c.head),
        head: c.head,
        input_ids: c.ids,
        attention_mask: c.mask,
        loss_weights: c.lossWeights ?? null,
      })),
    );
  }, 180_000);

  for (const backend of BACKENDS)
    for (const head of HEADS)
      it(`${backend} / ${head}: every hidden state and output within ${TOLERANCE} (max |diff| / max |ref|)`, () => {
        const worst: string[] = [];
        let comparisons = 0;
        cases.forEach((c, i) => {
          if (c.head !== head || c.lossWeights) return;
          const ref = reference[i]!;
          const got = ours.get(backend)![i]!.outputs;
          const names = ['hiddenStates', ...HEAD_OUTPUTS[head]].sort();
          expect(Object.keys(got).sort(), `${c.name}: our outputs`).toEqual(names);
          expect(Object.keys(ref).sort(), `${c.name}: the reference's outputs`).toEqual(names);
          for (const [name, tensors] of Object.entries(got)) {
            const want = (name === 'hiddenStates' ? ref[name] : [ref[name]]) as number[][];
            expect(want.length, `${c.name}: ${name} count`).toBe(tensors.length);
            tensors.forEach((t, j) => {
              expect(t.length, `${c.name}: ${name}[${j}] size`).toBe(want[j]!.length);
              const err = maxRelDiff(t, want[j]!);
              worst.push(`${c.name} ${name}[${j}] ${err.toExponential(1)}`);
              expect(err, `${backend} / ${head} / ${c.name} / ${name}[${j}]`).toBeLessThanOrEqual(TOLERANCE);
              comparisons++;
            });
          }
        });
        console.log(`${backend} / ${head}: ${worst.join('; ')}`);
        // per input case: the L + 1 hidden states and each of the head's outputs
        expect(comparisons).toBe(INPUT_CASES * (cfg.numHiddenLayers + 1 + HEAD_OUTPUTS[head].length));
      });

  for (const backend of BACKENDS)
    for (const head of HEADS)
      it(`${backend} / ${head}: the gradient of every parameter matches torch autograd within ${GRAD_TOLERANCE}`, () => {
        const i = cases.findIndex((c) => c.head === head && c.lossWeights);
        expect(Object.keys(cases[i]!.lossWeights!).sort()).toEqual(HEAD_OUTPUTS[head]);
        const want = reference[i]!.grads!;
        const got = ours.get(backend)![i]!.grads!;
        const params = parameterTable(cfg, head);
        expect([...got.keys()].sort()).toEqual(params.map((p) => p.name).sort());
        expect(Object.keys(want).sort()).toEqual(params.map((p) => p.name).sort());
        // errors are relative to the parameter's own largest gradient, floored at 1e-3 of the largest of all: a few
        // gradients are exactly zero in exact arithmetic (the key bias: softmax ignores a per-query shift)
        const scale = Math.max(...Object.values(want).map((g) => Math.max(...g.map(Math.abs))));
        const errs: [string, number][] = params.map(({ name, shape }) => {
          const g = got.get(name)!;
          const ref = want[name]!;
          const size = shape.reduce((a, b) => a * b, 1);
          expect([g.length, ref.length], `d loss / d ${name}: sizes`).toEqual([size, size]);
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
          `${backend} / ${head}: worst gradient errors ${errs
            .slice(0, 3)
            .map(([n, e]) => `${n} ${e.toExponential(1)}`)
            .join(', ')} (${errs.length} parameters)`,
        );
        for (const [name, err] of errs) expect(err, `d loss / d ${name}`).toBeLessThanOrEqual(GRAD_TOLERANCE);
      });
});
