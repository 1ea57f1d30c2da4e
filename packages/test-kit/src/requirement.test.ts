import { describe, expect, it } from 'vitest';
import { onCi, requirement } from './requirement.js';

describe('requirement', () => {
  const registered: { name: string; fn: () => void }[] = [];
  const register = (name: string, fn: () => void) => registered.push({ name, fn });
  const printed: string[] = [];
  const print = (line: string) => printed.push(line);

  it('reads CI as CI services set it', () => {
    expect(onCi({ CI: 'true' })).toBe(true);
    expect(onCi({ CI: '1' })).toBe(true);
    expect(onCi({ CI: 'false' })).toBe(false);
    expect(onCi({ CI: '' })).toBe(false);
    expect(onCi({})).toBe(false);
  });

  it('present: runs, registers nothing', () => {
    registered.length = 0;
    expect(requirement('OpenBLAS', null, { env: { CI: 'true' }, register, print })).toBe(true);
    expect(registered).toEqual([]);
  });

  it('missing off CI: skips and registers nothing', () => {
    registered.length = 0;
    expect(requirement('PyTorch', 'no torch', { env: {}, register, print })).toBe(false);
    expect(registered).toEqual([]);
    expect(printed.at(-1)).toBe('PyTorch: tests skipped: no torch');
  });

  it('missing on CI: skips the tests and registers one that fails naming what and why', () => {
    registered.length = 0;
    expect(requirement('Chromium', 'no /usr/bin/chromium', { env: { CI: 'true' }, register, print })).toBe(false);
    expect(registered.map((r) => r.name)).toEqual(['Chromium is present (.ci/run installs it)']);
    expect(() => registered[0]?.fn()).toThrow('Chromium is missing on CI: no /usr/bin/chromium');
    expect(printed.at(-1)).toBe('Chromium: MISSING ON CI: no /usr/bin/chromium');
  });

  it('missing on CI but not something CI can have (a GPU): skips only', () => {
    registered.length = 0;
    expect(
      requirement('a CUDA GPU', 'no libcuda.so.1', { env: { CI: 'true' }, ciInstalls: false, register, print }),
    ).toBe(false);
    expect(registered).toEqual([]);
  });
});
