// MetricsLog.resumeAt: a resumed run keeps the records up to its checkpoint, drops the ones it will replay and a line
// torn by a kill mid-append, and rewrites the file so that appending continues it without repeats.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type MetricRecord, MetricsLog } from './metrics.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir() {
  const d = await mkdtemp(join(tmpdir(), 'robusta-metrics-'));
  dirs.push(d);
  return d;
}

const train = (update: number): MetricRecord => ({
  kind: 'train',
  update,
  loss: 10 - update / 2,
  lr: 1e-4 * update,
  gradNorm: 1 + update,
  tokensPerSecond: 1000,
  tokens: 512 * update,
  elapsedSeconds: update,
});
const valid = (update: number): MetricRecord => ({
  kind: 'valid',
  update,
  loss: 9 - update / 3,
  perplexity: Math.exp(9 - update / 3),
  maskedTokens: 77,
});
/** What a run that validates every 3 updates writes up to update 7. */
const RUN: MetricRecord[] = [valid(0), ...[1, 2, 3].map(train), valid(3), ...[4, 5, 6].map(train), valid(6), train(7)];
const jsonl = (rs: MetricRecord[]) => rs.map((r) => `${JSON.stringify(r)}\n`).join('');
const parse = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as MetricRecord);

describe('MetricsLog.resumeAt', () => {
  it('keeps the records up to the checkpoint in order, drops the later ones and a torn last line', async () => {
    const path = join(await tempDir(), 'metrics.jsonl');
    // killed while appending update 8's record: a prefix of its line, no newline
    const torn = JSON.stringify(train(8)).slice(0, 25);
    await writeFile(path, jsonl(RUN) + torn);
    const log = new MetricsLog(path);
    await log.resumeAt(5);
    const kept = [valid(0), train(1), train(2), train(3), valid(3), train(4), train(5)];
    expect(log.records).toEqual(kept);
    expect(await readFile(path, 'utf8')).toBe(jsonl(kept));
    // the resumed run replays update 6 on: the file reads as one run with every update once
    for (const r of [train(6), valid(6), train(7)]) await log.add(r);
    expect(parse(await readFile(path, 'utf8'))).toEqual(RUN);
    expect(log.records).toEqual(RUN);
    // the rewrite left no temporary file beside it
    expect(await readdir(join(path, '..'))).toEqual(['metrics.jsonl']);
  });

  it('keeps everything when resuming at the last update, and the validation at update 0 when resuming at 0', async () => {
    const path = join(await tempDir(), 'metrics.jsonl');
    await writeFile(path, jsonl(RUN));
    const all = new MetricsLog(path);
    await all.resumeAt(7);
    expect(all.records).toEqual(RUN);
    const start = new MetricsLog(path);
    await start.resumeAt(0);
    expect(start.records).toEqual([valid(0)]);
    expect(await readFile(path, 'utf8')).toBe(jsonl([valid(0)]));
  });

  it('a fresh run (no file yet) starts empty and creates the file', async () => {
    const path = join(await tempDir(), 'metrics.jsonl');
    const log = new MetricsLog(path);
    await log.resumeAt(0);
    expect(log.records).toEqual([]);
    expect(await readFile(path, 'utf8')).toBe('');
    await log.add(valid(0));
    expect(await readFile(path, 'utf8')).toBe(jsonl([valid(0)]));
  });
});
