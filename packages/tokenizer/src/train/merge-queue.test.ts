// The trainer's priority queue pops in HF's order: count descending, then (left, right) ascending.
import { describe, expect, it } from 'vitest';
import { type Candidate, MergeQueue } from './merge-queue.js';

describe('MergeQueue', () => {
  it('pops random candidates in sorted order', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    for (let run = 0; run < 20; run++) {
      const q = new MergeQueue();
      const items: Candidate[] = [];
      for (let i = 0, n = rand(300); i < n; i++) {
        const c = { count: rand(6), left: rand(8), right: rand(8), words: new Int32Array(0) };
        items.push(c);
        q.push(c);
      }
      const popped: Candidate[] = [];
      for (let c = q.pop(); c !== undefined; c = q.pop()) popped.push(c);
      const key = (c: Candidate) => [-c.count, c.left, c.right];
      const sorted = [...items].sort((x, y) => {
        const [a, b] = [key(x), key(y)];
        return (
          (a[0] as number) - (b[0] as number) ||
          (a[1] as number) - (b[1] as number) ||
          (a[2] as number) - (b[2] as number)
        );
      });
      expect(popped.map(key)).toEqual(sorted.map(key));
      expect(q.size).toBe(0);
    }
  });
});
