// Public surface of the file formats: parse* read a file's text (named, for errors), to* write one; no I/O.
export { FormatError } from '@robusta/cli-kit/errors';
export { applyFairseqDict, FAIRSEQ_SPECIALS, type FairseqModel } from './fairseq-dict.js';
export {
  DEFAULT_SPECIAL_TOKENS,
  parseMergesText,
  parseVocabAndMerges,
  toMergesText,
  toVocabAndMerges,
  type VocabMergesOptions,
} from './gpt2.js';
export { type JsonObject, type JsonValue, parseJson } from './json.js';
export {
  parseTiktokenBundle,
  parseTiktokenRanks,
  type TiktokenBundle,
  type TiktokenOptions,
  toTiktokenRanks,
} from './tiktoken.js';
export {
  type AddedTokenSpec,
  parseTokenizerJson,
  type TokenizerJson,
  type TokenizerJsonOptions,
  toTokenizerJson,
} from './tokenizer-json.js';
