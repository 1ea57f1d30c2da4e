// The C++ core's own tests (src/core/tests): CPU cases that run on every machine, and GPU kernels against their CPU
// twins (skipped with the reason without a GPU). The binary's report is parsed case by case, not pattern-matched.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { requirement } from '@robusta/test-kit';
import { describe, expect, it } from 'vitest';
import { nativeBuildDir } from './addon.js';

const binary = join(nativeBuildDir(), 'robusta_core_tests');

/** What robusta_core_tests printed (src/core/tests/main.cc): one line per case, one per skipped suite, a summary. */
interface CoreReport {
  passed: string[];
  failed: { name: string; message: string }[];
  /** Reasons per suite, as printed once per suite ("cuda: skipped: no CUDA driver ..."). */
  skipNotes: Map<string, string>;
  summary: { passed: number; failed: number; skipped: number } | null;
}

function parseCoreReport(stdout: string): CoreReport {
  const report: CoreReport = { passed: [], failed: [], skipNotes: new Map(), summary: null };
  const lines: [RegExp, (m: string[]) => void][] = [
    [/^ok {4}(\w+\.\w+)$/, (m) => report.passed.push(m[1] as string)],
    [/^FAIL {2}(\w+\.\w+): (.*)$/, (m) => report.failed.push({ name: m[1] as string, message: m[2] as string })],
    [/^(\w+): skipped: (.*)$/, (m) => report.skipNotes.set(m[1] as string, m[2] as string)],
    [
      /^(\d+) passed, (\d+) failed(?: \((\d+) skipped\))?$/,
      (m) => {
        report.summary = { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) };
      },
    ],
  ];
  for (const line of stdout.split('\n')) {
    for (const [re, take] of lines) {
      const m = line.match(re);
      if (m) {
        take([...m]);
        break;
      }
    }
  }
  return report;
}

const suiteOf = (name: string) => name.slice(0, name.indexOf('.'));

describe('parseCoreReport', () => {
  it('reads passes, failures, skip reasons and the summary; an all-skipped run has no passes', () => {
    const r = parseCoreReport(
      'ok    gemm.edges\nFAIL  shape.broadcast: got [2], expected [3]\ncuda: skipped: no CUDA driver\n1 passed, 1 failed (9 skipped)\n',
    );
    expect(r.passed).toEqual(['gemm.edges']);
    expect(r.failed).toEqual([{ name: 'shape.broadcast', message: 'got [2], expected [3]' }]);
    expect(r.skipNotes.get('cuda')).toBe('no CUDA driver');
    expect(r.summary).toEqual({ passed: 1, failed: 1, skipped: 9 });
    const skippedOnly = parseCoreReport('cuda: skipped: no CUDA driver\n0 passed, 0 failed (9 skipped)\n');
    expect(skippedOnly.passed).toEqual([]);
    expect(skippedOnly.summary).toEqual({ passed: 0, failed: 0, skipped: 9 });
    expect(parseCoreReport('Segmentation fault').summary).toBeNull();
  });
});

describe(`C++ core tests (${relative(process.cwd(), binary)})`, () => {
  // run once: the CPU and CUDA verdicts below read the same report
  const run = existsSync(binary) ? spawnSync(binary, [], { encoding: 'utf8', timeout: 120_000 }) : null;
  const report = run ? parseCoreReport(run.stdout ?? '') : null;
  if (run) console.log(run.stdout.trim());

  it('ran to its summary, which agrees with the case lines and the exit status', () => {
    expect(run, `${binary} is built by npm run build`).not.toBeNull();
    const r = report as CoreReport;
    expect(
      r.summary,
      `no summary line; the binary ended with ${run?.status ?? run?.signal}: ${run?.stderr}`,
    ).not.toBeNull();
    expect(r.summary?.passed).toBe(r.passed.length);
    expect(r.summary?.failed).toBe(r.failed.length);
    expect(r.failed, 'failed cases').toEqual([]);
    expect(run?.status, run?.stderr).toBe(0);
  });

  it('CPU cases (allocator, thread pool, shapes and broadcasting, GEMM) pass on every machine', () => {
    const r = report as CoreReport;
    expect(r.failed.filter((f) => suiteOf(f.name) !== 'cuda')).toEqual([]);
    for (const suite of ['allocator', 'thread_pool', 'shape', 'gemm']) {
      expect(
        r.passed.filter((n) => suiteOf(n) === suite).length,
        `passing cases of the '${suite}' suite`,
      ).toBeGreaterThan(0);
    }
    // a CPU suite may skip single cases (one thread: nothing to spread), never with no reason printed
    for (const [suite, reason] of r.skipNotes)
      if (suite !== 'cuda') console.log(`core tests: ${suite}: skipped: ${reason}`);
  });

  it('CUDA cases pass against their CPU twins', (ctx) => {
    const r = report as CoreReport;
    expect(r.failed.filter((f) => suiteOf(f.name) === 'cuda')).toEqual([]);
    const ran = r.passed.filter((n) => suiteOf(n) === 'cuda').length;
    const why = r.skipNotes.get('cuda');
    if (ran === 0 && why !== undefined) {
      // every CUDA case skipped: reported as skipped with the binary's reason, never as a pass
      requirement('a CUDA GPU', why, { ciInstalls: false });
      ctx.skip(`no CUDA case ran: ${why}`);
    }
    expect(ran, 'CUDA cases that passed (none ran, and the binary printed no reason)').toBeGreaterThan(0);
    if (why) console.log(`core tests: some CUDA cases skipped: ${why}`);
  });
});
