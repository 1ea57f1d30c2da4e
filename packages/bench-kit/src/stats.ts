// Order statistics over a set of timed runs.

export interface Stats {
  /** Number of timed runs. */
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  meanMs: number;
}

/** Median/min/max/mean of run times in milliseconds; the median of an even count is the mean of the middle two. */
export function summarize(timesMs: readonly number[]): Stats {
  if (timesMs.length === 0) throw new Error('summarize: no timed runs');
  for (const t of timesMs) {
    if (!Number.isFinite(t) || t < 0) throw new Error(`summarize: invalid run time ${t} ms`);
  }
  const sorted = [...timesMs].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = n >> 1;
  const median = n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const mean = sorted.reduce((s, t) => s + t, 0) / n;
  return { runs: n, medianMs: median, minMs: sorted[0] as number, maxMs: sorted[n - 1] as number, meanMs: mean };
}
