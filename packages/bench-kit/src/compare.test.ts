// compare, formatTable, writeJson and runBenchmarks on a fake clock the cases advance: which peer is strongest, the
// ratios and throughputs are exact, so a loaded machine cannot change what these tests see.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Case, compare, isSkipped } from './compare.js';
import { formatTable, writeJson } from './report.js';
import { runBenchmarks } from './run.js';

/** A clock that moves only when a case spends time on it, and cases that cost a fixed number of milliseconds. */
function fakeClock() {
  let now = 0;
  const clock = () => now;
  const costing = (name: string, ms: number | (() => number)): Case => ({
    name,
    run: () => {
      now += typeof ms === 'number' ? ms : ms();
    },
  });
  return { clock, costing };
}

const absent: Case = { name: 'absent peer', run: () => 0, unavailable: () => 'not installed' };

function medianOf(r: { peers: unknown[] }, name: string): number {
  const p = r.peers.find((x) => (x as { name: string }).name === name) as { medianMs: number };
  return p.medianMs;
}

describe('compare', () => {
  it('takes the ratio against the fastest peer that ran, with throughput at the median', async () => {
    const { clock, costing } = fakeClock();
    const r = await compare({
      title: 't',
      ours: costing('ours', 2),
      peers: [costing('slow peer', 80), costing('medium peer', 20), absent],
      work: { amount: 10, unit: 'MB' },
      options: { warmup: 1, runs: 5, clock },
    });
    expect(r.strongestPeer).toBe('medium peer');
    expect(r.ratio).toBe(10);
    expect(medianOf(r, 'slow peer')).toBe(80);
    expect(r.pairedRatio).toBeUndefined();
    expect(r.unit).toBe('MB/s');
    expect(r.ours.throughput).toBe(5000); // 10 MB in 2 ms
    expect((r.peers[1] as { throughput: number }).throughput).toBe(500);
    expect(r.peers.find(isSkipped)).toEqual({ name: 'absent peer', skipped: 'not installed' });
    expect(r.peers.filter((p) => !isSkipped(p))).toHaveLength(2);
  });
  it('a ratio below 1 when a peer is faster; no throughput or unit without work', async () => {
    const { clock, costing } = fakeClock();
    const r = await compare({
      title: 't',
      ours: costing('ours', 30),
      peers: [costing('quick peer', 6)],
      options: { warmup: 0, runs: 3, clock },
    });
    expect(r.ratio).toBe(0.2);
    expect(r.unit).toBeUndefined();
    expect(r.ours.throughput).toBeUndefined();
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
  it('times the cases in rounds with interleave, results in the order given, paired ratio by round', async () => {
    const { clock, costing } = fakeClock();
    const calls: string[] = [];
    const tag = (c: Case) => ({
      ...c,
      run: () => {
        calls.push(c.name[0] as string);
        return c.run();
      },
    });
    // ours costs 2 then 4 ms, the medium peer 20 then 80: medians 3 and 50 (ratio 16.67), per round 10 and 20 (15)
    const oursCosts = [2, 4];
    const mediumCosts = [20, 80];
    const r = await compare({
      title: 't',
      ours: tag(costing('ours', () => oursCosts.shift() as number)),
      peers: [tag(costing('slow peer', 100)), absent, tag(costing('medium peer', () => mediumCosts.shift() as number))],
      options: { warmup: 0, runs: 2, interleave: true, clock },
    });
    expect(calls.join('')).toBe('osmsmo');
    expect(r.peers.map((p) => p.name)).toEqual(['slow peer', 'absent peer', 'medium peer']);
    expect(isSkipped(r.peers[1] as never)).toBe(true);
    expect(r.strongestPeer).toBe('medium peer');
    expect(r.ratio).toBe(50 / 3);
    expect(r.pairedRatio).toBe(15);
    expect(formatTable([r])).toContain('ours / medium peer: 16.67x (paired by round: 15.00x)');
    expect(JSON.stringify(r)).not.toContain('timesMs');
  });
  it('reports no ratio when no peer ran, and refuses when ours cannot run', async () => {
    const { clock, costing } = fakeClock();
    const r = await compare({ title: 't', ours: costing('ours', 1), peers: [absent], options: { runs: 1, clock } });
    expect(r.ratio).toBeUndefined();
    expect(r.strongestPeer).toBeUndefined();
    expect(formatTable([r])).toContain('no peer ran');
    await expect(compare({ title: 'enc', ours: absent, peers: [] })).rejects.toThrow(
      'compare "enc": our case "absent peer" cannot run: not installed',
    );
    await expect(compare({ title: 'enc', ours: absent, peers: [], options: { interleave: true } })).rejects.toThrow(
      /cannot run: not installed/,
    );
  });
});

describe('report', () => {
  it('prints every case with its times, throughput and the ratio line', async () => {
    const { clock, costing } = fakeClock();
    const r = await compare({
      title: 'encode',
      ours: costing('ours', 2.5),
      peers: [costing('slow peer', 125), absent],
      work: { amount: 1, unit: 'MB' },
      options: { warmup: 0, runs: 2, clock },
    });
    expect(formatTable([r]).split('\n')).toEqual([
      '## encode',
      // a skipped case's reason sits in the min column and widens it
      'case         median ms  min ms         max ms  MB/s  vs strongest peer',
      'ours         2.50       2.50           2.50    400   50.00x',
      'slow peer    125        125            125     8.00',
      'absent peer  skipped    not installed',
      'ours / slow peer: 50.00x',
      '',
    ]);
  });
  it('writes JSON atomically (no temp file left behind), with the results and the meta fields', async () => {
    const { clock, costing } = fakeClock();
    const dir = mkdtempSync(join(tmpdir(), 'bench-kit-'));
    const r = await compare({
      title: 'x',
      ours: costing('ours', 1),
      peers: [costing('medium peer', 3)],
      options: { runs: 1, clock },
    });
    writeJson(join(dir, 'out', 'x.json'), [r], { suite: 'x' });
    expect(readdirSync(join(dir, 'out'))).toEqual(['x.json']);
    const parsed = JSON.parse(readFileSync(join(dir, 'out', 'x.json'), 'utf8'));
    expect(parsed.suite).toBe('x');
    expect(parsed.node).toBe(process.version);
    expect(Number.isNaN(Date.parse(parsed.date))).toBe(false);
    expect(parsed.results).toEqual([JSON.parse(JSON.stringify(r))]);
    expect(parsed.results[0].ratio).toBe(3);
  });
  it('runBenchmarks builds comparisons lazily and in order, prints and saves them', async () => {
    const { clock, costing } = fakeClock();
    const dir = mkdtempSync(join(tmpdir(), 'bench-kit-'));
    const lines: string[] = [];
    const built: string[] = [];
    const results = await runBenchmarks(
      [
        () => {
          built.push('lazy');
          return { title: 'lazy', ours: costing('ours', 1), peers: [costing('slow peer', 4)], options: { clock } };
        },
        { title: 'eager', ours: costing('ours', 2), peers: [absent], options: { clock } },
      ],
      { name: 'suite', outDir: dir, log: (l) => lines.push(l) },
    );
    expect(built).toEqual(['lazy']);
    expect(results.map((r) => [r.title, r.strongestPeer, r.ratio])).toEqual([
      ['lazy', 'slow peer', 4],
      ['eager', undefined, undefined],
    ]);
    expect(lines[0]).toMatch(/^# suite — .+, \d+ cores, Node v/);
    expect(lines.join('\n')).toMatch(/## lazy[\s\S]*## eager/);
    expect(lines.at(-1)).toBe(`results written to ${join(dir, 'suite.json')}`);
    const saved = JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8'));
    expect(saved.results.map((r: { title: string }) => r.title)).toEqual(['lazy', 'eager']);
    expect(saved.suite).toBe('suite');
  });
});
