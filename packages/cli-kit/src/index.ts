// Public surface of @robusta/cli-kit.
export { AtomicFile, type FileData, isTempFileOf, syncDir, writeFileAtomic, writeFileAtomicSync } from './atomic.js';
export { CommandLine, type ParsedCommandLine } from './command-line.js';
export { ConfigError, FormatError } from './errors.js';
export { formatDuration, Progress, type ProgressOptions } from './progress.js';
