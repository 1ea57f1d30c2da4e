// A pretraining run from a resolved config: shards -> model config from their vocabulary -> runPretraining, with
// progress, Ctrl-C handling and a time budget.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '@robusta/cli-kit';
import { configFromPreset, type RobertaConfig } from '@robusta/model';
import type { SpecialTokenIds } from '@robusta/tokenizer';
import {
  type EvalStats,
  MANIFEST_FILE,
  type MlmBatch,
  type MlmBatchOptions,
  mlmBatches,
  openShards,
  type RunResult,
  runPretraining,
  type ShardSet,
  TOKENIZER_FILE,
} from '@robusta/train';
import { type BackendInfo, selectBackend } from './backend.js';
import type { PretrainConfig } from './config.js';
import { TrainProgress } from './progress.js';
import { sentenceRuleOf } from './sentence-rule.js';

export const RUN_CONFIG_FILE = 'pretrain-config.json';

export interface PretrainOutcome extends RunResult {
  backend: BackendInfo;
  modelConfig: RobertaConfig;
  wallSeconds: number;
  interrupted: boolean;
}

function specialsOf(set: ShardSet, dir: string): MlmBatchOptions['specials'] {
  const s = set.manifest.specials;
  const missing = (['cls', 'sep', 'pad', 'mask'] as const).filter((r) => s[r] === undefined);
  if (missing.length)
    throw new ConfigError(
      join(dir, MANIFEST_FILE),
      `the tokenizer has no ${missing.join(', ')} token (MLM needs <s>, </s>, <pad>, <mask>)`,
    );
  return { cls: s.cls!, sep: s.sep!, pad: s.pad!, mask: s.mask! };
}

/** The model config: the preset, the config's overrides, and the vocabulary and special ids of the shards. */
export function modelConfigFor(c: PretrainConfig, vocabSize: number, sp: SpecialTokenIds): RobertaConfig {
  // positions start after the pad id (HF's rule), so T tokens need T + pad + 1 rows
  const needed = c.seqLength + sp.pad + 1;
  const preset = configFromPreset(c.preset);
  return configFromPreset(c.preset, {
    ...c.model,
    vocabSize,
    padTokenId: sp.pad,
    bosTokenId: sp.cls,
    eosTokenId: sp.sep,
    maxPositionEmbeddings: Math.max(c.model.maxPositionEmbeddings ?? preset.maxPositionEmbeddings, needed),
  });
}

export interface PretrainHooks {
  /** Where lines go (default stdout); the progress bar is drawn only when it is a terminal. */
  stream?: NodeJS.WriteStream;
  /** Polled between updates; true saves a checkpoint and stops. */
  shouldStop?: () => boolean;
}

export async function pretrain(c: PretrainConfig, hooks: PretrainHooks = {}): Promise<PretrainOutcome> {
  const started = performance.now();
  const bar = new TrainProgress(hooks.stream ?? process.stdout, c.logEverySeconds);
  const backend = await selectBackend(c.backend);
  bar.log(`backend: ${backend.name} (${backend.detail})`);
  const dataDir = resolve(c.data);
  const train = await openShards(dataDir, 'train', { verify: true });
  const valid = await openShards(dataDir, 'valid', { verify: true }).catch(() => null);
  try {
    const specials = specialsOf(train, dataDir);
    const vocabSize = train.manifest.vocabSize;
    const modelConfig = modelConfigFor(c, vocabSize, specials);
    mkdirSync(c.out, { recursive: true });
    writeFileSync(join(c.out, RUN_CONFIG_FILE), `${JSON.stringify({ ...c, resolvedModel: modelConfig }, null, 2)}\n`);
    const nsp = c.format === 'segment-pair' || c.format === 'sentence-pair';
    const batchOptions = {
      seqLength: c.seqLength,
      batchSize: c.batchSize,
      specials,
      vocabSize,
      format: c.format,
      // SEGMENT-PAIR cuts its segments at sentence ends too, so both pair formats use the rule
      sentences: nsp ? await sentenceRuleOf(dataDir, vocabSize, c.format) : undefined,
      tokensPerBatch: c.tokensPerBatch > 0 ? c.tokensPerBatch : undefined,
    };
    const excludeFromRandom = train.manifest.specials.unk === undefined ? [] : [train.manifest.specials.unk];
    const validBatches = (): Iterable<MlmBatch> => {
      if (!valid || valid.numTokens === 0) return [];
      // a fixed pass: same sequences and masks every time, so successive validations are comparable
      const it = mlmBatches(valid, { ...batchOptions, seed: c.seed, shuffle: false, epochs: 1, excludeFromRandom });
      const out: MlmBatch[] = [];
      for (const { batch } of it) {
        out.push(batch);
        if (c.validBatches > 0 && out.length >= c.validBatches) break;
      }
      return out;
    };
    if (!valid) bar.log(`no valid split in ${dataDir}: training without validation`);
    const tokenizerPath = join(dataDir, TOKENIZER_FILE);
    const deadline = c.maxMinutes > 0 ? started + c.maxMinutes * 60_000 : Number.POSITIVE_INFINITY;
    let updatesThisRun = 0;
    let runStart = 0;
    const result = await runPretraining({
      runDir: c.out,
      model: modelConfig,
      nsp,
      seed: c.seed,
      optim: {
        peakLr: c.peakLr,
        warmupUpdates: c.warmupUpdates,
        maxUpdates: c.maxUpdates,
        updateFreq: c.updateFreq,
        clipNorm: c.clipNorm,
        adam: { beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: c.weightDecay },
      },
      train: (start) =>
        mlmBatches(train, {
          ...batchOptions,
          seed: c.seed,
          start,
          masking: c.masking,
          maskProbability: c.maskProbability,
          staticDuplication: c.staticDuplication,
          excludeFromRandom,
        }),
      valid: valid ? validBatches : undefined,
      validEvery: c.validEvery,
      checkpointEvery: c.checkpointEvery,
      keepLast: c.keepLast,
      resume: c.resume,
      extraFiles: existsSync(tokenizerPath) ? [{ name: TOKENIZER_FILE, path: tokenizerPath }] : [],
      resolvedConfig: { ...c, resolvedModel: modelConfig },
      validateOnStop: c.maxMinutes > 0, // a time-boxed run reports its final perplexity; Ctrl-C exits fast
      shouldStop: () => Boolean(hooks.shouldStop?.()) || performance.now() > deadline,
      onStart: (i) => {
        runStart = performance.now();
        const seqs = c.batchSize * c.updateFreq;
        bar.log(
          `model: ${c.preset} L${modelConfig.numHiddenLayers} H${modelConfig.hiddenSize} A${modelConfig.numAttentionHeads} V${vocabSize}, ${(i.parameters / 1e6).toFixed(2)}M parameters; ` +
            `batch ${seqs} x ${c.seqLength} tokens (${c.batchSize} x updateFreq ${c.updateFreq}); ${train.numTokens.toLocaleString('en-US')} training tokens`,
        );
        for (const s of i.skipped) bar.log(`skipped checkpoint: ${s}`);
        bar.log(i.resumedFrom ? `resumed from ${i.resumedFrom} at update ${i.update}` : 'starting from scratch');
      },
      onUpdate: (s, rec) => {
        updatesThisRun++;
        bar.update({
          update: s.update,
          maxUpdates: c.maxUpdates,
          tokensPerSecond: rec.tokensPerSecond,
          loss: s.loss,
          lr: s.lr,
          seconds: (performance.now() - runStart) / 1000,
          updatesThisRun,
          nspLoss: s.nspLoss,
        });
      },
      onValid: (v) =>
        bar.log(
          `valid @ ${v.update}: loss ${v.loss.toFixed(4)}  perplexity ${v.perplexity.toFixed(2)}  (${v.maskedTokens} masked tokens)` +
            (v.nspAccuracy === undefined
              ? ''
              : `  NSP loss ${v.nspLoss?.toFixed(4)} accuracy ${v.nspAccuracy.toFixed(3)}`),
        ),
      onCheckpoint: (dir) => bar.log(`checkpoint: ${dir}`),
    });
    bar.done();
    return {
      ...result,
      backend,
      modelConfig,
      wallSeconds: (performance.now() - started) / 1000,
      interrupted: result.stopped,
    };
  } finally {
    train.close();
    valid?.close();
  }
}

export function describeValid(s: EvalStats | null): string {
  return s ? `loss ${s.loss.toFixed(4)}, perplexity ${s.perplexity.toFixed(2)}` : 'n/a';
}
