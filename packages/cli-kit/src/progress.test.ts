// Progress: the status line's fields, redraw on a terminal versus plain log lines, and human durations.
import { describe, expect, it } from 'vitest';
import { formatDuration, Progress } from './progress.js';

function sink(isTTY: boolean): { stream: NodeJS.WriteStream; out: string[] } {
  const out: string[] = [];
  const stream = { isTTY, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream;
  return { stream, out };
}

describe('Progress', () => {
  it('shows done/total, percent, rate and ETA', () => {
    const { stream } = sink(false);
    const p = new Progress('tokenizing', 10e6, { unit: 'MB', scale: 1e6, stream });
    expect(p.line(5e6)).toMatch(/^tokenizing \[#{12}\.{12}\] {2}50% 5\.0\/10\.0 MB [\d.]+ MB\/s ETA \d+s$/);
    // nothing done yet: no ETA to give; more than the total: the bar stops at 100%
    expect(p.line(0)).toMatch(/^tokenizing \[\.{24}\] {3}0% 0\.0\/10\.0 MB [\d.]+ MB\/s ETA \?$/);
    expect(p.line(12e6)).toMatch(/^tokenizing \[#{24}\] 100% 12\.0\/10\.0 MB/);
    // a unit count (scale 1) prints whole numbers
    expect(new Progress('merging', 400, { unit: 'merges', stream }).line(100)).toMatch(
      /^merging \[#{6}\.{18}\] {2}25% 100\/400 merges [\d.]+ merges\/s ETA/,
    );
    expect(new Progress('reading', undefined, { unit: 'MB', scale: 1e6, stream }).line(3e6)).toMatch(
      /^reading 3\.0 MB [\d.]+ MB\/s \d+s$/,
    );
  });
  it('takes a total given later by update', () => {
    const log = sink(false);
    const p = new Progress('x', undefined, { unit: 'steps', stream: log.stream, logEverySeconds: 0 });
    p.update(1, 4);
    expect(log.out).toHaveLength(1);
    expect(log.out[0]).toMatch(/^x \[#{6}\.{18}\] {2}25% 1\/4 steps/);
  });
  it('redraws in place on a terminal and logs plain lines otherwise', () => {
    const tty = sink(true);
    const bar = new Progress('x', 4, { unit: 'steps', stream: tty.stream });
    bar.update(1);
    bar.finish(4);
    expect(tty.out).toHaveLength(2);
    const CLEAR_LINE = '\x1b[K';
    expect(tty.out[0]).toMatch(/^\rx \[.*\] {2}25% 1\/4 steps/);
    expect(tty.out[0]?.endsWith(CLEAR_LINE)).toBe(true);
    expect(tty.out[1]).toMatch(/^\rx \[#{24}\] 100% 4\/4 steps/);
    expect(tty.out[1]?.endsWith(`${CLEAR_LINE}\n`)).toBe(true);
    const log = sink(false);
    const p = new Progress('x', 4, { unit: 'steps', stream: log.stream, logEverySeconds: 0 });
    p.update(1);
    p.finish(4);
    expect(log.out).toHaveLength(2);
    expect(log.out.every((l) => l.endsWith('\n') && !l.startsWith('\r') && !l.includes('\x1b[K'))).toBe(true);
    expect(log.out[1]).toMatch(/100% 4\/4 steps/);
  });
  it('logs at most one line per logEverySeconds when the stream is not a terminal; finish always logs', () => {
    const log = sink(false);
    const p = new Progress('x', 100, { unit: 'steps', stream: log.stream, logEverySeconds: 3600 });
    // the clock starts at the process's time origin, so within this (far younger than an hour) process none logs
    for (let i = 1; i <= 50; i++) p.update(i);
    expect(log.out).toEqual([]);
    p.finish(100);
    expect(log.out).toHaveLength(1);
    expect(log.out[0]).toMatch(/100% 100\/100 steps/);
  });
});

describe('formatDuration', () => {
  it('gives seconds, minutes and hours, and ? when unknown', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(59.4)).toBe('59s');
    expect(formatDuration(60)).toBe('1m00s');
    expect(formatDuration(187)).toBe('3m07s');
    expect(formatDuration(3599)).toBe('59m59s');
    expect(formatDuration(3600)).toBe('1h00m');
    expect(formatDuration(8100)).toBe('2h15m');
    expect(formatDuration(Number.NaN)).toBe('?');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
    expect(formatDuration(-1)).toBe('?');
  });
});
