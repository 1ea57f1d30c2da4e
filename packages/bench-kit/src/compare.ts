// Measures our implementation beside its peers in one process run and computes the ratio to the strongest peer.
import { type MeasureOptions, measure, measureInterleaved, type Work } from './measure.js';
import { type Stats, summarize } from './stats.js';

export interface Case {
  name: string;
  run: Work;
  /** Returns a reason string when this case cannot run here (peer not installed, no GPU); undefined when it can. */
  unavailable?: () => string | undefined | Promise<string | undefined>;
}

export interface Comparison {
  /** What is measured, e.g. "encode 10 MB English, 1 thread". */
  title: string;
  ours: Case;
  peers: Case[];
  /** Work done by one run, to report throughput (e.g. { amount: bytes / 1e6, unit: 'MB' } gives MB/s). */
  work?: { amount: number; unit: string };
  options?: MeasureOptions;
}

export interface CaseResult extends Stats {
  name: string;
  /** Work units per second at the median run, when `work` was given. */
  throughput?: number;
}

export interface SkippedCase {
  name: string;
  skipped: string;
}

export interface ComparisonResult {
  title: string;
  unit?: string;
  ours: CaseResult;
  peers: (CaseResult | SkippedCase)[];
  /** Name of the fastest peer that ran, if any. */
  strongestPeer?: string;
  /** Strongest peer's median time / our median time: above 1 means we are faster. */
  ratio?: number;
  /**
   * With `interleave`: the median over rounds of (strongest peer's time / ours) in the same round, which a slow
   * phase of a shared machine moves less than the ratio of medians.
   */
  pairedRatio?: number;
}

export function isSkipped(r: CaseResult | SkippedCase): r is SkippedCase {
  return 'skipped' in r;
}

async function skipReason(c: Case): Promise<string | undefined> {
  return c.unavailable ? await c.unavailable() : undefined;
}

/** A case's result, with its run times kept aside (not enumerable, so not in the JSON) for the paired ratio. */
function caseResult(c: Case, cmp: Comparison, stats: Stats & { timesMs: number[] }): CaseResult {
  const { timesMs, ...rest } = stats;
  const result: CaseResult = { name: c.name, ...rest };
  if (cmp.work) result.throughput = cmp.work.amount / (rest.medianMs / 1000);
  Object.defineProperty(result, TIMES, { value: timesMs, enumerable: false });
  return result;
}

const TIMES = Symbol('timesMs');

function timesOf(r: CaseResult): number[] {
  return (r as CaseResult & { [TIMES]: number[] })[TIMES];
}

function refuseOurs(cmp: Comparison, reason: string): never {
  throw new Error(`compare "${cmp.title}": our case "${cmp.ours.name}" cannot run: ${reason}`);
}

/**
 * Every case's result, in order (ours first). In turn, each case's `unavailable` is asked just before it runs, so a
 * case may set up what it needs there (a backend, say); with `options.interleave` all are asked first, then the
 * runnable ones are timed in rounds, so their runs must not depend on one another's setup.
 */
async function runCases(cases: Case[], cmp: Comparison): Promise<(CaseResult | SkippedCase)[]> {
  const out: (CaseResult | SkippedCase)[] = [];
  if (!cmp.options?.interleave) {
    for (const [i, c] of cases.entries()) {
      const reason = await skipReason(c);
      if (reason !== undefined && i === 0) refuseOurs(cmp, reason);
      out.push(
        reason === undefined
          ? caseResult(c, cmp, await measure(c.run, cmp.options))
          : { name: c.name, skipped: reason },
      );
    }
    return out;
  }
  const runnable: number[] = [];
  for (const [i, c] of cases.entries()) {
    const reason = await skipReason(c);
    if (reason !== undefined && i === 0) refuseOurs(cmp, reason);
    out.push({ name: c.name, skipped: reason ?? '' });
    if (reason === undefined) runnable.push(i);
  }
  const stats = await measureInterleaved(
    runnable.map((i) => (cases[i] as Case).run),
    cmp.options,
  );
  runnable.forEach((i, k) => {
    out[i] = caseResult(cases[i] as Case, cmp, stats[k] as Stats & { timesMs: number[] });
  });
  return out;
}

/**
 * Measures ours and each peer in this process (ours first, then each peer; or in rounds with `options.interleave`);
 * the ratio is taken against the fastest peer that ran.
 */
export async function compare(cmp: Comparison): Promise<ComparisonResult> {
  const [ours, ...peers] = (await runCases([cmp.ours, ...cmp.peers], cmp)) as [
    CaseResult,
    ...(CaseResult | SkippedCase)[],
  ];
  const ran = peers.filter((p): p is CaseResult => !isSkipped(p));
  const result: ComparisonResult = { title: cmp.title, ours, peers };
  if (cmp.work) result.unit = `${cmp.work.unit}/s`;
  if (ran.length > 0) {
    const best = ran.reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
    result.strongestPeer = best.name;
    result.ratio = best.medianMs / ours.medianMs;
    if (cmp.options?.interleave) {
      const mine = timesOf(ours);
      result.pairedRatio = summarize(timesOf(best).map((t, r) => t / (mine[r] as number))).medianMs;
    }
  }
  return result;
}
