// The training loop's throughput against the bare model step (the target: loop tokens/s >= 95% of the bare step's):
// Trainer.updateOnce over the live mlmBatches stream from shards on disk, with metrics.jsonl and a log line per update,
// and runPretraining itself, against forward + backward + AdamW on pre-built identical batches. Same model config,
// same backend ('robusta'), same run. Run: `npx tsx bench/loop.bench.ts` after building the workspace.
// B batch, T tokens, V vocab.
import '@tensorflow/tfjs-backend-cpu';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchmarks } from '@robusta/bench-kit';
import { configFromPreset, maskedLMLoss, RobertaForMaskedLM } from '@robusta/model';
import * as tf from '@robusta/tfjs';
import {
  AdamW,
  learningRate,
  MetricsLog,
  type MlmBatch,
  mixSeed,
  mlmBatches,
  openShards,
  ROBERTA_ADAMW,
  realTokens,
  runPretraining,
  type ShardManifest,
  sha256,
  shardName,
  Trainer,
  writeManifest,
  writeShard,
} from '../src/index.js';

// the `npm start` shape: tiny (L2 H128 A2 F512), V 8192, B 16 x T 128
const V = 8192;
const B = 16;
const T = 128;
const UPDATES = 10; // updates per timed run
const SEED = 1;
const specials = { cls: 0, pad: 1, sep: 2, mask: 4 };

let backend = 'robusta';
try {
  await import('@robusta/native');
  if (!(await tf.setBackend('robusta'))) throw new Error("tf.setBackend('robusta') returned false");
} catch (e) {
  backend = 'cpu';
  await tf.setBackend('cpu');
  console.log(`@robusta/native did not load (${(e as Error).message}): measuring on tfjs cpu instead`);
}

// Shards with a Zipf-like token distribution (the throughput depends on shapes, not on which ids they hold)
const root = mkdtempSync(join(tmpdir(), 'robusta-loop-bench-'));
const data = join(root, 'shards');
mkdirSync(data);
let s = 12345;
const rand = () => {
  s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
  return s / 4_294_967_296;
};
const docs = Array.from({ length: 400 }, () =>
  Uint32Array.from({ length: 100 + Math.floor(rand() * 1500) }, () => 5 + Math.floor((V - 5) * rand() ** 3)),
);
const info = await writeShard(data, shardName('train', 0), docs, 'uint16');
const manifest: ShardManifest = {
  version: 1,
  tokenizerHash: sha256(new Uint8Array(0)),
  vocabSize: V,
  dtype: 'uint16',
  splits: { train: [info], valid: [] },
  documents: { read: docs.length, train: docs.length, valid: 0, empty: 0, invalidUtf8: 0, badLines: 0 },
  tokens: { train: info.tokens, valid: 0 },
  specials,
  layout: { validFraction: 0, seed: 0, shardBytes: 1e9 },
  textBytes: 0,
};
writeManifest(data, manifest);
const set = await openShards(data, 'train', { verify: true });
const batchOptions = { seqLength: T, batchSize: B, seed: SEED, specials, vocabSize: V };
const modelConfig = configFromPreset('tiny', {
  vocabSize: V,
  padTokenId: specials.pad,
  bosTokenId: specials.cls,
  eosTokenId: specials.sep,
  maxPositionEmbeddings: T + specials.pad + 1,
});
const optim = { peakLr: 1e-3, warmupUpdates: 30, maxUpdates: 100_000, updateFreq: 1, clipNorm: 0, adam: ROBERTA_ADAMW };

// the bare step: the same batches, built once, in memory
const prebuilt: MlmBatch[] = [];
for (const { batch } of mlmBatches(set, batchOptions)) {
  prebuilt.push(batch);
  if (prebuilt.length === UPDATES) break;
}
const tokensPerRun = prebuilt.reduce((n, b) => n + realTokens(b), 0);
const bareModel = new RobertaForMaskedLM(modelConfig, { seed: SEED });
const bareVars = [...bareModel.variables.values()];
const byVariable = new Map([...bareModel.variables].map(([name, v]) => [v.name, name]));
const bareAdam = new AdamW(bareModel.variables, ROBERTA_ADAMW);
let bareUpdate = 0;
const bareStep = async (b: MlmBatch) => {
  const update = ++bareUpdate;
  const { value, grads } = tf.tidy(() =>
    tf.variableGrads(() => {
      const logits = bareModel.forward(
        {
          inputIds: tf.tensor2d(b.inputIds, [B, T], 'int32'),
          attentionMask: tf.tensor2d(b.attentionMask, [B, T], 'int32'),
          maskedPositions: tf.tensor1d(b.maskedPositions, 'int32'),
        },
        { training: true, seed: mixSeed(SEED, update, 0) },
      ).logits;
      return maskedLMLoss(logits, tf.tensor1d(b.maskedLabels, 'int32'));
    }, bareVars),
  );
  const named = new Map(Object.entries(grads).map(([k, g]) => [byVariable.get(k) as string, g]));
  bareAdam.step(named, learningRate(update, optim), update);
  tf.dispose(Object.values(grads));
  await value.data(); // the step is done when its loss is known
  value.dispose();
};

// the loop: live batches from the shard (packing + dynamic masking), metrics appended, a log line per update
const loopModel = new RobertaForMaskedLM(modelConfig, { seed: SEED });
const trainer = new Trainer(loopModel, optim, SEED);
const metrics = new MetricsLog(join(root, 'metrics.jsonl'));
const stream = mlmBatches(set, batchOptions);
let tokens = 0;
let logged = '';
const loopUpdate = async () => {
  const st = await trainer.updateOnce(() => (stream.next().value as { batch: MlmBatch }).batch);
  tokens += st.tokens;
  await metrics.add({
    kind: 'train',
    update: st.update,
    loss: st.loss,
    lr: st.lr,
    gradNorm: st.gradNorm,
    tokensPerSecond: st.tokens / st.seconds,
    tokens,
    elapsedSeconds: 0,
  });
  logged = `update ${st.update}  ${(st.tokens / st.seconds).toFixed(0)} tok/s  loss ${st.loss.toFixed(3)}`;
};

let runIndex = 0;
try {
  const bare = {
    name: 'bare step: forward + backward + AdamW, pre-built batches',
    run: async () => {
      for (const b of prebuilt) await bareStep(b);
    },
  };
  await runBenchmarks(
    [
      {
        title: `training loop vs bare step: tiny V${V}, ${B} x ${T} tokens, ${UPDATES} updates per run, backend ${backend}`,
        work: { amount: tokensPerRun / 1e3, unit: 'K tokens' },
        options: { warmup: 2, runs: 21, interleave: true },
        ours: {
          name: 'Trainer.updateOnce over mlmBatches from shards + metrics.jsonl + log line',
          run: async () => {
            for (let i = 0; i < UPDATES; i++) await loopUpdate();
          },
        },
        peers: [bare],
      },
      {
        title: `runPretraining, ${UPDATES} updates per run, including its start and one final checkpoint`,
        work: { amount: tokensPerRun / 1e3, unit: 'K tokens' },
        options: { warmup: 1, runs: 5, interleave: true },
        ours: {
          name: 'runPretraining (no validation, checkpoint at the end)',
          run: async () => {
            const r = await runPretraining({
              runDir: join(root, `run-${runIndex++}`),
              model: modelConfig,
              seed: SEED,
              optim,
              train: (start) => mlmBatches(set, { ...batchOptions, start }),
              validEvery: 0,
              checkpointEvery: 0,
              keepLast: 1,
              resume: 'never',
              stopAfterUpdates: UPDATES,
            });
            r.model.dispose();
          },
        },
        peers: [bare],
      },
    ],
    { name: 'loop' },
  );
  console.log(`last log line: ${logged}`);
} finally {
  set.close();
  rmSync(root, { recursive: true, force: true });
}
