import { describe, expect, it } from 'vitest';
import { summarize } from './stats.js';

describe('summarize', () => {
  it('takes the middle value of an odd count', () => {
    expect(summarize([5, 1, 3])).toEqual({ runs: 3, medianMs: 3, minMs: 1, maxMs: 5, meanMs: 3 });
  });
  it('averages the middle two of an even count', () => {
    const s = summarize([4, 1, 10, 2]);
    expect(s.medianMs).toBe(3);
    expect(s.minMs).toBe(1);
    expect(s.maxMs).toBe(10);
    expect(s.meanMs).toBe(4.25);
  });
  it('rejects empty and invalid input', () => {
    expect(() => summarize([])).toThrow(/no timed runs/);
    expect(() => summarize([1, Number.NaN])).toThrow(/invalid run time/);
    expect(() => summarize([-1])).toThrow(/invalid run time/);
  });
});
