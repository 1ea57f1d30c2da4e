// Public surface of @robusta/tokenizer.
export { byteLevelAlphabet, bytesToVocabString, vocabStringToBytes } from './bytelevel.js';
export { type BatchOptions, encodeBatch } from './encode-batch.js';
export {
  applyFairseqDict,
  DEFAULT_SPECIAL_TOKENS,
  FAIRSEQ_SPECIALS,
  type FairseqModel,
  FormatError,
  parseTiktokenBundle,
  parseTiktokenRanks,
  parseTokenizerJson,
  parseVocabAndMerges,
  type TokenizerJson,
  type TokenizerJsonOptions,
  toMergesText,
  toTiktokenRanks,
  toTokenizerJson,
  toVocabAndMerges,
} from './formats/index.js';
export type { FileSource } from './load.js';
export { type BpeModel, mergeCount, type SpecialToken } from './model.js';
export { type PaddingOptions, type PaddingStrategy, padBatch } from './padding.js';
export {
  type PackedBatch,
  type PackedDtype,
  type PackedIds,
  type PoolOptions,
  TokenizerPool,
} from './pool.js';
export type { SpecialPolicy } from './specials.js';
export {
  allWindows,
  buildModelInput,
  type ModelEncoding,
  type ModelInputOptions,
  ROBERTA_SPECIAL_IDS,
  type SpecialTokenIds,
  type TokenSequence,
} from './template.js';
export {
  type BatchEncodeOptions,
  type DecodeOptions,
  type EncodeOptions,
  type Encoding,
  type ModelEncodeOptions,
  type SpecialRoles,
  Tokenizer,
  type TokenizerOptions,
  type VocabFiles,
} from './tokenizer.js';
export { type TrainBpeOptions, type TrainProgress, trainBpe } from './train/index.js';
export type { TruncationStrategy } from './truncation.js';
export type { WasmSource } from './wasm-module.js';
