// The data side of @robusta/train: shard files, random access over them, packing and masked-LM batches.

export type { DataPosition, InputFormat, MlmBatch, MlmBatchOptions } from './batches.js';
export { mlmBatches, sequenceCount } from './batches.js';
export type { DocumentCounts, ShardInfo, ShardManifest } from './format.js';
export {
  bytesPerToken,
  decodeIndex,
  dtypeFor,
  encodeIndex,
  MANIFEST_FILE,
  shardName,
  TOKENIZER_FILE,
} from './format.js';
export { type MaskOptions, maskSequence } from './masking.js';
export { memoryShardSet } from './memory.js';
export { type DocumentSource, Packing, type PackingFormat } from './packing.js';
export { type PairDescription, type PairFormat, PairSampler } from './pairs.js';
export { CounterRng, hashKey, permutation } from './random.js';
export { endsSentence, SentenceFlag, type SentenceRule, sentenceEnds, sentenceRule } from './sentences.js';
export { ShardBuilder } from './shard-builder.js';
export { type OpenOptions, openShards, type ShardSet } from './shards.js';
export { packTokens, writeManifest, writeShard } from './writer.js';
