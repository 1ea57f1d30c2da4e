// Public surface of @robusta/tokenizer.
export { byteLevelAlphabet, bytesToVocabString, vocabStringToBytes } from './bytelevel.js';
export { type BpeModel, mergeCount, type SpecialToken } from './model.js';
