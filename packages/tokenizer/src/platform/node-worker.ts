// The script each pool worker runs in Node (worker_threads): worker.ts's request handling on the parent port.
import { parentPort } from 'node:worker_threads';
import { inOrder, serve } from '../worker.js';

// imported as a plain module (type checks) it does nothing; only a worker has a parent port
if (parentPort) {
  const port = parentPort;
  port.on('message', inOrder(serve((reply, transfer) => port.postMessage(reply, transfer as never))));
}
