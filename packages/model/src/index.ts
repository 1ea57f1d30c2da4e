// @robusta/model: RoBERTa on tfjs with Hugging Face names, semantics and checkpoint formats.
export {
  configFromHF,
  configFromPreset,
  configToHF,
  type FromHFOptions,
  headSize,
  type PresetName,
  type ProblemType,
  presets,
  RobertaConfig,
  readConfig,
  validateConfig,
  writeConfig,
} from './config.js';
export {
  type EncoderInputs,
  type ForwardOptions,
  positionIds,
  type RunFlags,
  resolveAttentionMask,
  resolveForwardOptions,
} from './encoder.js';
export {
  type EmbedOptions,
  embed,
  type FillMaskOptions,
  type FillMaskPrediction,
  fillMask,
  type InferenceTokenizer,
  type Pooling,
} from './inference.js';
export {
  maskedLMLoss,
  multipleChoiceLoss,
  type QALabels,
  questionAnsweringLoss,
  resolveProblemType,
  sequenceClassificationLoss,
} from './losses.js';
export {
  type AnyRoberta,
  type BaseOutput,
  createModel,
  type LogitsOutput,
  type MaskedLMInputs,
  type ModelFor,
  type ModelOptions,
  type QAOptions,
  type QAOutput,
  type QAOutputV2,
  RobertaForMaskedLM,
  RobertaForMultipleChoice,
  RobertaForQuestionAnswering,
  RobertaForSequenceClassification,
  RobertaModel,
  RobertaPreTrained,
} from './models.js';
export { HEAD_KINDS, type HeadKind, HF, HF_ARCHITECTURE, type ParamSpec, parameterTable } from './names.js';
export {
  CONFIG_FILE,
  checkKeys,
  type KeyCheck,
  type LoadOptions,
  type LoadReport,
  loadPretrained,
  type SaveOptions,
  savePretrained,
  WEIGHTS_FILE,
} from './pretrained.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  type FloatDtype,
  MAX_HEADER_BYTES,
  parseHeader,
  parseHeaderLength,
  type SafetensorsHeader,
  SafetensorsReader,
  type TensorInfo,
  type TensorToWrite,
  type WriteOptions,
  writeSafetensors,
} from './safetensors.js';
