// Entry point for a package's `npm run bench`: runs comparisons in order, prints the tables, writes JSON.

import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { type Comparison, type ComparisonResult, compare } from './compare.js';
import { formatTable, writeJson } from './report.js';

export interface RunOptions {
  /** Benchmark suite name; results go to `<outDir>/<name>.json`. */
  name: string;
  /** Default `bench-results` under the current directory. */
  outDir?: string;
  log?: (line: string) => void;
}

/** Runs each comparison (built lazily, so setup cost is not paid for skipped suites), prints and saves results. */
export async function runBenchmarks(
  comparisons: readonly (Comparison | (() => Comparison | Promise<Comparison>))[],
  options: RunOptions,
): Promise<ComparisonResult[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const results: ComparisonResult[] = [];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  log(`# ${options.name} — ${cpu}, ${availableParallelism()} cores, Node ${process.version}`);
  for (const item of comparisons) {
    const cmp = typeof item === 'function' ? await item() : item;
    const result = await compare(cmp);
    results.push(result);
    log(formatTable([result]));
  }
  const path = join(options.outDir ?? 'bench-results', `${options.name}.json`);
  writeJson(path, results, { suite: options.name, cpu, cores: availableParallelism() });
  log(`results written to ${path}`);
  return results;
}
