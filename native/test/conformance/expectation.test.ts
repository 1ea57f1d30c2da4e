// Checks the committed conformance bar: a deleted kernel, fewer passes, a kernel no passing spec reaches, an
// unrecorded rise or a new kernel each fail the run, and a recorded file keeps the formatter's layout.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BackendExpectation,
  compareWithExpectation,
  EXPECTED_PATH,
  expectationOf,
  loadExpectations,
  saveExpectation,
  toJson,
} from './expectation.js';

const run = (
  over: Partial<{ passed: number; kernels: string[]; untestedKernels: string[]; tfjsCore: string }> = {},
) => ({
  backend: 'robusta',
  tfjsCore: over.tfjsCore ?? '4.22.0',
  counts: { passed: over.passed ?? 100 },
  kernels: over.kernels ?? ['Add', 'LogSoftmax', 'Mul', 'RobustaAdamW'],
  untestedKernels: over.untestedKernels ?? ['LogSoftmax'],
});
const expected: BackendExpectation = expectationOf(run());

describe('the conformance expectation', () => {
  it('a run that meets it exactly has no problems', () => {
    expect(compareWithExpectation(run(), expected)).toEqual([]);
  });

  it('deleting a kernel fails: it leaves the registry and its passing specs go', () => {
    const problems = compareWithExpectation(
      run({ passed: 90, kernels: ['Add', 'LogSoftmax', 'RobustaAdamW'] }),
      expected,
    );
    expect(problems).toEqual(['90 specs pass, 10 fewer than the 100 expected', 'kernels no longer registered: Mul']);
  });

  it('a registered kernel that no passing spec runs any more fails', () => {
    const problems = compareWithExpectation(run({ untestedKernels: ['LogSoftmax', 'Mul'] }), expected);
    expect(problems).toEqual(['registered kernels that no passing spec runs any more: Mul']);
  });

  it('an unrecorded rise, a new kernel, a newly tested kernel or another tfjs-core asks for a new recording', () => {
    const problems = compareWithExpectation(
      run({
        passed: 120,
        kernels: ['Add', 'LogSoftmax', 'Mul', 'RobustaAdamW', 'Sub'],
        untestedKernels: [],
        tfjsCore: '4.23.0',
      }),
      expected,
    );
    expect(problems).toHaveLength(4);
    for (const p of problems) expect(p).toMatch(/npm run conformance:update -w @robusta\/native/);
    expect(problems.join('\n')).toMatch(/20 more than the 100 expected/);
    expect(problems.join('\n')).toMatch(/not in the expectation: Sub/);
    expect(problems.join('\n')).toMatch(/listed as untested: LogSoftmax/);
    expect(problems.join('\n')).toMatch(/tfjs-core is 4\.23\.0/);
  });

  it('a backend with no recorded expectation fails, naming it', () => {
    expect(compareWithExpectation({ ...run(), backend: 'robusta-cuda' }, undefined)).toEqual([
      expect.stringMatching(/no expectation for backend 'robusta-cuda'/),
    ]);
  });

  it('recording one backend keeps the others, in the formatter layout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'robusta-expectation-'));
    try {
      const path = join(dir, 'expected.json');
      writeFileSync(
        path,
        toJson({ 'robusta-cuda': expectationOf({ ...run({ passed: 7 }), backend: 'robusta-cuda' }) }),
      );
      saveExpectation(run({ passed: 5 }), path);
      const saved = loadExpectations(path);
      expect(Object.keys(saved)).toEqual(['robusta', 'robusta-cuda']);
      expect(saved.robusta?.passed).toBe(5);
      expect(saved['robusta-cuda']?.passed).toBe(7);
      expect(readFileSync(path, 'utf8')).toBe(toJson(saved));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the committed expected.json has a host entry and is laid out as a recording writes it', () => {
    const committed = loadExpectations();
    expect(committed.robusta?.passed).toBeGreaterThan(0);
    expect(committed.robusta?.kernels).toContain('BatchMatMul');
    expect(readFileSync(EXPECTED_PATH, 'utf8')).toBe(toJson(committed));
  });

  it('lays arrays out on one line when they fit in 120 columns, else one element per line', () => {
    expect(toJson({ a: ['x', 'y'], n: 1 })).toBe('{\n  "a": ["x", "y"],\n  "n": 1\n}\n');
    const long = Array.from({ length: 20 }, (_, i) => `Kernel${i}`);
    expect(toJson({ k: long }).trimEnd().split('\n')).toHaveLength(20 + 4); // {, "k": [, 20 names, ], }
  });
});
