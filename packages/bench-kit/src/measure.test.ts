import { describe, expect, it } from 'vitest';
import { measure, measureInterleaved } from './measure.js';

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin: a sleep would measure the timer, not the work
  }
}

describe('measure', () => {
  it('runs warm-up untimed then the timed runs', async () => {
    let calls = 0;
    const r = await measure(() => calls++, { warmup: 3, runs: 5 });
    expect(calls).toBe(8);
    expect(r.timesMs).toHaveLength(5);
    expect(r.runs).toBe(5);
  });
  it('measures elapsed time of sync and async work', async () => {
    const sync = await measure(() => busyWait(4), { warmup: 0, runs: 3 });
    expect(sync.minMs).toBeGreaterThanOrEqual(4);
    const asyncR = await measure(() => new Promise((r) => setTimeout(r, 6)), { warmup: 0, runs: 3 });
    expect(asyncR.minMs).toBeGreaterThanOrEqual(5);
  });
  it('rejects bad options', async () => {
    await expect(measure(() => 0, { runs: 0 })).rejects.toThrow(/runs must be/);
    await expect(measure(() => 0, { warmup: -1 })).rejects.toThrow(/warmup must be/);
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
  it('keeps the times of each case apart', async () => {
    const [fast, slow] = await measureInterleaved([() => busyWait(2), () => busyWait(60)], { warmup: 0, runs: 3 });
    // medians far apart, not a tight bound: a run can be preempted for tens of ms on a loaded CI machine
    expect(fast?.medianMs).toBeLessThan(60);
    expect(slow?.minMs).toBeGreaterThanOrEqual(60);
    await expect(measureInterleaved([() => 0], { runs: 0 })).rejects.toThrow(/measureInterleaved: runs must be/);
  });
});
