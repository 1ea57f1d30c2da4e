// Fused ops (forward + backward) against their composite tfjs versions, both on 'robusta', at small
// RoBERTa training shapes (L4 H256 A4 FFN1024, batch 16 x 128, vocab 50265): B 16, T 128, H 256, A 4, D 64, F 1024.
// Run: `npx tsx bench/fused.bench.ts` (after `npm run build` here and in packages/tfjs); threads: ROBUSTA_NUM_THREADS.
import { runBenchmarks } from '@robusta/bench-kit';
import {
  adamwUpdate,
  attention,
  biasGelu,
  layerNorm,
  reference,
  setFusedKernelsEnabled,
  softmaxCrossEntropy,
  type Tensor,
  tf,
} from '@robusta/tfjs';
import { native } from '../src/index.js';

await tf.setBackend('robusta');
console.log(`fused ops on 'robusta': ${native.capabilities().threads} threads, ISA ${native.capabilities().isa}`);

const [B, T, H, A, D, F, V] = [16, 128, 256, 4, 64, 1024, 50265];
const rand = (shape: number[], seed: number, lo = -1, hi = 1) =>
  tf.tensor(
    reference.seededUniform(
      shape.reduce((a, b) => a * b, 1),
      seed,
      lo,
      hi,
    ),
    shape,
  );

/** Forward and gradients of f at xs with the seed dy, disposing everything: what one training step does. */
function step(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], dy: Tensor): () => void {
  return () => tf.tidy(() => void tf.grads(f)(xs, dy));
}

function withFused(on: boolean, run: () => void): () => void {
  return () => {
    setFusedKernelsEnabled(on);
    run();
  };
}

/** Our fused run and the composite peer of the same closure (the switch picks the path for the whole call). */
function pair(run: () => void) {
  return {
    ours: { name: 'fused kernel', run: withFused(true, run) },
    peers: [{ name: 'composite tfjs ops', run: withFused(false, run) }],
  };
}

const x = rand([B * T, H], 1);
const gamma = rand([H], 2, 0.5, 1.5);
const beta = rand([H], 3);
const dyH = rand([B * T, H], 4);
const h = rand([B * T, F], 5, -3, 3);
const bias = rand([F], 6);
const dyF = rand([B * T, F], 7);
const q = rand([B, A, T, D], 8);
const k = rand([B, A, T, D], 9);
const v = rand([B, A, T, D], 10);
const mask = tf.tensor(
  Array.from({ length: B * T }, (_, i) => (i % T >= T - (i % 7) * 8 ? -1e9 : 0)),
  [B, 1, 1, T],
);
const dyA = rand([B, A, T, D], 11);
const N = Math.round(B * T * 0.15); // MLM: only masked positions reach the loss
const logits = rand([N, V], 12, -5, 5);
const labels = tf.tensor(
  Array.from({ length: N }, (_, i) => (i * 7919) % V),
  [N],
  'int32',
);
const P = 50265 * 256; // the word-embedding matrix, the largest parameter
const param = tf.variable(rand([P], 13));
const grad = rand([P], 14);
const m = tf.variable(tf.zeros([P]));
const vv = tf.variable(tf.zeros([P]));
let t = 0;

await runBenchmarks(
  [
    {
      title: `LayerNorm fwd+bwd [${B * T}, ${H}]`,
      ...pair(step((a, g, b) => layerNorm(a as Tensor, g as Tensor, b as Tensor), [x, gamma, beta], dyH)),
    },
    {
      title: `bias+GELU fwd+bwd [${B * T}, ${F}]`,
      ...pair(step((a, b) => biasGelu(a as Tensor, b as Tensor), [h, bias], dyF)),
    },
    {
      title: `attention fwd+bwd B${B} A${A} T${T} D${D}, mask, dropout 0.1`,
      ...pair(
        step(
          (a, b, c) => attention(a as Tensor, b as Tensor, c as Tensor, mask, { dropoutRate: 0.1, seed: 5 }),
          [q, k, v],
          dyA,
        ),
      ),
    },
    {
      title: `softmax cross-entropy fwd+bwd [${N}, ${V}]`,
      ...pair(step((a) => softmaxCrossEntropy(a as Tensor, labels), [logits], tf.scalar(1))),
    },
    {
      title: `AdamW step over ${P} parameters`,
      ...pair(() => adamwUpdate(param, grad, m, vv, { lr: 1e-4, step: ++t, weightDecay: 0.01 })),
    },
  ],
  { name: 'fused' },
);
