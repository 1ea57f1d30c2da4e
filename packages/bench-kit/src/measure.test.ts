// measure / measureInterleaved: warm-up, run counts, order, and times, on a fake clock the work advances (exact, so
// a loaded machine cannot move them); the default clock gets lower bounds only, which load cannot break.
import { describe, expect, it } from 'vitest';
import { measure, measureInterleaved } from './measure.js';

/** A clock that moves only when work spends time on it. */
function fakeClock(): { clock: () => number; spend: (ms: number) => void } {
  let now = 1000;
  return {
    clock: () => now,
    spend: (ms) => {
      now += ms;
    },
  };
}

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin: a sleep would measure the timer, not the work
  }
}

describe('measure', () => {
  it('runs warm-up untimed, then times each run', async () => {
    const { clock, spend } = fakeClock();
    let calls = 0;
    // call k (from 1) costs k ms: warm-up calls 1..3 are not timed, runs are calls 4..8
    const r = await measure(() => spend(++calls), { warmup: 3, runs: 5, clock });
    expect(calls).toBe(8);
    expect(r.timesMs).toEqual([4, 5, 6, 7, 8]);
    expect(r).toMatchObject({ runs: 5, medianMs: 6, minMs: 4, maxMs: 8, meanMs: 6 });
  });
  it('awaits async work before stopping the clock', async () => {
    const { clock, spend } = fakeClock();
    const later = () =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          spend(7);
          resolve();
        }, 0),
      );
    const r = await measure(later, { warmup: 1, runs: 3, clock });
    expect(r.timesMs).toEqual([7, 7, 7]);
  });
  it('defaults to 2 warm-up runs and 7 timed ones', async () => {
    let calls = 0;
    const r = await measure(() => calls++);
    expect(calls).toBe(9);
    expect(r.timesMs).toHaveLength(7);
  });
  it('times real work on the default clock (lower bounds: load only makes runs longer)', async () => {
    const sync = await measure(() => busyWait(4), { warmup: 0, runs: 3 });
    expect(sync.minMs).toBeGreaterThanOrEqual(4);
    const asyncR = await measure(() => new Promise((r) => setTimeout(r, 6)), { warmup: 0, runs: 3 });
    expect(asyncR.minMs).toBeGreaterThanOrEqual(5);
  });
  it('rejects bad options, naming the option and the value', async () => {
    await expect(measure(() => 0, { runs: 0 })).rejects.toThrow('measure: runs must be an integer >= 1, got 0');
    await expect(measure(() => 0, { runs: 1.5 })).rejects.toThrow(/runs must be an integer >= 1, got 1.5/);
    await expect(measure(() => 0, { warmup: -1 })).rejects.toThrow('measure: warmup must be an integer >= 0, got -1');
  });
});

describe('measureInterleaved', () => {
  it('warms each case up, then runs one of each per round, rotating which goes first', async () => {
    const calls: string[] = [];
    const r = await measureInterleaved(
      ['a', 'b', 'c'].map((n) => () => calls.push(n)),
      { warmup: 1, runs: 3 },
    );
    expect(calls.join('')).toBe('abcabcbcacab');
    expect(r.map((x) => x.timesMs.length)).toEqual([3, 3, 3]);
  });
  it('keeps the times of each case apart, in the order of the cases', async () => {
    const { clock, spend } = fakeClock();
    let round = 0;
    const r = await measureInterleaved([() => spend(1), () => spend(10 * ++round), () => spend(100)], {
      warmup: 0,
      runs: 3,
      clock,
    });
    expect(r.map((x) => x.timesMs)).toEqual([
      [1, 1, 1],
      [10, 20, 30],
      [100, 100, 100],
    ]);
    expect(r[1]).toMatchObject({ runs: 3, medianMs: 20, minMs: 10, maxMs: 30 });
    await expect(measureInterleaved([() => 0], { runs: 0 })).rejects.toThrow(/measureInterleaved: runs must be/);
  });
});
