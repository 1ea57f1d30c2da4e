// Public surface of BPE vocabulary training.
export { type TrainBpeOptions, trainBpe, trainFromWordCounts } from './trainer.js';
export { addPretokens, countWords, type TrainProgress, type WordCounts } from './word-counts.js';
