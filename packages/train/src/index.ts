// @robusta/train: token shards, packing and masking (data/), and the MLM pretraining loop (trainer/).
export * from './data/index.js';
export { sha256, sha256File, sha256FileAsync } from './sha256.js';
export { realTokens } from './trainer/batch.js';
export {
  checkpointName,
  findLatestCheckpoint,
  listCheckpoints,
  loadOptimizerState,
  type Manifest as CheckpointManifest,
  OPTIMIZER_FILE,
  pruneCheckpoints,
  readTrainerState,
  type SaveCheckpointOptions,
  saveCheckpoint,
  TRAINER_STATE_FILE,
  type TrainerState,
  verifyCheckpoint,
} from './trainer/checkpoint.js';
export {
  type Collective,
  clipFactor,
  GradientAccumulator,
  type Gradients,
  globalNorm,
  scaleGradients,
  singleProcess,
} from './trainer/gradients.js';
export { type MetricRecord, MetricsLog, type TrainRecord, type ValidRecord } from './trainer/metrics.js';
export { AdamW, type AdamWConfig, decays, MOMENT_PREFIX, ROBERTA_ADAMW } from './trainer/optimizer.js';
export { lossPlotSvg, niceTicks, type PlotOptions } from './trainer/plot.js';
export { adamwStep64, globalNorm64 } from './trainer/reference.js';
export { type BatchStream, type RunOptions, type RunResult, runPretraining } from './trainer/run.js';
export { learningRate, type ScheduleOptions } from './trainer/schedule.js';
export { mixSeed } from './trainer/seeds.js';
export {
  DEFAULT_OPTIM,
  type EvalStats,
  type OptimConfig,
  Trainer,
  type UpdateStats,
} from './trainer/trainer.js';
