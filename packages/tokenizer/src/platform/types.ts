// What differs between Node and browsers, behind one interface: `#platform` resolves to node.ts or browser.ts.
import type { WorkerReply, WorkerRequest } from '../pool-protocol.js';

/** The two worker APIs (worker_threads, module Web Workers) behind one face. */
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

export interface Platform {
  /**
   * The bytes of a source that is neither bytes nor a network URL: a file path or `file:` URL in Node, a path
   * relative to the page in a browser.
   */
  readLocal(src: string | URL): Promise<Uint8Array>;
  /** Workers to start when not told: the machine's cores. */
  defaultWorkers(): number;
  /** Starts one pool worker running `url`, by default the package's own worker script. */
  startWorker(url: URL | string | undefined, on: WorkerEvents): Promise<WorkerHandle>;
}
