// fmix32 pinned to murmur3's finalizer as it was computed before its three copies became this one.
import { describe, expect, it } from 'vitest';
import { fmix32 } from './hash.js';

describe('fmix32', () => {
  it('gives murmur3 fmix32 values, inputs taken modulo 2^32', () => {
    expect([0, 1, 0x9e3779b9, 0xffffffff].map(fmix32)).toEqual([0, 0x514e28b7, 0x92ca2f0e, 0x81f16f39]);
    expect(fmix32(2 ** 32 + 5)).toBe(0xcc0d53cd);
    expect(fmix32(2 ** 32 + 5)).toBe(fmix32(5));
    expect(fmix32(-1)).toBe(fmix32(0xffffffff));
  });
});
