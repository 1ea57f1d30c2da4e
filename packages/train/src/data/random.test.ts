// Stateless randomness pinned: shuffling, masking and pair sampling of a resumed run depend on these exact values.
import { describe, expect, it } from 'vitest';
import { CounterRng, hashKey, permutation } from './random.js';

describe('hashKey / CounterRng / permutation: values pinned', () => {
  // computed before the seed-mixing finalizer moved to @robusta/tfjs; a change here changes every run's data order
  it('give the same keys, draws and orders as when the values were pinned', () => {
    expect([hashKey(), hashKey(0), hashKey(1, 2, 3), hashKey(2 ** 40 + 7, 5)]).toEqual([
      0x9e3779b9, 0xbe249a61, 0xd79bc4e5, 0xa216d639,
    ]);
    const rng = new CounterRng(42, 1, 7);
    expect([rng.nextU32(), rng.nextU32(), rng.nextU32()]).toEqual([0x993109b8, 0x1dabd1b1, 0x30ad7b7c]);
    expect(Array.from(permutation(10, 3, 1))).toEqual([7, 8, 4, 6, 2, 5, 0, 1, 9, 3]);
  });
});
