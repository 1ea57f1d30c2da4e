import { describe, expect, it } from 'vitest';
import { dropoutBits, dropoutKey, dropoutMask, dropoutScale, dropoutThreshold, splitSeed } from './dropout.js';

describe('seeded attention dropout mask', () => {
  it('is a pure function of (seed, index) and keeps about 1 - rate of the elements', () => {
    const a = dropoutMask(0.1, 1234, 100_000);
    expect(dropoutMask(0.1, 1234, 100_000)).toEqual(a);
    // a prefix of a longer mask is the shorter mask: elements do not depend on the count
    expect(dropoutMask(0.1, 1234, 1000)).toEqual(a.subarray(0, 1000));
    const kept = a.filter((m) => m !== 0).length / a.length;
    expect(Math.abs(kept - 0.9)).toBeLessThan(0.005);
    expect(a.every((m) => m === 0 || m === dropoutScale(0.1))).toBe(true);
    const b = dropoutMask(0.1, 1235, 100_000);
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    expect(same / a.length).toBeLessThan(0.85); // independent masks agree on ~0.82 of elements
  });

  it('mixes the high half of the seed and validates its inputs', () => {
    expect(dropoutMask(0.5, 2 ** 40 + 7, 64)).not.toEqual(dropoutMask(0.5, 7, 64));
    expect(splitSeed(2 ** 40 + 7)).toEqual([7, 256]);
    expect(() => splitSeed(-1)).toThrow(/non-negative/);
    expect(() => splitSeed(1.5)).toThrow(/safe integer/);
    expect(() => dropoutThreshold(1)).toThrow(/\[0, 1\)/);
    expect(dropoutThreshold(0)).toBe(0);
    expect(dropoutMask(0, 1, 10).every((m) => m === 1)).toBe(true);
  });
});

describe('seeded attention dropout mask: values pinned', () => {
  // computed before fmix32 moved to hash.ts: a change here changes the masks of resumed runs and old checkpoints
  it('gives the same keys, bits and mask as when the values were pinned', () => {
    expect([dropoutKey(0, 0, 0), dropoutKey(1234, 0, 0), dropoutKey(7, 256, 3)]).toEqual([
      0x6b7e1182, 0x4e1abdb7, 0xec0e2e61,
    ]);
    const key = dropoutKey(1234, 0, 0);
    expect([0, 1, 999, 0xffffffff].map((i) => dropoutBits(key, i))).toEqual([8840681, 1002030, 11062480, 12656485]);
    const mask = Array.from(dropoutMask(0.1, 1234, 32), (m) => (m === 0 ? 0 : 1)).join('');
    expect(mask).toBe('10011111111111111110111111111110');
  });
});
