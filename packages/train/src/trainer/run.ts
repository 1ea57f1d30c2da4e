// A pretraining run: resume or start, loop updates, validate, log metrics, plot, checkpoint, stop cleanly on request.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, writeFileAtomic } from '@robusta/cli-kit';
import { loadPretrained, type RobertaConfig, RobertaForMaskedLM } from '@robusta/model';
import type { DataPosition, MlmBatch } from '../data/batches.js';
import {
  findLatestCheckpoint,
  loadOptimizerState,
  readTrainerState,
  saveCheckpoint,
  type TrainerState,
  verifyCheckpoint,
} from './checkpoint.js';
import type { Collective } from './gradients.js';
import { MetricsLog, type TrainRecord, type ValidRecord } from './metrics.js';
import { lossPlotSvg } from './plot.js';
import { type EvalStats, type OptimConfig, Trainer, type UpdateStats } from './trainer.js';

export type BatchStream = (start: DataPosition) => Iterator<{ batch: MlmBatch; next: DataPosition }>;

export interface RunOptions {
  /** Where metrics.jsonl, plot.svg and checkpoints/ go. */
  runDir: string;
  model: RobertaConfig;
  /** Add the next-sentence head (head `mlm-nsp`) for the pair formats, whose batches carry nspLabels. */
  nsp?: boolean;
  seed: number;
  optim: OptimConfig;
  /** Training micro-batches from a position; an ending iterator continues at the next epoch. */
  train: BatchStream;
  /** Held-out batches (a fresh, identical pass on each call). */
  valid?: () => Iterable<MlmBatch>;
  /** Validate every N updates (0: only before the first and after the last). */
  validEvery: number;
  /** Checkpoint every N updates (0: only at the end or on stop). */
  checkpointEvery: number;
  keepLast: number;
  /** 'auto': newest complete checkpoint under runDir/checkpoints if any; 'never'; or a checkpoint directory. */
  resume: 'auto' | 'never' | string;
  /** Tokenizer files copied into every checkpoint. */
  extraFiles?: { name: string; path: string }[];
  /** Saved in the trainer state and nowhere else here (the app writes its own config.json). */
  resolvedConfig?: unknown;
  collective?: Collective;
  /** Stop (with a checkpoint) after this many updates in this process: tests and time-boxed runs. */
  stopAfterUpdates?: number;
  /** Checked between updates; when true the run saves a checkpoint and returns. */
  shouldStop?: () => boolean;
  /** Also validate when stopped early (a time-boxed run wants its final perplexity; Ctrl-C wants to exit fast). */
  validateOnStop?: boolean;
  onStart?: (info: { resumedFrom: string | null; skipped: string[]; update: number; parameters: number }) => void;
  onUpdate?: (stats: UpdateStats, record: TrainRecord) => void;
  onValid?: (record: ValidRecord) => void;
  onCheckpoint?: (dir: string) => void;
}

export interface RunResult {
  model: RobertaForMaskedLM;
  updates: number;
  stopped: boolean;
  /** Validation before training (a fresh run) or at resume, and the last one. */
  firstValid: EvalStats | null;
  lastValid: EvalStats | null;
  checkpoint: string | null;
  losses: number[];
  metricsPath: string;
  plotPath: string;
}

export async function runPretraining(o: RunOptions): Promise<RunResult> {
  const ckptRoot = join(o.runDir, 'checkpoints');
  await mkdir(ckptRoot, { recursive: true });
  let from: string | null = null;
  let skipped: string[] = [];
  if (o.resume === 'auto') ({ dir: from, skipped } = await findLatestCheckpoint(ckptRoot));
  else if (o.resume !== 'never') {
    const problem = await verifyCheckpoint(o.resume);
    if (problem) throw new Error(`cannot resume from ${o.resume}: ${problem}`);
    from = o.resume;
  }
  const state: TrainerState = from
    ? await readTrainerState(from)
    : {
        format: 'robusta-trainer-state/1',
        update: 0,
        position: { epoch: 0, sequence: 0 },
        seed: o.seed,
        tokens: 0,
        elapsedSeconds: 0,
        lossScale: null,
        config: o.resolvedConfig ?? null,
      };
  if (from && state.seed !== o.seed)
    throw new ConfigError(
      from,
      `trained with seed ${state.seed}, this run asks for ${o.seed}; resume needs the same seed`,
    );
  const nsp = o.nsp ?? false;
  const model = from
    ? await loadPretrained(from, { head: nsp ? 'mlm-nsp' : 'mlm' })
    : new RobertaForMaskedLM(o.model, { seed: o.seed, nsp });
  const trainer = new Trainer(model, o.optim, o.seed, o.collective);
  if (from) await loadOptimizerState(from, trainer.optimizer);
  trainer.update = state.update;
  o.onStart?.({ resumedFrom: from, skipped, update: state.update, parameters: model.numParameters() });

  const metrics = new MetricsLog(join(o.runDir, 'metrics.jsonl'));
  await metrics.resumeAt(state.update);
  const plotPath = join(o.runDir, 'plot.svg');
  const plot = () => writeFileAtomic(plotPath, lossPlotSvg(metrics.records, { title: 'RoBERTa MLM pretraining' }));

  let position = state.position;
  let iter = o.train(position);
  const next = (): MlmBatch => {
    let r = iter.next();
    if (r.done) {
      position = { epoch: position.epoch + 1, sequence: 0 };
      iter = o.train(position);
      r = iter.next();
      if (r.done) throw new Error('the training data yields no batches');
    }
    position = r.value.next;
    return r.value.batch;
  };

  const validate = async (): Promise<EvalStats | null> => {
    if (!o.valid) return null;
    const s = await trainer.evaluate(o.valid());
    const rec: ValidRecord = {
      kind: 'valid',
      update: trainer.update,
      loss: s.loss,
      perplexity: s.perplexity,
      maskedTokens: s.maskedTokens,
    };
    if (s.nspLoss !== undefined) Object.assign(rec, { nspLoss: s.nspLoss, nspAccuracy: s.nspAccuracy });
    await metrics.add(rec);
    o.onValid?.(rec);
    await plot();
    return s;
  };

  const elapsedBase = state.elapsedSeconds;
  const t0 = performance.now();
  let tokens = state.tokens;
  let checkpoint: string | null = from;
  let savedUpdate = from ? state.update : -1;
  const save = async () => {
    checkpoint = await saveCheckpoint(ckptRoot, {
      model,
      optimizer: trainer.optimizer,
      state: {
        ...state,
        update: trainer.update,
        position,
        tokens,
        elapsedSeconds: elapsedBase + (performance.now() - t0) / 1000,
        config: o.resolvedConfig ?? state.config,
      },
      extraFiles: o.extraFiles,
      keepLast: o.keepLast,
    });
    savedUpdate = trainer.update;
    o.onCheckpoint?.(checkpoint);
  };

  const hasValidAt = (u: number) => metrics.records.some((r) => r.kind === 'valid' && r.update === u);
  let firstValid: EvalStats | null = null;
  let lastValid: EvalStats | null = null;
  if (trainer.update === 0 && !hasValidAt(0)) firstValid = lastValid = await validate();
  const losses: number[] = [];
  let stopped = false;
  let done = 0;
  while (trainer.update < o.optim.maxUpdates) {
    if (o.shouldStop?.() || (o.stopAfterUpdates !== undefined && done >= o.stopAfterUpdates)) {
      stopped = true;
      break;
    }
    const s = await trainer.updateOnce(next);
    done++;
    tokens += s.tokens;
    losses.push(s.loss);
    const rec: TrainRecord = {
      kind: 'train',
      update: s.update,
      loss: s.loss,
      lr: s.lr,
      gradNorm: s.gradNorm,
      tokensPerSecond: s.tokens / s.seconds,
      tokens,
      elapsedSeconds: elapsedBase + (performance.now() - t0) / 1000,
    };
    if (s.nspLoss !== undefined) rec.nspLoss = s.nspLoss;
    await metrics.add(rec);
    o.onUpdate?.(s, rec);
    const last = trainer.update >= o.optim.maxUpdates;
    if (last || (o.validEvery > 0 && trainer.update % o.validEvery === 0)) lastValid = await validate();
    if (!last && o.checkpointEvery > 0 && trainer.update % o.checkpointEvery === 0) await save();
  }
  if (stopped && o.validateOnStop && !hasValidAt(trainer.update)) lastValid = await validate();
  // the final (or interrupted) state is always saved unless the newest checkpoint already is this update
  if (savedUpdate !== trainer.update) await save();
  await plot();
  trainer.dispose();
  return {
    model,
    updates: trainer.update,
    stopped,
    firstValid,
    lastValid,
    checkpoint,
    losses,
    metricsPath: metrics.path,
    plotPath,
  };
}
