// Public surface of the file formats: parsers take a file's text plus its name (for errors) and do no I/O.
export { FormatError } from '@robusta/cli-kit/errors';
export { applyFairseqDict, FAIRSEQ_SPECIALS, type FairseqModel } from './fairseq-dict.js';
export {
  DEFAULT_SPECIAL_TOKENS,
  parseMergesText,
  parseVocabAndMerges,
  saveMergesText,
  saveVocabAndMerges,
  type VocabMergesOptions,
} from './gpt2.js';
export { type JsonObject, type JsonValue, parseJson } from './json.js';
export {
  parseTiktokenBundle,
  parseTiktokenRanks,
  saveTiktokenRanks,
  type TiktokenBundle,
  type TiktokenOptions,
} from './tiktoken.js';
export {
  type AddedTokenSpec,
  parseTokenizerJson,
  saveTokenizerJson,
  type TokenizerJson,
  type TokenizerJsonOptions,
} from './tokenizer-json.js';
