// Ctrl-C on the real command line (dist/main.js): one SIGINT mid-run -> exit 0 with a complete checkpoint, and
// --resume auto continues from it; a second SIGINT -> exit 130 at once, and the run folder still resumes.
// Shards from robusta-preprocess over SOTU addresses; trains on 'robusta' (ROBUSTA_TEST_BACKEND=cpu: tfjs cpu).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointName, range, runCli, sotuShards, TEST_BACKEND, tempDir, trainUpdates } from './support.js';

const MAX_UPDATES = 12;
const INTERRUPTED = 'interrupt: finishing this update and saving a checkpoint (Ctrl-C again to quit now)';
let shards = '';
let work = '';
beforeAll(async () => {
  work = await tempDir('ctrl-c');
  shards = await sotuShards(work, { years: /^19[89]\d_.*\.txt$/, count: 6, vocabSize: 400, validFraction: 0.34 });
});

function argsFor(run: string, hidden: number): string[] {
  return [
    ...['--data', shards, '--out', run, '--backend', TEST_BACKEND, '--preset', 'tiny'],
    ...['--set', `model.hiddenSize=${hidden}`, '--set', `model.intermediateSize=${2 * hidden}`],
    ...['--set', 'model.numHiddenLayers=1', '--seq-length', '32', '--batch-size', '4'],
    ...['--max-updates', String(MAX_UPDATES), '--warmup-updates', '5'],
    ...['--valid-every', '1000', '--valid-batches', '2', '--checkpoint-every', '1000', '--resume', 'auto'],
  ];
}

/** Polls the run's metrics every 20 ms and sends SIGINT once `updates` train records are there. */
function interruptAfter(run: string, updates: number) {
  let sent = false;
  let polling = false;
  return (child: import('node:child_process').ChildProcess) => {
    if (sent || polling) return;
    polling = true;
    const poll = async () => {
      if ((await trainUpdates(run)).length >= updates) {
        sent = true;
        child.kill('SIGINT');
      } else if (child.exitCode === null) setTimeout(poll, 20);
    };
    void poll();
  };
}

describe(`robusta-pretrain and Ctrl-C (spawned dist/main.js, ${TEST_BACKEND})`, () => {
  it('saves a checkpoint and exits 0 on SIGINT, then --resume auto continues from it and finishes', async () => {
    const run = join(work, 'once');
    const args = argsFor(run, 32);
    const first = await runCli(args, { onOutput: interruptAfter(run, 3) });
    expect(first.signal, first.out).toBeNull();
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain(`backend: ${TEST_BACKEND} (`);
    expect(first.stderr).toContain(INTERRUPTED);
    const stopped = /stopped at update (\d+)/.exec(first.out);
    expect(stopped, first.out).not.toBeNull();
    const at = Number(stopped?.[1]);
    expect(at).toBeGreaterThanOrEqual(3);
    expect(at).toBeLessThan(MAX_UPDATES);
    expect(first.out).toContain('resume with the same command (--resume auto)');
    const ckpt = join(run, 'checkpoints', checkpointName(at));
    expect(first.out).toContain(`checkpoint: ${ckpt}`);
    expect(existsSync(join(ckpt, 'manifest.json')), first.out).toBe(true);
    expect(existsSync(join(ckpt, 'model.safetensors'))).toBe(true);
    expect(await trainUpdates(run)).toEqual(range(1, at));

    const second = await runCli(args);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain(`resumed from ${ckpt} at update ${at}`);
    expect(second.out).toMatch(new RegExp(`done at update ${MAX_UPDATES}\\b`));
    // the metrics carry on from the interrupted update without a gap or a repeat
    expect(await trainUpdates(run)).toEqual(range(1, MAX_UPDATES));
    const state = JSON.parse(
      await readFile(join(run, 'checkpoints', checkpointName(MAX_UPDATES), 'trainer_state.json'), 'utf8'),
    );
    expect(state.update).toBe(MAX_UPDATES);
  }, 60_000);

  // The second SIGINT must land between the first one's message and the end of the checkpoint it triggers (measured
  // 250-700 ms here); a busy machine can make the test miss that window, and then the run ends with 0, not 130. A
  // retry in a fresh folder covers that; a CLI that ignores the second SIGINT fails every attempt.
  let attempt = 0;
  it('a second SIGINT exits 130 at once, and the run folder still resumes without a gap or a repeat', {
    retry: 2,
    timeout: 90_000,
  }, async () => {
    const run = join(work, `twice-${attempt++}`);
    // a wider model than above: the update and the checkpoint after the first SIGINT take long enough for the second
    const args = argsFor(run, 128);
    let seconds = 0;
    const sendSecond = (child: import('node:child_process').ChildProcess, out: string) => {
      if (seconds === 0 && out.includes(INTERRUPTED)) {
        seconds = performance.now();
        child.kill('SIGINT');
      }
    };
    const waitForFirst = interruptAfter(run, 2);
    const killed = await runCli(args, {
      onOutput: (child, out) => {
        waitForFirst(child);
        sendSecond(child, out);
      },
    });
    expect(killed.signal, killed.out).toBeNull();
    expect(killed.code, killed.out).toBe(130);
    expect(killed.stderr.split(INTERRUPTED)).toHaveLength(2); // the message once, for the first SIGINT only
    expect(killed.out).not.toMatch(/stopped at update|done at update/);
    const trained = await trainUpdates(run);
    expect(trained.length).toBeGreaterThanOrEqual(2);
    expect(trained).toEqual(range(1, trained.length));

    // whatever the hard exit left (no checkpoint, or one being written), --resume auto finishes the run cleanly
    const again = await runCli(args);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/resumed from .* at update \d+|starting from scratch/);
    expect(again.out).toMatch(new RegExp(`done at update ${MAX_UPDATES}\\b`));
    expect(await trainUpdates(run)).toEqual(range(1, MAX_UPDATES));
  });
});
