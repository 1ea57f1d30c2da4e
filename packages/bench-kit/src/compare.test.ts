import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, isSkipped } from './compare.js';
import { formatTable, writeJson } from './report.js';
import { runBenchmarks } from './run.js';

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

// Wall-clock cases on a CI machine where other test processes compete for the 2 cores: a run can be preempted for
// tens of milliseconds, so the cases are far apart (10x, 40x) and the checks below are on the comparison's logic
// (which peer, which ratio formula), not on how close a ratio comes to 10.
const fast = { name: 'ours', run: () => busyWait(2) };
const slow = { name: 'slow peer', run: () => busyWait(80) };
const medium = { name: 'medium peer', run: () => busyWait(20) };

function medianOf(r: { peers: unknown[] }, name: string): number {
  const p = r.peers.find((x) => (x as { name: string }).name === name) as { medianMs: number };
  return p.medianMs;
}
const absent = { name: 'absent peer', run: () => 0, unavailable: () => 'not installed' };

describe('compare', () => {
  it('takes the ratio against the fastest peer that ran', async () => {
    const r = await compare({
      title: 't',
      ours: fast,
      peers: [slow, medium, absent],
      work: { amount: 10, unit: 'MB' },
      options: { warmup: 1, runs: 5 },
    });
    expect(r.strongestPeer).toBe('medium peer');
    expect(r.ratio).toBe(medianOf(r, 'medium peer') / r.ours.medianMs);
    expect(r.ratio).toBeGreaterThan(1);
    expect(r.pairedRatio).toBeUndefined();
    expect(r.unit).toBe('MB/s');
    // 10 MB in ~2 ms is ~5000 MB/s; the median sets it
    expect(r.ours.throughput).toBeCloseTo(10 / (r.ours.medianMs / 1000), 6);
    const skipped = r.peers.find(isSkipped);
    expect(skipped).toEqual({ name: 'absent peer', skipped: 'not installed' });
  });
  it('asks each case whether it can run just before timing it, so it may set itself up there', async () => {
    const events: string[] = [];
    const traced = (name: string) => ({
      name,
      run: () => {
        events.push(`run ${name}`);
      },
      unavailable: () => {
        events.push(`ask ${name}`);
        return undefined;
      },
    });
    await compare({ title: 't', ours: traced('a'), peers: [traced('b')], options: { warmup: 0, runs: 1 } });
    expect(events).toEqual(['ask a', 'run a', 'ask b', 'run b']);
  });
  it('times the cases in rounds with interleave, results in the order given', async () => {
    const calls: string[] = [];
    const tag = (c: { name: string; run: () => void }) => ({
      ...c,
      run: () => {
        calls.push(c.name[0] as string);
        c.run();
      },
    });
    const r = await compare({
      title: 't',
      ours: tag(fast),
      peers: [tag(slow), absent, tag(medium)],
      options: { warmup: 0, runs: 2, interleave: true },
    });
    expect(calls.join('')).toBe('osmsmo');
    expect(r.peers.map((p) => p.name)).toEqual(['slow peer', 'absent peer', 'medium peer']);
    expect(isSkipped(r.peers[1] as never)).toBe(true);
    expect(r.strongestPeer).toBe('medium peer');
    expect(r.ratio).toBe(medianOf(r, 'medium peer') / r.ours.medianMs);
    // medium (20 ms) over ours (2 ms) round by round
    expect(r.pairedRatio).toBeGreaterThan(1);
    expect(formatTable([r])).toMatch(/ours \/ medium peer: \d+\.\d\dx \(paired by round: \d+\.\d\dx\)/);
    expect(JSON.stringify(r)).not.toContain('timesMs');
  });
  it('reports no ratio when no peer ran, and refuses when ours cannot run', async () => {
    const r = await compare({ title: 't', ours: fast, peers: [absent], options: { warmup: 0, runs: 1 } });
    expect(r.ratio).toBeUndefined();
    expect(formatTable([r])).toContain('no peer ran');
    await expect(compare({ title: 't', ours: absent, peers: [] })).rejects.toThrow(/cannot run: not installed/);
  });
});

describe('report', () => {
  it('prints every case with the ratio line', async () => {
    const r = await compare({ title: 'encode', ours: fast, peers: [slow, absent], options: { warmup: 0, runs: 2 } });
    const table = formatTable([r]);
    expect(table).toContain('## encode');
    expect(table).toMatch(/ours\s+\d/);
    expect(table).toMatch(/slow peer\s+\d/);
    expect(table).toMatch(/absent peer\s+skipped\s+not installed/);
    expect(table).toMatch(/ours \/ slow peer: \d+\.\d\dx/);
  });
  it('writes JSON atomically (no temp file left behind)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-kit-'));
    const r = await compare({ title: 'x', ours: fast, peers: [medium], options: { warmup: 0, runs: 1 } });
    writeJson(join(dir, 'out', 'x.json'), [r], { suite: 'x' });
    expect(readdirSync(join(dir, 'out'))).toEqual(['x.json']);
    const parsed = JSON.parse(readFileSync(join(dir, 'out', 'x.json'), 'utf8'));
    expect(parsed.suite).toBe('x');
    expect(parsed.results[0].strongestPeer).toBe('medium peer');
  });
  it('runBenchmarks builds comparisons lazily, prints and saves them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-kit-'));
    const lines: string[] = [];
    let built = 0;
    const results = await runBenchmarks(
      [
        () => {
          built++;
          return { title: 'lazy', ours: fast, peers: [slow], options: { warmup: 0, runs: 1 } };
        },
      ],
      { name: 'suite', outDir: dir, log: (l) => lines.push(l) },
    );
    expect(built).toBe(1);
    expect(results[0]?.strongestPeer).toBe('slow peer');
    expect(lines.join('\n')).toContain('## lazy');
    expect(JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')).results).toHaveLength(1);
  });
});
