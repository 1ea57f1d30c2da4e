import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

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
    expect(new Progress('reading', undefined, { unit: 'MB', scale: 1e6, stream }).line(3e6)).toMatch(
      /^reading 3\.0 MB/,
    );
  });
  it('redraws in place on a terminal and logs plain lines otherwise', () => {
    const tty = sink(true);
    new Progress('x', 4, { unit: 'steps', stream: tty.stream }).update(1);
    expect(tty.out[0]?.startsWith('\r')).toBe(true);
    const log = sink(false);
    const p = new Progress('x', 4, { unit: 'steps', stream: log.stream, logEverySeconds: 0 });
    p.update(1);
    p.finish(4);
    expect(log.out.every((l) => l.endsWith('\n') && !l.startsWith('\r'))).toBe(true);
    expect(log.out.at(-1)).toMatch(/100% 4\/4 steps/);
  });
});
