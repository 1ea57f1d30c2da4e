// Public surface of @robusta/cli-kit.
export { type FileData, writeFileAtomic, writeFileAtomicSync } from './atomic.js';
export { formatDuration, Progress, type ProgressOptions } from './progress.js';
