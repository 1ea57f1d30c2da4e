// Dropout seeds pinned: a resumed run replays its dropout streams only while mixSeed gives these exact values.
import { describe, expect, it } from 'vitest';
import { mixSeed } from './seeds.js';

describe('mixSeed: values pinned', () => {
  // computed before its finalizer became @robusta/tfjs's fmix32
  it('gives the same 31-bit seeds as when the values were pinned', () => {
    expect([mixSeed(), mixSeed(0), mixSeed(1, 2, 3), mixSeed(123456789, -1, 2 ** 31)]).toEqual([
      1231361927, 193541216, 1953191645, 1467239359,
    ]);
  });
});
