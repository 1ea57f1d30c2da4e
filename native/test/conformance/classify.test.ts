// Checks how the conformance runner sorts spec outcomes: missing kernels, exclusions, stale entries, real failures.
import { describe, expect, it } from 'vitest';
import { classify, type Exclusion, missingKernels, type SpecOutcome, summarize } from './classify.js';
import { shortName } from './names.js';

const spec = (name: string, messages: string[] = []): SpecOutcome => ({
  name,
  passed: messages.length === 0,
  messages,
  ms: 1,
  kernels: ['Add'],
  missed: [],
});
const notRegistered = (k: string) => `Error: Kernel '${k}' not registered for backend 'robusta'`;
const exclusions: Exclusion[] = [
  { test: 'add complex', reason: 'complex64 unsupported' },
  { error: '^Error: the robusta backend does not support dtype string$', reason: 'no string kernels' },
  { test: 'never matches', reason: 'stale' },
];

describe('conformance classification', () => {
  it('strips the env marker from jasmine full names', () => {
    expect(shortName('add robusta {} c + A')).toBe('add c + A');
    expect(shortName('slice robusta {} accepts string robusta {} slices')).toBe('slice accepts string slices');
    expect(shortName('add robusta-cuda {} c + A', 'robusta-cuda')).toBe('add c + A');
  });

  it('names every kernel a failure reports as not registered', () => {
    expect(missingKernels([`${notRegistered('Sum')}; ${notRegistered('Max')}`, notRegistered('Sum')])).toEqual([
      'Max',
      'Sum',
    ]);
    // hyphenated backend names ('robusta-cuda') are read too
    expect(missingKernels(["Error: Kernel 'Max' not registered for backend 'robusta-cuda'"])).toEqual(['Max']);
  });

  it('sorts passes, missing kernels, exclusions and real failures', () => {
    expect(classify(spec('add c + A'), exclusions).verdict).toBe('passed');
    expect(classify(spec('add grad', [notRegistered('Sum')]), exclusions)).toMatchObject({
      verdict: 'needs-kernel',
      missing: ['Sum'],
    });
    expect(classify(spec('add complex number', ['Error: nope']), exclusions)).toMatchObject({
      verdict: 'excluded',
      excusedBy: 0,
    });
    const strings = spec('equal strings', ['Error: the robusta backend does not support dtype string']);
    expect(classify(strings, exclusions)).toMatchObject({ verdict: 'excluded', excusedBy: 1 });
    expect(
      classify(spec('add c + A', ['Error: Arrays differ: actual[0] = 5, expected[0] = 6.']), exclusions).verdict,
    ).toBe('unexpected');
  });

  it('does not count a pass that only threw because a kernel is missing', () => {
    const lucky = { ...spec('mean throws for string'), missed: ['Mean'] };
    expect(classify(lucky, exclusions)).toMatchObject({ verdict: 'needs-kernel', missing: ['Mean'] });
  });

  it('blames our kernel when an expectation failed before the missing kernel was hit', () => {
    const mixed = spec('add then sum', ['Error: Arrays differ', notRegistered('Sum')]);
    expect(classify(mixed, exclusions).verdict).toBe('unexpected');
  });

  it('reports exclusions that excused nothing in a complete run as stale', () => {
    const all = [
      spec('add complex number', ['Error: nope']),
      spec('eq', ['Error: the robusta backend does not support dtype string']),
    ];
    const meta = {
      backend: 'robusta',
      tfjsCore: '4.22.0',
      kernels: ['Add'],
      ownKernels: [],
      testFiles: 1,
      skippedByList: [],
      jasmineStatus: 'failed',
      ms: 1,
    };
    const classified = all.map((o) => classify(o, exclusions));
    expect(summarize(classified, exclusions, { ...meta, complete: true }).staleExclusions).toEqual([exclusions[2]]);
    expect(summarize(classified, exclusions, { ...meta, complete: false }).staleExclusions).toEqual([]);
  });
});
