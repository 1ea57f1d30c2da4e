// Measures our implementation beside its peers in one process run and computes the ratio to the strongest peer.
import { type MeasureOptions, measure, type Work } from './measure.js';
import type { Stats } from './stats.js';

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
}

export function isSkipped(r: CaseResult | SkippedCase): r is SkippedCase {
  return 'skipped' in r;
}

async function runCase(c: Case, cmp: Comparison): Promise<CaseResult | SkippedCase> {
  const reason = c.unavailable ? await c.unavailable() : undefined;
  if (reason !== undefined) return { name: c.name, skipped: reason };
  const { timesMs: _times, ...stats } = await measure(c.run, cmp.options);
  const result: CaseResult = { name: c.name, ...stats };
  if (cmp.work) result.throughput = cmp.work.amount / (stats.medianMs / 1000);
  return result;
}

/** Measures ours, then each peer, in this process; the ratio is taken against the fastest peer that ran. */
export async function compare(cmp: Comparison): Promise<ComparisonResult> {
  const ours = await runCase(cmp.ours, cmp);
  if (isSkipped(ours)) throw new Error(`compare "${cmp.title}": our case "${ours.name}" cannot run: ${ours.skipped}`);
  const peers: (CaseResult | SkippedCase)[] = [];
  for (const p of cmp.peers) peers.push(await runCase(p, cmp));
  const ran = peers.filter((p): p is CaseResult => !isSkipped(p));
  const result: ComparisonResult = { title: cmp.title, ours, peers };
  if (cmp.work) result.unit = `${cmp.work.unit}/s`;
  if (ran.length > 0) {
    const best = ran.reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
    result.strongestPeer = best.name;
    result.ratio = best.medianMs / ours.medianMs;
  }
  return result;
}
