// Schedule values: warmup ramp, peak, linear decay, zero at and after the last update.
import { describe, expect, it } from 'vitest';
import { learningRate } from './schedule.js';

describe('learningRate', () => {
  const o = { peakLr: 6e-4, warmupUpdates: 24_000, maxUpdates: 500_000 };
  it('ramps linearly to the peak over warmup', () => {
    expect(learningRate(1, o)).toBeCloseTo(6e-4 / 24_000, 15);
    expect(learningRate(12_000, o)).toBeCloseTo(3e-4, 15);
    expect(learningRate(24_000, o)).toBe(6e-4);
  });
  it('decays linearly to 0 at maxUpdates', () => {
    expect(learningRate(24_001, o)).toBeCloseTo((6e-4 * (500_000 - 24_001)) / 476_000, 15);
    expect(learningRate(262_000, o)).toBeCloseTo(3e-4, 15);
    expect(learningRate(499_999, o)).toBeCloseTo(6e-4 / 476_000, 15);
    expect(learningRate(500_000, o)).toBe(0);
    expect(learningRate(600_000, o)).toBe(0);
    expect(learningRate(0, o)).toBe(0);
  });
  it('is monotone up then down, and without warmup starts at the peak', () => {
    const small = { peakLr: 1, warmupUpdates: 10, maxUpdates: 30 };
    const lrs = Array.from({ length: 31 }, (_, i) => learningRate(i, small));
    for (let u = 1; u <= 10; u++) expect(lrs[u]!).toBeGreaterThan(lrs[u - 1]!);
    for (let u = 11; u <= 30; u++) expect(lrs[u]!).toBeLessThan(lrs[u - 1]!);
    expect(learningRate(1, { peakLr: 1, warmupUpdates: 0, maxUpdates: 4 })).toBe(0.75);
  });
});
