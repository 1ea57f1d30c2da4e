// Public surface of @robusta/pretrain: the pretraining run behind robusta-pretrain, its config and fill-mask.
export { ConfigError } from '@robusta/cli-kit';
export { type PretrainArgs, parseCommandLine } from './args.js';
export { type BackendInfo, selectBackend } from './backend.js';
export {
  applyOverrides,
  FIELD_NAMES,
  fieldName,
  PRESETS,
  type PretrainConfig,
  readConfigFile,
  resolveConfig,
  validateConfig,
} from './config.js';
export {
  type FillMaskPrediction,
  type FillMaskResult,
  fillMask,
  fillMaskFromCheckpoint,
  formatFillMask,
} from './fill-mask.js';
export {
  describeValid,
  modelConfigFor,
  type PretrainHooks,
  type PretrainOutcome,
  pretrain,
  RUN_CONFIG_FILE,
} from './pretrain.js';
export { TrainProgress } from './progress.js';
