// Times one benchmark case: warm-up runs, then N timed runs with a high-resolution clock.
import { type Stats, summarize } from './stats.js';

export interface MeasureOptions {
  /** Untimed runs first, so JIT tiers, caches and pools settle (default 2). */
  warmup?: number;
  /** Timed runs (default 7). */
  runs?: number;
}

export type Work = () => unknown | Promise<unknown>;

/** Runs `fn` warm-up times untimed, then `runs` times timed; awaits it when it returns a promise. */
export async function measure(fn: Work, options: MeasureOptions = {}): Promise<Stats & { timesMs: number[] }> {
  const warmup = options.warmup ?? 2;
  const runs = options.runs ?? 7;
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new Error(`measure: warmup must be an integer >= 0, got ${warmup}`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`measure: runs must be an integer >= 1, got ${runs}`);
  for (let i = 0; i < warmup; i++) await fn();
  const timesMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    timesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ...summarize(timesMs), timesMs };
}
