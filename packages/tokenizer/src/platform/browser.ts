// Browsers (and bundles built for them): files are fetched relative to the page, the pool runs on module Web Workers.
// Nothing here or below imports a `node:` module, so a browser build's module graph has none.
import { fetchBytes } from '../fetch-bytes.js';
import type { Platform, WorkerEvents, WorkerHandle } from './types.js';

function startWorker(url: URL | string | undefined, on: WorkerEvents): WorkerHandle {
  // `new Worker(new URL('<literal>', import.meta.url), { type: 'module' })` written out in one expression is the
  // pattern Vite and webpack 5 recognise: they bundle worker.js and its imports as a worker chunk and rewrite the URL
  const w =
    url === undefined
      ? new Worker(new URL('../worker.js', import.meta.url), { type: 'module' })
      : new Worker(url, { type: 'module' });
  w.onmessage = (e: MessageEvent) => on.message(e.data);
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

export const platform: Platform = {
  async readLocal(src) {
    const url = new URL(src, globalThis.location?.href);
    if (url.protocol === 'file:') throw new Error('a browser cannot read file: URLs; pass an http(s) URL or the bytes');
    return fetchBytes(url);
  },
  defaultWorkers: () => globalThis.navigator?.hardwareConcurrency ?? 1,
  startWorker: async (url, on) => startWorker(url, on),
};
