// Node: files read by path, the pool on worker_threads running node-worker.js, one worker per core by default.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WorkerReply } from '../pool-protocol.js';
import type { Platform, WorkerEvents, WorkerHandle } from './types.js';

function defaultWorkerUrl(): URL {
  // dist/platform/node-worker.js sits next to this module; sources run in tests use the built copy
  const candidates = [
    new URL('./node-worker.js', import.meta.url),
    new URL('../../dist/platform/node-worker.js', import.meta.url),
  ];
  const found = candidates.find((u) => existsSync(u));
  if (!found) {
    const tried = candidates.map((u) => u.pathname).join(', ');
    throw new Error(`cannot find the pool's worker script (build the package first): tried ${tried}`);
  }
  return found;
}

async function startWorker(url: URL | string | undefined, on: WorkerEvents): Promise<WorkerHandle> {
  const where = url === undefined ? defaultWorkerUrl() : new URL(url, `file://${process.cwd()}/`);
  // workers inherit the parent's flags, but reject some (`node --input-type=module -e ...` would fail to start them)
  const w = new Worker(where, { execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')) });
  let closing = false;
  w.on('message', (reply: WorkerReply) => on.message(reply));
  w.on('error', (e) => on.fatal(`worker ${where.pathname} failed: ${e.message}`));
  w.on('exit', (code) => {
    if (!closing) on.fatal(`worker ${where.pathname} exited with code ${code}`);
  });
  return {
    post: (req, transfer) => w.postMessage(req, transfer as never),
    hold: (busy) => (busy ? w.ref() : w.unref()),
    terminate: async () => {
      closing = true;
      await w.terminate();
    },
  };
}

export const platform: Platform = {
  readLocal: (src) => readFile(src),
  defaultWorkers: () => availableParallelism(),
  startWorker,
};
