// Spawns torch_step.py (Debian's /usr/bin/python3, jemalloc preloaded when installed) and drives it one step per call.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Batch, StepConfig } from './model.js';

const PYTHON = '/usr/bin/python3'; // Debian's own python3 (python3-torch), not a pyenv one earlier on PATH
const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';
const SCRIPT = fileURLToPath(new URL('./torch_step.py', import.meta.url));

export interface TorchPeer {
  /** What was found: torch version, threads, allocator. */
  describe: string;
  step(): Promise<number>;
  close(): void;
}

/** Starts the peer and waits until its model is built; resolves to a reason string when it cannot run here. */
export async function startTorchPeer(c: StepConfig, batch: Batch, threads: number): Promise<TorchPeer | string> {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const jemalloc = existsSync(JEMALLOC);
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  if (jemalloc) env.LD_PRELOAD = JEMALLOC;
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, [SCRIPT], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const lines: Interface = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await iterator.next();
    if (r.done) throw new Error(`torch_step.py exited early (code ${child.exitCode}): ${stderr.trim().slice(-2000)}`);
    return JSON.parse(r.value) as Record<string, unknown>;
  };
  const config = {
    ...c,
    threads,
    ids: Array.from(batch.ids),
    positions: Array.from(batch.positions),
    selected: Array.from(batch.selected),
    labels: Array.from(batch.labels),
  };
  child.stdin.write(`${JSON.stringify(config)}\n`);
  let hello: Record<string, unknown>;
  try {
    hello = await next();
  } catch (e) {
    child.kill();
    return (e as Error).message;
  }
  if (typeof hello.unavailable === 'string') {
    child.kill();
    return hello.unavailable;
  }
  return {
    describe:
      `PyTorch ${hello.torch} CPU, ${hello.threads} threads, ` +
      (jemalloc ? `jemalloc preloaded (${JEMALLOC})` : 'glibc malloc (libjemalloc2 not installed)'),
    async step(): Promise<number> {
      child.stdin.write('step\n');
      const r = await next();
      return r.loss as number;
    },
    close(): void {
      child.stdin.end();
      lines.close();
    },
  };
}
