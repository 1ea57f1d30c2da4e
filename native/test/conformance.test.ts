// The conformance bar: tfjs-core's own op tests run against the 'robusta' backend (test/conformance/run.ts) in a
// child process; every test of a kernel we register must pass or be excused in test/conformance/exclusions.ts, and the
// run must meet the committed bar in test/conformance/expected.json (ROBUSTA_CONFORMANCE_UPDATE=1 records a new one).
// Where a CUDA device is usable the same run certifies 'robusta-cuda' (excused in src/cuda-backend/exclusions.ts).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requirement } from '@robusta/test-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { cudaBackendStatus } from '../src/index.js';
import type { Summary } from './conformance/classify.js';
import {
  compareWithExpectation,
  EXPECTED_PATH,
  loadExpectations,
  saveExpectation,
  UPDATE_ENV,
} from './conformance/expectation.js';

const nativeRoot = fileURLToPath(new URL('..', import.meta.url));
const runner = fileURLToPath(new URL('./conformance/run.ts', import.meta.url));
// The whole run takes seconds; the budget leaves room for more kernels on a 2-core CI machine.
const RUN_TIMEOUT_MS = 170_000;

let scratch: string | undefined;
afterAll(async () => {
  if (scratch != null) await rm(scratch, { recursive: true, force: true });
});

function runConformance(out: string, backend: string): Promise<{ code: number | null; output: string }> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // vitest's own loader flags must not leak into the child
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', runner, '--out', out, '--backend', backend],
      { cwd: nativeRoot, env, timeout: RUN_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error == null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

const cuda = cudaBackendStatus();
requirement("a CUDA GPU ('robusta-cuda' conformance)", cuda.registered ? null : (cuda.reason ?? 'no reason given'), {
  ciInstalls: false,
});
const updating = process.env[UPDATE_ENV] === '1';

for (const backend of ['robusta', 'robusta-cuda'] as const) {
  describe(`tfjs-core's op tests on the '${backend}' backend`, () => {
    it.skipIf(backend === 'robusta-cuda' && !cuda.registered)(
      'pass for every kernel we register, apart from the listed exclusions',
      async () => {
        scratch ??= await mkdtemp(join(tmpdir(), 'robusta-conformance-'));
        const out = join(scratch, `${backend}.json`);
        const { code, output } = await runConformance(out, backend);
        let summary: Summary;
        try {
          summary = JSON.parse(await readFile(out, 'utf8')) as Summary;
        } catch {
          throw new Error(`the conformance runner wrote no summary (exit ${code}):\n${output.slice(-4000)}`);
        }
        const c = summary.counts;
        console.log(
          `conformance '${backend}' vs tfjs-core ${summary.tfjsCore}: ${c.passed} passed, ${c.unexpected} failed, ` +
            `${c.excluded} excluded (${c.skipped} skip entries), ${c.needsKernel} need kernels not registered yet; ` +
            `${summary.kernels.length} kernels, ${(summary.ms / 1000).toFixed(1)} s`,
        );
        if (summary.untestedKernels.length > 0) {
          console.log(`tfjs kernels no passing tfjs-core test runs: ${summary.untestedKernels.join(', ')}`);
        }
        if (summary.ownKernels.length > 0) {
          console.log(`our own kernels (tested beside them, not by tfjs-core): ${summary.ownKernels.join(', ')}`);
        }
        expect(summary.unexpectedFailures).toEqual([]);
        expect(summary.staleExclusions, 'exclusions that excuse no failing test any more: remove them').toEqual([]);
        expect(c.passed).toBeGreaterThan(0);
        expect(code).toBe(0);
        // the committed bar: the pass count, the registered kernels, the kernels no passing spec reaches
        if (updating) {
          saveExpectation(summary);
          console.log(`${UPDATE_ENV}=1: recorded '${backend}' (${c.passed} passed) in ${EXPECTED_PATH}`);
        } else {
          expect(compareWithExpectation(summary, loadExpectations()[backend]), `against ${EXPECTED_PATH}`).toEqual([]);
        }
      },
      RUN_TIMEOUT_MS + 10_000,
    );
  });
}
