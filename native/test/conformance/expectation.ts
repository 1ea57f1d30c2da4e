// The committed conformance bar (expected.json): per backend, how many tfjs-core specs pass, which kernels are
// registered, and which of them no passing spec reaches. A run that differs fails, so deleting a kernel (its specs
// turn into "needs a kernel") cannot stay green. `npm run conformance:update -w @robusta/native` rewrites it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Summary } from './classify.js';

export interface BackendExpectation {
  tfjsCore: string;
  passed: number;
  /** Every kernel the backend registers, sorted. */
  kernels: string[];
  /** Registered tfjs kernels no passing tfjs-core spec runs (tested beside them instead), sorted. */
  untestedKernels: string[];
}

export type Expectations = Record<string, BackendExpectation>;

export const EXPECTED_PATH = fileURLToPath(new URL('./expected.json', import.meta.url));

/** The environment variable that makes the conformance test record the run as the new bar instead of checking it. */
export const UPDATE_ENV = 'ROBUSTA_CONFORMANCE_UPDATE';

type RunFacts = Pick<Summary, 'backend' | 'tfjsCore' | 'kernels' | 'untestedKernels'> & { counts: { passed: number } };

export function expectationOf(run: RunFacts): BackendExpectation {
  return {
    tfjsCore: run.tfjsCore,
    passed: run.counts.passed,
    kernels: [...run.kernels].sort(),
    untestedKernels: [...run.untestedKernels].sort(),
  };
}

/** What differs between a run and its backend's expectation, each in words; empty when the run meets it exactly. */
export function compareWithExpectation(run: RunFacts, expected: BackendExpectation | undefined): string[] {
  const record = `; if intended, record it with \`npm run conformance:update -w @robusta/native\``;
  if (expected == null) return [`no expectation for backend '${run.backend}' in ${EXPECTED_PATH}${record}`];
  const problems: string[] = [];
  if (run.tfjsCore !== expected.tfjsCore) {
    problems.push(`tfjs-core is ${run.tfjsCore}, the expectation was recorded against ${expected.tfjsCore}${record}`);
  }
  const passed = run.counts.passed;
  if (passed < expected.passed) {
    problems.push(`${passed} specs pass, ${expected.passed - passed} fewer than the ${expected.passed} expected`);
  } else if (passed > expected.passed) {
    // a rise is good news, but an unrecorded one would let a later fall back to the old count pass unseen
    problems.push(
      `${passed} specs pass, ${passed - expected.passed} more than the ${expected.passed} expected${record}`,
    );
  }
  const gone = expected.kernels.filter((k) => !run.kernels.includes(k));
  if (gone.length > 0) problems.push(`kernels no longer registered: ${gone.join(', ')}`);
  const added = run.kernels.filter((k) => !expected.kernels.includes(k));
  if (added.length > 0) problems.push(`kernels registered but not in the expectation: ${added.join(', ')}${record}`);
  const untested = run.untestedKernels.filter((k) => !expected.untestedKernels.includes(k));
  if (untested.length > 0)
    problems.push(`registered kernels that no passing spec runs any more: ${untested.join(', ')}`);
  const nowTested = expected.untestedKernels.filter((k) => run.kernels.includes(k) && !run.untestedKernels.includes(k));
  if (nowTested.length > 0)
    problems.push(`kernels a passing spec now runs, listed as untested: ${nowTested.join(', ')}${record}`);
  return problems;
}

export function loadExpectations(path = EXPECTED_PATH): Expectations {
  return JSON.parse(readFileSync(path, 'utf8')) as Expectations;
}

/** Records one backend's run, keeping the other backends' entries (a CUDA run leaves the host bar as it was). */
export function saveExpectation(run: RunFacts, path = EXPECTED_PATH): void {
  const all: Expectations = existsSync(path) ? loadExpectations(path) : {};
  all[run.backend] = expectationOf(run);
  const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(path, toJson(sorted));
}

/**
 * JSON laid out as the repository's formatter (biome, 120 columns) lays it out, so a recorded file passes lint:
 * two-space objects, an array on one line when it fits, else one element per line.
 */
export function toJson(value: unknown, indent = '', prefix = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    // prefix (the key) and a trailing comma share the line
    if (value.length === 0 || indent.length + prefix.length + flat.length + 1 <= 120) return flat;
    return `[\n${value.map((v) => `${inner}${toJson(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => {
      const key = `${JSON.stringify(k)}: `;
      return `${inner}${key}${toJson(v, inner, key)}`;
    });
    const body = entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${indent}}`;
    return indent === '' ? `${body}\n` : body;
  }
  return JSON.stringify(value);
}
