// Public surface of @robusta/bench-kit.

export {
  type Case,
  type CaseResult,
  type Comparison,
  type ComparisonResult,
  compare,
  isSkipped,
  type SkippedCase,
} from './compare.js';
export { type MeasureOptions, measure, measureInterleaved, type Work } from './measure.js';
export { formatTable, writeJson } from './report.js';
export { runBenchmarks } from './run.js';
export { type Stats, summarize } from './stats.js';
