// Hand-checked cases for the truncation planner; the exhaustive comparison with HF lives in template.test.ts.
import { describe, expect, it } from 'vitest';
import { planTruncation, sequenceWindows } from './truncation.js';

const r = (start: number, end: number) => ({ start, end });

describe('sequenceWindows', () => {
  it('steps by maxLen - stride and stops at the window that reaches the end', () => {
    expect(sequenceWindows(10, 4, 1)).toEqual([r(0, 4), r(3, 7), r(6, 10)]);
    expect(sequenceWindows(10, 4, 0)).toEqual([r(0, 4), r(4, 8), r(8, 10)]);
    expect(sequenceWindows(3, 4, 3)).toEqual([r(0, 3)]);
  });
  it('moves everything into one overflowing window when cut to zero, as HF does', () => {
    expect(sequenceWindows(5, 0, 2)).toEqual([r(0, 0), r(0, 5)]);
    expect(sequenceWindows(0, 0, 0)).toEqual([r(0, 0)]);
  });
  it('refuses a stride as long as the cut', () => {
    expect(() => sequenceWindows(10, 3, 3)).toThrow(/stride 3 must be smaller than the 3 tokens/);
  });
});

describe('planTruncation', () => {
  it('gives the longer sequence the odd token under longest_first', () => {
    expect(planTruncation(10, 12, { maxLength: 7, strategy: 'longest_first', stride: 0 })[0]).toEqual({
      a: r(0, 3),
      b: r(0, 4),
    });
    expect(planTruncation(12, 10, { maxLength: 7, strategy: 'longest_first', stride: 0 })[0]).toEqual({
      a: r(0, 4),
      b: r(0, 3),
    });
    expect(planTruncation(2, 12, { maxLength: 7, strategy: 'longest_first', stride: 0 })[0]).toEqual({
      a: r(0, 2),
      b: r(0, 5),
    });
  });
  it('orders pair windows as HF merges them', () => {
    const plans = planTruncation(4, 4, { maxLength: 4, strategy: 'longest_first', stride: 0 });
    expect(plans).toEqual([
      { a: r(0, 2), b: r(0, 2) },
      { a: r(2, 4), b: r(0, 2) },
      { a: r(2, 4), b: r(2, 4) },
      { a: r(0, 2), b: r(2, 4) },
    ]);
  });
  it('keeps the question whole with only_second (SQuAD doc stride)', () => {
    const plans = planTruncation(3, 10, { maxLength: 8, strategy: 'only_second', stride: 2 });
    expect(plans).toEqual([
      { a: r(0, 3), b: r(0, 5) },
      { a: r(0, 3), b: r(3, 8) },
      { a: r(0, 3), b: r(6, 10) },
    ]);
  });
  it('errors as HF does when the sequence to cut is too short or missing', () => {
    expect(() => planTruncation(8, 3, { maxLength: 8, strategy: 'only_second', stride: 0 })).toThrow(/cannot be cut/);
    expect(() => planTruncation(9, undefined, { maxLength: 8, strategy: 'only_second', stride: 0 })).toThrow(
      /needs a second sequence/,
    );
  });
});
