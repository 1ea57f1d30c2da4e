// Times one benchmark case: warm-up runs, then N timed runs with a high-resolution clock.
import { type Stats, summarize } from './stats.js';

export interface MeasureOptions {
  /** Untimed runs first, so JIT tiers, caches and pools settle (default 2). */
  warmup?: number;
  /** Timed runs (default 7). */
  runs?: number;
  /**
   * Compare only: time the cases in rounds (one run of each per round, the order rotating) instead of all of ours
   * then each peer's, so slow drift of a shared machine (other jobs, heat, memory state) hits every case alike.
   */
  interleave?: boolean;
  /**
   * Milliseconds from any fixed origin; default a monotonic high-resolution clock. Tests of the harness pass a fake
   * one that their work advances, so what they check does not depend on how busy the machine is.
   */
  clock?: () => number;
}

export type Work = () => unknown | Promise<unknown>;

function counts(options: MeasureOptions, who: string): { warmup: number; runs: number } {
  const warmup = options.warmup ?? 2;
  const runs = options.runs ?? 7;
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`${who}: warmup must be an integer >= 0, got ${warmup}`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`${who}: runs must be an integer >= 1, got ${runs}`);
  return { warmup, runs };
}

function hrtimeMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

async function timeOne(fn: Work, clock: () => number): Promise<number> {
  const start = clock();
  await fn();
  return clock() - start;
}

/** Runs `fn` warm-up times untimed, then `runs` times timed; awaits it when it returns a promise. */
export async function measure(fn: Work, options: MeasureOptions = {}): Promise<Stats & { timesMs: number[] }> {
  const { warmup, runs } = counts(options, 'measure');
  for (let i = 0; i < warmup; i++) await fn();
  const timesMs: number[] = [];
  const clock = options.clock ?? hrtimeMs;
  for (let i = 0; i < runs; i++) timesMs.push(await timeOne(fn, clock));
  return { ...summarize(timesMs), timesMs };
}

/**
 * Several cases timed in rounds: each is warmed up, then every round runs each once, starting one further along
 * each round so no case always follows the same one. Results are in the order of `fns`.
 */
export async function measureInterleaved(
  fns: readonly Work[],
  options: MeasureOptions = {},
): Promise<(Stats & { timesMs: number[] })[]> {
  const { warmup, runs } = counts(options, 'measureInterleaved');
  for (const fn of fns) for (let i = 0; i < warmup; i++) await fn();
  const clock = options.clock ?? hrtimeMs;
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < fns.length; k++) {
      const i = (r + k) % fns.length;
      times[i]?.push(await timeOne(fns[i] as Work, clock));
    }
  }
  return times.map((t) => ({ ...summarize(t), timesMs: t }));
}
