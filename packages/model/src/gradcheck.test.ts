// Gradient check: tf.variableGrads (float32) against central finite differences of the float64 PyTorch reference loss.
// The reference never differentiates: each sampled entry is nudged by +-h in float64 and the loss evaluated twice.
// Every head including mlm-nsp, on the test backend ('robusta' unless ROBUSTA_TEST_BACKEND says otherwise).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@robusta/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchIds, useTestBackend } from '../test-support/backend.js';
import { runReference, torchAvailable } from '../test-support/reference.js';
import { configFromPreset } from './config.js';
import { maskedLMLoss } from './losses.js';
import { createModel } from './models.js';
import { HEAD_KINDS, type HeadKind, PRETRAINING_HEAD_KINDS, parameterTable } from './names.js';
import { savePretrained } from './pretrained.js';
import { hashSeed, uniformStream } from './rng.js';

const cfg = configFromPreset('tiny', { numLabels: 3, vocabSize: 96 });
const HEADS: readonly HeadKind[] = [...HEAD_KINDS, ...PRETRAINING_HEAD_KINDS];
/** Random entries checked per parameter tensor, plus the entry with the largest analytic gradient. */
const SAMPLES = 3;
/**
 * Step of the float64 central difference. Its truncation error is h^2/6 |L'''| (~1e-13 here) and its rounding error
 * ~1e-16 |L| / h (~1e-10), both far below what is being measured: the error of the float32 analytic gradient.
 */
const FD_STEP = 1e-6;
/**
 * |analytic - finite difference| / scale, where scale is the tensor's largest analytic |gradient|, floored at 1e-3 of
 * the largest over all tensors (some gradients are exactly zero in exact arithmetic: the key bias, unused position
 * rows). float32 forward and backward passes of a 2-layer model carry relative errors around 1e-6 of that scale; a
 * wrong gradient formula (a missing term, a transposed weight) shows up at 1e-2 or more.
 */
const TOLERANCE = 1e-4;

interface Sampled {
  name: string;
  index: number;
  analytic: number;
  scale: number;
}

describe.runIf(torchAvailable())('gradients match float64 finite differences (tiny config)', () => {
  const sampled = new Map<HeadKind, Sampled[]>();
  const fd = new Map<HeadKind, number[]>();

  beforeAll(async () => {
    await useTestBackend();
    const T = 9;
    const padded = batchIds([9, 4, 6], T, cfg.vocabSize, 41);
    const cases: unknown[] = [];
    for (const head of HEADS) {
      const m = createModel(cfg, head, { seed: 43 });
      // off the init pattern (zero biases, unit LayerNorm), so every parameter takes part; seeds from 1 (0 = unseeded)
      let k = 1;
      for (const v of m.variables.values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', k++)));
      const dir = await mkdtemp(join(tmpdir(), `robusta-gradcheck-${head}-`));
      await savePretrained(m, dir);
      const ids = head === 'multiple-choice' ? [padded, padded.slice().reverse()] : padded;
      const inputIds = tf.tensor(ids, undefined, 'int32');
      // MLM: the pretraining loss itself (cross-entropy at masked positions); other heads: a fixed random projection
      // of every output, so no output's gradient is left out
      const mlm = { positions: [1, 3, 10, 11, 19], labels: [5, 17, 40, 3, 88] };
      const weights: Record<string, tf.Tensor> = {};
      const { grads } = tf.variableGrads(() => {
        if (head === 'mlm') {
          const maskedPositions = tf.tensor1d(mlm.positions, 'int32');
          const { logits } = asRecord(m.forward({ inputIds, maskedPositions, training: false }));
          return maskedLMLoss(logits!, tf.tensor1d(mlm.labels, 'int32'));
        }
        const out = asRecord(m.forward({ inputIds, training: false }));
        const terms = Object.entries(out)
          .filter(([name]) => name !== 'lastHiddenState' && name !== 'hiddenStates')
          .map(([name, t]) => {
            weights[name] ??= tf.keep(tf.randomNormal(t.shape, 0, 1, 'float32', 47));
            return tf.sum(tf.mul(t, weights[name]));
          });
        return terms.reduce((a, b) => tf.add(a, b)) as tf.Scalar;
      }, [...m.variables.values()]);
      const byId = new Map([...m.variables].map(([n, v]) => [v.name, n]));
      const all = Object.entries(grads).map(([id, g]) => [byId.get(id)!, g.dataSync() as Float32Array] as const);
      const globalMax = Math.max(...all.map(([, g]) => maxAbs(g)));
      const picks: Sampled[] = [];
      for (const [name, g] of all) {
        const next = uniformStream(hashSeed(53, `${head}/${name}`));
        const indices = new Set<number>();
        while (indices.size < Math.min(SAMPLES, g.length)) indices.add(Math.floor(next() * g.length));
        indices.add(argMaxAbs(g));
        const scale = Math.max(maxAbs(g), 1e-3 * globalMax);
        for (const index of indices) picks.push({ name, index, analytic: g[index]!, scale });
      }
      sampled.set(head, picks);
      cases.push({
        dir,
        head,
        input_ids: ids,
        attention_mask: null,
        mlm: head === 'mlm' ? mlm : null,
        loss_weights:
          head === 'mlm'
            ? null
            : Object.fromEntries(Object.entries(weights).map(([n, t]) => [n, Array.from(t.dataSync())])),
        perturb: picks.map((p) => [p.name, p.index]),
        fd_step: FD_STEP,
      });
      tf.dispose([inputIds, ...Object.values(grads), ...Object.values(weights)]);
      m.dispose();
    }
    const results = runReference<{ fd: number[] }>(cases);
    HEADS.forEach((head, i) => {
      fd.set(head, results[i]!.fd);
    });
  }, 180_000);

  for (const head of HEADS)
    it(`${head}: sampled entries of every parameter within ${TOLERANCE}`, () => {
      const picks = sampled.get(head)!;
      const want = fd.get(head)!;
      expect(want.length).toBe(picks.length);
      // every parameter tensor is sampled, and the reference answered for each entry
      const names = parameterTable(cfg, head).map((p) => p.name);
      expect([...new Set(picks.map((p) => p.name))].sort()).toEqual(names.sort());
      expect(picks.length).toBeGreaterThan(names.length);
      const errs = picks.map((p, j) => ({ ...p, fd: want[j]!, err: Math.abs(p.analytic - want[j]!) / p.scale }));
      errs.sort((a, b) => b.err - a.err);
      const tensors = new Set(picks.map((p) => p.name)).size;
      console.log(
        `${head}: ${picks.length} entries of ${tensors} tensors, worst ${errs
          .slice(0, 3)
          .map((e) => `${e.name}[${e.index}] ${e.err.toExponential(1)}`)
          .join(', ')}`,
      );
      for (const e of errs)
        expect(
          e.err,
          `d loss / d ${e.name}[${e.index}]: analytic ${e.analytic}, finite difference ${e.fd}`,
        ).toBeLessThanOrEqual(TOLERANCE);
    });
});

/** Outputs as a plain record of tensors (every head's output type is one). */
function asRecord(out: object): Record<string, tf.Tensor> {
  return out as Record<string, tf.Tensor>;
}

function maxAbs(a: Float32Array): number {
  let m = 0;
  for (const x of a) m = Math.max(m, Math.abs(x));
  return m;
}

function argMaxAbs(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (Math.abs(a[i]!) > Math.abs(a[best]!)) best = i;
  return best;
}
