// Public surface of @robusta/preprocess: the pipeline behind the robusta-preprocess command, for scripts and tests.

export { textHash } from './document-hash.js';
export { type FileDocuments, type InputFile, listInputs, type ReadOptions, readDocuments } from './inputs.js';
export { type PreprocessOptions, type PreprocessResult, preprocess } from './preprocess.js';
export { splitOnBlankLines, trimRange } from './utf8-text.js';
