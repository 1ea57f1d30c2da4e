// Starting a pool worker in Node (worker_threads) or a browser (module Worker), behind one handle.
import type { WorkerReply, WorkerRequest } from './pool-protocol.js';

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** The two worker APIs behind one face. */
export interface WorkerHandle {
  post(req: WorkerRequest, transfer?: Transferable[]): void;
  /** Node only: whether this worker keeps the process alive (yes while busy, no while idle). */
  hold(busy: boolean): void;
  terminate(): Promise<void>;
}

export interface WorkerEvents {
  message(reply: WorkerReply): void;
  /** The worker died or its script failed to load. */
  fatal(message: string): void;
}

/** Starts one worker running `url` (default `worker.js` next to this module, else `../dist/worker.js`). */
export async function startWorker(url: URL | string | undefined, on: WorkerEvents): Promise<WorkerHandle> {
  return isNode ? startNodeWorker(url, on) : startBrowserWorker(url, on);
}

/** Workers to start when not told: the machine's cores. */
export async function defaultWorkers(): Promise<number> {
  if (isNode) return (await import('node:os')).availableParallelism();
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

async function defaultWorkerUrl(): Promise<URL> {
  // dist/worker.js sits next to dist/pool-workers.js; sources run in tests use the built copy one folder up
  const candidates = [new URL('./worker.js', import.meta.url), new URL('../dist/worker.js', import.meta.url)];
  const { existsSync } = await import('node:fs');
  const found = candidates.find((u) => existsSync(u));
  if (!found) {
    const tried = candidates.map((u) => u.pathname).join(', ');
    throw new Error(`cannot find the pool's worker script (build the package first): tried ${tried}`);
  }
  return found;
}

async function startNodeWorker(url: URL | string | undefined, on: WorkerEvents): Promise<WorkerHandle> {
  const { Worker } = await import('node:worker_threads');
  const where = url === undefined ? await defaultWorkerUrl() : new URL(url, `file://${process.cwd()}/`);
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

function startBrowserWorker(url: URL | string | undefined, on: WorkerEvents): WorkerHandle {
  // the literal `new URL('./worker.js', import.meta.url)` inside `new Worker(...)` is what bundlers look for
  const w =
    url === undefined
      ? new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
      : new Worker(url, { type: 'module' });
  w.onmessage = (e: MessageEvent) => on.message(e.data as WorkerReply);
  w.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    on.fatal(`worker script failed: ${e.message || 'could not load it (check its URL and MIME type)'}`);
  };
  w.onmessageerror = () => on.fatal('a worker reply could not be deserialized');
  return {
    post: (req, transfer) => w.postMessage(req, transfer ?? []),
    hold: () => {},
    terminate: async () => w.terminate(),
  };
}
