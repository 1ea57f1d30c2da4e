// A small RoBERTa-shaped MLM model and one AdamW training step, written once against @robusta/tfjs for any backend.
// B batch, T tokens, H hidden, A heads, D head size (H / A), F FFN size, V vocab, L layers, P positions,
// N masked positions that reach the loss (about 15% of B x T).
import {
  adamwUpdate,
  attention,
  biasGelu,
  layerNorm,
  reference,
  softmaxCrossEntropy,
  type Tensor,
  tf,
} from '@robusta/tfjs';

export interface StepConfig {
  B: number;
  T: number;
  H: number;
  A: number;
  F: number;
  V: number;
  L: number;
  P: number;
  /** Fraction of the B x T positions that are masked and predicted. */
  maskRate: number;
  lr: number;
  weightDecay: number;
  /** Dropout on attention probabilities (RoBERTa's 0.1); hidden-state dropout is left out on every side. */
  attentionDropout: number;
  seed: number;
}

export const SMALL_ROBERTA: StepConfig = {
  B: 16,
  T: 128,
  H: 256,
  A: 4,
  F: 1024,
  V: 50265,
  L: 4,
  P: 514,
  maskRate: 0.15,
  lr: 5e-4,
  weightDecay: 0.01,
  attentionDropout: 0.1,
  seed: 1234,
};

/** One batch: input ids [B*T] (masked positions replaced by <mask>), masked positions [N] (flat), labels [N]. */
export interface Batch {
  ids: Int32Array;
  positions: Int32Array;
  selected: Int32Array;
  labels: Int32Array;
}

const MASK_TOKEN = 50264; // RoBERTa's <mask>
const PADDING_IDX = 1; // RoBERTa's position ids start at padding_idx + 1

/** A seeded batch: random token ids, exactly round(maskRate x B x T) masked positions chosen by a seeded shuffle. */
export function makeBatch(c: StepConfig): Batch {
  const n = c.B * c.T;
  const u = reference.seededUniform(n * 2, c.seed, 0, 1);
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = 3 + Math.floor((u[i] as number) * (c.V - 4));
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((u[n + i] as number) * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const selected = Int32Array.from(order.slice(0, Math.round(c.maskRate * n)).sort((a, b) => a - b));
  const labels = Int32Array.from(selected, (p) => ids[p] as number);
  for (const p of selected) ids[p] = Math.min(MASK_TOKEN, c.V - 1);
  const positions = Int32Array.from({ length: n }, (_, i) => PADDING_IDX + 1 + (i % c.T));
  return { ids, positions, selected, labels };
}

interface ParamSpec {
  /** Hugging Face RoBERTa name; Linear weights keep HF's [out, in] layout and are used transposed. */
  name: string;
  shape: number[];
  init: 'normal' | 'ones' | 'zeros';
  decay: boolean;
}

export function paramSpecs(c: StepConfig): ParamSpec[] {
  const w = (name: string, shape: number[]): ParamSpec => ({ name, shape, init: 'normal', decay: true });
  const b = (name: string, n: number): ParamSpec => ({ name, shape: [n], init: 'zeros', decay: false });
  const ln = (prefix: string): ParamSpec[] => [
    { name: `${prefix}.weight`, shape: [c.H], init: 'ones', decay: false },
    b(`${prefix}.bias`, c.H),
  ];
  const specs = [
    w('embeddings.word_embeddings.weight', [c.V, c.H]),
    w('embeddings.position_embeddings.weight', [c.P, c.H]),
    w('embeddings.token_type_embeddings.weight', [1, c.H]),
    ...ln('embeddings.LayerNorm'),
  ];
  for (let l = 0; l < c.L; l++) {
    const p = `encoder.layer.${l}`;
    for (const m of ['query', 'key', 'value']) {
      specs.push(w(`${p}.attention.self.${m}.weight`, [c.H, c.H]), b(`${p}.attention.self.${m}.bias`, c.H));
    }
    specs.push(w(`${p}.attention.output.dense.weight`, [c.H, c.H]), b(`${p}.attention.output.dense.bias`, c.H));
    specs.push(...ln(`${p}.attention.output.LayerNorm`));
    specs.push(w(`${p}.intermediate.dense.weight`, [c.F, c.H]), b(`${p}.intermediate.dense.bias`, c.F));
    specs.push(w(`${p}.output.dense.weight`, [c.H, c.F]), b(`${p}.output.dense.bias`, c.H));
    specs.push(...ln(`${p}.output.LayerNorm`));
  }
  specs.push(w('lm_head.dense.weight', [c.H, c.H]), b('lm_head.dense.bias', c.H));
  specs.push(...ln('lm_head.layer_norm'), b('lm_head.bias', c.V)); // the decoder weight is tied to the embeddings
  return specs;
}

/** Initial values, made once and shared by every backend: uniform with std 0.02 (same std as HF's normal init). */
export function initialValues(c: StepConfig): Map<string, Float32Array> {
  const half = 0.02 * Math.sqrt(3);
  const values = new Map<string, Float32Array>();
  paramSpecs(c).forEach((s, i) => {
    const n = s.shape.reduce((a, d) => a * d, 1);
    const v =
      s.init === 'normal'
        ? reference.seededUniform(n, c.seed + 7919 * (i + 1), -half, half)
        : new Float32Array(n).fill(s.init === 'ones' ? 1 : 0);
    values.set(s.name, v);
  });
  return values;
}

export interface TrainStep {
  /** The backend whose memory holds this model's tensors. */
  backend: string;
  /** Runs forward + backward + AdamW once and returns the loss before the update. */
  step(): number;
  /** The losses of every step so far, in order. */
  losses: number[];
  dispose(): void;
}

/** Builds the model on the active backend (its Variables are named `<backend>/<HF name>`) and returns its step. */
export function buildTrainStep(c: StepConfig, batch: Batch, init: Map<string, Float32Array>): TrainStep {
  const backend = tf.getBackend();
  const D = c.H / c.A;
  const specs = paramSpecs(c);
  const vars = new Map<string, tf.Variable>();
  const moments = new Map<string, [tf.Variable, tf.Variable]>();
  for (const s of specs) {
    const name = `${backend}/${s.name}`;
    // tf.variable shares the initial tensor's memory and keeps it referenced: dispose the initial tensors
    tf.tidy(() => {
      vars.set(s.name, tf.variable(tf.tensor(init.get(s.name) as Float32Array, s.shape), true, name));
      moments.set(s.name, [
        tf.variable(tf.zeros(s.shape), false, `${name}/adam_m`),
        tf.variable(tf.zeros(s.shape), false, `${name}/adam_v`),
      ]);
    });
  }
  const p = (name: string): Tensor => vars.get(name) as Tensor;
  const ids = tf.tensor1d(batch.ids, 'int32');
  const positions = tf.tensor1d(batch.positions, 'int32');
  const selected = tf.tensor1d(batch.selected, 'int32');
  const labels = tf.tensor1d(batch.labels, 'int32');
  let t = 0;

  // matMul + add, not tf.fused.matMul: tfjs-backend-wasm 4.22's _FusedMatMul is wrong with transposeB and a bias
  const linear = (x: Tensor, prefix: string): Tensor =>
    tf.add(tf.matMul(x, p(`${prefix}.weight`), false, true), p(`${prefix}.bias`));
  const norm = (x: Tensor, prefix: string): Tensor => layerNorm(x, p(`${prefix}.weight`), p(`${prefix}.bias`));
  const heads = (x: Tensor): Tensor => tf.transpose(tf.reshape(x, [c.B, c.T, c.A, D]), [0, 2, 1, 3]);

  const loss = (): tf.Scalar => {
    const tokens = tf.gather(p('embeddings.word_embeddings.weight'), ids);
    const pos = tf.gather(p('embeddings.position_embeddings.weight'), positions);
    let x = norm(tf.add(tf.add(tokens, pos), p('embeddings.token_type_embeddings.weight')), 'embeddings.LayerNorm');
    for (let l = 0; l < c.L; l++) {
      const pre = `encoder.layer.${l}`;
      const q = heads(linear(x, `${pre}.attention.self.query`));
      const k = heads(linear(x, `${pre}.attention.self.key`));
      const v = heads(linear(x, `${pre}.attention.self.value`));
      const seed = (t * c.L + l) * 2 + 1;
      const ctx = attention(q, k, v, null, { dropoutRate: c.attentionDropout, seed });
      const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [c.B * c.T, c.H]);
      x = norm(tf.add(linear(merged, `${pre}.attention.output.dense`), x), `${pre}.attention.output.LayerNorm`);
      const hidden = biasGelu(
        tf.matMul(x, p(`${pre}.intermediate.dense.weight`), false, true),
        p(`${pre}.intermediate.dense.bias`),
      );
      x = norm(tf.add(linear(hidden, `${pre}.output.dense`), x), `${pre}.output.LayerNorm`);
    }
    // MLM head on the masked rows only: [N, H] -> dense + GELU -> LayerNorm -> tied decoder [N, V]
    const rows = tf.gather(x, selected);
    const h = norm(
      biasGelu(tf.matMul(rows, p('lm_head.dense.weight'), false, true), p('lm_head.dense.bias')),
      'lm_head.layer_norm',
    );
    const logits = tf.add(tf.matMul(h, p('embeddings.word_embeddings.weight'), false, true), p('lm_head.bias'));
    return softmaxCrossEntropy(logits, labels) as tf.Scalar;
  };

  const varList = specs.map((s) => vars.get(s.name) as tf.Variable);
  const losses: number[] = [];
  return {
    backend,
    losses,
    step(): number {
      if (tf.getBackend() !== backend)
        throw new Error(`train step: built on '${backend}', active '${tf.getBackend()}'`);
      t++;
      const { value, grads } = tf.variableGrads(loss, varList);
      for (const s of specs) {
        const [m, v] = moments.get(s.name) as [tf.Variable, tf.Variable];
        const g = grads[`${backend}/${s.name}`];
        if (g === undefined) throw new Error(`train step: no gradient for ${s.name}`);
        adamwUpdate(vars.get(s.name) as tf.Variable, g, m, v, {
          lr: c.lr,
          step: t,
          weightDecay: s.decay ? c.weightDecay : 0,
        });
      }
      tf.dispose(grads);
      const out = value.dataSync()[0] as number;
      value.dispose();
      losses.push(out);
      return out;
    },
    dispose(): void {
      tf.dispose([ids, positions, selected, labels, ...varList, ...[...moments.values()].flat()]);
    },
  };
}
